#!/usr/bin/env node
"use strict";
/*
 * Starts the local Azure stand-ins on 127.0.0.1: Azurite (Blob, Queue, Table) and the Cosmos DB
 * API server with this project's compatibility layer (cosmos-compat.js).
 *
 * Each server runs in a child process of its own (Azurite; cosmos-server.js for Cosmos DB), so a
 * test can pause one with SIGSTOP/SIGCONT while the others, and this supervisor, keep running.
 *
 * When every server listens it prints one line:
 *   SENSORCHAT_LOCAL_SERVERS {"blobEndpoint": ..., "cosmosEndpoint": ..., ...}
 * with, besides the endpoints, "cosmosFaultsEndpoint" (the fault switch's control URL, see
 * cosmos-compat.js), "cosmosPid" and "azuritePid" (the server processes, for SIGSTOP/SIGCONT).
 * It stops everything on SIGINT/SIGTERM and, when stdin is a pipe, when that pipe closes: the process
 * that started it (the Java test harness) cannot leave servers behind, even if it is killed. A
 * paused server is sent SIGCONT before it is asked to stop.
 * `npm start` runs it on the emulators' default ports (Cosmos DB 8081, Azurite 10000-10002).
 *
 * Options:
 *   --port-cosmos N, --port-blob N, --port-queue N, --port-table N   (default 0: any free port)
 *   --port-cosmos-admin N    the fault switch's control port (default 0: any free port)
 *   --azurite-location DIR   persist Azurite data there (default: in memory)
 *   --no-azurite, --no-cosmos
 */
const { spawn } = require("child_process");
const fs = require("fs");
const path = require("path");

const HOST = "127.0.0.1";
const READY_MARKER = "SENSORCHAT_LOCAL_SERVERS";

function parseArgs(argv) {
  const options = { ports: { cosmos: 0, cosmosAdmin: 0, blob: 0, queue: 0, table: 0 }, azurite: true, cosmos: true };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const port = /^--port-(cosmos|cosmos-admin|blob|queue|table)$/.exec(arg);
    if (port) options.ports[port[1] === "cosmos-admin" ? "cosmosAdmin" : port[1]] = Number(argv[(i += 1)]);
    else if (arg === "--azurite-location") options.azuriteLocation = argv[(i += 1)];
    else if (arg === "--no-azurite") options.azurite = false;
    else if (arg === "--no-cosmos") options.cosmos = false;
    else throw new Error(`unknown option ${arg}`);
  }
  return options;
}

const children = [];

function stopAll(code) {
  const alive = children.filter(child => child.exitCode === null && child.signalCode === null);
  if (alive.length === 0) process.exit(code);
  let pending = alive.length;
  alive.forEach(child => {
    child.once("exit", () => {
      pending -= 1;
      if (pending === 0) process.exit(code);
    });
    child.kill("SIGCONT"); // a test may have paused it; a stopped process would not hear the request
    child.stdin.end(); // orphan-guard.js turns this into the server's own graceful stop
  });
  setTimeout(() => {
    alive.forEach(child => child.kill("SIGKILL"));
    process.exit(code);
  }, 5000).unref();
}

/**
 * Starts a server in a child process under orphan-guard.js. `onLine` sees each line of its
 * stdout and returns a value once the server is ready (the promise resolves with it), or
 * undefined; it also returns false for lines it does not want copied to stderr.
 */
function startChild(name, args, onLine) {
  const child = spawn(process.execPath, ["-r", path.join(__dirname, "orphan-guard.js"), ...args], {
    stdio: ["pipe", "pipe", "inherit"]
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let buffered = "";
    let ready = false;
    child.stdout.on("data", chunk => {
      buffered += chunk.toString();
      let newline;
      while ((newline = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        const result = onLine(line);
        if (result === false || !line) continue;
        if (result !== undefined) {
          if (!ready) resolve({ ...result, pid: child.pid });
          ready = true;
        } else {
          process.stderr.write(`${name}: ${line}\n`);
        }
      }
    });
    child.on("exit", (code, signal) => {
      reject(new Error(`${name} exited before it was ready (code ${code}, signal ${signal})`));
      if (!stopping) {
        process.stderr.write(`${name} exited unexpectedly (code ${code}, signal ${signal})\n`);
        stopAll(1);
      }
    });
  });
}

function startAzurite({ ports, azuriteLocation }) {
  const args = [
    require.resolve("azurite/dist/src/azurite.js"),
    "--blobHost", HOST, "--blobPort", String(ports.blob),
    "--queueHost", HOST, "--queuePort", String(ports.queue),
    "--tableHost", HOST, "--tablePort", String(ports.table),
    // Required: the SDK sends an API version newer than Azurite knows.
    "--skipApiVersionCheck", "--disableTelemetry", "--loose", "--silent"
  ];
  const memoryLimitMb = "256";
  args.push(...(azuriteLocation
    ? ["--location", azuriteLocation]
    : ["--inMemoryPersistence", "--extentMemoryLimit", memoryLimitMb]));
  const endpoints = {};
  return startChild("azurite", args, line => {
    const m = /Azurite (Blob|Queue|Table) service is successfully listening at (\S+)/.exec(line);
    if (!m) return /is starting at|extent storage is enabled|closing|closed/.test(line) ? false : undefined;
    endpoints[m[1].toLowerCase()] = m[2];
    return endpoints.blob && endpoints.queue && endpoints.table ? endpoints : false;
  });
}

function startCosmos({ ports }) {
  const args = [path.join(__dirname, "cosmos-server.js"),
    "--port", String(ports.cosmos), "--admin-port", String(ports.cosmosAdmin)];
  return startChild("cosmos", args, line => {
    const m = /^SENSORCHAT_COSMOS_READY (.*)$/.exec(line);
    return m ? JSON.parse(m[1]) : undefined;
  });
}

let stopping = false;
function shutdown(code) {
  if (stopping) return;
  stopping = true;
  stopAll(code);
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  process.on("SIGINT", () => shutdown(0));
  process.on("SIGTERM", () => shutdown(0));
  if (fs.fstatSync(0).isFIFO()) {
    process.stdin.on("end", () => shutdown(0));
    process.stdin.on("error", () => shutdown(0));
    process.stdin.resume();
  }

  const [azurite, cosmos] = await Promise.all([
    options.azurite ? startAzurite(options) : null,
    options.cosmos ? startCosmos(options) : null
  ]);
  const ready = {};
  if (azurite) {
    ready.blobEndpoint = `${azurite.blob}/devstoreaccount1`;
    ready.queueEndpoint = `${azurite.queue}/devstoreaccount1`;
    ready.tableEndpoint = `${azurite.table}/devstoreaccount1`;
    ready.azuritePid = azurite.pid;
  }
  if (cosmos) {
    ready.cosmosEndpoint = cosmos.endpoint;
    ready.cosmosKey = cosmos.key;
    ready.cosmosCertificate = cosmos.certificate;
    ready.cosmosFaultsEndpoint = cosmos.faultsEndpoint;
    ready.cosmosPid = cosmos.pid;
  }
  ready.supervisorPid = process.pid;
  process.stdout.write(`${READY_MARKER} ${JSON.stringify(ready)}\n`);
  if (process.stderr.isTTY) {
    const lines = Object.entries(ready).filter(([key]) => key.endsWith("Endpoint"));
    process.stderr.write(`${lines.map(([key, url]) => `  ${key.padEnd(21)} ${url}`).join("\n")}\nCtrl-C stops them.\n`);
  }
}

main().catch(err => {
  process.stderr.write(`local servers failed to start: ${err.stack || err}\n`);
  shutdown(1);
});
