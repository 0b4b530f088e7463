"use strict";
/*
 * A Cosmos DB SQL API server for local runs and tests: @vercel/cosmosdb-server 1.0.1, plus
 * what the Java SDK (azure-cosmos 4.x, gateway mode) needs and the stock server lacks:
 *
 *   1. query plans: the SDK asks for one before every query; we answer "pass-through",
 *      one range, no client-side steps (the server has one partition-key range, so its own
 *      ORDER BY, TOP and aggregates are already correct);
 *   2. queries scoped by the partition-key header (the stock server ignores the header);
 *   3. change feed with a sequence number (_lsn) per write, the etag as continuation and
 *      If-None-Match, including "*" for "from now" (the stock feed is a stub);
 *   4. transactional batch: the partition key comes from the header, Patch is supported,
 *      and a failed operation rolls the whole batch back (207 with 424s, as the service);
 *   5. 404 for a missing item (the stock server throws a TypeError, 500);
 *   6. TTL: defaultTtl and per-item ttl are enforced (stored but ignored by the stock server);
 *   7. x-ms-alt-content-path, from which the SDK builds change-feed links;
 *   8. keep-alive connections (the stock CLI closes every connection).
 *
 * This file reaches into the server's internals, so package.json pins the exact version.
 * Anything the application would otherwise have to work around belongs here.
 */
const https = require("https");
const { randomUUID } = require("crypto");

const SERVER = "@vercel/cosmosdb-server/lib";
const Account = require(`${SERVER}/account`).default;
const Documents = require(`${SERVER}/account/documents`).default;
const Items = require(`${SERVER}/account/items`).default;
const stockRoute = require(`${SERVER}/routes`).default;
const readItems = require(`${SERVER}/handler/_read-items`).default;
const documentOperations = require(`${SERVER}/handler/_document-operations`);
const { patchOperation } = require(`${SERVER}/handler/_patch-operations`);
const readJson = require(`${SERVER}/json`).default;
const trueHeader = require(`${SERVER}/true-header`).default;
const { parsePartitionKey } = require(`${SERVER}/utils/get-partition-from-header`);

/** The key the Cosmos DB emulator uses; clients authenticate with it locally. */
const EMULATOR_KEY =
  "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

const PARTITION_KEY_HEADER = "x-ms-documentdb-partitionkey";
const TTL_SWEEP_INTERVAL_MS = 5000;

// ---------------------------------------------------------------------------------------
// Storage hooks: TTL and change-feed sequence numbers live in the document store itself, so
// every stock handler (create, upsert, replace, patch, delete, bulk) gets them for free.
// ---------------------------------------------------------------------------------------

const nowSeconds = () => Date.now() / 1000;

/** Cosmos semantics: no defaultTtl means TTL is off; -1 means "on, items expire only by their own ttl". */
function isExpired(collectionDefinition, doc) {
  const defaultTtl = collectionDefinition ? collectionDefinition.defaultTtl : undefined;
  if (defaultTtl === undefined || defaultTtl === null) return false;
  const ttl = typeof doc.ttl === "number" ? doc.ttl : defaultTtl;
  return ttl !== -1 && nowSeconds() >= doc._ts + ttl;
}

/** Removes a document without touching the change feed, as the service does for TTL deletes. */
function removeDocument(documents, doc) {
  const partition = documents._getPartition(doc);
  documents._uniqueKeyPaths.forEach(keyPath => {
    const value = keyPath
      .slice(1)
      .split("/")
      .reduce((node, key) => (node == null ? undefined : node[key]), doc);
    documents._index.delete(documents._getId(keyPath, value, partition));
  });
  documents._data.delete(doc._rid);
}

function purgeExpired(documents) {
  const definition = documents._parent.read();
  if (!definition || definition.defaultTtl === undefined || definition.defaultTtl === null) return;
  for (const item of [...documents._data.values()]) {
    const doc = item.read();
    if (isExpired(definition, doc)) removeDocument(documents, doc);
  }
}

const stockItem = Items.prototype._item;
Documents.prototype._item = function itemUnlessExpired(keyPath, value, partition) {
  const item = stockItem.call(this, keyPath, value, partition);
  const doc = item.read();
  if (doc && isExpired(this._parent.read(), doc)) {
    removeDocument(this, doc);
    return this._newItem();
  }
  return item;
};

const stockQuery = Items.prototype.query;
Documents.prototype.query = function queryLive(params, options) {
  purgeExpired(this);
  return stockQuery.call(this, params, options);
};

const stockRead = Items.prototype.read;
Documents.prototype.read = function readLive(options) {
  purgeExpired(this);
  return stockRead.call(this, options);
};

const stockSet = Items.prototype._set;
Documents.prototype._set = function setWithSequenceNumber(data) {
  this._lsn = (this._lsn || 0) + 1;
  return stockSet.call(this, { ...data, _lsn: this._lsn });
};

function forEachCollection(account, fn) {
  for (const database of account.databases._data.values()) {
    for (const collection of database.collections._data.values()) fn(collection);
  }
}

// ---------------------------------------------------------------------------------------
// Handlers the layer adds or replaces. Each has the stock signature (account, req, res, params)
// and returns the response body; res.statusCode is set by the handler when it is not 200.
// ---------------------------------------------------------------------------------------

const notFound = res => {
  res.statusCode = 404;
  return { code: "NotFound", message: "Entity with the specified id does not exist in the system." };
};

function collectionOf(account, { dbId, collId }) {
  const collection = account.database(dbId).collection(collId);
  return collection.read() ? collection : null;
}

/** Partition-key value from the request header, or undefined when the request is not scoped. */
function headerPartitionKey(req) {
  const header = req.headers[PARTITION_KEY_HEADER];
  if (!header || header === "[{}]") return undefined;
  const parsed = JSON.parse(Array.isArray(header) ? header[0] : header);
  return Array.isArray(parsed) ? parsed[0] : parsed;
}

const PASS_THROUGH_QUERY_PLAN = {
  partitionedQueryExecutionInfoVersion: 2,
  queryInfo: {
    distinctType: "None",
    top: null,
    offset: null,
    limit: null,
    orderBy: [],
    orderByExpressions: [],
    groupByExpressions: [],
    groupByAliases: [],
    aggregates: [],
    groupByAliasToAggregateType: {},
    rewrittenQuery: "",
    hasSelectValue: false,
    hasNonStreamingOrderBy: false
  },
  queryRanges: [{ min: "", max: "FF", isMinInclusive: true, isMaxInclusive: false }]
};

/** "SELECT VALUE ..." results are bare values; the plan must say so or the SDK wraps them as {"_value": ...}. */
const SELECT_VALUE = /^\s*SELECT\s+(DISTINCT\s+)?(TOP\s+\S+\s+)?VALUE\b/i;

async function queryPlan(account, req, res, params) {
  const { query = "" } = await readJson(req);
  if (!collectionOf(account, params)) return notFound(res);
  const hasSelectValue = SELECT_VALUE.test(query);
  return { ...PASS_THROUGH_QUERY_PLAN, queryInfo: { ...PASS_THROUGH_QUERY_PLAN.queryInfo, hasSelectValue } };
}

function queryDocuments(account, req, res, params) {
  return readItems(req, res, "Documents", async ({ continuation, maxItemCount }) => {
    const body = await readJson(req);
    if (!body.query) {
      res.statusCode = 400;
      return { code: "BadRequest", message: "missing query" };
    }
    const collection = collectionOf(account, params);
    if (!collection) return null;
    const { documents } = collection;
    purgeExpired(documents);
    const partitionKey = headerPartitionKey(req);
    let docs = [...documents._data.values()].map(item => item.read());
    if (partitionKey !== undefined) {
      docs = docs.filter(doc => documents._getPartition(doc) === partitionKey);
    }
    const { compositeIndexes = [] } = collection.read().indexingPolicy || {};
    try {
      return documents._getQuery(body.query).exec(docs, {
        parameters: body.parameters,
        udf: documents._userDefinedFunctions(),
        maxItemCount,
        continuation,
        compositeIndexes
      });
    } catch (err) {
      res.statusCode = 400;
      return { code: "BadRequest", message: err.message };
    }
  });
}

function readDocument(account, req, res, params) {
  const collection = collectionOf(account, params);
  if (!collection) return notFound(res);
  if (!req.headers[PARTITION_KEY_HEADER]) {
    res.statusCode = 400;
    return { code: "BadRequest", message: "The partition key header is required to read a document." };
  }
  const result = documentOperations.readOperation(collection, {
    partitionKey: req.headers[PARTITION_KEY_HEADER],
    id: params.docId
  });
  res.statusCode = result.statusCode;
  return result.body;
}

const sequenceOf = etag => {
  const n = Number(String(etag).replace(/"/g, ""));
  return Number.isFinite(n) ? n : 0;
};

/**
 * Latest-version change feed over one partition-key range. A document appears once, at the
 * sequence number of its last write; the etag of a page is the sequence number to continue after.
 */
function changeFeed(account, req, res, params) {
  const collection = collectionOf(account, params);
  if (!collection) return notFound(res);
  const { documents } = collection;
  purgeExpired(documents);
  const current = documents._lsn || 0;
  const ifNoneMatch = req.headers["if-none-match"];
  const ifModifiedSince = req.headers["if-modified-since"];
  let after = 0;
  if (ifNoneMatch === "*") after = current;
  else if (ifNoneMatch) after = sequenceOf(ifNoneMatch);

  const partitionKey = headerPartitionKey(req);
  const since = ifModifiedSince && !ifNoneMatch ? Date.parse(ifModifiedSince) / 1000 : undefined;
  const requested = parseInt(req.headers["x-ms-max-item-count"], 10);
  const limit = Number.isFinite(requested) && requested > 0 ? requested : 100;

  const changed = [...documents._data.values()]
    .map(item => item.read())
    .filter(doc => doc._lsn > after)
    .filter(doc => partitionKey === undefined || documents._getPartition(doc) === partitionKey)
    .filter(doc => since === undefined || doc._ts >= Math.floor(since))
    .sort((a, b) => a._lsn - b._lsn)
    .slice(0, limit);

  if (changed.length === 0) {
    res.statusCode = 304;
    res.setHeader("etag", `"${after}"`);
    return null;
  }
  res.setHeader("etag", `"${changed[changed.length - 1]._lsn}"`);
  res.setHeader("x-ms-item-count", String(changed.length));
  return { _rid: collection.read()._rid, Documents: changed, _count: changed.length };
}

function batchOperation(collection, operation) {
  switch (operation && operation.operationType) {
    case "Create":
      return documentOperations.createOperation(collection, operation);
    case "Upsert":
      return documentOperations.upsertOperation(collection, operation);
    case "Read":
      return documentOperations.readOperation(collection, operation);
    case "Delete":
      return documentOperations.deleteOperation(collection, operation);
    case "Replace":
      return documentOperations.replaceOperation(collection, operation);
    case "Patch": {
      const { operations, condition } = operation.resourceBody || {};
      return patchOperation(collection, { ...operation, operations: operations || [], condition });
    }
    default:
      return {
        statusCode: 400,
        body: { message: `Operation type '${operation && operation.operationType}' is not supported in Batch.` }
      };
  }
}

/** The id an operation touches, so a failed batch can put that document back. */
const operationId = operation =>
  operation.id || (operation.resourceBody && operation.resourceBody.id);

async function transactionalBatch(account, req, res, params) {
  const operations = await readJson(req);
  const collection = collectionOf(account, params);
  if (!collection) return notFound(res);
  if (!Array.isArray(operations)) {
    res.statusCode = 400;
    return { code: "BadRequest", message: "Invalid request body" };
  }
  const partitionHeader = req.headers[PARTITION_KEY_HEADER];
  const { documents } = collection;
  const sequenceBefore = documents._lsn;
  const undo = [];
  const results = [];
  let failedAt = -1;

  for (let i = 0; i < operations.length; i += 1) {
    const operation = { ...operations[i], partitionKey: operations[i].partitionKey || partitionHeader };
    const id = operationId(operation);
    if (id !== undefined) {
      const partition = parsePartitionKey(operation.partitionKey, id);
      undo.push({ id, partition, before: collection.document(id, partition).read() });
    }
    const result = batchOperation(collection, operation);
    results.push(result);
    if (result.statusCode >= 400) {
      failedAt = i;
      break;
    }
  }

  const atomic = !trueHeader(req, "x-ms-cosmos-batch-continue-on-error");
  if (failedAt < 0 || !atomic) {
    return results.map(result => ({
      statusCode: result.statusCode,
      requestCharge: 1,
      eTag: result.body ? result.body._etag : undefined,
      resourceBody: result.body
    }));
  }

  for (const { id, partition, before } of undo.reverse()) {
    const now = collection.document(id, partition).read();
    if (now) removeDocument(documents, now);
    if (before) stockSet.call(documents, before);
  }
  documents._lsn = sequenceBefore;
  res.statusCode = 207;
  return operations.map((_, i) =>
    i === failedAt
      ? { statusCode: results[i].statusCode, requestCharge: 0, resourceBody: results[i].body }
      : { statusCode: 424, requestCharge: 0 }
  );
}

const DOCS = /^\/dbs\/([^/]+)\/colls\/([^/]+)\/docs$/;
const DOC = /^\/dbs\/([^/]+)\/colls\/([^/]+)\/docs\/([^/]+)$/;

/**
 * The service's x-ms-alt-content-path: the path of the addressed resource's parent, e.g.
 * "dbs/d" for /dbs/d/colls/c and "dbs/d/colls/c" for /dbs/d/colls/c/docs[/id]. The SDK builds
 * change-feed links from it.
 */
function altContentPath(pathname) {
  const segments = pathname.split("/").filter(Boolean);
  const parent = segments.slice(0, segments.length % 2 === 0 ? -2 : -1);
  return parent.length ? parent.join("/") : undefined;
}

/** The layer's own routes; everything else goes to the stock router. */
function layerRoute(req, pathname) {
  const isQuery =
    req.method === "POST" &&
    (trueHeader(req, "x-ms-documentdb-isquery") || req.headers["content-type"] === "application/query+json");
  let m = DOCS.exec(pathname);
  if (m) {
    const params = { dbId: decodeURIComponent(m[1]), collId: decodeURIComponent(m[2]) };
    if (isQuery && trueHeader(req, "x-ms-cosmos-is-query-plan-request")) return [params, queryPlan];
    if (isQuery) return [params, queryDocuments];
    if (req.method === "GET" && /incremental feed/i.test(req.headers["a-im"] || "")) return [params, changeFeed];
    if (req.method === "POST" && trueHeader(req, "x-ms-cosmos-is-batch-request")) return [params, transactionalBatch];
    return undefined;
  }
  m = DOC.exec(pathname);
  if (m && req.method === "GET") {
    const params = { dbId: decodeURIComponent(m[1]), collId: decodeURIComponent(m[2]), docId: decodeURIComponent(m[3]) };
    return [params, readDocument];
  }
  return undefined;
}

function normalisedPath(url) {
  let { pathname } = new URL(url, "https://localhost");
  if (pathname.startsWith("//")) pathname = pathname.slice(1);
  while (pathname.length > 1 && pathname.endsWith("/")) pathname = pathname.slice(0, -1);
  return pathname;
}

function createRequestHandler(getAccount, log) {
  return (req, res) => {
    const pathname = normalisedPath(req.url);
    const route = layerRoute(req, pathname) || stockRoute(req);
    const altPath = altContentPath(pathname);
    (async () => {
      let body;
      if (route) {
        const [params, handler] = route;
        try {
          body = await handler(getAccount(), req, res, params);
        } catch (err) {
          log(`cosmos layer: ${req.method} ${pathname} failed: ${err.stack || err}`);
          res.statusCode = 500;
          body = { code: "InternalServerError", message: err.message };
        }
      } else {
        res.statusCode = 400;
        body = { code: "BadRequest", message: "no route" };
      }
      if (body && body._etag && !res.hasHeader("etag")) res.setHeader("etag", body._etag);
      if (altPath) res.setHeader("x-ms-alt-content-path", altPath);
      res.setHeader("content-type", "application/json");
      res.setHeader("content-location", `https://${req.headers.host}${req.url}`);
      res.setHeader("connection", "keep-alive");
      res.setHeader("x-ms-activity-id", randomUUID());
      res.setHeader("x-ms-request-charge", "1");
      res.end(res.statusCode === 304 || body === null || body === undefined ? "" : JSON.stringify(body));
    })().catch(err => {
      log(`cosmos layer: ${err.stack || err}`);
      if (!res.writableEnded) {
        res.statusCode = 500;
        res.end("");
      }
    });
  };
}

/**
 * Creates the HTTPS server. Call listen() on it; the account (which advertises the server's own
 * address as its endpoint, as the service does) is created once it listens.
 */
function createCosmosServer({ cert, key, log = msg => process.stderr.write(`${msg}\n`) }) {
  let account;
  const server = https.createServer({ cert, key }, createRequestHandler(() => account, log));
  // The SDK keeps pooled connections for up to a minute; never close them first.
  server.keepAliveTimeout = 10 * 60 * 1000;
  server.headersTimeout = server.keepAliveTimeout + 1000;
  let sweeper;
  server.on("listening", () => {
    const { address, port } = server.address();
    account = new Account(address === "::" || address === "0.0.0.0" ? "localhost" : address, port);
    sweeper = setInterval(() => forEachCollection(account, c => purgeExpired(c.documents)), TTL_SWEEP_INTERVAL_MS);
    sweeper.unref();
  });
  server.on("close", () => clearInterval(sweeper));
  return server;
}

module.exports = { createCosmosServer, EMULATOR_KEY };
