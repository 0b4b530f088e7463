#!/usr/bin/env node
"use strict";
/*
 * The Cosmos DB API server (cosmos-compat.js) in a process of its own, as start.js runs it: tests
 * can then pause it (SIGSTOP, SIGCONT) without pausing the supervisor or Azurite.
 *
 * Listens on 127.0.0.1 with a fresh self-signed certificate (SAN localhost, 127.0.0.1), plus the
 * fault switch's plain-HTTP control server (see cosmos-compat.js). When both listen it prints:
 *   SENSORCHAT_COSMOS_READY {"endpoint": ..., "key": ..., "certificate": ..., "faultsEndpoint": ..., "pid": ...}
 * Stops on SIGTERM/SIGINT; start.js preloads orphan-guard.js, which turns a closed stdin into SIGTERM.
 *
 * Options: --port N (default 0: any free port), --admin-port N (default 0)
 */
const selfsigned = require("selfsigned");
const { createCosmosServer, createFaultSwitch, createFaultAdminServer, EMULATOR_KEY } = require("./cosmos-compat");

const HOST = "127.0.0.1";
const READY_MARKER = "SENSORCHAT_COSMOS_READY";

function parseArgs(argv) {
  const options = { port: 0, adminPort: 0 };
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === "--port") options.port = Number(argv[(i += 1)]);
    else if (argv[i] === "--admin-port") options.adminPort = Number(argv[(i += 1)]);
    else throw new Error(`unknown option ${argv[i]}`);
  }
  return options;
}

const listen = (server, port) =>
  new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, HOST, () => resolve(server.address().port));
  });

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const pems = await selfsigned.generate([{ name: "commonName", value: "localhost" }], {
    keySize: 2048,
    algorithm: "sha256",
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      { name: "subjectAltName", altNames: [{ type: 2, value: "localhost" }, { type: 7, ip: HOST }] }
    ]
  });
  const faults = createFaultSwitch();
  const server = createCosmosServer({ cert: pems.cert, key: pems.private, faults });
  const admin = createFaultAdminServer(faults);

  const stop = () => {
    server.close();
    admin.close();
    server.closeAllConnections();
    admin.closeAllConnections();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);

  const [port, adminPort] = await Promise.all([listen(server, options.port), listen(admin, options.adminPort)]);
  const ready = {
    endpoint: `https://${HOST}:${port}/`,
    key: EMULATOR_KEY,
    certificate: pems.cert,
    faultsEndpoint: `http://${HOST}:${adminPort}/faults`,
    pid: process.pid
  };
  process.stdout.write(`${READY_MARKER} ${JSON.stringify(ready)}\n`);
}

main().catch(err => {
  process.stderr.write(`cosmos server failed to start: ${err.stack || err}\n`);
  process.exit(1);
});
