export const id = 2167;
export const ids = [2167];
export const modules = {

/***/ 93324:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   io: () => (/* binding */ readBytes),
/* harmony export */   lv: () => (/* binding */ MiB),
/* harmony export */   ty: () => (/* binding */ KiB),
/* harmony export */   yR: () => (/* binding */ readText)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(52639);

const KiB = 1024;
const MiB = 1024 * KiB;
/**
 * Reads a server's answer into memory, but no more than `limit` bytes: a
 * server (hostile or broken) that sends more gets the read stopped and a
 * message naming it, instead of filling the runner's memory.
 */
async function readBytes(body, limit, what) {
    if (body === null || body === undefined)
        return Buffer.alloc(0);
    const chunks = [];
    let size = 0;
    for await (const chunk of body) {
        size += chunk.byteLength;
        if (size > limit) {
            // Leaving the loop cancels the stream, so the rest is never downloaded.
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`${what} sent more than ${formatLimit(limit)}; stopped reading`, {
                hint: 'check that the URL points at the server it should; an answer this large is not what this action expects',
            });
        }
        chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    }
    return Buffer.concat(chunks, size);
}
async function readText(body, limit, what) {
    return (await readBytes(body, limit, what)).toString('utf8');
}
function formatLimit(bytes) {
    return bytes >= MiB ? `${bytes / MiB} MiB` : `${bytes / KiB} KiB`;
}


/***/ }),

/***/ 41289:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   X: () => (/* binding */ mapConcurrently)
/* harmony export */ });
/**
 * `work` over `items` with at most `limit` running at once, results in
 * order. After a failure no new item starts; the first error is thrown once
 * the running ones have ended.
 */
async function mapConcurrently(items, limit, work) {
    const results = new Array(items.length);
    let next = 0;
    let failed;
    const worker = async () => {
        while (next < items.length && failed === undefined) {
            const index = next++;
            try {
                results[index] = await work(items[index]);
            }
            catch (err) {
                failed ??= err;
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    if (failed !== undefined)
        throw failed;
    return results;
}


/***/ }),

/***/ 72316:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   aU: () => (/* binding */ baseUrlFor),
/* harmony export */   hE: () => (/* binding */ tlsProblem),
/* harmony export */   jQ: () => (/* binding */ assertSafeUrl),
/* harmony export */   lU: () => (/* binding */ allowsPlainHttp),
/* harmony export */   tX: () => (/* binding */ httpFetch)
/* harmony export */ });
/* unused harmony exports closeHttpConnections, resetHttpDispatchers */
/* harmony import */ var undici__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(24371);
/* harmony import */ var _closers_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(33265);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(52639);
/* harmony import */ var _network_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(21084);




const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_IDLE_MS = 60_000;
const dispatchers = new Map();
function dispatcherFor(idleMs) {
    let dispatcher = dispatchers.get(idleMs);
    if (dispatcher === undefined) {
        const options = {
            headersTimeout: idleMs,
            bodyTimeout: idleMs,
            connect: { timeout: Math.min(idleMs, 30_000) },
            keepAliveTimeout: 10_000,
        };
        const hasProxy = process.env.HTTPS_PROXY ||
            process.env.https_proxy ||
            process.env.HTTP_PROXY ||
            process.env.http_proxy;
        // EnvHttpProxyAgent reads HTTP(S)_PROXY and NO_PROXY itself; plain Agent
        // avoids its per-request NO_PROXY matching when no proxy is configured.
        dispatcher = hasProxy ? new undici__WEBPACK_IMPORTED_MODULE_0__/* .EnvHttpProxyAgent */ .J2(options) : new undici__WEBPACK_IMPORTED_MODULE_0__/* .Agent */ .g6(options);
        if (dispatchers.size === 0)
            (0,_closers_js__WEBPACK_IMPORTED_MODULE_1__/* .addCloser */ .Y)(closeHttpConnections);
        dispatchers.set(idleMs, dispatcher);
    }
    return dispatcher;
}
/**
 * Ends the kept-alive connections once an action's work is done, so the
 * process exits at once instead of waiting for idle sockets to time out.
 */
async function closeHttpConnections() {
    const open = [...dispatchers.values()];
    dispatchers.clear();
    // close() lets requests still in flight (another run in the same process) finish;
    // a body nobody reads must not hold the exit, hence the bound.
    const closed = Promise.all(open.map((d) => d.close().catch(() => undefined)));
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
}
/** Test hook: the proxy environment is read when a dispatcher is first made. */
function resetHttpDispatchers() {
    for (const d of dispatchers.values())
        void d.close();
    dispatchers.clear();
}
async function httpFetch(url, init = {}) {
    const signals = [];
    if (init.signal)
        signals.push(init.signal);
    if (init.timeoutMs !== 0)
        signals.push(AbortSignal.timeout(init.timeoutMs ?? DEFAULT_TIMEOUT_MS));
    const body = init.body ?? undefined;
    const streaming = body !== undefined &&
        typeof body !== 'string' &&
        !(body instanceof Uint8Array) &&
        Symbol.asyncIterator in Object(body);
    return (0,undici__WEBPACK_IMPORTED_MODULE_0__/* .fetch */ .hd)(url, {
        method: init.method ?? 'GET',
        headers: init.headers,
        body: body,
        ...(streaming ? { duplex: 'half' } : {}),
        redirect: init.redirect ?? 'follow',
        signal: signals.length === 1 ? signals[0] : AbortSignal.any(signals),
        dispatcher: dispatcherFor(init.idleTimeoutMs ?? DEFAULT_IDLE_MS),
    }).catch((err) => {
        // The caller's own cancellation is not a network failure.
        if (init.signal?.aborted)
            throw err;
        // A NetworkError says which server, why and what to check; the retry helper
        // retries it only when another attempt may get through (not DNS "no such
        // host", not a refused certificate).
        throw ((0,_network_js__WEBPACK_IMPORTED_MODULE_3__/* .networkError */ .x6)(err, {
            host: (0,_network_js__WEBPACK_IMPORTED_MODULE_3__/* .hostOf */ .w4)(url),
            ...(init.server === undefined ? {} : { server: init.server }),
            ...(init.input === undefined ? {} : { input: init.input }),
            ...(init.timeoutMs !== 0 ? { timeoutMs: init.timeoutMs ?? DEFAULT_TIMEOUT_MS } : {}),
            idleTimeoutMs: init.idleTimeoutMs ?? DEFAULT_IDLE_MS,
        }) ?? err);
    });
}
/** `host` or `host:port`, lowercased, for comparing against the insecure list. */
function normaliseHost(host) {
    return host.trim().toLowerCase();
}
/**
 * Plain http is allowed only for loopback or a host the user listed; a listed
 * entry without a port matches every port of that host.
 */
function allowsPlainHttp(host, insecureHosts = []) {
    if ((0,_network_js__WEBPACK_IMPORTED_MODULE_3__/* .isLoopbackHost */ .cW)(host))
        return true;
    const wanted = normaliseHost(host);
    const bare = wanted.replace(/:\d+$/, '');
    return insecureHosts.some((entry) => {
        const listed = normaliseHost(entry);
        return listed === wanted || listed === bare;
    });
}
/** The base URL of a host: https unless plain http is allowed for it. */
function baseUrlFor(host, insecureHosts = []) {
    return `${allowsPlainHttp(host, insecureHosts) ? 'http' : 'https'}://${host}`;
}
/**
 * Refuses plain-http URLs a server points us to (a token realm, a redirect, an
 * upload Location) unless that host is allowed: credentials must not leak over
 * an unencrypted hop.
 */
function assertSafeUrl(url, insecureHosts = []) {
    const parsed = new URL(url);
    if (parsed.protocol === 'https:')
        return parsed;
    if (parsed.protocol === 'http:' && allowsPlainHttp(parsed.host, insecureHosts))
        return parsed;
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .yo(`refusing to send a request to ${parsed.origin}: it is not https`, {
        hint: `if this registry really has no TLS, list '${parsed.host}' in the insecure-registries input`,
    });
}

/**
 * When an error (or the cause undici wraps it in) is a refused server
 * certificate or a failed TLS handshake, says so in words with Node's code;
 * otherwise undefined.
 */
function tlsProblem(err) {
    const cause = (0,_network_js__WEBPACK_IMPORTED_MODULE_3__/* .networkCause */ .u6)(err);
    return cause?.kind === 'tls' || cause?.kind === 'not-tls' ? cause.words : undefined;
}


/***/ }),

/***/ 80272:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   F9: () => (/* binding */ HttpStatusError),
/* harmony export */   bD: () => (/* binding */ withRetry),
/* harmony export */   mu: () => (/* binding */ parseRetryAfter),
/* harmony export */   uY: () => (/* binding */ defaultClassify),
/* harmony export */   yy: () => (/* binding */ sleep)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(52639);
/* harmony import */ var _network_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(21084);


const TRANSIENT_CODES = new Set([
    'ECONNRESET',
    'ECONNREFUSED',
    'EPIPE',
    'ETIMEDOUT',
    'EAI_AGAIN',
    'UND_ERR_SOCKET',
    'UND_ERR_CONNECT_TIMEOUT',
    'UND_ERR_HEADERS_TIMEOUT',
    'UND_ERR_BODY_TIMEOUT',
    'UND_ERR_CLOSED',
]);
/** An HTTP failure that carries what retry decisions need. */
class HttpStatusError extends Error {
    status;
    retryAfterMs;
    url;
    constructor(status, url, message, retryAfter) {
        super(message);
        this.name = 'HttpStatusError';
        this.status = status;
        this.url = url;
        this.retryAfterMs = parseRetryAfter(retryAfter ?? null);
    }
}
/** `Retry-After` as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
function parseRetryAfter(value, now = Date.now()) {
    if (value === null || value.trim() === '')
        return undefined;
    const trimmed = value.trim();
    if (/^\d+$/.test(trimmed))
        return Number(trimmed) * 1000;
    const date = Date.parse(trimmed);
    if (Number.isNaN(date))
        return undefined;
    return Math.max(0, date - now);
}
function errorCode(err) {
    let current = err;
    for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
        const code = current.code;
        if (typeof code === 'string')
            return code;
        current = current.cause;
    }
    return undefined;
}
/**
 * Retries 429, 5xx, resets and timeouts; never 4xx such as 401/403/404, a
 * host name that does not resolve, or a refused certificate.
 */
function defaultClassify(err) {
    if (err instanceof HttpStatusError) {
        if (err.status === 429 || err.status === 408 || err.status >= 500) {
            return err.retryAfterMs === undefined
                ? { retry: true }
                : { retry: true, afterMs: err.retryAfterMs };
        }
        return { retry: false };
    }
    if (err instanceof _network_js__WEBPACK_IMPORTED_MODULE_1__/* .NetworkError */ .Dr)
        return err.transient ? { retry: true } : { retry: false };
    if (err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError')) {
        return { retry: true };
    }
    const code = errorCode(err);
    if (code !== undefined && TRANSIENT_CODES.has(code))
        return { retry: true };
    if (err instanceof TypeError &&
        /fetch failed|terminated|other side closed/i.test((0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err))) {
        return { retry: true };
    }
    return { retry: false };
}
function sleep(ms, signal) {
    return new Promise((resolve, reject) => {
        if (signal?.aborted) {
            reject(signal.reason);
            return;
        }
        const timer = setTimeout(() => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
        }, ms);
        const onAbort = () => {
            clearTimeout(timer);
            reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
    });
}
/**
 * Runs `task` until it succeeds, a failure is not retryable, or attempts run out.
 * Backoff is exponential with full jitter; a server's Retry-After wins when it is
 * longer (capped at maxDelayMs so a hostile header cannot stall a job for hours).
 */
async function withRetry(task, options = {}) {
    const attempts = options.attempts ?? 5;
    const base = options.baseDelayMs ?? 500;
    const max = options.maxDelayMs ?? 30_000;
    const classify = options.classify ?? defaultClassify;
    const wait = options.sleep ?? sleep;
    const random = options.random ?? Math.random;
    for (let attempt = 1;; attempt++) {
        try {
            return await task(attempt);
        }
        catch (error) {
            const verdict = classify(error);
            if (!verdict.retry || attempt >= attempts || options.signal?.aborted)
                throw error;
            const backoff = Math.min(max, base * 2 ** (attempt - 1)) * random();
            const delayMs = Math.min(max, Math.max(backoff, verdict.afterMs ?? 0));
            options.onRetry?.({ attempt, delayMs, error });
            await wait(delayMs, options.signal);
        }
    }
}


/***/ }),

/***/ 50808:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Bx: () => (/* binding */ writeLayoutMetadata),
/* harmony export */   T4: () => (/* binding */ readLayout),
/* harmony export */   nD: () => (/* binding */ blobPath),
/* harmony export */   s1: () => (/* binding */ LayoutWriter)
/* harmony export */ });
/* unused harmony exports OCI_LAYOUT_FILE, INDEX_FILE, METADATA_FILE, REF_NAME_ANNOTATION */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(57075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(46466);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(node_stream_promises__WEBPACK_IMPORTED_MODULE_4__);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_5___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_5__);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(52639);
/* harmony import */ var _digest_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(60162);
/* harmony import */ var _media_types_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(9112);









/**
 * An OCI image layout on disk (image-spec `image-layout.md`): `oci-layout`,
 * `index.json`, `blobs/sha256/<hex>`; plus `model-deploy.json`, described below.
 */
const OCI_LAYOUT_FILE = 'oci-layout';
const INDEX_FILE = 'index.json';
const METADATA_FILE = 'model-deploy.json';
/** The index.json annotation that names a tag inside a layout (what `oci:<dir>:<tag>` selects). */
const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';
function blobsDir(root) {
    return (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(root, 'blobs', 'sha256');
}
function blobPath(root, digest) {
    return (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(blobsDir(root), (0,_digest_js__WEBPACK_IMPORTED_MODULE_7__/* .digestHex */ .sU)(digest));
}
/**
 * Writes a layout. Blobs are streamed to a temporary file next to their final
 * place and renamed once their digest is known, so a blob file under its
 * digest name is always complete.
 */
class LayoutWriter {
    root;
    constructor(root) {
        this.root = root;
    }
    /**
     * Starts a layout in `root`: it must be missing, empty, or an earlier layout
     * (which is replaced). Anything else is refused rather than overwritten.
     */
    static async create(root, input = 'output') {
        if ((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(root)) {
            const info = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.stat)(root);
            if (!info.isDirectory()) {
                throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .UserError */ .yo(`input '${input}' points at a file, not a folder: ${root}`, {
                    hint: `give a new or empty folder, e.g. ${input}: \${{ runner.temp }}/layout`,
                });
            }
            const entries = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readdir)(root);
            if (entries.length > 0) {
                if (!entries.includes(OCI_LAYOUT_FILE)) {
                    throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .UserError */ .yo(`input '${input}' is a folder that is not empty and is not an OCI image layout: ${root}`, { hint: 'give an empty or new folder' });
                }
                for (const entry of entries)
                    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(root, entry), { recursive: true, force: true });
            }
        }
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdir)(blobsDir(root), { recursive: true });
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.writeFile)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(root, OCI_LAYOUT_FILE), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
        return new LayoutWriter(root);
    }
    /** Writes into a layout that is already there, keeping what it holds. */
    static open(root) {
        return new LayoutWriter(root);
    }
    /**
     * Streams bytes into a blob, through `transforms` (e.g. a compressor) first;
     * returns the digest and size of what was stored.
     */
    async writeBlob(source, ...transforms) {
        const temporary = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(blobsDir(this.root), `.partial-${(0,node_crypto__WEBPACK_IMPORTED_MODULE_5__.randomBytes)(8).toString('hex')}`);
        const digesting = new _digest_js__WEBPACK_IMPORTED_MODULE_7__/* .DigestingStream */ .Xi();
        try {
            const sink = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.createWriteStream)(temporary);
            await (0,node_stream_promises__WEBPACK_IMPORTED_MODULE_4__.pipeline)([node_stream__WEBPACK_IMPORTED_MODULE_3__.Readable.from(source), ...transforms, digesting, sink]);
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rename)(temporary, blobPath(this.root, digesting.digest));
        }
        catch (err) {
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(temporary, { force: true });
            throw err;
        }
        return { digest: digesting.digest, size: digesting.size };
    }
    async writeBytes(bytes, mediaType) {
        const digest = (0,_digest_js__WEBPACK_IMPORTED_MODULE_7__/* .sha256Digest */ .sI)(bytes);
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.writeFile)(blobPath(this.root, digest), bytes);
        return { mediaType, digest, size: bytes.length };
    }
    /**
     * JSON blobs (configs, manifests) are written compactly in the key order the
     * caller built them in, so the same inputs give the same bytes and digest.
     */
    async writeJson(mediaType, value, annotations) {
        const descriptor = await this.writeBytes(Buffer.from(JSON.stringify(value)), mediaType);
        if (annotations !== undefined && Object.keys(annotations).length > 0)
            descriptor.annotations = annotations;
        return descriptor;
    }
    /** Writes index.json pointing at the top manifest or index, under `tag`. */
    async writeIndex(top, tag) {
        const index = {
            schemaVersion: 2,
            mediaType: _media_types_js__WEBPACK_IMPORTED_MODULE_8__/* .MediaType */ .zu.ociIndex,
            manifests: [{ ...top, annotations: { ...top.annotations, [REF_NAME_ANNOTATION]: tag } }],
        };
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.writeFile)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(this.root, INDEX_FILE), JSON.stringify(index, null, 2));
    }
    async writeMetadata(metadata) {
        await writeLayoutMetadata(this.root, metadata);
    }
}
/** Writes model-deploy.json, also next to a layout another tool wrote. */
async function writeLayoutMetadata(root, metadata) {
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.writeFile)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(root, METADATA_FILE), JSON.stringify(metadata, null, 2) + '\n');
}
/** index.json and its entry for the tag (the only or first one without a tag). */
async function readTop(root, tag, problem) {
    if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(root, OCI_LAYOUT_FILE)))
        throw problem(`it has no ${OCI_LAYOUT_FILE} file`);
    let index;
    try {
        index = JSON.parse(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readFile)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(root, INDEX_FILE), 'utf8'));
    }
    catch (err) {
        throw problem(`${INDEX_FILE} cannot be read: ${err.message}`);
    }
    if (!Array.isArray(index.manifests) || index.manifests.length === 0) {
        throw problem(`${INDEX_FILE} lists no manifests`);
    }
    if (tag === undefined)
        return { index, top: index.manifests[0] };
    const top = index.manifests.find((m) => m.annotations?.[REF_NAME_ANNOTATION] === tag);
    if (top === undefined)
        throw problem(`${INDEX_FILE} has no image tagged '${tag}'`);
    return { index, top };
}
/** model-deploy.json, when there, and the external blobs it lists that blobs/ lacks. */
async function readMetadata(root, problem) {
    let metadata;
    if ((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(root, METADATA_FILE))) {
        try {
            metadata = JSON.parse(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readFile)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(root, METADATA_FILE), 'utf8'));
        }
        catch (err) {
            throw problem(`${METADATA_FILE} cannot be read: ${err.message}`);
        }
    }
    const externalBlobs = new Map();
    for (const [digest, blob] of Object.entries(metadata?.externalBlobs ?? {})) {
        if (!(0,_digest_js__WEBPACK_IMPORTED_MODULE_7__/* .isDigest */ .Bc)(digest))
            throw problem(`${METADATA_FILE} lists '${digest}', which is not a digest`);
        if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(blobPath(root, digest)))
            externalBlobs.set(digest, blob);
    }
    return { metadata, externalBlobs };
}
async function visitDescriptor(walk, descriptor) {
    const { problem } = walk;
    if (!(0,_digest_js__WEBPACK_IMPORTED_MODULE_7__/* .isDigest */ .Bc)(descriptor.digest))
        throw problem(`'${descriptor.digest}' is not a digest`);
    if (walk.manifests.has(descriptor.digest))
        return;
    if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(blobPath(walk.root, descriptor.digest)))
        throw problem(`manifest ${descriptor.digest} is missing from blobs/`);
    const bytes = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readFile)(blobPath(walk.root, descriptor.digest));
    if ((0,_digest_js__WEBPACK_IMPORTED_MODULE_7__/* .sha256Digest */ .sI)(bytes) !== descriptor.digest) {
        throw problem(`blob ${descriptor.digest} does not match its digest (the layout was altered)`);
    }
    const parsed = JSON.parse(bytes.toString('utf8'));
    walk.manifests.set(descriptor.digest, parsed);
    const mediaType = descriptor.mediaType ?? parsed.mediaType;
    if ((0,_media_types_js__WEBPACK_IMPORTED_MODULE_8__/* .isIndexMediaType */ .$$)(mediaType) || 'manifests' in parsed) {
        for (const child of parsed.manifests)
            await visitDescriptor(walk, child);
        return;
    }
    if (!(0,_media_types_js__WEBPACK_IMPORTED_MODULE_8__/* .isManifestMediaType */ .CM)(mediaType) && !('config' in parsed)) {
        throw problem(`${descriptor.digest} has media type '${mediaType}', not a manifest or index`);
    }
    addManifestBlobs(walk, parsed);
}
function addManifestBlobs(walk, manifest) {
    for (const blob of [manifest.config, ...manifest.layers]) {
        if (!(0,_digest_js__WEBPACK_IMPORTED_MODULE_7__/* .isDigest */ .Bc)(blob.digest))
            throw walk.problem(`'${blob.digest}' is not a digest`);
        if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(blobPath(walk.root, blob.digest)) && !walk.externalBlobs.has(blob.digest)) {
            throw walk.problem(`blob ${blob.digest} is neither in blobs/ nor listed as external in ${METADATA_FILE}`);
        }
        if (!walk.seenBlobs.has(blob.digest)) {
            walk.seenBlobs.add(blob.digest);
            walk.blobs.push(blob);
        }
    }
}
/**
 * Reads and checks a layout: every blob a manifest references is either in
 * blobs/ or recorded in model-deploy.json as external, else the layout is refused.
 * `tag` picks an index.json entry by ref.name; by default the only (or first) one.
 */
async function readLayout(root, options = {}) {
    const input = options.input ?? 'layout';
    const problem = (message) => new _common_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .UserError */ .yo(`input '${input}' (${root}) is not a usable OCI image layout: ${message}`, {
        hint: 'pass the layout output of the package action',
    });
    const { index, top } = await readTop(root, options.tag, problem);
    const { metadata, externalBlobs } = await readMetadata(root, problem);
    const walk = {
        root,
        problem,
        externalBlobs,
        manifests: new Map(),
        blobs: [],
        seenBlobs: new Set(),
    };
    await visitDescriptor(walk, top);
    return {
        root,
        index,
        top,
        tag: top.annotations?.[REF_NAME_ANNOTATION],
        manifests: walk.manifests,
        blobs: walk.blobs,
        externalBlobs,
        metadata,
        hasBlob: (digest) => (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(blobPath(root, digest)),
        blobPath: (digest) => blobPath(root, digest),
        openBlob: (digest) => (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.createReadStream)(blobPath(root, digest), { highWaterMark: 1 << 20 }),
        readBlob: (digest) => (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readFile)(blobPath(root, digest)),
    };
}


/***/ })

};
