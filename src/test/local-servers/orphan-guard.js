"use strict";
// Preloaded into child servers (node -r ./orphan-guard.js ...). When the parent's pipe on stdin
// closes, for a normal stop or because the parent was killed, the server shuts down through its
// own SIGTERM handler; a killed parent therefore never leaves a server running.
const release = () => process.stdin.destroy(); // stdin must not keep the event loop alive
process.stdin.on("end", () => {
  release();
  setTimeout(() => process.exit(0), 5000).unref();
  process.kill(process.pid, "SIGTERM");
});
process.stdin.on("error", release);
process.once("SIGTERM", release);
process.once("SIGINT", release);
process.stdin.resume();
