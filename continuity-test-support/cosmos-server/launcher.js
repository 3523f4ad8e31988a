#!/usr/bin/env node
/*
 * Test-only Cosmos DB compatible server for continuity-cosmos.
 *
 * Wraps the request handlers of @vercel/cosmosdb-server 1.0.1 (in memory) and closes the gaps the Azure
 * Cosmos DB Java SDK (4.81, gateway mode) runs into with the package alone:
 *
 *   - query-plan requests (x-ms-cosmos-is-query-plan-request) get a pass-through plan: the one partition
 *     key range, no client-side ORDER BY/aggregation; the query then runs here, where all documents of a
 *     container live in that single range, so ORDER BY and TOP are already global;
 *   - queries scoped by the partition-key header are filtered to that logical partition (the package
 *     refuses SQL without a partition-key filter);
 *   - a point read of a missing id answers 404 (the package throws and answers 500);
 *   - transactional batch: the partition key comes from the header, operations apply in order, and on the
 *     first failure everything already applied is rolled back; the failing operation keeps its status
 *     and every other one reports 424, with HTTP 207 as Cosmos DB answers;
 *   - an incremental change feed: every write gets a log sequence number (one per request, so a batch
 *     is one transaction), the continuation is the etag (If-None-Match), 304 when nothing is new;
 *     latest-version semantics (the newest version of each item, no deletes), as plain documents with
 *     "_lsn" or, when the 2021-09-15 wire format is asked for (the SDK's latest-version processor),
 *     as {current, metadata}; enough for the Java SDK's ChangeFeedProcessor with a lease container;
 *   - collection alt-content-path / content-path headers, keep-alive connections;
 *   - hierarchical (MultiHash) partition keys: the package keys documents by the first path only, so a
 *     multi-path container's documents are keyed by all their key values (as one JSON array text) everywhere
 *     the package and this launcher name a partition. A query under a key prefix comes as an effective
 *     partition key range (x-ms-start-epk / x-ms-end-epk), which needs MultiHash hashing this server does not
 *     do: such a query reads the whole container (its one range), so its SQL must filter by the prefix too.
 *
 * Usage: node launcher.js [--port N] [--host 127.0.0.1] [--http] [--verbose] [--exit-with-stdin]
 *   --port 0 (default) picks a free port. When listening, prints one line on stdout:
 *     COSMOS_SERVER_READY port=<port> endpoint=<scheme>://<host>:<port>/
 *   --http serves plain HTTP instead of HTTPS with the package's bundled self-signed certificate.
 *   --verbose logs every request to stderr.
 *   --exit-with-stdin exits when stdin closes (used by the test fixture: the server dies with the JVM).
 *   The process exits on SIGTERM/SIGINT.
 *
 * Test support: GET /_continuity/stats answers request counters per container and operation kind.
 */
"use strict";

const fs = require("fs");
const http = require("http");
const https = require("https");
const path = require("path");
const crypto = require("crypto");
const { createRequire } = require("module");

const packageJson = require.resolve("@vercel/cosmosdb-server/package.json");
const packageDir = path.dirname(packageJson);
const lib = (name) => require(path.join(packageDir, "lib", name));
const packageRequire = createRequire(packageJson);

const Account = lib("account").default;
const Items = lib("account/items").default;
const Documents = lib("account/documents").default;
const routes = lib("routes").default;
const readJson = lib("json").default;
const documentOperations = lib("handler/_document-operations");
const patchOperations = lib("handler/_patch-operations");
const partitionHeader = lib("utils/get-partition-from-header");
const cosmosQuery = packageRequire("@zeit/cosmosdb-query");
const { SyntaxError: QuerySyntaxError } = cosmosQuery;

// ---------------------------------------------------------------------------------------------------
// arguments

function parseArgs(argv) {
  const args = { port: 0, host: "127.0.0.1", http: false, verbose: false, exitWithStdin: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === "--port" || arg === "-p") {
      args.port = Number.parseInt(argv[(i += 1)], 10);
      if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) {
        fail(`--port must be 0..65535, was '${argv[i]}'`);
      }
    } else if (arg === "--host") {
      args.host = argv[(i += 1)];
    } else if (arg === "--http") {
      args.http = true;
    } else if (arg === "--verbose") {
      args.verbose = true;
    } else if (arg === "--exit-with-stdin") {
      args.exitWithStdin = true;
    } else {
      fail(`unknown argument '${arg}' (usage: launcher.js [--port N] [--host H] [--http] [--verbose] [--exit-with-stdin])`);
    }
  }
  return args;
}

function fail(message) {
  process.stderr.write(`cosmos-server: ${message}\n`);
  process.exit(2);
}

const args = parseArgs(process.argv.slice(2));
const scheme = args.http ? "http" : "https";

// ---------------------------------------------------------------------------------------------------
// write log sequence numbers (the change feed's order)

let lastLsn = 0; // highest LSN handed out
let transactionLsn = null; // LSN shared by the writes of the batch being applied
let restoring = false; // a rollback puts documents back with their old LSN

let currentOperation = null; // "create" or "replace" while the package applies one

// Bookkeeping lives in non-enumerable properties: clients never see it in documents.
function hide(data, name, value) {
  Object.defineProperty(data, name, { value, enumerable: false, writable: true, configurable: true });
}

for (const operation of ["create", "replace"]) {
  const original = Items.prototype[operation];
  Documents.prototype[operation] = function tracked(...args) {
    const outer = currentOperation;
    currentOperation = operation;
    try {
      return original.apply(this, args);
    } finally {
      currentOperation = outer;
    }
  };
}

// Multi-path (hierarchical) partition keys: the package keys a document by its first partition key path only
// (Items._getPartition) and a request by the first value of its partition key header (parsePartitionKey, which
// every package handler calls through the module's exports). Both are made to name a multi-path partition by all
// its values, as the JSON text of the array of them, so [acme, c1] and [acme, c2] are different partitions.
const packageParsePartitionKey = partitionHeader.parsePartitionKey;
partitionHeader.parsePartitionKey = function parseFullPartitionKey(value, defaultValue) {
  let parsed;
  try {
    parsed = JSON.parse(value);
  } catch (e) {
    return packageParsePartitionKey(value, defaultValue); // the package's error
  }
  if (Array.isArray(parsed) && parsed.length > 1) return JSON.stringify(parsed);
  return packageParsePartitionKey(value, defaultValue);
};
const { parsePartitionKey } = partitionHeader;

const packageGetPartition = Items.prototype._getPartition;
Items.prototype._getPartition = function getFullPartition(data) {
  const paths = this._partitionKeyPath || [];
  return paths.length > 1 ? partitionText(paths, data) : packageGetPartition.call(this, data);
};

const originalSet = Items.prototype._set;
Documents.prototype._set = function setWithLsn(data) {
  if (!restoring) {
    hide(data, "__lsn", transactionLsn !== null ? transactionLsn : (lastLsn += 1));
    hide(data, "__operation", currentOperation || "create");
  }
  return originalSet.call(this, data);
};

// ---------------------------------------------------------------------------------------------------
// statistics (test support: how many requests did a write cost?)

const stats = { requests: 0, byContainer: {} };

function count(container, kind) {
  stats.requests += 1;
  if (!container) return;
  const entry = stats.byContainer[container] || (stats.byContainer[container] = {});
  entry[kind] = (entry[kind] || 0) + 1;
}

// ---------------------------------------------------------------------------------------------------
// helpers

const NOT_FOUND = { code: "NotFound", message: "Entity with the specified id does not exist in the system." };

function header(req, name) {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function isTrue(req, name) {
  const value = header(req, name);
  return typeof value === "string" && value.toLowerCase() === "true";
}

/**
 * The partition the request's partition key header names, or undefined when the header is absent or empty: the
 * value for a single-path container, the JSON text of the values for a multi-path one.
 */
function partitionFromHeader(req, collectionData) {
  const raw = header(req, "x-ms-documentdb-partitionkey");
  if (!raw || raw === "[{}]" || raw === "[]") return undefined;
  let parsed;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    const err = new Error(`x-ms-documentdb-partitionkey is not JSON: ${raw}`);
    err.badRequest = true;
    throw err;
  }
  const paths = partitionPaths(collectionData);
  const values = Array.isArray(parsed) ? parsed : [parsed];
  if (values.length !== paths.length) {
    const err = new Error(`x-ms-documentdb-partitionkey ${raw} does not have one value per partition key path `
      + `${JSON.stringify(paths)}`);
    err.badRequest = true;
    throw err;
  }
  return paths.length === 1 ? values[0] : JSON.stringify(values);
}

/** The container's partition key paths (["/id"] when it has none). */
function partitionPaths(collectionData) {
  const paths = ((collectionData || {}).partitionKey || {}).paths || [];
  if (!paths.length || paths[0] === "/_partitionKey") return ["/id"];
  return paths;
}

/** The JSON text of a document's values at several partition key paths (undefined values as null). */
function partitionText(paths, doc) {
  return JSON.stringify(paths.map((p) => {
    const value = valueAt(p.slice(1).split("/"), doc);
    return value === undefined ? null : value;
  }));
}

/** The partition of a document in the container: its key value (one path), or the JSON text of its values. */
function partitionOf(collectionData, doc) {
  const paths = partitionPaths(collectionData);
  return paths.length === 1 ? valueAt(paths[0].slice(1).split("/"), doc) : partitionText(paths, doc);
}

/** Whether a document is in the partition {@link partitionFromHeader} answered (every document: undefined). */
function inPartition(collectionData, doc, partition) {
  return partition === undefined || partitionOf(collectionData, doc) === partition;
}

function valueAt(keys, obj) {
  let current = obj;
  for (const key of keys) {
    if (current === null || typeof current !== "object") return undefined;
    current = current[key];
  }
  return current;
}

function documentsOf(collection) {
  return [...collection.documents._data.values()].map((item) => item.read());
}

function collectionOf(account, dbId, collId) {
  const collection = account.database(dbId).collection(collId);
  return collection.read() ? collection : null;
}

function maxItemCount(req) {
  const raw = header(req, "x-ms-max-item-count");
  const n = raw ? Number.parseInt(raw, 10) : NaN;
  return Number.isInteger(n) && n > 0 ? n : null;
}

// ---------------------------------------------------------------------------------------------------
// handlers that replace or wrap the package's

/** Query plan: a pass-through plan over the single partition key range. */
async function queryPlan(account, req, res) {
  const body = await readJson(req);
  try {
    cosmosQuery.default(body.query || "").code; // eslint-disable-line no-unused-expressions
  } catch (err) {
    if (err instanceof QuerySyntaxError) {
      res.statusCode = 400;
      return { code: "BadRequest", message: err.message };
    }
    throw err;
  }
  return {
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
      dCountInfo: null,
      hasNonStreamingOrderBy: false
    },
    queryRanges: [{ min: "", max: "FF", isMinInclusive: true, isMaxInclusive: false }]
  };
}

/** Query: filtered by the partition-key header when present, across the container otherwise. */
async function queryDocuments(account, req, res, { dbId, collId }) {
  const body = await readJson(req);
  if (!body.query) {
    res.statusCode = 400;
    return { code: "BadRequest", message: "missing query" };
  }
  const collection = collectionOf(account, dbId, collId);
  if (!collection) {
    res.statusCode = 404;
    return NOT_FOUND;
  }
  const partition = partitionFromHeader(req, collection.read());
  const data = documentsOf(collection).filter((doc) => inPartition(collection.read(), doc, partition));
  const continuationHeader = header(req, "x-ms-continuation");
  let continuation = null;
  if (continuationHeader) {
    try {
      continuation = JSON.parse(continuationHeader);
    } catch (e) {
      res.statusCode = 400;
      return { code: "BadRequest", message: `invalid continuation token ${continuationHeader}` };
    }
  }
  let result;
  try {
    result = collection.documents._getQuery(body.query).exec(data, {
      parameters: body.parameters,
      udf: collection.documents._userDefinedFunctions(),
      maxItemCount: maxItemCount(req),
      continuation,
      compositeIndexes: (collection.read().indexingPolicy || {}).compositeIndexes || []
    });
  } catch (err) {
    if (err instanceof QuerySyntaxError || err.badRequest) {
      res.statusCode = 400;
      return { code: "BadRequest", message: err.message };
    }
    throw err;
  }
  if (result.continuation) {
    res.setHeader("x-ms-continuation", JSON.stringify(result.continuation));
  }
  res.setHeader("x-ms-item-count", String(result.result.length));
  return { _rid: collection.read()._rid, Documents: result.result, _count: result.result.length };
}

/** Point read: 404 for a missing id or an id in another logical partition. */
function readDocument(account, req, res, { dbId, collId, docId }) {
  const collection = collectionOf(account, dbId, collId);
  if (!collection) {
    res.statusCode = 404;
    return NOT_FOUND;
  }
  const partition = partitionFromHeader(req, collection.read());
  const data = collection.document(docId, partition === undefined ? docId : partition).read();
  if (!data || data.id !== docId || !inPartition(collection.read(), data, partition)) {
    res.statusCode = 404;
    return NOT_FOUND;
  }
  return data;
}

const BATCH_OPERATIONS = new Set(["Create", "Upsert", "Read", "Delete", "Replace", "Patch"]);

/** Applies one batch operation through the package's document operations. */
function applyOperation(collection, input) {
  switch (input.operationType) {
    case "Create":
      return documentOperations.createOperation(collection, input);
    case "Upsert":
      return documentOperations.upsertOperation(collection, input);
    case "Read":
      return documentOperations.readOperation(collection, input);
    case "Delete":
      return documentOperations.deleteOperation(collection, input);
    case "Replace":
      return documentOperations.replaceOperation(collection, input);
    case "Patch":
      return patchOperations.patchOperation(collection, {
        id: input.id,
        partitionKey: input.partitionKey,
        ifMatch: input.ifMatch,
        operations: (input.resourceBody || {}).operations || input.operations || [],
        condition: (input.resourceBody || {}).condition
      });
    default:
      throw new Error(`unsupported batch operation ${input.operationType}`);
  }
}

/**
 * Transactional batch (x-ms-cosmos-batch-atomic) and bulk (non-atomic) requests. Every operation's
 * partition key defaults to the header's. An atomic batch is all or nothing: on the first failing
 * operation everything applied so far is undone, the failing operation keeps its status, the others
 * report 424 Failed Dependency, and the response is 207 Multi-Status.
 */
async function batchDocuments(account, req, res, { dbId, collId }) {
  const body = await readJson(req);
  const collection = collectionOf(account, dbId, collId);
  if (!collection) {
    res.statusCode = 404;
    return NOT_FOUND;
  }
  if (!Array.isArray(body)) {
    res.statusCode = 400;
    return { code: "BadRequest", message: "batch body must be a JSON array of operations" };
  }
  const atomic = isTrue(req, "x-ms-cosmos-batch-atomic");
  const continueOnError = isTrue(req, "x-ms-cosmos-batch-continue-on-error");
  const headerPartition = header(req, "x-ms-documentdb-partitionkey");
  if (atomic) {
    if (!headerPartition) {
      res.statusCode = 400;
      return { code: "BadRequest", message: "a transactional batch needs the x-ms-documentdb-partitionkey header" };
    }
    if (body.length > 100) {
      res.statusCode = 400;
      return { code: "BadRequest", message: `a transactional batch holds at most 100 operations, got ${body.length}` };
    }
  }
  const unsupported = body.find((op) => !op || !BATCH_OPERATIONS.has(op.operationType));
  if (unsupported !== undefined) {
    res.statusCode = 400;
    return {
      code: "BadRequest",
      message: `operation type '${(unsupported || {}).operationType}' is not supported in a batch`
    };
  }
  const undo = []; // [id, partition, previous document or null]
  const results = [];
  let failedAt = -1;
  transactionLsn = atomic ? lastLsn + 1 : null;
  let wrote = false;
  try {
    for (let i = 0; i < body.length; i += 1) {
      const input = { ...body[i] };
      if (failedAt >= 0 && (atomic || !continueOnError)) {
        results.push({ statusCode: 424, requestCharge: 0 });
        continue; // eslint-disable-line no-continue
      }
      if (!input.partitionKey) input.partitionKey = headerPartition;
      const id = input.id || (input.resourceBody || {}).id;
      const partition = input.partitionKey ? parsePartitionKey(input.partitionKey, id) : id;
      if (atomic && input.resourceBody && partitionOf(collection.read(), input.resourceBody) !== partition
          && ["Create", "Upsert", "Replace"].includes(input.operationType)) {
        results.push({ statusCode: 400, requestCharge: 0, message: "partition key of the document does not match the batch's" });
        failedAt = i;
        continue; // eslint-disable-line no-continue
      }
      const before = id === undefined ? null : collection.document(id, partition).read() || null;
      const result = applyOperation(collection, input);
      if (result.statusCode >= 400) {
        results.push({
          statusCode: result.statusCode,
          requestCharge: 0,
          message: (result.body || {}).message
        });
        failedAt = i;
      } else {
        if (input.operationType !== "Read") {
          undo.push([id, partition, before]);
          wrote = true;
        }
        results.push({
          statusCode: result.statusCode,
          requestCharge: 1,
          eTag: result.body ? result.body._etag : undefined,
          resourceBody: result.body
        });
      }
    }
    if (atomic && failedAt >= 0) {
      rollback(collection, undo);
      wrote = false;
      for (let i = 0; i < results.length; i += 1) {
        if (i !== failedAt) results[i] = { statusCode: 424, requestCharge: 0 };
      }
    }
  } catch (err) {
    // an operation threw (malformed input): an atomic batch still leaves nothing behind
    if (atomic) {
      rollback(collection, undo);
      wrote = false;
    }
    throw err;
  } finally {
    if (atomic && wrote) lastLsn = transactionLsn;
    transactionLsn = null;
  }
  if (failedAt >= 0) res.statusCode = 207;
  return results;
}

function rollback(collection, undo) {
  restoring = true;
  try {
    for (let i = undo.length - 1; i >= 0; i -= 1) {
      const [id, partition, before] = undo[i];
      if (collection.document(id, partition).read()) {
        collection.documents.delete(id, partition);
      }
      if (before) {
        collection.documents._set(before);
      }
    }
  } finally {
    restoring = false;
  }
}

/**
 * Incremental change feed (A-IM: Incremental feed), latest-version mode. The continuation is the
 * etag: the LSN of the last change returned. No If-None-Match reads from the beginning, "*" from now,
 * If-Modified-Since from that time. A page never splits one transaction. 304 when nothing is new.
 */
function changeFeed(account, req, res, { dbId, collId }) {
  const collection = collectionOf(account, dbId, collId);
  if (!collection) {
    res.statusCode = 404;
    return NOT_FOUND;
  }
  const mode = (header(req, "a-im") || "").toLowerCase();
  if (mode !== "incremental feed") {
    res.statusCode = 400;
    return { code: "BadRequest", message: `change feed mode '${header(req, "a-im")}' is not supported here` };
  }
  const ifNoneMatch = header(req, "if-none-match");
  let since = 0;
  let sinceTime = null;
  if (ifNoneMatch === "*") {
    since = lastLsn;
  } else if (ifNoneMatch) {
    since = Number.parseInt(ifNoneMatch.replace(/"/g, ""), 10);
    if (!Number.isInteger(since)) {
      res.statusCode = 400;
      return { code: "BadRequest", message: `invalid change feed continuation '${ifNoneMatch}'` };
    }
  } else if (header(req, "if-modified-since")) {
    sinceTime = Date.parse(header(req, "if-modified-since")) / 1000;
  }
  const partition = partitionFromHeader(req, collection.read());
  const changes = documentsOf(collection)
    .filter((doc) => doc.__lsn > since)
    .filter((doc) => sinceTime === null || doc._ts >= Math.floor(sinceTime))
    .filter((doc) => inPartition(collection.read(), doc, partition))
    .sort((a, b) => a.__lsn - b.__lsn);
  const limit = maxItemCount(req) || 100;
  let end = Math.min(limit, changes.length);
  while (end > 0 && end < changes.length && changes[end].__lsn === changes[end - 1].__lsn) end += 1;
  const page = changes.slice(0, end);
  // Nothing in range is newer than lastLsn, so an empty read may continue from there.
  const continuation = page.length ? page[page.length - 1].__lsn : Math.max(since, lastLsn);
  res.setHeader("etag", `"${continuation}"`);
  res.setHeader("lsn", String(lastLsn));
  res.setHeader("x-ms-global-committed-lsn", String(lastLsn));
  res.setHeader("x-ms-item-count", String(page.length));
  if (!page.length) {
    res.statusCode = 304;
    return null;
  }
  // The processor's latest-version mode asks for the 2021-09-15 wire format: {current, metadata}.
  const wrapped = Boolean(header(req, "x-ms-cosmos-changefeed-wire-format-version"));
  const documents = page.map((doc) => (wrapped
    ? {
      current: doc,
      metadata: { lsn: doc.__lsn, crts: doc._ts, operationType: doc.__operation, timeToLiveExpired: false }
    }
    : { ...doc, _lsn: doc.__lsn }));
  return { _rid: collection.read()._rid, Documents: documents, _count: documents.length };
}

/** Account metadata with this server's own scheme. */
function readMeta(account, req) {
  const data = account.read();
  const endpoint = `${scheme}://${req.headers.host}/`;
  return {
    ...data,
    writableLocations: data.writableLocations.map((l) => ({ ...l, databaseAccountEndpoint: endpoint })),
    readableLocations: data.readableLocations.map((l) => ({ ...l, databaseAccountEndpoint: endpoint }))
  };
}

// ---------------------------------------------------------------------------------------------------
// dispatch

const DOCS = /^\/dbs\/([^/]+)\/colls\/([^/]+)\/docs$/;
const DOC = /^\/dbs\/([^/]+)\/colls\/([^/]+)\/docs\/([^/]+)$/;
const COLL_CHILD = /^\/dbs\/([^/]+)\/colls\/([^/]+)(\/.*)?$/;

function normalizedPath(url) {
  let pathname = new URL(url, "http://localhost").pathname;
  while (pathname.startsWith("//")) pathname = pathname.slice(1);
  while (pathname.length > 1 && pathname.endsWith("/")) pathname = pathname.slice(0, -1);
  return pathname;
}

/** [kind, handler, params] for the request; handler null means: the package's route. */
function classify(req, pathname) {
  const docs = DOCS.exec(pathname);
  if (docs) {
    const params = { dbId: decodeURIComponent(docs[1]), collId: decodeURIComponent(docs[2]) };
    if (req.method === "POST" && isTrue(req, "x-ms-cosmos-is-query-plan-request")) return ["queryPlan", queryPlan, params];
    if (req.method === "POST" && (isTrue(req, "x-ms-documentdb-isquery")
        || header(req, "content-type") === "application/query+json")) return ["query", queryDocuments, params];
    if (req.method === "POST" && isTrue(req, "x-ms-cosmos-is-batch-request")) return ["batch", batchDocuments, params];
    if (req.method === "GET" && header(req, "a-im")) return ["changeFeed", changeFeed, params];
    if (req.method === "GET") return ["readFeed", null, params];
    if (req.method === "POST" && isTrue(req, "x-ms-documentdb-is-upsert")) return ["upsert", null, params];
    if (req.method === "POST") return ["create", null, params];
    return [req.method.toLowerCase(), null, params];
  }
  const doc = DOC.exec(pathname);
  if (doc) {
    const params = {
      dbId: decodeURIComponent(doc[1]),
      collId: decodeURIComponent(doc[2]),
      docId: decodeURIComponent(doc[3])
    };
    if (req.method === "GET") return ["read", readDocument, params];
    const kinds = { PUT: "replace", DELETE: "delete", PATCH: "patch" };
    return [kinds[req.method] || req.method.toLowerCase(), null, params];
  }
  if (req.method === "GET" && pathname === "/") return ["meta", readMeta, {}];
  return ["other", null, {}];
}

function containerOf(pathname) {
  const match = COLL_CHILD.exec(pathname);
  return match ? `dbs/${decodeURIComponent(match[1])}/colls/${decodeURIComponent(match[2])}` : null;
}

/** The name-based path of the resource's owner: "dbs/d" for a container, "dbs/d/colls/c" for documents. */
function ownerPath(pathname) {
  const segments = pathname.split("/").filter((s) => s.length).map(decodeURIComponent);
  // [dbs, d] -> "", [dbs, d, colls] and [dbs, d, colls, c] -> dbs/d, [.., docs(, x)] -> dbs/d/colls/c
  if (segments[0] !== "dbs" || segments.length < 2) return null;
  if (segments.length <= 2) return "";
  if (segments.length <= 4) return `dbs/${segments[1]}`;
  return `dbs/${segments[1]}/colls/${segments[3]}`;
}

function createHandler(getAccount) {
  return (req, res) => {
    const pathname = normalizedPath(req.url);
    if (req.method === "GET" && pathname === "/_continuity/stats") {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(stats));
      return;
    }
    const account = getAccount();
    const [kind, handler, params] = classify(req, pathname);
    const container = containerOf(pathname);
    const isDocumentLevel = DOCS.test(pathname) || DOC.test(pathname);
    count(isDocumentLevel ? container : null, kind);
    (async () => {
      let body;
      try {
        if (handler) {
          body = await handler(account, req, res, params);
        } else {
          const route = routes(req);
          if (route) {
            const [routeParams, routeHandler] = route;
            body = await routeHandler(account, req, res, routeParams);
          } else {
            res.statusCode = 400;
            body = { code: "BadRequest", message: `no route for ${req.method} ${pathname}` };
          }
        }
      } catch (err) {
        if (err.badRequest) {
          res.statusCode = 400;
          body = { code: "BadRequest", message: err.message };
        } else {
          process.stderr.write(`cosmos-server: ${req.method} ${pathname} failed: ${err.stack}\n`);
          res.statusCode = 500;
          body = { code: "InternalServerError", message: err.message };
        }
      }
      if (res.statusCode > 399 && body && !body.message) body.message = "";
      if (body && body._etag && !res.getHeader("etag")) res.setHeader("etag", body._etag);
      // The package's pkranges feed: answers 304 once the client holds its (constant) etag.
      if (kind !== "changeFeed" && header(req, "a-im") && res.statusCode === 200) {
        if (header(req, "if-none-match")) res.statusCode = 304;
        res.setHeader("etag", "1");
      }
      // The SDK names resources by their owner's path (it caches a container's "alt link" from it).
      const owner = ownerPath(pathname);
      if (owner !== null) res.setHeader("x-ms-alt-content-path", owner);
      if (container && isDocumentLevel) {
        const collection = collectionOf(account, params.dbId, params.collId);
        if (collection) res.setHeader("x-ms-content-path", collection.read()._rid);
      }
      res.setHeader("content-type", "application/json");
      res.setHeader("content-location", `${scheme}://${req.headers.host}${req.url}`);
      res.setHeader("x-ms-activity-id", crypto.randomUUID());
      res.setHeader("x-ms-request-charge", "1");
      if (args.verbose) {
        process.stderr.write(`${req.method} ${req.url} ${kind} -> ${res.statusCode}\n`);
      }
      res.end(res.statusCode === 304 || body === null || body === undefined ? "" : JSON.stringify(body));
    })().catch((err) => {
      process.stderr.write(`cosmos-server: ${err.stack}\n`);
      if (!res.writableEnded) {
        res.statusCode = 500;
        res.end("");
      }
    });
  };
}

// ---------------------------------------------------------------------------------------------------
// server

let account;
const handler = createHandler(() => account);
const server = args.http
  ? http.createServer({ keepAlive: true }, handler)
  : https.createServer({
    cert: fs.readFileSync(path.join(packageDir, "cert.pem")),
    key: fs.readFileSync(path.join(packageDir, "key.pem")),
    minVersion: "TLSv1.2",
    keepAlive: true
  }, handler);
// The Java SDK keeps pooled connections for about a minute; do not close them under it.
server.keepAliveTimeout = 120000;
server.headersTimeout = 125000;
server.requestTimeout = 0;

server.on("error", (err) => fail(`cannot listen on ${args.host}:${args.port}: ${err.message}`));
server.listen(args.port, args.host, () => {
  const { port } = server.address();
  account = new Account(args.host, port);
  process.stdout.write(`COSMOS_SERVER_READY port=${port} endpoint=${scheme}://${args.host}:${port}/\n`);
});

function shutdown() {
  server.close();
  server.closeAllConnections();
  process.exit(0);
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
if (args.exitWithStdin) {
  // When the parent process dies its end of our stdin closes: do not outlive it.
  process.stdin.on("end", shutdown);
  process.stdin.on("error", shutdown);
  process.stdin.resume();
}
