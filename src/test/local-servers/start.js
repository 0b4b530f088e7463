#!/usr/bin/env node
"use strict";
/*
 * Starts the local Azure stand-ins on 127.0.0.1: Azurite (Blob, Queue, Table) and the Cosmos DB
 * API server with this project's compatibility layer (cosmos-compat.js).
 *
 * When every server listens it prints one line:
 *   SENSORCHAT_LOCAL_SERVERS {"blobEndpoint": ..., "cosmosEndpoint": ..., ...}
 * It stops everything on SIGINT/SIGTERM and, when stdin is a pipe, when that pipe closes: the process
 * that started it (the Java test harness) cannot leave servers behind, even if it is killed.
 * `npm start` runs it on the emulators' default ports (Cosmos DB 8081, Azurite 10000-10002).
 *
 * Options:
 *   --port-cosmos N, --port-blob N, --port-queue N, --port-table N   (default 0: any free port)
 *   --azurite-location DIR   persist Azurite data there (default: in memory)
 *   --no-azurite, --no-cosmos
 */
const { spawn } = require("child_process");
const fs = require("fs");
const path = require("path");
const selfsigned = require("selfsigned");
const { createCosmosServer, EMULATOR_KEY } = require("./cosmos-compat");

const HOST = "127.0.0.1";
const READY_MARKER = "SENSORCHAT_LOCAL_SERVERS";

function parseArgs(argv) {
  const options = { ports: { cosmos: 0, blob: 0, queue: 0, table: 0 }, azurite: true, cosmos: true };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const port = /^--port-(cosmos|blob|queue|table)$/.exec(arg);
    if (port) options.ports[port[1]] = Number(argv[(i += 1)]);
    else if (arg === "--azurite-location") options.azuriteLocation = argv[(i += 1)];
    else if (arg === "--no-azurite") options.azurite = false;
    else if (arg === "--no-cosmos") options.cosmos = false;
    else throw new Error(`unknown option ${arg}`);
  }
  return options;
}

const children = [];
const servers = [];

function stopAll(code) {
  servers.forEach(server => server.close());
  servers.forEach(server => server.closeAllConnections && server.closeAllConnections());
  const alive = children.filter(child => child.exitCode === null && child.signalCode === null);
  if (alive.length === 0) process.exit(code);
  let pending = alive.length;
  alive.forEach(child => {
    child.once("exit", () => {
      pending -= 1;
      if (pending === 0) process.exit(code);
    });
    child.stdin.end(); // orphan-guard.js turns this into the server's own graceful stop
  });
  setTimeout(() => {
    alive.forEach(child => child.kill("SIGKILL"));
    process.exit(code);
  }, 5000).unref();
}

function startAzurite({ ports, azuriteLocation }) {
  const script = require.resolve("azurite/dist/src/azurite.js");
  const args = [
    "-r", path.join(__dirname, "orphan-guard.js"), script,
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
  const child = spawn(process.execPath, args, { stdio: ["pipe", "pipe", "inherit"] });
  children.push(child);
  return new Promise((resolve, reject) => {
    const endpoints = {};
    let buffered = "";
    child.stdout.on("data", chunk => {
      buffered += chunk.toString();
      let newline;
      while ((newline = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        const m = /Azurite (Blob|Queue|Table) service is successfully listening at (\S+)/.exec(line);
        if (m) endpoints[m[1].toLowerCase()] = m[2];
        else if (line && !/is starting at|extent storage is enabled|closing|closed/.test(line)) {
          process.stderr.write(`azurite: ${line}\n`);
        }
        if (endpoints.blob && endpoints.queue && endpoints.table) resolve(endpoints);
      }
    });
    child.on("exit", (code, signal) => {
      reject(new Error(`Azurite exited before it was ready (code ${code}, signal ${signal})`));
      if (!stopping) {
        process.stderr.write(`azurite exited unexpectedly (code ${code}, signal ${signal})\n`);
        stopAll(1);
      }
    });
  });
}

async function startCosmos({ ports }) {
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
  const server = createCosmosServer({ cert: pems.cert, key: pems.private });
  servers.push(server);
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(ports.cosmos, HOST, resolve);
  });
  return { endpoint: `https://${HOST}:${server.address().port}/`, certificate: pems.cert };
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
  }
  if (cosmos) {
    ready.cosmosEndpoint = cosmos.endpoint;
    ready.cosmosKey = EMULATOR_KEY;
    ready.cosmosCertificate = cosmos.certificate;
  }
  process.stdout.write(`${READY_MARKER} ${JSON.stringify(ready)}\n`);
  if (process.stderr.isTTY) {
    const lines = Object.entries(ready).filter(([key]) => key.endsWith("Endpoint"));
    process.stderr.write(`${lines.map(([key, url]) => `  ${key.padEnd(15)} ${url}`).join("\n")}\nCtrl-C stops them.\n`);
  }
}

main().catch(err => {
  process.stderr.write(`local servers failed to start: ${err.stack || err}\n`);
  shutdown(1);
});
