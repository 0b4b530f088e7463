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
 *   8. keep-alive connections (the stock CLI closes every connection);
 *   9. queries in linear time: the query engine builds its rows with [...rows, row] in a reduce,
 *      which made every query quadratic in the container's size (80,000 documents: 40 s);
 *  10. "Prefer: return=minimal" on item writes (the Java SDK's default, contentResponseOnWrite
 *      off): the answer has its headers and no body, as the service's (the stock server sends the
 *      document back, which the SDK then parses for nothing).
 *
 * It also has a fault switch for resilience tests (off unless commanded; see createFaultSwitch):
 * 429 throttling, 503 and dropped connections on data-plane requests, for a limited time.
 *
 * This file reaches into the server's internals, so package.json pins the exact version.
 * Anything the application would otherwise have to work around belongs here.
 */
const http = require("http");
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

// ---------------------------------------------------------------------------------------
// 9. Linear queries. @zeit/cosmosdb-query 0.7.2 (the server's query engine) compiles SQL to
// JavaScript whose FROM and JOIN steps are `rows.reduce(($, c) => [...$, { c }], [])`, and whose
// result goes through stripUndefined, which does the same: each row copies all rows before it.
// The generated code is rewritten to push onto the accumulator (its own fresh [] in every
// reduce, so nothing else sees the mutation), and stripUndefined loops. Results are unchanged.
// ---------------------------------------------------------------------------------------

const QUERY_ENGINE = "@zeit/cosmosdb-query/lib";
const queryTransformer = require(`${QUERY_ENGINE}/transformer`);
const queryHelpers = require(`${QUERY_ENGINE}/helpers`);

const isAccumulatorSpread = element =>
  element && element.type === "SpreadElement" && element.argument.type === "Identifier" && element.argument.name === "$";

/** `[...$, a, ...b]` becomes `($.push(a, ...b), $)`, everywhere in the generated program. */
function pushInsteadOfCopy(node) {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i += 1) node[i] = pushInsteadOfCopy(node[i]);
    return node;
  }
  if (!node || typeof node !== "object") return node;
  for (const key of Object.keys(node)) {
    if (key !== "loc" && key !== "start" && key !== "end") node[key] = pushInsteadOfCopy(node[key]);
  }
  if (node.type === "ArrayExpression" && isAccumulatorSpread(node.elements[0])) {
    const accumulator = { type: "Identifier", name: "$" };
    const push = { type: "MemberExpression", object: accumulator, property: { type: "Identifier", name: "push" }, computed: false };
    return {
      type: "SequenceExpression",
      expressions: [{ type: "CallExpression", callee: push, arguments: node.elements.slice(1) }, { type: "Identifier", name: "$" }]
    };
  }
  return node;
}

const stockTransform = queryTransformer.default;
queryTransformer.default = function linearTransform(ast) {
  return pushInsteadOfCopy(stockTransform(ast));
};

const stockStripUndefined = queryHelpers.stripUndefined;
queryHelpers.stripUndefined = function stripUndefinedLinear(value) {
  if (!Array.isArray(value)) return stockStripUndefined(value);
  const kept = [];
  for (const v of value) if (typeof v !== "undefined") kept.push(queryHelpers.stripUndefined(v));
  return kept;
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

// ---------------------------------------------------------------------------------------
// Fault injection, for resilience tests. Off by default. Commanded over a plain-HTTP admin
// server on 127.0.0.1 (createFaultAdminServer), never through the Cosmos DB API itself:
//
//   POST /faults {"mode": "throttle"|"unavailable"|"drop"|"off", "forMs": 5000, "ratio": 1.0,
//                 "retryAfterMs": 100, "phase": "before"|"after", "scope": "documents"|"all"}
//   GET  /faults     current state and counters;   DELETE /faults   same as mode "off"
//
// mode       throttle: 429 with x-ms-retry-after-ms and x-ms-substatus 3200, as the service
//            answers "Request rate is large"; unavailable: 503 ServiceUnavailable; drop: the
//            connection is destroyed without a response.
// forMs      how long the fault lasts (required, at most 10 minutes); it then switches itself off.
// ratio      share of the requests in scope that fail, 0 < ratio <= 1. Deterministic: with 0.5
//            every second request fails, with 0.25 every fourth, and so on.
// retryAfterMs  the retry-after hint of a throttle (default 100 ms, like the service's small hints).
// phase      before (default): the request fails before the server looks at it, so nothing was
//            written, as the service guarantees for 429. after: the server executes the request,
//            then the client gets the 503 or the dropped connection instead of the answer: an
//            in-doubt write, as after a gateway timeout. Not for throttle.
// scope      documents (default): requests on /dbs/{db}/colls/{coll}/docs[/...]: point reads and
//            writes, queries and their query plans, change feed, batches, bulk. all: every
//            request, including account, database, collection and partition-key-range reads.
//
// Metadata is left alone by default: the SDK reads it once into caches when it opens a
// container, and failing it tests the SDK's cache refresh (and can fail client construction,
// or mark the single endpoint unavailable) rather than the application's handling of a
// failing database; the service throttles data-plane requests, not these.
// ---------------------------------------------------------------------------------------

const FAULT_MODES = ["throttle", "unavailable", "drop"];
const MAX_FAULT_MS = 10 * 60 * 1000;
const DOCUMENTS_SCOPE = /^\/dbs\/[^/]+\/colls\/[^/]+\/docs(\/|$)/;

class FaultSwitch {
  constructor(now = Date.now) {
    this._now = now;
    this._fault = null;
    this._lastFault = null;
    this._injected = { throttle: 0, unavailable: 0, drop: 0 };
    this._commands = 0;
  }

  /** Applies a command ({mode, forMs, ratio, ...}); throws an Error with .statusCode 400 when invalid. */
  command(body) {
    const invalid = message => Object.assign(new Error(message), { statusCode: 400 });
    if (!body || typeof body !== "object") throw invalid("expected a JSON object");
    const { mode } = body;
    if (mode === "off") {
      this._commands += 1;
      this._switchOff();
      return this.state();
    }
    if (!FAULT_MODES.includes(mode)) throw invalid(`mode must be one of off, ${FAULT_MODES.join(", ")}`);
    const forMs = Number(body.forMs);
    if (!Number.isFinite(forMs) || forMs <= 0 || forMs > MAX_FAULT_MS) {
      throw invalid(`forMs must be a number of milliseconds, 0 < forMs <= ${MAX_FAULT_MS}`);
    }
    const ratio = body.ratio === undefined ? 1 : Number(body.ratio);
    if (!Number.isFinite(ratio) || ratio <= 0 || ratio > 1) throw invalid("ratio must be in (0, 1]");
    const retryAfterMs = body.retryAfterMs === undefined ? 100 : Number(body.retryAfterMs);
    if (!Number.isInteger(retryAfterMs) || retryAfterMs < 0) throw invalid("retryAfterMs must be an integer >= 0");
    const phase = body.phase === undefined ? "before" : body.phase;
    if (phase !== "before" && phase !== "after") throw invalid("phase must be before or after");
    if (phase === "after" && mode === "throttle") throw invalid("a throttled request is never executed: phase after is not for throttle");
    const scope = body.scope === undefined ? "documents" : body.scope;
    if (scope !== "documents" && scope !== "all") throw invalid("scope must be documents or all");
    const startedAt = this._now();
    this._commands += 1;
    this._switchOff();
    this._fault = {
      mode, forMs, ratio, retryAfterMs, phase, scope,
      startedAt, expiresAt: startedAt + forMs,
      seen: 0, injected: 0, firstInjectedAt: null, lastInjectedAt: null, endedAt: null
    };
    return this.state();
  }

  /** The fault to inject into this request, or null. Counts it as injected. */
  decide(req, pathname) {
    const fault = this._active();
    if (!fault) return null;
    if (fault.scope === "documents" && !DOCUMENTS_SCOPE.test(pathname)) return null;
    fault.seen += 1;
    const hit = Math.floor(fault.seen * fault.ratio) > Math.floor((fault.seen - 1) * fault.ratio);
    if (!hit) return null;
    const at = this._now();
    fault.injected += 1;
    if (fault.firstInjectedAt === null) fault.firstInjectedAt = at;
    fault.lastInjectedAt = at;
    this._injected[fault.mode] += 1;
    return fault;
  }

  state() {
    const fault = this._active();
    const describe = f => f && {
      mode: f.mode,
      forMs: f.forMs,
      ratio: f.ratio,
      retryAfterMs: f.retryAfterMs,
      phase: f.phase,
      scope: f.scope,
      startedAt: f.startedAt,
      expiresAt: f.expiresAt,
      endedAt: f.endedAt,
      seen: f.seen,
      injected: f.injected,
      firstInjectedAt: f.firstInjectedAt,
      lastInjectedAt: f.lastInjectedAt
    };
    return {
      active: Boolean(fault),
      mode: fault ? fault.mode : "off",
      remainingMs: fault ? Math.max(0, fault.expiresAt - this._now()) : 0,
      current: describe(fault),
      last: describe(fault ? null : this._lastFault),
      injected: { ...this._injected, total: this._injected.throttle + this._injected.unavailable + this._injected.drop },
      commands: this._commands,
      now: this._now()
    };
  }

  _active() {
    if (this._fault && this._now() >= this._fault.expiresAt) {
      this._fault.endedAt = this._fault.expiresAt;
      this._lastFault = this._fault;
      this._fault = null;
    }
    return this._fault;
  }

  _switchOff() {
    if (this._active()) {
      this._fault.endedAt = this._now();
      this._lastFault = this._fault;
      this._fault = null;
    }
  }
}

function createFaultSwitch(options) {
  return new FaultSwitch(options && options.now);
}

const THROTTLE_MESSAGE =
  "Message: {\"Errors\":[\"Request rate is large. More Request Units may be needed, so no changes were made. " +
  "Please retry this request later. Learn more: http://aka.ms/cosmosdb-error-429\"]}";
const UNAVAILABLE_MESSAGE =
  "Message: {\"Errors\":[\"The request failed because the service is currently unavailable. " +
  "Please retry the request. (fault injected by the local test server)\"]}";

/** Answers (or drops) a request with an injected fault. Any headers a handler had set are dropped. */
function answerWithFault(req, res, fault) {
  if (fault.mode === "drop" || res.headersSent) {
    req.socket.destroy();
    return;
  }
  res.getHeaderNames().forEach(name => res.removeHeader(name));
  const activityId = randomUUID();
  res.statusCode = fault.mode === "throttle" ? 429 : 503;
  res.setHeader("content-type", "application/json");
  res.setHeader("connection", "keep-alive");
  res.setHeader("x-ms-activity-id", activityId);
  res.setHeader("x-ms-request-charge", "0");
  let body;
  if (fault.mode === "throttle") {
    res.setHeader("x-ms-retry-after-ms", String(fault.retryAfterMs));
    res.setHeader("x-ms-substatus", "3200");
    body = { code: "TooManyRequests", message: `${THROTTLE_MESSAGE}\r\nActivityId: ${activityId}` };
  } else {
    body = { code: "ServiceUnavailable", message: `${UNAVAILABLE_MESSAGE}\r\nActivityId: ${activityId}` };
  }
  req.resume(); // discard an unread request body; the connection stays usable
  res.end(JSON.stringify(body));
}

async function readCommand(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return text ? JSON.parse(text) : {};
  } catch (err) {
    throw Object.assign(new Error(`invalid JSON: ${err.message}`), { statusCode: 400 });
  }
}

/**
 * The fault switch's control server: plain HTTP, to be bound to 127.0.0.1 only. No
 * authentication, so never bind it elsewhere.
 */
function createFaultAdminServer(faults) {
  return http.createServer((req, res) => {
    const reply = (status, body) => {
      res.statusCode = status;
      res.setHeader("content-type", "application/json");
      res.end(`${JSON.stringify(body)}\n`);
    };
    const { pathname } = new URL(req.url, "http://localhost");
    if (pathname !== "/faults" && pathname !== "/_sensorchat/faults") {
      reply(404, { error: "only /faults is served here" });
      return;
    }
    (async () => {
      if (req.method === "GET") return reply(200, faults.state());
      if (req.method === "DELETE") return reply(200, faults.command({ mode: "off" }));
      if (req.method === "POST" || req.method === "PUT") return reply(200, faults.command(await readCommand(req)));
      return reply(405, { error: "use GET, POST or DELETE" });
    })().catch(err => reply(err.statusCode || 500, { error: err.message }));
  });
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

/** An item write (create, upsert, replace, patch) whose client asked for headers only (10). */
function wantsMinimalReturn(req, pathname) {
  if (!/return=minimal/i.test(req.headers.prefer || "")) return false;
  if (DOCS.test(pathname)) {
    const isQuery = trueHeader(req, "x-ms-documentdb-isquery") || req.headers["content-type"] === "application/query+json";
    return req.method === "POST" && !isQuery && !trueHeader(req, "x-ms-cosmos-is-batch-request");
  }
  return DOC.test(pathname) && (req.method === "PUT" || req.method === "PATCH");
}

function normalisedPath(url) {
  let { pathname } = new URL(url, "https://localhost");
  if (pathname.startsWith("//")) pathname = pathname.slice(1);
  while (pathname.length > 1 && pathname.endsWith("/")) pathname = pathname.slice(0, -1);
  return pathname;
}

function createRequestHandler(getAccount, log, faults) {
  return (req, res) => {
    const pathname = normalisedPath(req.url);
    const fault = faults ? faults.decide(req, pathname) : null;
    if (fault && fault.phase === "before") {
      answerWithFault(req, res, fault);
      return;
    }
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
      if (res.statusCode >= 200 && res.statusCode < 300 && wantsMinimalReturn(req, pathname)) body = null;
      if (altPath) res.setHeader("x-ms-alt-content-path", altPath);
      res.setHeader("content-type", "application/json");
      res.setHeader("content-location", `https://${req.headers.host}${req.url}`);
      res.setHeader("connection", "keep-alive");
      res.setHeader("x-ms-activity-id", randomUUID());
      res.setHeader("x-ms-request-charge", "1");
      if (fault) {
        answerWithFault(req, res, fault); // phase "after": executed, but the client never hears so
        return;
      }
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
 * address as its endpoint, as the service does) is created once it listens. Pass a fault
 * switch (createFaultSwitch) to make injected faults possible.
 */
function createCosmosServer({ cert, key, faults, log = msg => process.stderr.write(`${msg}\n`) }) {
  let account;
  const server = https.createServer({ cert, key }, createRequestHandler(() => account, log, faults));
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

module.exports = { createCosmosServer, createFaultSwitch, createFaultAdminServer, EMULATOR_KEY };
