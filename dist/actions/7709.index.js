export const id = 7709;
export const ids = [7709];
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

/***/ 63429:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $k: () => (/* binding */ apiServerDenial),
/* harmony export */   BX: () => (/* binding */ describeDenied),
/* harmony export */   Tm: () => (/* binding */ parseDenied),
/* harmony export */   _s: () => (/* binding */ grantHint),
/* harmony export */   cc: () => (/* binding */ PERMISSIONS_DOC),
/* harmony export */   oy: () => (/* binding */ ProxyAccessDenied)
/* harmony export */ });
/* unused harmony export resourceInGroup */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(52639);

/** Where the permissions deploy and smoke-test need are written, for the hint. */
const PERMISSIONS_DOC = "docs/rbac/deployer-role.yaml in model-deploy (README: 'Kubernetes permissions') lists every permission deploy and smoke-test need";
const DENIED = /User "((?:[^"\\]|\\.)*)" cannot (\S+) resource "([^"]+)" in API group "([^"]*)" (?:in the namespace "([^"]+)"|at the cluster scope)(?::\s*(.*))?$/s;
/** The denial in an API server's Status message, when it is one (not, say, a quota's 403). */
function parseDenied(message) {
    const match = DENIED.exec(message);
    if (!match)
        return undefined;
    const [, user = '', verb = '', resource = '', group = '', namespace, reason] = match;
    return {
        user: user.replace(/\\(.)/g, '$1'),
        verb,
        resource,
        group,
        ...(namespace ? { namespace } : {}),
        ...(reason?.trim() ? { reason: reason.trim() } : {}),
    };
}
/** `deployments in API group "apps"`, `pods in the core API group`. */
function resourceInGroup(d) {
    return d.group === ''
        ? `${d.resource} in the core API group`
        : `${d.resource} in API group "${d.group}"`;
}
/** One line: who may not do what, where (and the authorizer's own reason). */
function describeDenied(d) {
    const where = d.namespace ? `in namespace ${d.namespace}` : 'at the cluster scope';
    return (`${d.user} may not ${d.verb} ${resourceInGroup(d)} ${where}` +
        (d.reason ? ` (${d.reason})` : ''));
}
/** What to grant, as the RBAC rule to add, and how an admin checks it. */
function grantHint(d) {
    const [resource, subresource] = d.resource.split('/', 2);
    const rule = `{apiGroups: ["${d.group}"], resources: ["${d.resource}"], verbs: ["${d.verb}"]}`;
    const binding = d.namespace
        ? `a Role (or ClusterRole) bound to ${d.user} or its group by a RoleBinding in namespace ${d.namespace}`
        : `a ClusterRole bound to ${d.user} or its group by a ClusterRoleBinding`;
    const target = `${resource}${d.group ? `.${d.group}` : ''}`;
    const check = `kubectl auth can-i ${d.verb} ${target}` +
        (subresource ? ` --subresource=${subresource}` : '') +
        (d.namespace ? ` -n ${d.namespace}` : '') +
        ` --as ${d.user}`;
    return `grant verb ${d.verb} on ${resourceInGroup(d)}: add the rule ${rule} to ${binding} (check with: ${check}); ${PERMISSIONS_DOC}`;
}
/**
 * The API server itself refused a request it would have proxied (the
 * service proxy needs its own permission): not the model server's answer.
 */
class ProxyAccessDenied extends _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo {
    denied;
    constructor(what, denied) {
        super(`${what}: forbidden by the cluster: ${describeDenied(denied)}`, {
            hint: grantHint(denied),
        });
        this.name = 'ProxyAccessDenied';
        this.denied = denied;
    }
}
/**
 * The denial in a 403 body when the API server wrote it (a `Status` whose
 * reason is `Forbidden` and whose message is an authorizer's), else
 * undefined: a model server behind the proxy answering 403 is its own answer.
 */
function apiServerDenial(body) {
    let status;
    try {
        status = JSON.parse(body);
    }
    catch {
        return undefined;
    }
    if (status?.kind !== 'Status' || status.reason !== 'Forbidden')
        return undefined;
    return typeof status.message === 'string' ? parseDenied(status.message) : undefined;
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

/***/ 87709:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Z: () => (/* binding */ smokeTestEndpoint)
});

// EXTERNAL MODULE: ./shared/common/errors.ts
var common_errors = __webpack_require__(52639);
// EXTERNAL MODULE: ./node_modules/undici/index.js
var undici = __webpack_require__(24371);
// EXTERNAL MODULE: ./shared/common/kube-forbidden.ts
var kube_forbidden = __webpack_require__(63429);
// EXTERNAL MODULE: ./shared/common/network.ts
var network = __webpack_require__(21084);
// EXTERNAL MODULE: ./shared/common/bounded-body.ts
var bounded_body = __webpack_require__(93324);
;// CONCATENATED MODULE: ./shared/smoke/transport.ts
/** The status words of HTTP, as the REST protocols have always been reported. */
const HTTP_STATUS = {
    isSuccess: (status) => status >= 200 && status < 300,
    describeStatus: (status) => String(status),
    describeCall: (request) => `${request.method} ${request.path}`,
    isTransient: (status) => status >= 500 || status === 429,
    isServerFault: (status) => status >= 500,
};
/** A status with its kind, for counts and examples: `HTTP 503`, or `gRPC UNAVAILABLE`. */
function statusLabel(transport, status) {
    return `${transport.kind === 'grpc' ? 'gRPC' : 'HTTP'} ${transport.describeStatus(status)}`;
}

// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(77030);
// EXTERNAL MODULE: external "node:tls"
var external_node_tls_ = __webpack_require__(41692);
;// CONCATENATED MODULE: ./shared/smoke/load-connections.ts


/**
 * The load phase's HTTP/1.1 client: a fixed set of keep-alive connections
 * that send one request, serialized once, over and over, and read back only
 * the status. A general client (undici) spends most of a request's cost on
 * what the load phase throws away: header objects, body chunks, handler
 * calls. Here a response is parsed in place, byte by byte, from the socket's
 * read buffer, and only its framing (status, content-length, chunked,
 * connection) is looked at. One request in flight per connection, as the
 * closed-loop generator needs.
 *
 * Failures keep the codes undici gives the same failures (UND_ERR_SOCKET,
 * UND_ERR_HEADERS_TIMEOUT, HPE_…), so the load report reads as it always has.
 * Nothing the server sent is ever put in a message.
 */
/** The most a response's status line and headers (or its trailers) may take. */
const MAX_HEAD_BYTES = 64 * 1024;
/** A chunk-size line, with any extensions. */
const MAX_CHUNK_LINE_BYTES = 4 * 1024;
/** Bytes read from a plain TCP socket at a time, into one buffer reused for every read. */
const READ_BUFFER_BYTES = 64 * 1024;
class LoadRequestError extends Error {
    code;
    constructor(code, message) {
        super(message);
        this.name = 'LoadRequestError';
        this.code = code;
    }
}
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Field values: visible latin-1 and tabs, no CR, LF or NUL. */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** Set from the request itself, never copied from the caller's headers. */
const FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'host']);
/**
 * Serializes a request once. Header values are checked, never echoed: they
 * may carry a token.
 */
function serializeRequest(origin, request) {
    const url = new URL(origin);
    if (!TOKEN.test(request.method))
        throw new Error(`method ${request.method} is not an HTTP token`);
    if (!/^\/[\x21-\xff]*$/.test(request.path)) {
        throw new Error(`path ${JSON.stringify(request.path)} must start with / and hold no spaces`);
    }
    let host = url.host;
    let head = `${request.method} ${request.path} HTTP/1.1\r\n`;
    let fields = '';
    for (const [name, value] of Object.entries(request.headers)) {
        if (!TOKEN.test(name))
            throw new Error(`header name ${JSON.stringify(name)} is not allowed`);
        if (!FIELD_VALUE.test(value)) {
            throw new Error(`header ${name} has a value with a character HTTP does not allow`);
        }
        const lower = name.toLowerCase();
        if (lower === 'host')
            host = value;
        if (FRAMING_HEADERS.has(lower))
            continue;
        fields += `${name}: ${value}\r\n`;
    }
    head += `host: ${host}\r\n${fields}`;
    const body = request.body;
    if (body !== undefined || /^(POST|PUT|PATCH)$/.test(request.method)) {
        head += `content-length: ${body?.length ?? 0}\r\n`;
    }
    head += '\r\n';
    const headBytes = Buffer.from(head, 'latin1');
    return {
        bytes: body === undefined ? headBytes : Buffer.concat([headBytes, body]),
        head: request.method === 'HEAD',
    };
}
/** A fixed number of keep-alive connections to one origin; requests beyond them wait their turn. */
class LoadConnections {
    origin;
    server;
    timeoutMs;
    secure;
    host;
    port;
    tls;
    /** Shared by every plain TCP read: each read is parsed before the next one lands. */
    readBuffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
    /** Advanced by the sweep; a connection notes it whenever bytes arrive. */
    tick = 0;
    period;
    connections = [];
    idle = [];
    waiting = [];
    sweeper;
    closed = false;
    constructor(options) {
        const url = new URL(options.origin);
        this.origin = url.origin;
        this.server = options.server;
        this.timeoutMs = options.timeoutMs;
        this.secure = url.protocol === 'https:';
        this.host = url.hostname.replace(/^\[(.*)\]$/, '$1');
        this.port = url.port === '' ? (this.secure ? 443 : 80) : Number(url.port);
        this.tls = this.secure ? { ...options.tls } : undefined;
        if (this.tls && this.tls.servername === undefined && (0,external_node_net_.isIP)(this.host) === 0) {
            this.tls.servername = this.host;
        }
        // Deadlines are checked by one coarse sweep rather than a timer per
        // request: a timeout fires between timeoutMs and timeoutMs + 2 periods.
        this.period = Math.min(1000, Math.max(5, Math.floor(options.timeoutMs / 8)));
        for (let i = 0; i < Math.max(1, options.connections); i++) {
            const connection = new Connection(this);
            this.connections.push(connection);
            this.idle.push(connection);
        }
    }
    /** Sends the request on a free connection (or the next one to free up); resolves with the status. */
    status(request) {
        return new Promise((resolve, reject) => this.dispatch(request, resolve, reject));
    }
    dispatch(request, resolve, reject) {
        if (this.closed) {
            reject(new LoadRequestError('UND_ERR_CLOSED', `the client to ${this.origin} is closed`));
            return;
        }
        if (this.sweeper === undefined) {
            this.sweeper = setInterval(() => this.sweep(), this.period);
            this.sweeper.unref();
        }
        const connection = this.idle.pop();
        if (connection === undefined)
            this.waiting.push({ request, resolve, reject });
        else
            connection.start(request, resolve, reject);
    }
    /** A connection is free again: it takes the next waiting request, or waits itself. */
    release(connection) {
        if (this.closed)
            return;
        const next = this.waiting.shift();
        if (next === undefined)
            this.idle.push(connection);
        else
            connection.start(next.request, next.resolve, next.reject);
    }
    sweep() {
        this.tick++;
        const limit = this.timeoutMs;
        for (const connection of this.connections) {
            // `seen` was noted some time during its tick: a full tick less is a lower bound.
            if (connection.busy && (this.tick - connection.seen - 1) * this.period >= limit) {
                connection.timeOut();
            }
        }
    }
    describeWait() {
        const ms = this.timeoutMs;
        return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
    }
    async close() {
        if (this.closed)
            return;
        this.closed = true;
        if (this.sweeper !== undefined)
            clearInterval(this.sweeper);
        const closing = new LoadRequestError('UND_ERR_CLOSED', `the client to ${this.origin} closed`);
        for (const connection of this.connections)
            connection.close(closing);
        const waiting = this.waiting;
        this.waiting = [];
        for (const w of waiting)
            w.reject(closing);
    }
}
// Where a connection is in the answer it reads.
const IDLE = 0;
const STATUS_LINE = 1;
const HEADER_LINE = 2;
const BODY = 3;
const CHUNK_SIZE = 4;
const CHUNK_DATA = 5;
const CHUNK_END = 6;
const TRAILER_LINE = 7;
const UNTIL_CLOSE = 8;
const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const HT = 0x09;
const COLON = 0x3a;
const HTTP_1_ = Buffer.from('HTTP/1.', 'latin1');
const CONTENT_LENGTH = Buffer.from('content-length', 'latin1');
const TRANSFER_ENCODING = Buffer.from('transfer-encoding', 'latin1');
const CONNECTION = Buffer.from('connection', 'latin1');
function sameName(b, start, name) {
    for (let i = 0; i < name.length; i++) {
        let c = b[start + i];
        if (c >= 0x41 && c <= 0x5a)
            c |= 0x20;
        if (c !== name[i])
            return false;
    }
    return true;
}
function isDigit(c) {
    return c !== undefined && c >= 0x30 && c <= 0x39;
}
function hexValue(c) {
    if (c >= 0x30 && c <= 0x39)
        return c - 0x30;
    const lower = c | 0x20;
    if (lower >= 0x61 && lower <= 0x66)
        return lower - 0x61 + 10;
    return -1;
}
class Connection {
    busy = false;
    seen = 0;
    pool;
    socket;
    connected = false;
    resolve;
    reject;
    head = false;
    state = IDLE;
    received = false;
    statusCode = 0;
    http11 = true;
    contentLength = -1;
    chunked = false;
    otherCoding = false;
    closeHeader = false;
    keepAliveHeader = false;
    /** Bytes of the current head (or trailer section), against MAX_HEAD_BYTES. */
    headBytes = 0;
    remaining = 0;
    /** A line that arrived in pieces, copied out of the read buffer. */
    partial = Buffer.allocUnsafe(256);
    partialLength = 0;
    constructor(pool) {
        this.pool = pool;
    }
    start(request, resolve, reject) {
        this.busy = true;
        this.resolve = resolve;
        this.reject = reject;
        this.head = request.head;
        this.received = false;
        this.seen = this.pool.tick;
        this.headBytes = 0;
        this.beginResponse();
        (this.socket ?? this.open()).write(request.bytes);
    }
    beginResponse() {
        this.state = STATUS_LINE;
        this.statusCode = 0;
        this.contentLength = -1;
        this.chunked = false;
        this.otherCoding = false;
        this.closeHeader = false;
        this.keepAliveHeader = false;
        this.partialLength = 0;
    }
    open() {
        const pool = this.pool;
        this.connected = false;
        let socket;
        if (pool.tls !== undefined) {
            socket = (0,external_node_tls_.connect)({
                ...pool.tls,
                host: pool.host,
                port: pool.port,
                ALPNProtocols: ['http/1.1'],
            });
            socket.on('secureConnect', () => {
                if (socket === this.socket)
                    this.connected = true;
            });
            socket.on('data', (chunk) => {
                if (socket === this.socket)
                    this.read(chunk, 0, chunk.length);
            });
        }
        else {
            socket = (0,external_node_net_.connect)({
                host: pool.host,
                port: pool.port,
                onread: {
                    buffer: pool.readBuffer,
                    callback: (length, buffer) => {
                        if (socket === this.socket)
                            this.read(buffer, 0, length);
                        return true;
                    },
                },
            });
            socket.on('connect', () => {
                if (socket === this.socket)
                    this.connected = true;
            });
        }
        socket.setNoDelay(true);
        socket.on('error', (error) => {
            if (socket !== this.socket)
                return;
            if (this.busy)
                this.fail(error);
            else
                this.drop();
        });
        socket.on('close', () => {
            if (socket !== this.socket)
                return;
            this.socket = undefined;
            if (!this.busy)
                return;
            if (this.state === UNTIL_CLOSE)
                this.complete();
            else {
                this.fail(new LoadRequestError('UND_ERR_SOCKET', this.received
                    ? `the ${pool.server} at ${pool.origin} closed the connection part way through its answer`
                    : `the ${pool.server} at ${pool.origin} closed the connection before answering`));
            }
        });
        this.socket = socket;
        return socket;
    }
    /** Bytes from the server: buffer[start, end). The buffer may be reused once this returns. */
    read(buffer, start, end) {
        this.seen = this.pool.tick;
        if (!this.busy) {
            // An answer nobody asked for: this connection can no longer be trusted.
            this.drop();
            return;
        }
        this.received = true;
        let at = start;
        while (at < end) {
            const state = this.state;
            if (state === BODY || state === CHUNK_DATA) {
                const n = Math.min(end - at, this.remaining);
                this.remaining -= n;
                at += n;
                if (this.remaining > 0)
                    return;
                if (state === CHUNK_DATA)
                    this.state = CHUNK_END;
                else {
                    this.complete(at < end);
                    return;
                }
                continue;
            }
            if (state === UNTIL_CLOSE)
                return;
            // A line: find its end, in this read or after the piece kept from earlier ones.
            // Bounded by hand: past `end`, the shared read buffer holds older reads.
            let lf = at;
            while (lf < end && buffer[lf] !== LF)
                lf++;
            if (lf === end) {
                this.keep(buffer, at, end);
                return;
            }
            let line = buffer;
            let lineStart = at;
            let lineEnd = lf;
            if (this.partialLength > 0) {
                this.keep(buffer, at, lf);
                if (this.state === IDLE)
                    return; // the piece was too long and failed the request
                line = this.partial;
                lineStart = 0;
                lineEnd = this.partialLength;
                this.partialLength = 0;
            }
            else if (!this.count(lf + 1 - at))
                return;
            at = lf + 1;
            if (lineEnd > lineStart && line[lineEnd - 1] === CR)
                lineEnd--;
            if (!this.line(line, lineStart, lineEnd))
                return;
            if (this.state === IDLE) {
                // The answer ended with this line.
                this.complete(at < end);
                return;
            }
        }
    }
    /** Counts bytes of a line against its section's limit; false when the request failed. */
    count(bytes) {
        const state = this.state;
        if (state === CHUNK_SIZE || state === CHUNK_END) {
            if (this.partialLength + bytes <= MAX_CHUNK_LINE_BYTES)
                return true;
            this.fail(this.malformed('HPE_INVALID_CHUNK_SIZE', 'a chunk-size line that is too long'));
            return false;
        }
        this.headBytes += bytes;
        if (this.headBytes <= MAX_HEAD_BYTES)
            return true;
        this.fail(new LoadRequestError('HPE_HEADER_OVERFLOW', `the ${this.pool.server} at ${this.pool.origin} sent ${state === TRAILER_LINE ? 'trailers' : 'a header section'} over ${MAX_HEAD_BYTES / 1024} KiB`));
        return false;
    }
    /** Keeps the start of a line that ends in a later read. */
    keep(buffer, start, end) {
        const n = end - start;
        if (!this.count(n))
            return;
        const needed = this.partialLength + n;
        if (needed > this.partial.length) {
            const grown = Buffer.allocUnsafe(Math.max(needed, this.partial.length * 2));
            this.partial.copy(grown, 0, 0, this.partialLength);
            this.partial = grown;
        }
        buffer.copy(this.partial, this.partialLength, start, end);
        this.partialLength = needed;
    }
    /** One line of the answer, without its CRLF; false when the request failed. */
    line(b, start, end) {
        switch (this.state) {
            case STATUS_LINE:
                return this.statusLine(b, start, end);
            case HEADER_LINE:
                return start === end ? this.endOfHead() : this.headerLine(b, start, end);
            case CHUNK_SIZE:
                return this.chunkSize(b, start, end);
            case CHUNK_END:
                if (start !== end) {
                    this.fail(this.malformed('HPE_INVALID_CHUNK_SIZE', 'a chunk not ended by CRLF'));
                    return false;
                }
                this.state = CHUNK_SIZE;
                return true;
            case TRAILER_LINE:
                if (start === end)
                    this.state = IDLE;
                return true;
            default:
                return true;
        }
    }
    statusLine(b, start, end) {
        // HTTP/1.x SSS[ reason]
        const minor = b[start + 7];
        const valid = end - start >= 12 &&
            b.compare(HTTP_1_, 0, 7, start, start + 7) === 0 &&
            (minor === 0x30 || minor === 0x31) &&
            b[start + 8] === SP &&
            isDigit(b[start + 9]) &&
            isDigit(b[start + 10]) &&
            isDigit(b[start + 11]) &&
            (end - start === 12 || b[start + 12] === SP) &&
            b[start + 9] !== 0x30;
        if (!valid) {
            this.fail(this.malformed('HPE_INVALID_STATUS', 'a malformed status line'));
            return false;
        }
        this.http11 = minor === 0x31;
        this.statusCode =
            (b[start + 9] - 0x30) * 100 +
                (b[start + 10] - 0x30) * 10 +
                (b[start + 11] - 0x30);
        this.state = HEADER_LINE;
        return true;
    }
    headerLine(b, start, end) {
        const colon = b.indexOf(COLON, start);
        const first = b[start];
        if (colon <= start ||
            colon >= end ||
            first === SP ||
            first === HT ||
            b[colon - 1] === SP ||
            b[colon - 1] === HT) {
            this.fail(this.malformed('HPE_INVALID_HEADER_TOKEN', 'a malformed header line'));
            return false;
        }
        const nameLength = colon - start;
        if (nameLength !== CONTENT_LENGTH.length &&
            nameLength !== TRANSFER_ENCODING.length &&
            nameLength !== CONNECTION.length) {
            return true;
        }
        let valueStart = colon + 1;
        let valueEnd = end;
        while (valueStart < valueEnd && (b[valueStart] === SP || b[valueStart] === HT))
            valueStart++;
        while (valueEnd > valueStart && (b[valueEnd - 1] === SP || b[valueEnd - 1] === HT))
            valueEnd--;
        if (nameLength === CONTENT_LENGTH.length && sameName(b, start, CONTENT_LENGTH)) {
            let length = 0;
            for (let i = valueStart; i < valueEnd; i++) {
                const c = b[i];
                if (!isDigit(c) || i - valueStart >= 15) {
                    length = -1;
                    break;
                }
                length = length * 10 + (c - 0x30);
            }
            if (valueStart === valueEnd ||
                length < 0 ||
                (this.contentLength >= 0 && this.contentLength !== length)) {
                this.fail(this.malformed('HPE_INVALID_CONTENT_LENGTH', 'an invalid content-length'));
                return false;
            }
            this.contentLength = length;
        }
        else if (nameLength === TRANSFER_ENCODING.length && sameName(b, start, TRANSFER_ENCODING)) {
            const codings = b.toString('latin1', valueStart, valueEnd).toLowerCase().split(',');
            const last = codings[codings.length - 1]?.trim();
            this.chunked = last === 'chunked';
            this.otherCoding = !this.chunked;
        }
        else if (nameLength === CONNECTION.length && sameName(b, start, CONNECTION)) {
            for (const option of b.toString('latin1', valueStart, valueEnd).toLowerCase().split(',')) {
                const token = option.trim();
                if (token === 'close')
                    this.closeHeader = true;
                else if (token === 'keep-alive')
                    this.keepAliveHeader = true;
            }
        }
        return true;
    }
    endOfHead() {
        const status = this.statusCode;
        if (status < 200) {
            if (status === 101) {
                this.fail(this.malformed('HPE_UNEXPECTED_UPGRADE', 'a protocol switch (101)'));
                return false;
            }
            // An interim answer (100 Continue, 103 Early Hints): the real one follows.
            // Its bytes still count, so endless interim answers end in an overflow.
            this.beginResponse();
            return true;
        }
        if (this.head || status === 204 || status === 304)
            this.state = IDLE;
        else if (this.chunked) {
            this.state = CHUNK_SIZE;
        }
        else if (this.otherCoding || this.contentLength < 0) {
            // No length: the body runs until the server closes the connection.
            this.state = UNTIL_CLOSE;
        }
        else if (this.contentLength === 0)
            this.state = IDLE;
        else {
            this.remaining = this.contentLength;
            this.state = BODY;
        }
        return true;
    }
    chunkSize(b, start, end) {
        let size = 0;
        let i = start;
        for (; i < end; i++) {
            const v = hexValue(b[i]);
            if (v < 0)
                break;
            if (i - start >= 13)
                i = end + 1; // over 2^52: no such chunk
            size = size * 16 + v;
        }
        const next = b[i];
        if (i === start || i > end || (i < end && next !== 0x3b && next !== SP && next !== HT)) {
            this.fail(this.malformed('HPE_INVALID_CHUNK_SIZE', 'a malformed chunk size'));
            return false;
        }
        if (size === 0) {
            this.headBytes = 0;
            this.state = TRAILER_LINE;
        }
        else {
            this.remaining = size;
            this.state = CHUNK_DATA;
        }
        return true;
    }
    malformed(code, what) {
        return new LoadRequestError(code, `the ${this.pool.server} at ${this.pool.origin} answered with ${what}; the connection was closed`);
    }
    /** The answer is complete: the status goes to the caller, the connection to the next request. */
    complete(extra = false) {
        const resolve = this.resolve;
        const status = this.statusCode;
        const keepAlive = this.http11 ? !this.closeHeader : this.keepAliveHeader && !this.closeHeader;
        this.settle();
        // Bytes past the answer, with one request in flight, are bytes nobody asked for.
        if (!keepAlive || extra || this.state === UNTIL_CLOSE)
            this.drop();
        this.state = IDLE;
        this.pool.release(this);
        resolve(status);
    }
    fail(error) {
        const reject = this.reject;
        this.settle();
        this.state = IDLE;
        this.drop();
        this.pool.release(this);
        reject(error);
    }
    settle() {
        this.busy = false;
        this.resolve = undefined;
        this.reject = undefined;
        this.partialLength = 0;
    }
    timeOut() {
        const { server, origin } = this.pool;
        const wait = this.pool.describeWait();
        if (!this.connected) {
            this.fail(new LoadRequestError('UND_ERR_CONNECT_TIMEOUT', `connecting to the ${server} at ${origin} took longer than ${wait}`));
        }
        else if (this.state === STATUS_LINE || this.state === HEADER_LINE) {
            this.fail(new LoadRequestError('UND_ERR_HEADERS_TIMEOUT', `the ${server} at ${origin} sent no answer within ${wait}`));
        }
        else {
            this.fail(new LoadRequestError('UND_ERR_BODY_TIMEOUT', `the ${server} at ${origin} stopped part way through its answer for ${wait}`));
        }
    }
    drop() {
        const socket = this.socket;
        this.socket = undefined;
        this.connected = false;
        socket?.destroy();
    }
    close(error) {
        if (this.busy)
            this.fail(error);
        else
            this.drop();
    }
}

;// CONCATENATED MODULE: ./shared/smoke/http-client.ts






/** The largest answer a check reads into memory (a model's outputs, as JSON). */
const MAX_ANSWER_BYTES = 64 * bounded_body/* MiB */.lv;
/**
 * One keep-alive connection pool to the model server, shared by the checks
 * and the load phase. undici's dispatcher API is used directly rather than
 * fetch: it skips the WHATWG stream and Headers machinery, which is most of a
 * request's cost when the server answers in microseconds.
 */
class SmokeClient {
    kind = 'http';
    isSuccess = HTTP_STATUS.isSuccess;
    describeStatus = HTTP_STATUS.describeStatus;
    describeCall = HTTP_STATUS.describeCall;
    isTransient = HTTP_STATUS.isTransient;
    isServerFault = HTTP_STATUS.isServerFault;
    dispatcher;
    /** The load phase's own connections, straight to the origin; undefined behind a proxy or the API server's. */
    load;
    /** scheme://host:port, to name the server in messages. */
    origin;
    prefix;
    headers;
    timeoutMs;
    /** Who answers at the origin, for a message when it cannot be reached. */
    peer;
    viaApiServer;
    constructor(endpoint, options) {
        const url = new URL(endpoint.baseUrl);
        this.origin = url.origin;
        this.prefix = url.pathname.replace(/\/+$/, '');
        this.headers = { ...endpoint.headers };
        this.timeoutMs = options.timeoutMs;
        this.viaApiServer = endpoint.viaApiServer === true;
        this.peer = {
            host: url.host,
            server: endpoint.server ?? 'model server',
            ...(endpoint.input === undefined ? {} : { input: endpoint.input }),
            idleTimeoutMs: options.timeoutMs,
        };
        const tls = endpoint.tls ?? {};
        const common = {
            connections: options.connections,
            pipelining: 1,
            keepAliveTimeout: 30_000,
            connect: { ...tls, timeout: options.timeoutMs },
        };
        // With a proxy configured, EnvHttpProxyAgent honours HTTPS_PROXY / HTTP_PROXY / NO_PROXY.
        // Without one, a Pool straight to the origin: the agent would parse the origin URL on
        // every request, a measurable share of the load generator's ceiling.
        const proxied = proxyConfigured();
        this.dispatcher = proxied
            ? new undici/* EnvHttpProxyAgent */.J2({ ...common, requestTls: { ...tls } })
            : new undici/* Pool */.bC(this.origin, common);
        // Through the API server's service proxy (kube-apiserver v1.35.4) the
        // load connections saw 1 to 3 answers in 1,000 cut off after their
        // headers: the API server's proxy dropped its connection to the pod
        // part way ("ReverseProxy read error during body copy: use of closed
        // network connection" in its log). undici's connections saw none in
        // 11,000 of the same requests, nor did the load connections straight to
        // the pod or behind a plain Go reverse proxy. Until the cause is known,
        // the load phase through the API server goes over undici.
        this.load =
            proxied || this.viaApiServer
                ? undefined
                : new LoadConnections({
                    origin: this.origin,
                    server: this.peer.server ?? 'model server',
                    connections: options.connections,
                    timeoutMs: options.timeoutMs,
                    tls,
                });
    }
    url(path) {
        return this.origin + this.prefix + path;
    }
    options(request) {
        const headers = { ...this.headers, ...request.headers };
        if (request.body !== undefined && !hasHeader(headers, 'content-type')) {
            headers['content-type'] = 'application/json';
        }
        return {
            origin: this.origin,
            path: this.prefix + request.path,
            method: request.method,
            headers,
            body: request.body,
            headersTimeout: this.timeoutMs,
            bodyTimeout: this.timeoutMs,
        };
    }
    /**
     * Sends one request and reads the whole answer. Network failures throw a
     * NetworkError naming the server and the cause.
     */
    async send(request) {
        const started = performance.now();
        let response;
        let text;
        try {
            response = await this.dispatcher.request(this.options(request));
            text = await (0,bounded_body/* readText */.yR)(response.body, MAX_ANSWER_BYTES, `the model server at ${this.origin}`);
        }
        catch (err) {
            throw (0,network/* networkError */.x6)(err, this.peer) ?? err;
        }
        if (this.viaApiServer && response.statusCode === 403) {
            // The API server's own refusal, before anything reached the model server.
            const denied = (0,kube_forbidden/* apiServerDenial */.$k)(text);
            if (denied) {
                throw new kube_forbidden/* ProxyAccessDenied */.oy(`${request.method} ${request.path} through the API server's service proxy`, denied);
            }
        }
        const contentType = response.headers['content-type'];
        return {
            method: request.method,
            path: request.path,
            status: response.statusCode,
            contentType: Array.isArray(contentType) ? (contentType[0] ?? '') : (contentType ?? ''),
            text,
            durationMs: performance.now() - started,
        };
    }
    /**
     * Builds the load phase's request once; every request of the phase reuses
     * it. Without a proxy it is serialized to bytes for the load connections.
     */
    prepare(request) {
        const options = this.options(request);
        const body = typeof options.body === 'string' ? Buffer.from(options.body) : undefined;
        if (this.load !== undefined) {
            return serializeRequest(this.origin, {
                method: options.method,
                path: options.path,
                headers: options.headers,
                body,
            });
        }
        return { ...options, body };
    }
    /**
     * The load phase's request: the status only, the body discarded as it
     * arrives. Without a proxy it goes over the load connections (see
     * load-connections.ts), which parse only the answer's framing: the
     * generator measures the server, not itself. Behind a proxy it goes through
     * undici's dispatch handler interface, with no body stream or promise
     * chain per response.
     */
    status(prepared) {
        if (this.load !== undefined) {
            return this.load.status(prepared);
        }
        return new Promise((resolve, reject) => {
            let status = 0;
            this.dispatcher.dispatch(prepared, {
                onRequestStart: () => { },
                onResponseStart: (_controller, statusCode) => {
                    status = statusCode;
                },
                onResponseData: () => { },
                onResponseEnd: () => resolve(status),
                onResponseError: (_controller, error) => reject(error),
            });
        });
    }
    async close() {
        await Promise.all([this.dispatcher.close(), this.load?.close()]);
    }
}
function proxyConfigured() {
    const env = process.env;
    return Boolean(env.https_proxy || env.HTTPS_PROXY || env.http_proxy || env.HTTP_PROXY);
}
function hasHeader(headers, name) {
    return Object.keys(headers).some((key) => key.toLowerCase() === name);
}
/** Parses a JSON body, or says what the server answered instead. */
function parseJsonBody(result) {
    try {
        return JSON.parse(result.text);
    }
    catch {
        throw new Error(`${result.method} ${result.path} answered ${result.status} with a body that is not JSON: ${excerpt(result.text)}`);
    }
}
function excerpt(text, max = 200) {
    const flat = text.replace(/\s+/g, ' ').trim();
    return flat.length > max ? `${flat.slice(0, max)}…` : flat || '(empty)';
}

// EXTERNAL MODULE: ./node_modules/ajv/dist/2020.js
var _2020 = __webpack_require__(52210);
;// CONCATENATED MODULE: ./shared/smoke/compare.ts

/** numpy.isclose: |got − expected| ≤ abs + rel·|expected|. */
function allowedDifference(expected, tolerance) {
    return tolerance.abs + tolerance.rel * Math.abs(expected);
}
function format(n) {
    if (n === undefined)
        return 'nothing';
    if (Number.isInteger(n))
        return String(n);
    return Math.abs(n) >= 1e-3 && Math.abs(n) < 1e6
        ? String(Number(n.toPrecision(7)))
        : n.toExponential(4);
}
function findTensor(outputs, name) {
    if (name === undefined)
        return outputs.tensors[0];
    return outputs.tensors.find((t) => t.name === name);
}
function compareOutput(outputs, expectation) {
    const tensor = findTensor(outputs, expectation.name);
    const names = outputs.tensors.map((t) => `'${t.name}'`).join(', ') || 'none';
    if (tensor === undefined) {
        return {
            passed: false,
            problems: [`output '${expectation.name}' is missing from the response (outputs: ${names})`],
            values: [],
        };
    }
    const pairs = [];
    const problems = [];
    if (Array.isArray(expectation.data)) {
        if (tensor.data.length !== expectation.data.length) {
            problems.push(`output '${tensor.name}' has ${tensor.data.length} values, expected ${expectation.data.length}`);
        }
        expectation.data.forEach((expected, i) => pairs.push({ index: String(i), expected, got: tensor.data[i] }));
    }
    else {
        for (const [label, expected] of Object.entries(expectation.data)) {
            const at = tensor.labels?.indexOf(label) ?? -1;
            pairs.push({ index: label, expected, got: at >= 0 ? tensor.data[at] : undefined });
        }
    }
    const values = pairs.map(({ index, expected, got }) => {
        const allowed = allowedDifference(expected, expectation.tolerance);
        const difference = got === undefined ? undefined : Math.abs(got - expected);
        return {
            output: tensor.name,
            index,
            expected,
            got,
            difference,
            allowed,
            ok: difference !== undefined && difference <= allowed,
        };
    });
    const wrong = values.filter((v) => !v.ok);
    for (const v of wrong.slice(0, 5)) {
        problems.push(`output '${v.output}' index ${v.index}: expected ${format(v.expected)}, got ${format(v.got)}` +
            (v.difference === undefined ? '' : ` (off by ${format(v.difference)})`) +
            `; tolerance abs ${expectation.tolerance.abs} + rel ${expectation.tolerance.rel} allows ${format(v.allowed)}`);
    }
    if (wrong.length > 5)
        problems.push(`output '${tensor.name}': ${wrong.length - 5} more values differ`);
    return { passed: problems.length === 0, problems, values };
}
function checkTopK(outputs, expectation) {
    if (outputs.tensors.length === 0 && outputs.text !== undefined) {
        const wanted = String(expectation.label).toLowerCase();
        return outputs.text.toLowerCase().includes(wanted)
            ? []
            : [
                `expected the label '${expectation.label}' in the answer, got '${outputs.text.slice(0, 200)}'`,
            ];
    }
    const tensor = findTensor(outputs, expectation.output);
    if (tensor === undefined) {
        return [`top-k: output '${expectation.output ?? '(first)'}' is missing from the response`];
    }
    const labels = expectation.labels ?? tensor.labels;
    const nameOf = (i) => (labels?.[i] === undefined ? `#${i}` : `'${labels[i]}'`);
    const wantedIndex = typeof expectation.label === 'number'
        ? expectation.label
        : (labels?.indexOf(expectation.label) ?? -1);
    if (wantedIndex < 0) {
        return [
            `top-k: label '${expectation.label}' is not among the labels of output '${tensor.name}' (${(labels ?? []).join(', ') || 'none given'})`,
        ];
    }
    const ranked = tensor.data
        .map((value, index) => ({ value, index }))
        .sort((a, b) => b.value - a.value);
    const rank = ranked.findIndex((r) => r.index === wantedIndex);
    if (rank >= 0 && rank < expectation.k)
        return [];
    const top = ranked
        .slice(0, expectation.k)
        .map((r) => `${nameOf(r.index)} (${format(r.value)})`)
        .join(', ');
    const where = rank < 0 ? 'absent' : `ranked ${rank + 1} (${format(tensor.data[wantedIndex])})`;
    return [
        `output '${tensor.name}': expected ${nameOf(wantedIndex)} in the top ${expectation.k}, got ${top}; ${nameOf(wantedIndex)} is ${where}`,
    ];
}
function checkText(outputs, text) {
    const got = outputs.text;
    if (got === undefined)
        return ['expected a text answer, the response carries none'];
    const shown = JSON.stringify(got.length > 200 ? `${got.slice(0, 200)}…` : got);
    const problems = [];
    if (text.equals !== undefined && got.trim() !== text.equals.trim()) {
        problems.push(`expected the text ${JSON.stringify(text.equals)}, got ${shown}`);
    }
    if (text.contains !== undefined && !got.includes(text.contains)) {
        problems.push(`expected the text to contain ${JSON.stringify(text.contains)}, got ${shown}`);
    }
    if (text.matches !== undefined) {
        // The user's expression runs on the server's text: on at most 64 KiB of it, so a
        // pattern that backtracks cannot stall the job on a long answer.
        const subject = got.length > MATCH_LIMIT ? got.slice(0, MATCH_LIMIT) : got;
        if (!new RegExp(text.matches).test(subject)) {
            problems.push(`expected the text${subject === got ? '' : ` (its first ${MATCH_LIMIT / 1024} KiB)`} to match /${text.matches}/, got ${shown}`);
        }
    }
    return problems;
}
/** How much of an answer `text.matches` is tried on. */
const MATCH_LIMIT = 64 * 1024;
const schemaValidator = new _2020.Ajv2020({ allErrors: true, strict: false });
function schemaProblems(schema, body, what) {
    const validate = schemaValidator.compile(schema);
    if (validate(body))
        return [];
    return (validate.errors ?? [])
        .slice(0, 5)
        .map((e) => `${what}${e.instancePath || ' (top level)'} ${e.message ?? 'is invalid'}`);
}
/** Compares an answer to every expectation that concerns its content. */
function checkAnswer(outputs, body, expect) {
    const problems = [];
    const values = [];
    for (const expectation of expect.outputs) {
        const result = compareOutput(outputs, expectation);
        problems.push(...result.problems);
        values.push(...result.values);
    }
    if (expect.topK !== undefined)
        problems.push(...checkTopK(outputs, expect.topK));
    if (expect.text !== undefined)
        problems.push(...checkText(outputs, expect.text));
    if (expect.schema !== undefined)
        problems.push(...schemaProblems(expect.schema, body, 'response'));
    return { passed: problems.length === 0, problems, values };
}

// EXTERNAL MODULE: ./shared/smoke/failures.ts
var failures = __webpack_require__(28421);
;// CONCATENATED MODULE: ./shared/smoke/inference-check.ts





/** Sends one request; a network failure is the server's, a request that cannot be sent the user's. */
async function send(context, request, settings) {
    const transport = context.client;
    const call = transport.describeCall(request);
    let result;
    try {
        result = await transport.send(request);
    }
    catch (err) {
        if (err instanceof common_errors/* UserError */.yo && !(err instanceof network/* NetworkError */.Dr))
            throw err;
        return { failure: (0,failures/* noAnswer */.qE)(call, err, settings.timeoutMs), request };
    }
    context.record(result);
    const statusText = transport.describeStatus(result.status);
    settings.logger.info(`${call} answered ${statusText} in ${result.durationMs.toFixed(1)} ms`);
    return { exchange: { request, call, result, statusText } };
}
/** The inference call, and the protocol's fallback request when the server refuses the first. */
async function exchange(protocol, context, request, settings) {
    const first = await send(context, request, settings);
    if (!('exchange' in first))
        return first;
    const { result, call } = first.exchange;
    if (settings.expect?.status !== undefined || context.client.isSuccess(result.status))
        return first;
    const fallback = protocol.fallback?.({ request, status: result.status, text: result.text }, settings.target, settings.request, settings.metadata);
    if (fallback === undefined)
        return first;
    settings.logger.info(`${call} was refused: ${fallback.why}`);
    return send(context, fallback.request, settings);
}
function statusFailure(transport, answered, expect) {
    const { result } = answered;
    const expectedStatus = expect?.status;
    const statusOk = expectedStatus === undefined
        ? transport.isSuccess(result.status)
        : result.status === expectedStatus;
    if (statusOk)
        return undefined;
    const expected = expectedStatus === undefined ? (transport.kind === 'grpc' ? 'OK' : '2xx') : expectedStatus;
    return {
        kind: 'bad-status',
        message: `${answered.call} answered ${answered.statusText}, expected ${expected}: ${excerpt(result.text)}`,
    };
}
function looksLikeJson(result) {
    return result.contentType.includes('json') || /^\s*[[{]/.test(result.text);
}
/** The answer's body: JSON when it looks like JSON; plain HTTP may answer anything. */
function answerBody(answered, protocol) {
    const { result } = answered;
    if (!looksLikeJson(result))
        return { body: result.text };
    try {
        return { body: JSON.parse(result.text) };
    }
    catch {
        if (protocol === 'http')
            return { body: result.text };
        return {
            kind: 'wrong-answer',
            message: `${answered.request.path} answered a body that is not JSON: ${excerpt(result.text)}`,
        };
    }
}
function identityFailures(outputs, settings) {
    const { target } = settings;
    const failures = [];
    if (target.version !== undefined && outputs.version !== undefined) {
        if (outputs.version !== target.version) {
            failures.push({
                kind: 'wrong-version',
                message: `expected version ${target.version}, the inference response says model_version ${outputs.version}`,
            });
        }
    }
    if (settings.protocol === 'openai' &&
        target.model !== undefined &&
        outputs.model !== undefined &&
        outputs.model !== target.model) {
        failures.push({
            kind: 'wrong-version',
            message: `expected the model '${target.model}', the completion came from '${outputs.model}'`,
        });
    }
    return failures;
}
/** The answer judged: its status, its outputs read by the protocol, its model and version, `expect`. */
function judge(protocol, transport, answered, settings) {
    const { request, result } = answered;
    const inference = {
        method: request.method,
        path: request.path,
        call: answered.call,
        status: result.status,
        statusText: answered.statusText,
        durationMs: result.durationMs,
        outputs: undefined,
        compared: [],
    };
    const badStatus = statusFailure(transport, answered, settings.expect);
    if (badStatus !== undefined)
        return { inference, failures: [badStatus] };
    const read = answerBody(answered, settings.protocol);
    if (!('body' in read))
        return { inference, failures: [read] };
    try {
        inference.outputs = protocol.readOutputs(read.body);
    }
    catch (err) {
        const message = `${(0,common_errors/* errorMessage */.gJ)(err)}: ${excerpt(result.text)}`;
        return { inference, failures: [{ kind: 'wrong-answer', message }] };
    }
    const failures = identityFailures(inference.outputs, settings);
    if (settings.expect !== undefined) {
        const answer = checkAnswer(inference.outputs, read.body, settings.expect);
        inference.compared = answer.values;
        if (!answer.passed)
            failures.push({ kind: 'wrong-answer', message: answer.problems.join('; ') });
    }
    return { inference, failures };
}
/**
 * One inference, checked: the status, the outputs, the model and version that
 * answered, and the values against `expect`.
 */
async function checkInference(protocol, context, request, settings) {
    const sent = await exchange(protocol, context, request, settings);
    if (!('exchange' in sent)) {
        return { inference: undefined, request: sent.request, failures: [sent.failure] };
    }
    const judged = judge(protocol, context.client, sent.exchange, settings);
    return { ...judged, request: sent.exchange.request };
}

;// CONCATENATED MODULE: ./shared/smoke/histogram.ts
/**
 * A log-linear latency histogram in the manner of HdrHistogram: values (in
 * microseconds) below 2048 are counted exactly, larger ones in buckets that
 * keep 1024 steps per power of two, so any percentile is within 0.1 % of the
 * true value while memory stays a few tens of KiB however many requests run.
 * Recording is O(1), which keeps the load generator's own overhead flat.
 */
const SUB_BUCKET_BITS = 11;
const SUB_BUCKET_COUNT = 1 << SUB_BUCKET_BITS;
const HALF_SUB_BUCKET = SUB_BUCKET_COUNT >> 1;
function bitLength(value) {
    return value === 0 ? 0 : 32 - Math.clz32(value);
}
function bucketIndex(micros) {
    const value = Math.max(0, Math.min(0xffffffff, Math.round(micros)));
    if (value < SUB_BUCKET_COUNT)
        return value;
    // Above 2^31 clz32 still works because value stays within 32 bits.
    const shift = bitLength(value) - SUB_BUCKET_BITS;
    return (SUB_BUCKET_COUNT +
        (shift - 1) * HALF_SUB_BUCKET +
        (Math.floor(value / 2 ** shift) - HALF_SUB_BUCKET));
}
/** The lowest and highest value (µs) that fall into a bucket. */
function bucketRange(index) {
    if (index < SUB_BUCKET_COUNT)
        return [index, index];
    const beyond = index - SUB_BUCKET_COUNT;
    const shift = Math.floor(beyond / HALF_SUB_BUCKET) + 1;
    const step = (beyond % HALF_SUB_BUCKET) + HALF_SUB_BUCKET;
    const low = step * 2 ** shift;
    return [low, low + 2 ** shift - 1];
}
class LatencyHistogram {
    counts = new Float64Array(4096);
    total = 0;
    sum = 0;
    minimum = Number.POSITIVE_INFINITY;
    maximum = 0;
    /** Records one latency in milliseconds. */
    record(ms) {
        const micros = ms * 1000;
        const index = bucketIndex(micros);
        if (index >= this.counts.length) {
            const grown = new Float64Array(Math.max(index + 1, this.counts.length * 2));
            grown.set(this.counts);
            this.counts = grown;
        }
        this.counts[index] = this.counts[index] + 1;
        this.total++;
        this.sum += ms;
        if (ms < this.minimum)
            this.minimum = ms;
        if (ms > this.maximum)
            this.maximum = ms;
    }
    get count() {
        return this.total;
    }
    get min() {
        return this.total === 0 ? 0 : this.minimum;
    }
    get max() {
        return this.maximum;
    }
    get mean() {
        return this.total === 0 ? 0 : this.sum / this.total;
    }
    /**
     * The latency (ms) at or below which `percent` % of the recordings fall
     * (nearest-rank), reported as the bucket's midpoint and kept within the
     * exact observed min and max.
     */
    percentile(percent) {
        if (this.total === 0)
            return 0;
        const rank = Math.max(1, Math.ceil((percent / 100) * this.total));
        if (rank >= this.total)
            return this.maximum;
        let seen = 0;
        for (let index = 0; index < this.counts.length; index++) {
            seen += this.counts[index];
            if (seen >= rank) {
                const [low, high] = bucketRange(index);
                const midpointMs = (low + high) / 2 / 1000;
                return Math.min(this.maximum, Math.max(this.minimum, midpointMs));
            }
        }
        return this.maximum;
    }
    /**
     * Counts in `bins` equal-width ranges between min and max, for a chart.
     * Built from the buckets, so it costs nothing per request.
     */
    distribution(bins) {
        if (this.total === 0)
            return [];
        const low = this.min;
        const width = Math.max((this.max - low) / bins, 0.001);
        const out = Array.from({ length: bins }, (_, i) => ({
            fromMs: low + i * width,
            toMs: low + (i + 1) * width,
            count: 0,
        }));
        for (let index = 0; index < this.counts.length; index++) {
            const count = this.counts[index];
            if (count === 0)
                continue;
            const [from, to] = bucketRange(index);
            const ms = (from + to) / 2 / 1000;
            const bin = Math.min(bins - 1, Math.max(0, Math.floor((ms - low) / width)));
            out[bin].count += count;
        }
        return out;
    }
    merge(other) {
        if (other.counts.length > this.counts.length) {
            const grown = new Float64Array(other.counts.length);
            grown.set(this.counts);
            this.counts = grown;
        }
        for (let i = 0; i < other.counts.length; i++) {
            this.counts[i] = this.counts[i] + other.counts[i];
        }
        this.total += other.total;
        this.sum += other.sum;
        this.minimum = Math.min(this.minimum, other.minimum);
        this.maximum = Math.max(this.maximum, other.maximum);
    }
}

;// CONCATENATED MODULE: ./shared/smoke/load.ts



function errorKey(err) {
    const code = err?.code;
    return typeof code === 'string' ? code : (err?.name ?? 'Error');
}
/**
 * A closed-loop load generator: `concurrency` workers over one keep-alive
 * pool, each sending its next request as soon as the last one is answered,
 * until `requests` are done. Latency is recorded per request into a
 * log-linear histogram (constant time and memory, percentiles within 0.1 %);
 * the error rate counts non-success statuses and network failures alike.
 */
async function runLoad(client, options) {
    const isSuccess = options.isSuccess ?? ((status) => client.isSuccess(status));
    const concurrency = Math.max(1, Math.min(options.concurrency, Math.max(1, options.requests)));
    const histogram = new LatencyHistogram();
    const statuses = {};
    const errors = {};
    const examples = [];
    let failed = 0;
    const prepared = client.prepare(options.request);
    async function drive(total, measure) {
        let next = 0;
        const worker = async () => {
            while (next < total) {
                next++;
                const started = performance.now();
                try {
                    const status = await client.status(prepared);
                    const elapsed = performance.now() - started;
                    if (!measure)
                        continue;
                    histogram.record(elapsed);
                    statuses[status] = (statuses[status] ?? 0) + 1;
                    if (!isSuccess(status)) {
                        failed++;
                        const label = statusLabel(client, status);
                        if (!examples.some((e) => e.startsWith(label)))
                            examples.push(label);
                    }
                }
                catch (err) {
                    if (!measure)
                        continue;
                    failed++;
                    const key = errorKey(err);
                    errors[key] = (errors[key] ?? 0) + 1;
                    if (!examples.some((e) => e.startsWith(key)))
                        examples.push(`${key}: ${(0,common_errors/* errorMessage */.gJ)(err)}`);
                }
            }
        };
        await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(total, 1)) }, worker));
    }
    if (options.warmup > 0)
        await drive(options.warmup, false);
    const started = performance.now();
    await drive(options.requests, true);
    const durationMs = performance.now() - started;
    return {
        requests: options.requests,
        concurrency,
        failed,
        errorRate: options.requests === 0 ? 0 : failed / options.requests,
        durationMs,
        requestsPerSecond: durationMs === 0 ? 0 : options.requests / (durationMs / 1000),
        statuses,
        errors,
        examples,
        latency: {
            p50: histogram.percentile(50),
            p90: histogram.percentile(90),
            p95: histogram.percentile(95),
            p99: histogram.percentile(99),
            min: histogram.min,
            max: histogram.max,
            mean: histogram.mean,
        },
        histogram,
    };
}

// EXTERNAL MODULE: ./shared/common/retry.ts
var retry = __webpack_require__(80272);
// EXTERNAL MODULE: ./shared/smoke/protocols/types.ts
var types = __webpack_require__(36043);
;// CONCATENATED MODULE: ./shared/smoke/metadata-check.ts





function shapesMatch(expected, got) {
    return (expected.length === got.length && expected.every((d, i) => d < 0 || got[i] < 0 || d === got[i]));
}
function signatureProblems(kind, expected, served) {
    if (served === undefined)
        return [`the server does not declare its ${kind}`];
    const problems = [];
    const one = kind.slice(0, -1);
    for (const want of expected) {
        const have = served.find((s) => s.name === want.name);
        if (have === undefined) {
            problems.push(`${one} '${want.name}' is not declared (declared: ${served.map((s) => s.name).join(', ') || 'none'})`);
            continue;
        }
        if (want.datatype !== undefined &&
            want.datatype.toUpperCase() !== have.datatype.toUpperCase()) {
            problems.push(`${one} '${want.name}' is ${have.datatype}, expected ${want.datatype}`);
        }
        if (want.shape !== undefined && !shapesMatch(want.shape, have.shape)) {
            problems.push(`${one} '${want.name}' has shape [${have.shape.join(', ')}], expected [${want.shape.join(', ')}]`);
        }
    }
    return problems;
}
function metadata_check_identityFailures(protocol, target, metadata) {
    const failures = [];
    if (protocol === 'openai') {
        if (target.model !== undefined && !metadata.versions.includes(target.model)) {
            failures.push({
                kind: 'wrong-version',
                message: `expected the model '${target.model}', the server serves ${metadata.versions.map((v) => `'${v}'`).join(', ') || 'none'}`,
            });
        }
        return failures;
    }
    if (target.model !== undefined && metadata.name !== undefined && metadata.name !== target.model) {
        failures.push({
            kind: 'wrong-metadata',
            message: `expected the model '${target.model}', the server names it '${metadata.name}'`,
        });
    }
    if (target.version !== undefined &&
        metadata.versionServed !== true &&
        !metadata.versions.includes(target.version)) {
        failures.push({
            kind: 'wrong-version',
            message: `expected version ${target.version} of '${target.model ?? ''}', the server serves ${metadata.versions.length > 0 ? `version ${metadata.versions.join(', ')}` : 'no version'}`,
        });
    }
    return failures;
}
/** What is wrong with the served model's name, version and signature. */
function metadataFailures(protocol, target, metadata, expect) {
    const failures = metadata_check_identityFailures(protocol, target, metadata);
    const signature = expect?.signature;
    const problems = [
        ...(signature?.inputs ? signatureProblems('inputs', signature.inputs, metadata.inputs) : []),
        ...(signature?.outputs
            ? signatureProblems('outputs', signature.outputs, metadata.outputs)
            : []),
    ];
    if (problems.length > 0)
        failures.push({ kind: 'wrong-metadata', message: problems.join('; ') });
    return failures;
}
/** Reads what the server says it serves, and checks it against the target and `expect`. */
async function checkMetadata(protocol, context, settings) {
    const { target, logger } = settings;
    let metadata;
    const failures = [];
    try {
        metadata = await readMetadata(protocol, context, target);
    }
    catch (err) {
        if (err instanceof kube_forbidden/* ProxyAccessDenied */.oy)
            throw err;
        failures.push(unreadMetadata(err, context, settings.timeoutMs));
    }
    if (metadata === undefined) {
        if (settings.protocol === 'torchserve' && target.version !== undefined) {
            warnTorchServeVersion(logger);
        }
        return { metadata, failures };
    }
    logger.info(`serves '${metadata.name ?? '?'}' version ${metadata.versions.join(', ') || '?'}` +
        (metadata.inputs
            ? `; inputs ${metadata.inputs.map((i) => `${i.name} ${i.datatype}[${i.shape.join(',')}]`).join(', ')}`
            : ''));
    return {
        metadata,
        failures: metadataFailures(settings.protocol, target, metadata, settings.expect),
    };
}
function warnTorchServeVersion(logger) {
    logger.warning('model-version is checked through the TorchServe management API: give management-url to check it');
}
/**
 * A metadata read is retried like any API call (5xx, 429, resets): one hiccup
 * right after readiness says nothing about the model being the wrong one.
 */
function readMetadata(protocol, context, target) {
    return (0,retry/* withRetry */.bD)(() => protocol.metadata(context, target), {
        attempts: 3,
        baseDelayMs: 250,
        maxDelayMs: 2000,
        classify: (err) => err instanceof types/* ProtocolError */.bd
            ? { retry: err.status !== undefined && context.client.isTransient(err.status) }
            : (0,retry/* defaultClassify */.uY)(err),
    });
}
function unreadMetadata(err, context, timeoutMs) {
    const refused = err instanceof types/* ProtocolError */.bd &&
        err.status !== undefined &&
        context.client.isServerFault(err.status);
    if (err instanceof types/* ProtocolError */.bd && !refused) {
        return { kind: 'wrong-metadata', message: (0,common_errors/* errorMessage */.gJ)(err) };
    }
    return refused
        ? { kind: 'server-errors', message: (0,common_errors/* errorMessage */.gJ)(err) }
        : (0,failures/* noAnswer */.qE)('reading the model metadata', err, timeoutMs);
}

// EXTERNAL MODULE: ./shared/smoke/openapi-conformance.ts
var openapi_conformance = __webpack_require__(3352);
;// CONCATENATED MODULE: ./shared/smoke/protocols/openai.ts


const openAiCompatible = {
    name: 'openai',
    transport: 'http',
    needsModel: false,
    async probe(context) {
        const health = await context.client.send({ method: 'GET', path: '/health' });
        context.record(health);
        if (health.status !== 404 && health.status !== 405) {
            if (health.status !== 200)
                return { ready: false, detail: `GET /health answered ${health.status}` };
        }
        const models = await context.client.send({ method: 'GET', path: '/v1/models' });
        context.record(models);
        if (models.status !== 200) {
            return {
                ready: false,
                detail: `GET /v1/models answered ${models.status}: ${excerpt(models.text, 120)}`,
            };
        }
        const ids = (parseJsonBody(models).data ?? []).map((m) => String(m.id));
        if (ids.length === 0)
            return { ready: false, detail: 'GET /v1/models lists no model yet' };
        return { ready: true, detail: `serving ${ids.join(', ')}` };
    },
    async metadata(context) {
        const result = await context.client.send({ method: 'GET', path: '/v1/models' });
        context.record(result);
        if (result.status !== 200) {
            throw new types/* ProtocolError */.bd(`GET /v1/models answered ${result.status}: ${excerpt(result.text)}`, result.status);
        }
        const ids = (parseJsonBody(result).data ?? []).map((m) => String(m.id));
        // The served names stand in for versions: these servers version by name.
        return { name: ids[0], versions: ids, inputs: undefined, outputs: undefined };
    },
    inferenceRequest(target, body, metadata) {
        const model = target.model ?? metadata?.name;
        const request = body === undefined
            ? {
                messages: [{ role: 'user', content: 'Reply with the single word: ready' }],
                max_tokens: 16,
                temperature: 0,
            }
            : body;
        if (request === null || typeof request !== 'object' || Array.isArray(request)) {
            throw new types/* ProtocolError */.bd('an OpenAI-compatible request must be a JSON object');
        }
        const withModel = { model, ...request };
        const path = 'prompt' in withModel && !('messages' in withModel)
            ? '/v1/completions'
            : '/v1/chat/completions';
        return { method: 'POST', path, body: JSON.stringify(withModel) };
    },
    // vLLM (with transformers 4.44 and later) refuses a chat request for a
    // model whose tokenizer has no chat template, which base models lack; the
    // default check then asks for a plain completion instead.
    fallback(refused, target, body, metadata) {
        if (body !== undefined || refused.request.path !== '/v1/chat/completions')
            return undefined;
        if (refused.status !== 400 || !/chat[ _]template/i.test(refused.text))
            return undefined;
        const model = target.model ?? metadata?.name;
        return {
            request: {
                method: 'POST',
                path: '/v1/completions',
                body: JSON.stringify({
                    model,
                    prompt: 'The single word "ready":',
                    max_tokens: 16,
                    temperature: 0,
                }),
            },
            why: 'the model has no chat template (a base model), so the check asks /v1/completions instead',
        };
    },
    readOutputs(body) {
        const response = body;
        const choice = response?.choices?.[0];
        if (choice === undefined)
            throw new types/* ProtocolError */.bd('the completion response has no `choices`');
        const text = typeof choice.message?.content === 'string' ? choice.message.content : choice.text;
        if (typeof text !== 'string')
            throw new types/* ProtocolError */.bd('the first choice carries no text');
        const outputs = { tensors: [], text };
        if (typeof response.model === 'string')
            outputs.model = response.model;
        return outputs;
    },
};

;// CONCATENATED MODULE: ./shared/smoke/protocols/json-outputs.ts
/** Flattens nested numeric arrays; undefined when anything in them is not a number. */
function flattenNumbers(value) {
    if (typeof value === 'number')
        return [value];
    if (typeof value === 'boolean')
        return [value ? 1 : 0];
    if (!Array.isArray(value))
        return undefined;
    const out = [];
    for (const item of value) {
        const inner = flattenNumbers(item);
        if (inner === undefined)
            return undefined;
        for (const n of inner)
            out.push(n);
    }
    return out;
}
function shapeOf(value) {
    const shape = [];
    let current = value;
    while (Array.isArray(current)) {
        shape.push(current.length);
        current = current[0];
    }
    return shape;
}
/**
 * Reads a JSON body that has no protocol-defined shape (TorchServe handlers,
 * plain HTTP): a number or numeric array is the output `output`; an object of
 * numbers is a labelled output `scores` (TorchServe classifiers answer
 * `{"label": probability}`); other object fields that hold numbers become
 * outputs under their own names, and the first string field is the text.
 */
function readJsonOutputs(body) {
    const direct = flattenNumbers(body);
    if (direct !== undefined)
        return { tensors: [{ name: 'output', data: direct, shape: shapeOf(body) }] };
    if (typeof body === 'string')
        return { tensors: [], text: body };
    if (Array.isArray(body) && body.length === 1)
        return readJsonOutputs(body[0]);
    if (body === null || typeof body !== 'object' || Array.isArray(body))
        return { tensors: [] };
    const entries = Object.entries(body);
    if (entries.length > 0 && entries.every(([, v]) => typeof v === 'number')) {
        return {
            tensors: [
                {
                    name: 'scores',
                    data: entries.map(([, v]) => v),
                    labels: entries.map(([k]) => k),
                },
            ],
        };
    }
    const tensors = [];
    let text;
    for (const [key, value] of entries) {
        const data = flattenNumbers(value);
        if (data !== undefined)
            tensors.push({ name: key, data, shape: shapeOf(value) });
        else if (typeof value === 'string' && text === undefined)
            text = value;
    }
    return text === undefined ? { tensors } : { tensors, text };
}

;// CONCATENATED MODULE: ./shared/smoke/protocols/plain-http.ts

/**
 * Any HTTP endpoint: one method and path, judged by status code, JSON
 * Schema, numbers in the JSON body, or text. Ready when `ready-path` answers
 * 2xx, or (without one) when `/` answers anything below 500.
 */
function plainHttp(settings) {
    return {
        name: 'http',
        transport: 'http',
        needsModel: false,
        async probe(context) {
            const path = settings.readyPath ?? '/';
            const result = await context.client.send({ method: 'GET', path });
            context.record(result);
            const ready = settings.readyPath === undefined
                ? result.status < 500
                : result.status >= 200 && result.status < 300;
            return { ready, detail: `GET ${path} answered ${result.status}` };
        },
        async metadata() {
            return undefined;
        },
        inferenceRequest(_target, body) {
            if (body === undefined)
                return { method: settings.method, path: settings.path };
            return {
                method: settings.method,
                path: settings.path,
                body: typeof body === 'string' ? body : JSON.stringify(body),
            };
        },
        readOutputs(body) {
            return readJsonOutputs(body);
        },
    };
}

;// CONCATENATED MODULE: ./shared/smoke/protocols/tensor-bytes.ts

/**
 * Tensor data as raw bytes, the way the Open Inference Protocol's
 * `raw_input_contents`/`raw_output_contents` and TensorFlow's
 * `tensor_content` carry it: flattened in row-major order, little-endian,
 * no padding. BYTES elements are each prefixed by their length as a 4-byte
 * little-endian integer (the Open Inference Protocol's convention).
 */
/** Element sizes of the fixed-size datatypes, by their Open Inference Protocol names. */
const ELEMENT_BYTES = {
    BOOL: 1,
    UINT8: 1,
    INT8: 1,
    UINT16: 2,
    INT16: 2,
    FP16: 2,
    UINT32: 4,
    INT32: 4,
    FP32: 4,
    UINT64: 8,
    INT64: 8,
    FP64: 8,
};
function unknownDatatype(datatype) {
    return new types/* ProtocolError */.bd(`the datatype '${datatype}' is not one of ${[...Object.keys(ELEMENT_BYTES), 'BYTES'].join(', ')}`);
}
/** IEEE 754 half precision from a number, rounding to nearest even. */
function toHalfBits(value) {
    const f32 = new Float32Array([value]);
    const bits = new Uint32Array(f32.buffer)[0];
    const sign = (bits >>> 16) & 0x8000;
    const exponent = (bits >>> 23) & 0xff;
    let mantissa = bits & 0x7fffff;
    if (exponent === 0xff)
        return sign | 0x7c00 | (mantissa === 0 ? 0 : 0x200);
    const e = exponent - 127 + 15;
    if (e >= 0x1f)
        return sign | 0x7c00;
    if (e <= 0) {
        if (e < -10)
            return sign;
        mantissa |= 0x800000;
        const shift = 14 - e;
        const half = mantissa >>> shift;
        const rest = mantissa & ((1 << shift) - 1);
        const midpoint = 1 << (shift - 1);
        return sign | (half + (rest > midpoint || (rest === midpoint && (half & 1) === 1) ? 1 : 0));
    }
    const half = (e << 10) | (mantissa >>> 13);
    const rest = mantissa & 0x1fff;
    return sign | (half + (rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1) ? 1 : 0));
}
function fromHalfBits(bits) {
    const sign = bits & 0x8000 ? -1 : 1;
    const exponent = (bits >>> 10) & 0x1f;
    const mantissa = bits & 0x3ff;
    if (exponent === 0)
        return sign * mantissa * 2 ** -24;
    if (exponent === 0x1f)
        return mantissa === 0 ? sign * Infinity : NaN;
    return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}
function asNumber(value, datatype) {
    if (typeof value === 'boolean')
        return value ? 1 : 0;
    if (typeof value === 'number')
        return value;
    throw new types/* ProtocolError */.bd(`a ${datatype} tensor holds the non-number ${JSON.stringify(value)}`);
}
function encodeRaw(datatype, values) {
    const type = datatype.toUpperCase();
    if (type === 'BYTES') {
        return Buffer.concat(values.map((value) => {
            const bytes = Buffer.from(String(value), 'utf8');
            const length = Buffer.alloc(4);
            length.writeUInt32LE(bytes.length);
            return Buffer.concat([length, bytes]);
        }));
    }
    const size = ELEMENT_BYTES[type];
    if (size === undefined)
        throw unknownDatatype(datatype);
    const out = Buffer.alloc(size * values.length);
    values.forEach((element, i) => {
        const value = asNumber(element, type);
        const at = i * size;
        switch (type) {
            case 'BOOL':
                return out.writeUInt8(value ? 1 : 0, at);
            case 'UINT8':
                return out.writeUInt8(value, at);
            case 'INT8':
                return out.writeInt8(value, at);
            case 'UINT16':
                return out.writeUInt16LE(value, at);
            case 'INT16':
                return out.writeInt16LE(value, at);
            case 'FP16':
                return out.writeUInt16LE(toHalfBits(value), at);
            case 'UINT32':
                return out.writeUInt32LE(value, at);
            case 'INT32':
                return out.writeInt32LE(value, at);
            case 'FP32':
                return out.writeFloatLE(value, at);
            case 'UINT64':
                return out.writeBigUInt64LE(BigInt(Math.trunc(value)), at);
            case 'INT64':
                return out.writeBigInt64LE(BigInt(Math.trunc(value)), at);
            default:
                return out.writeDoubleLE(value, at);
        }
    });
    return out;
}
function decodeRaw(datatype, bytes) {
    const type = datatype.toUpperCase();
    if (type === 'BYTES') {
        const out = [];
        for (let at = 0; at + 4 <= bytes.length;) {
            const length = bytes.readUInt32LE(at);
            if (at + 4 + length > bytes.length) {
                throw new types/* ProtocolError */.bd('raw BYTES contents end inside an element');
            }
            out.push(bytes.toString('utf8', at + 4, at + 4 + length));
            at += 4 + length;
        }
        return out;
    }
    const size = ELEMENT_BYTES[type];
    if (size === undefined)
        throw unknownDatatype(datatype);
    if (bytes.length % size !== 0) {
        throw new types/* ProtocolError */.bd(`raw ${type} contents of ${bytes.length} bytes are not whole ${size}-byte elements`);
    }
    return Array.from({ length: bytes.length / size }, (_, i) => {
        const at = i * size;
        switch (type) {
            case 'BOOL':
                return bytes.readUInt8(at) !== 0;
            case 'UINT8':
                return bytes.readUInt8(at);
            case 'INT8':
                return bytes.readInt8(at);
            case 'UINT16':
                return bytes.readUInt16LE(at);
            case 'INT16':
                return bytes.readInt16LE(at);
            case 'FP16':
                return fromHalfBits(bytes.readUInt16LE(at));
            case 'UINT32':
                return bytes.readUInt32LE(at);
            case 'INT32':
                return bytes.readInt32LE(at);
            case 'FP32':
                return bytes.readFloatLE(at);
            case 'UINT64':
                return Number(bytes.readBigUInt64LE(at));
            case 'INT64':
                return Number(bytes.readBigInt64LE(at));
            default:
                return bytes.readDoubleLE(at);
        }
    });
}
/** Flattens nested arrays in row-major order; a scalar is one element. */
function flattenElements(value, what) {
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') {
        return [value];
    }
    if (!Array.isArray(value)) {
        throw new types/* ProtocolError */.bd(`${what} must be numbers, booleans or strings, nested in arrays`);
    }
    return value.flatMap((item) => flattenElements(item, what));
}
/** Numbers from decoded elements; JSON spells float specials as strings. */
function numbersOf(values) {
    const out = [];
    for (const value of values) {
        if (typeof value === 'number')
            out.push(value);
        else if (typeof value === 'boolean')
            out.push(value ? 1 : 0);
        else if (value === 'NaN' || value === 'Infinity' || value === '-Infinity')
            out.push(Number(value));
        else
            return undefined;
    }
    return out;
}

;// CONCATENATED MODULE: ./shared/smoke/protocols/tfserving-model.ts

/**
 * What TensorFlow Serving's REST and gRPC APIs share: the model status of
 * each version, the serving_default signature, and the default request.
 */
const SIGNATURE = 'serving_default';
/** Ready when a version is AVAILABLE; otherwise each version's state (and error) says why not. */
function readiness(versions) {
    const available = versions.filter((v) => v.state === 'AVAILABLE');
    if (available.length > 0) {
        return {
            ready: true,
            detail: `version ${available.map((v) => String(v.version)).join(', ')} AVAILABLE`,
        };
    }
    const states = versions.map((v) => {
        const error = v.status?.error_message ? ` (${String(v.status.error_message)})` : '';
        return `version ${String(v.version)} ${String(v.state)}${error}`;
    });
    return { ready: false, detail: states.length > 0 ? states.join(', ') : 'no version reported' };
}
/** The versions served: every AVAILABLE one from the status, else the latest the metadata names. */
function servedVersions(versions, latest) {
    const served = versions.filter((v) => v.state === 'AVAILABLE').map((v) => String(v.version));
    if (served.length > 0)
        return served;
    return latest === undefined ? [] : [String(latest)];
}
function signatureSpecs(value) {
    if (value === null || typeof value !== 'object')
        return undefined;
    return Object.entries(value).map(([alias, info]) => ({
        name: alias,
        datatype: String(info.dtype ?? ''),
        shape: (info.tensor_shape?.dim ?? []).map((d) => Number(d.size ?? -1)),
    }));
}
/** The version to ask for: the target's, when the server serves it. */
function askedVersion(target, metadata) {
    return target.version !== undefined && (metadata?.versions ?? []).includes(target.version)
        ? target.version
        : undefined;
}
function nestedOnes(shape) {
    if (shape.length === 0)
        return 1;
    const [first, ...rest] = shape;
    return Array.from({ length: first < 0 ? 1 : first }, () => nestedOnes(rest));
}
/** The default request's columns: each declared input filled with ones, dynamic dimensions as 1. */
function sampleColumns(metadata) {
    const inputs = metadata?.inputs;
    if (inputs === undefined || inputs.length === 0) {
        throw new types/* ProtocolError */.bd(`the ${SIGNATURE} signature declares no inputs, so no default request can be built; give \`request\``);
    }
    return Object.fromEntries(inputs.map((input) => [input.name, nestedOnes(input.shape)]));
}

;// CONCATENATED MODULE: ./shared/smoke/protocols/tfserving-grpc.ts





/**
 * TensorFlow Serving over gRPC: readiness from ModelService.GetModelStatus
 * (a version AVAILABLE), the serving_default signature from
 * PredictionService.GetModelMetadata, inference with
 * PredictionService.Predict. The request may be written as for the REST API
 * (`{"instances": …}` rows or `{"inputs": …}` columns), and each input goes
 * as a TensorProto of the signature's dtype, in the typed field or as raw
 * `tensor_content`; a request whose inputs are TensorProtos already is sent
 * as it is. Outputs are named by their signature aliases.
 */
const PREDICTION = '/tensorflow.serving.PredictionService';
const MODEL = '/tensorflow.serving.ModelService';
const DTYPES = {
    DT_FLOAT: { datatype: 'FP32', field: 'float_val' },
    DT_DOUBLE: { datatype: 'FP64', field: 'double_val' },
    DT_INT32: { datatype: 'INT32', field: 'int_val' },
    DT_UINT8: { datatype: 'UINT8', field: 'int_val' },
    DT_INT16: { datatype: 'INT16', field: 'int_val' },
    DT_INT8: { datatype: 'INT8', field: 'int_val' },
    DT_UINT16: { datatype: 'UINT16', field: 'int_val' },
    DT_STRING: { datatype: 'BYTES', field: 'string_val' },
    DT_INT64: { datatype: 'INT64', field: 'int64_val' },
    DT_BOOL: { datatype: 'BOOL', field: 'bool_val' },
    DT_HALF: { datatype: 'FP16', field: 'half_val' },
    DT_UINT32: { datatype: 'UINT32', field: 'uint32_val' },
    DT_UINT64: { datatype: 'UINT64', field: 'uint64_val' },
};
function request(path, message) {
    return { method: 'POST', path, body: JSON.stringify(message) };
}
async function call(context, path, message) {
    const result = await context.client.send(request(path, message));
    context.record(result);
    return {
        result,
        body: result.status === 0 ? JSON.parse(result.text) : {},
    };
}
function refused(context, result) {
    return `${context.client.describeCall(result)} answered ${context.client.describeStatus(result.status)}: ${excerpt(result.text, 120)}`;
}
/** TF Serving versions are numbers; anything else cannot be asked for. */
function versionSpec(version) {
    return version !== undefined && /^\d+$/.test(version)
        ? { version: { value: Number(version) } }
        : {};
}
/** Whether a value is a TensorProto already (protobuf JSON) rather than nested numbers. */
function isTensorProto(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value) && 'dtype' in value;
}
function inferDtype(values) {
    if (values.every((v) => typeof v === 'boolean'))
        return 'DT_BOOL';
    if (values.every((v) => typeof v === 'string'))
        return 'DT_STRING';
    return 'DT_FLOAT';
}
/** One input as a TensorProto, typed or raw. Strings have no raw form in TensorFlow's encoding. */
function tensorProto(alias, value, shape, dtype, contents) {
    const values = flattenElements(value, `the input '${alias}'`);
    const type = dtype ?? inferDtype(values);
    const info = DTYPES[type];
    if (info === undefined) {
        throw new types/* ProtocolError */.bd(`the input '${alias}' has the dtype ${type}, which smoke-test cannot encode (${Object.keys(DTYPES).join(', ')})`);
    }
    const head = { dtype: type, tensor_shape: { dim: shape.map((size) => ({ size })) } };
    if (contents === 'raw' && type !== 'DT_STRING') {
        return { ...head, tensor_content: encodeRaw(info.datatype, values).toString('base64') };
    }
    const typed = values.map((v) => {
        if (type === 'DT_STRING')
            return Buffer.from(String(v), 'utf8').toString('base64');
        if (type === 'DT_BOOL')
            return Boolean(v);
        if (typeof v !== 'number' && typeof v !== 'boolean') {
            throw new types/* ProtocolError */.bd(`the ${type} input '${alias}' holds the non-number ${JSON.stringify(v)}`);
        }
        const n = typeof v === 'boolean' ? Number(v) : v;
        return type === 'DT_HALF' ? toHalfBits(n) : n;
    });
    return { ...head, [info.field]: typed };
}
/**
 * A PredictRequest from the REST forms: `instances` (rows; objects of
 * named inputs, or values of the one input) or `inputs` (columns; an object
 * of named inputs, or the one input's value).
 */
function predictRequest(target, body, metadata, contents) {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        throw new types/* ProtocolError */.bd('the request must be a JSON object with `instances` or `inputs`');
    }
    const rest = body;
    const signature = typeof rest.signature_name === 'string' ? rest.signature_name : SIGNATURE;
    const model_spec = {
        name: target.model ?? '',
        signature_name: signature,
        ...versionSpec(target.version),
    };
    const declared = new Map((metadata?.inputs ?? []).map((i) => [i.name, i.datatype]));
    const only = () => {
        if (metadata?.inputs?.length === 1)
            return metadata.inputs[0].name;
        throw new types/* ProtocolError */.bd(`the request gives one unnamed input, but the ${signature} signature declares ${metadata?.inputs
            ? metadata.inputs.map((i) => `'${i.name}'`).join(', ') || 'no inputs'
            : 'no inputs that smoke-test could read'}: name each input`);
    };
    const columns = new Map();
    if (rest.instances !== undefined) {
        if (!Array.isArray(rest.instances) || rest.instances.length === 0) {
            throw new types/* ProtocolError */.bd('`instances` must be a non-empty array');
        }
        const rows = rest.instances;
        if (rows.every((r) => r !== null && typeof r === 'object' && !Array.isArray(r))) {
            for (const row of rows) {
                for (const [alias, cell] of Object.entries(row)) {
                    columns.set(alias, [...(columns.get(alias) ?? []), cell]);
                }
            }
        }
        else {
            columns.set(only(), rows);
        }
    }
    else if (rest.inputs !== undefined) {
        if (rest.inputs !== null && typeof rest.inputs === 'object' && !Array.isArray(rest.inputs)) {
            for (const [alias, value] of Object.entries(rest.inputs))
                columns.set(alias, value);
        }
        else {
            columns.set(only(), rest.inputs);
        }
    }
    else {
        throw new types/* ProtocolError */.bd('the request has neither `instances` nor `inputs`');
    }
    const inputs = Object.fromEntries([...columns].map(([alias, value]) => [
        alias,
        isTensorProto(value)
            ? value
            : tensorProto(alias, value, shapeOf(value), declared.get(alias), contents),
    ]));
    return { model_spec, inputs };
}
/** An output TensorProto's values; a single typed value fills the whole shape (TensorFlow's rule). */
function outputTensor(alias, tensor) {
    const dtype = String(tensor.dtype ?? '');
    const dims = tensor.tensor_shape?.dim ?? [];
    const shape = dims.map((d) => Number(d.size ?? 0));
    const info = DTYPES[dtype];
    let values = [];
    if (info !== undefined &&
        typeof tensor.tensor_content === 'string' &&
        tensor.tensor_content !== '') {
        values = decodeRaw(info.datatype, Buffer.from(tensor.tensor_content, 'base64'));
    }
    else if (info !== undefined && Array.isArray(tensor[info.field])) {
        values = tensor[info.field];
        if (dtype === 'DT_HALF')
            values = values.map((bits) => fromHalfBits(Number(bits)));
        const size = shape.reduce((a, b) => a * b, 1);
        if (values.length === 1 && size > 1)
            values = Array.from({ length: size }, () => values[0]);
    }
    return { name: alias, data: numbersOf(values) ?? [], shape };
}
async function versionStatuses(context, target) {
    const status = await call(context, `${MODEL}/GetModelStatus`, {
        model_spec: { name: target.model ?? '' },
    });
    return {
        result: status.result,
        versions: (status.body.model_version_status ?? []),
    };
}
async function probe(context, target) {
    const { result, versions } = await versionStatuses(context, target);
    if (result.status !== 0)
        return { ready: false, detail: refused(context, result) };
    return readiness(versions);
}
async function metadata(context, target) {
    const { result, body } = await call(context, `${PREDICTION}/GetModelMetadata`, {
        model_spec: { name: target.model ?? '' },
        metadata_field: ['signature_def'],
    });
    if (result.status !== 0) {
        throw new types/* ProtocolError */.bd(`model metadata: ${refused(context, result)}`, result.status);
    }
    const spec = body.model_spec;
    const map = body.metadata
        ?.signature_def?.signature_def;
    const signature = map?.[SIGNATURE];
    // GetModelStatus lists every loaded version; the metadata names only the latest.
    const status = await versionStatuses(context, target);
    return {
        name: typeof spec?.name === 'string' ? spec.name : undefined,
        versions: servedVersions(status.versions, spec?.version?.value),
        inputs: signatureSpecs(signature?.inputs),
        outputs: signatureSpecs(signature?.outputs),
    };
}
/** Whether a request's inputs are TensorProtos already, to be sent as they are. */
function isProtobufForm(body) {
    const given = body;
    return (given !== null &&
        typeof given === 'object' &&
        given.inputs !== null &&
        typeof given.inputs === 'object' &&
        !Array.isArray(given.inputs) &&
        Object.values(given.inputs).length > 0 &&
        Object.values(given.inputs).every(isTensorProto));
}
function readOutputs(body) {
    const response = body;
    if (response === null ||
        typeof response !== 'object' ||
        response.outputs === null ||
        typeof response.outputs !== 'object') {
        throw new types/* ProtocolError */.bd('the Predict response has no outputs');
    }
    const tensors = Object.entries(response.outputs).map(([alias, tensor]) => outputTensor(alias, tensor));
    const outputs = { tensors };
    const version = response.model_spec?.version?.value;
    if (version !== undefined)
        outputs.version = String(version);
    return outputs;
}
function grpcTensorflowServing(contents) {
    return {
        name: 'tfserving-grpc',
        transport: 'grpc',
        needsModel: true,
        probe,
        metadata,
        inferenceRequest(target, body, served) {
            const asked = { model: target.model, version: askedVersion(target, served) };
            const path = `${PREDICTION}/Predict`;
            if (body === undefined) {
                const columns = { inputs: sampleColumns(served) };
                return request(path, predictRequest(asked, columns, served, contents));
            }
            if (isProtobufForm(body)) {
                const model_spec = {
                    name: asked.model ?? '',
                    signature_name: SIGNATURE,
                    ...versionSpec(asked.version),
                };
                return request(path, { model_spec, ...body });
            }
            return request(path, predictRequest(asked, body, served, contents));
        },
        readOutputs,
    };
}

;// CONCATENATED MODULE: ./shared/smoke/protocols/tfserving.ts




/**
 * TensorFlow Serving's REST API: model status lists each version with a
 * state (AVAILABLE when it serves), metadata carries the signature defs, and
 * predict answers `{"predictions"}` for the row format (`instances`) and
 * `{"outputs"}` for the columnar one (`inputs`).
 */
function modelPath(target) {
    return `/v1/models/${encodeURIComponent(target.model ?? '')}`;
}
async function get(context, path) {
    const result = await context.client.send({ method: 'GET', path });
    context.record(result);
    return result;
}
function tensorsFrom(name, value) {
    const direct = flattenNumbers(value);
    if (direct !== undefined)
        return [{ name, data: direct, shape: shapeOf(value) }];
    // Row format with several named outputs: [{a: [...], b: [...]}, ...] → one tensor per name.
    if (Array.isArray(value) &&
        value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v))) {
        const byName = new Map();
        for (const row of value) {
            for (const [key, cell] of Object.entries(row)) {
                const data = flattenNumbers(cell) ?? [];
                byName.set(key, [...(byName.get(key) ?? []), ...data]);
            }
        }
        return [...byName].map(([key, data]) => ({ name: key, data }));
    }
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        return Object.entries(value).map(([key, cell]) => ({
            name: key,
            data: flattenNumbers(cell) ?? [],
            shape: shapeOf(cell),
        }));
    }
    return [];
}
const tensorflowServing = {
    name: 'tfserving',
    transport: 'http',
    needsModel: true,
    async probe(context, target) {
        const result = await get(context, modelPath(target));
        if (result.status !== 200) {
            return {
                ready: false,
                detail: `GET ${result.path} answered ${result.status}: ${excerpt(result.text, 120)}`,
            };
        }
        const body = parseJsonBody(result);
        return readiness(body.model_version_status ?? []);
    },
    async metadata(context, target) {
        const result = await get(context, `${modelPath(target)}/metadata`);
        if (result.status !== 200) {
            throw new types/* ProtocolError */.bd(`model metadata GET ${result.path} answered ${result.status}: ${excerpt(result.text)}`, result.status);
        }
        const body = parseJsonBody(result);
        const signature = body.metadata?.signature_def?.signature_def?.[SIGNATURE];
        // The status API lists every loaded version; metadata names only the latest.
        const status = await get(context, modelPath(target));
        const statusBody = status.status === 200
            ? parseJsonBody(status)
            : {};
        return {
            name: typeof body.model_spec?.name === 'string' ? body.model_spec.name : undefined,
            versions: servedVersions(statusBody.model_version_status ?? [], body.model_spec?.version),
            inputs: signatureSpecs(signature?.inputs),
            outputs: signatureSpecs(signature?.outputs),
        };
    },
    inferenceRequest(target, body, metadata) {
        const asked = askedVersion(target, metadata);
        const version = asked === undefined ? '' : `/versions/${encodeURIComponent(asked)}`;
        const path = `${modelPath(target)}${version}:predict`;
        if (body !== undefined)
            return { method: 'POST', path, body: JSON.stringify(body) };
        const columnar = sampleColumns(metadata);
        return {
            method: 'POST',
            path,
            body: JSON.stringify({ signature_name: SIGNATURE, inputs: columnar }),
        };
    },
    readOutputs(body) {
        const response = body;
        if (response === null || typeof response !== 'object') {
            throw new types/* ProtocolError */.bd('the predict response is not a JSON object');
        }
        if (response.predictions !== undefined)
            return { tensors: tensorsFrom('predictions', response.predictions) };
        if (response.outputs !== undefined)
            return { tensors: tensorsFrom('outputs', response.outputs) };
        throw new types/* ProtocolError */.bd('the predict response has neither `predictions` nor `outputs`');
    },
};

;// CONCATENATED MODULE: ./shared/smoke/protocols/torchserve.ts



/**
 * TorchServe: the inference API answers `/ping` with `{"status": "Healthy"}`
 * and serves `POST /predictions/{model}[/{version}]`; model versions and
 * worker states live in the management API (its own port), which is only
 * consulted when its URL is given.
 */
function predictionsPath(target) {
    const name = encodeURIComponent(target.model ?? '');
    return target.version === undefined
        ? `/predictions/${name}`
        : `/predictions/${name}/${encodeURIComponent(target.version)}`;
}
const torchServe = {
    name: 'torchserve',
    transport: 'http',
    needsModel: true,
    async probe(context, target) {
        const ping = await context.client.send({ method: 'GET', path: '/ping' });
        context.record(ping);
        let status;
        try {
            status = JSON.parse(ping.text).status;
        }
        catch {
            status = undefined;
        }
        if (ping.status !== 200 || status !== 'Healthy') {
            return {
                ready: false,
                detail: `GET /ping answered ${ping.status}: ${excerpt(ping.text, 120)}`,
            };
        }
        if (context.management === undefined)
            return { ready: true, detail: 'GET /ping answered Healthy' };
        const path = `/models/${encodeURIComponent(target.model ?? '')}`;
        const described = await context.management.send({ method: 'GET', path });
        context.record(described);
        if (described.status !== 200) {
            return {
                ready: false,
                detail: `management GET ${path} answered ${described.status}: ${excerpt(described.text, 120)}`,
            };
        }
        const models = parseJsonBody(described);
        const ready = (models[0]?.workers ?? []).filter((w) => w.status === 'READY').length;
        return ready > 0
            ? { ready: true, detail: `${ready} worker(s) READY` }
            : { ready: false, detail: `model ${target.model ?? ''} has no READY worker yet` };
    },
    async metadata(context, target) {
        if (context.management === undefined)
            return undefined;
        const path = `/models/${encodeURIComponent(target.model ?? '')}/all`;
        const result = await context.management.send({ method: 'GET', path });
        context.record(result);
        if (result.status !== 200) {
            throw new types/* ProtocolError */.bd(`management GET ${path} answered ${result.status}: ${excerpt(result.text)}`, result.status);
        }
        const models = parseJsonBody(result);
        if (!Array.isArray(models))
            throw new types/* ProtocolError */.bd(`management GET ${path} did not answer a list of models`);
        return {
            name: typeof models[0]?.modelName === 'string' ? models[0].modelName : undefined,
            versions: models.map((m) => String(m.modelVersion)),
            inputs: undefined,
            outputs: undefined,
        };
    },
    inferenceRequest(target, body) {
        if (body === undefined) {
            throw new types/* ProtocolError */.bd('TorchServe handlers define their own input, so `request` is required');
        }
        return { method: 'POST', path: predictionsPath(target), body: JSON.stringify(body) };
    },
    readOutputs: readJsonOutputs,
};

;// CONCATENATED MODULE: ./shared/smoke/protocols/open-inference.ts

/**
 * What the Open Inference Protocol's REST and gRPC forms share: the model
 * metadata message, which version is asked for, and the default request
 * built from the declared inputs.
 */
function tensorSpecs(value) {
    if (!Array.isArray(value))
        return undefined;
    return value.map((item) => ({
        name: String(item.name ?? ''),
        datatype: String(item.datatype ?? ''),
        shape: Array.isArray(item.shape) ? item.shape.map(Number) : [],
    }));
}
/** A ModelMetadataResponse (REST JSON or gRPC message); `absent` stands for an undeclared signature. */
function servedMetadata(body, absent) {
    return {
        name: typeof body.name === 'string' ? body.name : undefined,
        versions: Array.isArray(body.versions) ? body.versions.map(String) : [],
        inputs: tensorSpecs(body.inputs) ?? absent,
        outputs: tensorSpecs(body.outputs) ?? absent,
    };
}
/** Whether the metadata says the target's version is served. */
function servesVersion(target, metadata) {
    return (target.version !== undefined &&
        (metadata?.versionServed === true || (metadata?.versions ?? []).includes(target.version)));
}
/** A value of the declared datatype, for the default request. */
function sampleValue(datatype) {
    const type = datatype.toUpperCase();
    if (type === 'BOOL')
        return false;
    if (type === 'BYTES')
        return '';
    return 1;
}
/**
 * The default request's inputs: one of each declared input, dynamic
 * dimensions (-1) as 1, the smallest request the model must accept.
 */
function sampleInputs(metadata) {
    const inputs = metadata?.inputs;
    if (inputs === undefined || inputs.length === 0) {
        throw new types/* ProtocolError */.bd('the model metadata declares no inputs, so no default request can be built; give `request`');
    }
    return {
        inputs: inputs.map((input) => {
            const shape = input.shape.map((d) => (d < 0 ? 1 : d));
            const size = shape.reduce((a, b) => a * b, 1);
            return {
                name: input.name,
                shape,
                datatype: input.datatype,
                data: Array.from({ length: size }, () => sampleValue(input.datatype)),
            };
        }),
    };
}

;// CONCATENATED MODULE: ./shared/smoke/protocols/v2-grpc.ts




/**
 * The Open Inference Protocol over gRPC (`inference.GRPCInferenceService`):
 * readiness from ServerReady and ModelReady, the signature from
 * ModelMetadata, inference with ModelInfer. The request may be written as
 * for the REST protocol (`{"inputs": [{"name", "shape", "datatype",
 * "data"}]}`), and is sent with typed contents or raw bytes as asked; a
 * request written as the protobuf message itself (with `contents` or
 * `raw_input_contents`) is sent as it is.
 */
const SERVICE = '/inference.GRPCInferenceService';
/** The InferTensorContents field of each datatype. */
const CONTENTS_FIELD = {
    BOOL: 'bool_contents',
    INT8: 'int_contents',
    INT16: 'int_contents',
    INT32: 'int_contents',
    INT64: 'int64_contents',
    UINT8: 'uint_contents',
    UINT16: 'uint_contents',
    UINT32: 'uint_contents',
    UINT64: 'uint64_contents',
    FP32: 'fp32_contents',
    FP64: 'fp64_contents',
    BYTES: 'bytes_contents',
};
function rpc(method, message) {
    return { method: 'POST', path: `${SERVICE}/${method}`, body: JSON.stringify(message) };
}
async function v2_grpc_call(context, method, message) {
    const result = await context.client.send(rpc(method, message));
    context.record(result);
    return { result, body: result.status === 0 ? parse(result) : {} };
}
function parse(result) {
    return JSON.parse(result.text);
}
function v2_grpc_refused(context, method, result) {
    return `${method} answered ${context.client.describeStatus(result.status)}: ${excerpt(result.text, 120)}`;
}
/** A REST-style parameter value as an InferParameter. */
function inferParameter(value) {
    if (typeof value === 'boolean')
        return { bool_param: value };
    if (typeof value === 'number' && Number.isInteger(value))
        return { int64_param: value };
    return { string_param: typeof value === 'string' ? value : JSON.stringify(value) };
}
function parameters(value) {
    if (value === null || typeof value !== 'object' || Array.isArray(value))
        return undefined;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inferParameter(v)]));
}
/** Whether a request is already the protobuf message's JSON rather than the REST form. */
function v2_grpc_isProtobufForm(body) {
    return (body.raw_input_contents !== undefined ||
        (Array.isArray(body.inputs) &&
            body.inputs.some((i) => i !== null && typeof i === 'object' && 'contents' in i)));
}
/**
 * A ModelInferRequest from the REST form of an inference request. FP16 has
 * no typed field, so a request with an FP16 input is sent raw.
 */
function modelInferRequest(target, body, contents) {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        throw new types/* ProtocolError */.bd('the request must be a JSON object with `inputs`');
    }
    const request = body;
    const head = {
        model_name: target.model ?? '',
        ...(target.version === undefined ? {} : { model_version: target.version }),
    };
    if (v2_grpc_isProtobufForm(request))
        return { ...head, ...request };
    if (!Array.isArray(request.inputs) || request.inputs.length === 0) {
        throw new types/* ProtocolError */.bd('the request has no `inputs` array');
    }
    const inputs = request.inputs.map((input, index) => {
        const name = typeof input.name === 'string' ? input.name : '';
        const datatype = typeof input.datatype === 'string' ? input.datatype.toUpperCase() : '';
        if (name === '' || datatype === '' || !Array.isArray(input.shape)) {
            throw new types/* ProtocolError */.bd(`input ${index} needs a name, a datatype and a shape`);
        }
        if (datatype !== 'FP16' && CONTENTS_FIELD[datatype] === undefined) {
            throw new types/* ProtocolError */.bd(`input '${name}' has the unknown datatype '${datatype}'`);
        }
        return {
            name,
            datatype,
            shape: input.shape.map(Number),
            data: flattenElements(input.data ?? [], `the data of input '${name}'`),
            parameters: parameters(input.parameters),
        };
    });
    const raw = contents === 'raw' || inputs.some((i) => i.datatype === 'FP16');
    const message = {
        ...head,
        ...(typeof request.id === 'string' ? { id: request.id } : {}),
        inputs: inputs.map((input) => ({
            name: input.name,
            datatype: input.datatype,
            shape: input.shape,
            ...(input.parameters === undefined ? {} : { parameters: input.parameters }),
            ...(raw ? {} : { contents: typedContents(input.datatype, input.data) }),
        })),
    };
    if (raw) {
        message.raw_input_contents = inputs.map((input) => encodeRaw(input.datatype, input.data).toString('base64'));
    }
    const requestParameters = parameters(request.parameters);
    if (requestParameters !== undefined)
        message.parameters = requestParameters;
    if (Array.isArray(request.outputs)) {
        message.outputs = request.outputs.map((output) => ({
            name: String(output.name ?? ''),
            ...(parameters(output.parameters) === undefined
                ? {}
                : { parameters: parameters(output.parameters) }),
        }));
    }
    return message;
}
function typedContents(datatype, data) {
    const field = CONTENTS_FIELD[datatype];
    if (datatype === 'BYTES') {
        return { [field]: data.map((d) => Buffer.from(String(d), 'utf8').toString('base64')) };
    }
    if (datatype === 'BOOL')
        return { [field]: data.map(Boolean) };
    return {
        [field]: data.map((d) => {
            if (typeof d === 'boolean')
                return d ? 1 : 0;
            if (typeof d !== 'number') {
                throw new types/* ProtocolError */.bd(`a ${datatype} input holds the non-number ${JSON.stringify(d)}`);
            }
            return d;
        }),
    };
}
function v2_grpc_outputTensor(output, raw, index) {
    const name = typeof output.name === 'string' ? output.name : `output ${index}`;
    const datatype = typeof output.datatype === 'string' ? output.datatype.toUpperCase() : '';
    const shape = Array.isArray(output.shape) ? output.shape.map(Number) : [];
    let values = [];
    if (raw !== undefined) {
        values = decodeRaw(datatype, Buffer.from(raw, 'base64'));
    }
    else if (output.contents !== null && typeof output.contents === 'object') {
        const field = CONTENTS_FIELD[datatype];
        const typed = field === undefined ? undefined : output.contents[field];
        values = Array.isArray(typed) ? typed : [];
    }
    return { name, data: numbersOf(values) ?? [], shape };
}
async function v2_grpc_probe(context, target) {
    const server = await v2_grpc_call(context, 'ServerReady', {});
    if (server.result.status !== 0) {
        return { ready: false, detail: v2_grpc_refused(context, 'ServerReady', server.result) };
    }
    if (server.body.ready !== true)
        return { ready: false, detail: 'ServerReady answered ready: false' };
    const name = target.model ?? '';
    const asked = { name, ...(target.version === undefined ? {} : { version: target.version }) };
    let model = await v2_grpc_call(context, 'ModelReady', asked);
    // A wrong version must not look like "never ready": fall back to the model itself.
    if (target.version !== undefined && (model.result.status !== 0 || model.body.ready !== true)) {
        const any = await v2_grpc_call(context, 'ModelReady', { name });
        if (any.result.status === 0 && any.body.ready === true)
            model = any;
    }
    if (model.result.status !== 0) {
        return { ready: false, detail: v2_grpc_refused(context, 'ModelReady', model.result) };
    }
    const which = `'${name}'${target.version === undefined ? '' : ` version ${target.version}`}`;
    return model.body.ready === true
        ? { ready: true, detail: `ModelReady ${which} answered ready: true` }
        : { ready: false, detail: `ModelReady ${which} answered ready: false` };
}
async function v2_grpc_metadata(context, target) {
    const name = target.model ?? '';
    // Asking for the version itself says whether it is served (see the REST protocol).
    if (target.version !== undefined) {
        const versioned = await v2_grpc_call(context, 'ModelMetadata', { name, version: target.version });
        if (versioned.result.status === 0) {
            return { ...servedMetadata(versioned.body, []), versionServed: true };
        }
        if (context.client.isTransient(versioned.result.status)) {
            throw new types/* ProtocolError */.bd(`model metadata: ${v2_grpc_refused(context, 'ModelMetadata', versioned.result)}`, versioned.result.status);
        }
    }
    const { result, body } = await v2_grpc_call(context, 'ModelMetadata', { name });
    if (result.status !== 0) {
        throw new types/* ProtocolError */.bd(`model metadata: ${v2_grpc_refused(context, 'ModelMetadata', result)}`, result.status);
    }
    return servedMetadata(body, []);
}
function v2_grpc_readOutputs(body) {
    const response = body;
    if (response === null || typeof response !== 'object' || !Array.isArray(response.outputs)) {
        throw new types/* ProtocolError */.bd('the ModelInfer response has no outputs');
    }
    const raw = Array.isArray(response.raw_output_contents)
        ? response.raw_output_contents
        : [];
    const tensors = response.outputs.map((output, index) => v2_grpc_outputTensor(output, raw.length > 0 ? raw[index] : undefined, index));
    const outputs = { tensors };
    if (typeof response.model_name === 'string')
        outputs.model = response.model_name;
    if (typeof response.model_version === 'string' && response.model_version !== '') {
        outputs.version = response.model_version;
    }
    return outputs;
}
function grpcOpenInference(contents) {
    return {
        name: 'v2-grpc',
        transport: 'grpc',
        needsModel: true,
        probe: v2_grpc_probe,
        metadata: v2_grpc_metadata,
        inferenceRequest(target, body, served) {
            const asked = {
                model: target.model,
                version: servesVersion(target, served) ? target.version : undefined,
            };
            const message = body ?? sampleInputs(served);
            return rpc('ModelInfer', modelInferRequest(asked, message, contents));
        },
        readOutputs: v2_grpc_readOutputs,
    };
}

;// CONCATENATED MODULE: ./shared/smoke/protocols/v2.ts




/**
 * The Open Inference Protocol (KServe v2), spoken by Triton, MLServer,
 * KServe and others: health and model readiness are answered by the status
 * code alone; metadata declares name, versions and the tensor signature.
 */
function v2_modelPath(target, suffix) {
    const name = encodeURIComponent(target.model ?? '');
    return `/v2/models/${name}${suffix}`;
}
async function v2_get(context, path) {
    const result = await context.client.send({ method: 'GET', path });
    context.record(result);
    return result;
}
function v2_readMetadata(result) {
    return servedMetadata(parseJsonBody(result));
}
const openInferenceV2 = {
    name: 'v2',
    transport: 'http',
    needsModel: true,
    async probe(context, target) {
        const server = await v2_get(context, '/v2/health/ready');
        if (server.status !== 200) {
            return { ready: false, detail: `GET /v2/health/ready answered ${server.status}` };
        }
        const path = target.version === undefined
            ? v2_modelPath(target, '/ready')
            : v2_modelPath(target, `/versions/${encodeURIComponent(target.version)}/ready`);
        const model = await v2_get(context, path);
        if (model.status !== 200) {
            // A wrong version must not look like "never ready": fall back to the model itself.
            if (target.version !== undefined && model.status === 404) {
                const any = await v2_get(context, v2_modelPath(target, '/ready'));
                if (any.status === 200)
                    return { ready: true, detail: `GET ${any.path} answered 200` };
            }
            return {
                ready: false,
                detail: `GET ${path} answered ${model.status}: ${excerpt(model.text, 120)}`,
            };
        }
        return { ready: true, detail: `GET ${path} answered 200` };
    },
    async metadata(context, target) {
        // Asking for the version itself is how the protocol says which versions
        // are served: MLServer, for one, lists its dependencies in `versions`.
        if (target.version !== undefined) {
            const versioned = await context.client.send({
                method: 'GET',
                path: v2_modelPath(target, `/versions/${encodeURIComponent(target.version)}`),
            });
            if (versioned.status === 200) {
                context.record(versioned);
                return { ...v2_readMetadata(versioned), versionServed: true };
            }
            // Only "no such version" falls back to the model's own metadata; a server in trouble is retried.
            if (versioned.status >= 500 || versioned.status === 429) {
                throw new types/* ProtocolError */.bd(`model metadata GET ${versioned.path} answered ${versioned.status}: ${excerpt(versioned.text)}`, versioned.status);
            }
        }
        const result = await v2_get(context, v2_modelPath(target, ''));
        if (result.status !== 200) {
            throw new types/* ProtocolError */.bd(`model metadata GET ${result.path} answered ${result.status}: ${excerpt(result.text)}`, result.status);
        }
        return v2_readMetadata(result);
    },
    inferenceRequest(target, body, metadata) {
        const path = servesVersion(target, metadata)
            ? v2_modelPath(target, `/versions/${encodeURIComponent(target.version)}/infer`)
            : v2_modelPath(target, '/infer');
        if (body !== undefined)
            return { method: 'POST', path, body: JSON.stringify(body) };
        const request = sampleInputs(metadata);
        return { method: 'POST', path, body: JSON.stringify(request) };
    },
    readOutputs(body) {
        const response = body;
        if (response === null || typeof response !== 'object' || !Array.isArray(response.outputs)) {
            throw new types/* ProtocolError */.bd('the inference response has no `outputs` array');
        }
        const tensors = response.outputs.map((output, index) => {
            const data = flattenNumbers(output.data);
            return {
                name: typeof output.name === 'string' ? output.name : `output ${index}`,
                data: data ?? [],
                shape: Array.isArray(output.shape) ? output.shape.map(Number) : [],
            };
        });
        const outputs = { tensors };
        if (typeof response.model_name === 'string')
            outputs.model = response.model_name;
        if (response.model_version !== undefined && response.model_version !== '') {
            outputs.version = String(response.model_version);
        }
        return outputs;
    },
};

;// CONCATENATED MODULE: ./shared/smoke/protocols/index.ts








function protocolFor(name, http, grpcContents = 'typed') {
    switch (name) {
        case 'v2':
            return openInferenceV2;
        case 'v2-grpc':
            return grpcOpenInference(grpcContents);
        case 'tfserving':
            return tensorflowServing;
        case 'tfserving-grpc':
            return grpcTensorflowServing(grpcContents);
        case 'torchserve':
            return torchServe;
        case 'openai':
            return openAiCompatible;
        case 'http':
            return plainHttp(http);
    }
}

// EXTERNAL MODULE: ./shared/common/http.ts
var http = __webpack_require__(72316);
;// CONCATENATED MODULE: ./shared/smoke/readiness.ts





class NotReadyYet extends Error {
}
/** One probe, its outcome written to `log`; throws unless the server is ready. */
async function probeOnce(protocol, context, target, log) {
    log.attempts++;
    // Only the probe that found the server ready counts as its answer (for OpenAPI checks):
    // a proxy's 503 while pods start is not the model server speaking.
    const heard = [];
    let answer;
    try {
        answer = await protocol.probe({ ...context, record: (r) => heard.push(r) }, target);
    }
    catch (err) {
        log.lastNetwork = err instanceof network/* NetworkError */.Dr ? err : undefined;
        // gRPC's errors are not NetworkErrors; a refused certificate is named all the same.
        const tls = log.lastNetwork === undefined ? (0,http/* tlsProblem */.hE)(err) : undefined;
        log.refusedCertificate = log.lastNetwork?.kind === 'tls' || tls !== undefined;
        log.last =
            log.lastNetwork !== undefined
                ? log.lastNetwork.message
                : tls !== undefined
                    ? `${context.client.origin}: ${tls}`
                    : (0,common_errors/* errorMessage */.gJ)(err) + causeOf(err);
        throw err;
    }
    log.lastNetwork = undefined;
    log.everAnswered = true;
    log.last = answer.detail;
    if (!answer.ready)
        throw new NotReadyYet(answer.detail);
    for (const result of heard)
        context.record(result);
    return answer.detail;
}
/** Why the server is not ready: never answered (unreachable) or answered "not yet". */
function notReady(log, waitReadyMs) {
    const { attempts, last } = log;
    const seconds = (waitReadyMs / 1000).toFixed(waitReadyMs % 1000 === 0 ? 0 : 1);
    if (log.everAnswered) {
        return {
            kind: 'not-ready',
            message: `not ready after ${seconds}s (${attempts} probes); last answer: ${last}`,
        };
    }
    return {
        kind: 'unreachable',
        // A refused certificate is not waited out: say so rather than "no answer within".
        message: log.refusedCertificate
            ? last
            : `no answer within ${seconds}s (${attempts} ${attempts === 1 ? 'probe' : 'probes'}); last error: ${last}`,
        ...(log.lastNetwork?.hint === undefined ? {} : { hint: log.lastNetwork.hint }),
    };
}
/**
 * Probes until the protocol says ready or `waitReadyMs` runs out, backing
 * off from 250 ms to 5 s with jitter (the shared retry helper) so a slow
 * model load is not hammered. The last probe's answer or error is kept: it is
 * what tells the user why.
 */
async function waitUntilReady(protocol, context, target, options) {
    const started = Date.now();
    const log = {
        attempts: 0,
        last: 'no probe finished',
        lastNetwork: undefined,
        refusedCertificate: false,
        everAnswered: false,
    };
    try {
        const detail = await (0,retry/* withRetry */.bD)(() => probeOnce(protocol, context, target, log), {
            attempts: Number.MAX_SAFE_INTEGER,
            baseDelayMs: 250,
            maxDelayMs: 5000,
            signal: AbortSignal.timeout(Math.max(1, options.waitReadyMs)),
            // A refused certificate stays refused, as does a permission the service proxy
            // lacks: waiting longer only hides the reason.
            classify: (err) => ({
                retry: (0,http/* tlsProblem */.hE)(err) === undefined && !(err instanceof kube_forbidden/* ProxyAccessDenied */.oy),
            }),
            onRetry: ({ attempt, delayMs }) => options.logger.info(`not ready yet (probe ${attempt}: ${log.last}); next probe in ${Math.round(delayMs)} ms`),
            ...(options.sleep === undefined ? { sleep: retry/* sleep */.yy } : { sleep: options.sleep }),
        });
        return { ready: true, attempts: log.attempts, waitedMs: Date.now() - started, detail };
    }
    catch (err) {
        if (err instanceof kube_forbidden/* ProxyAccessDenied */.oy)
            throw err;
        const waitedMs = Date.now() - started;
        const failure = notReady(log, options.waitReadyMs);
        return { ready: false, attempts: log.attempts, waitedMs, detail: log.last, failure };
    }
}
/** undici hides the socket error (ECONNREFUSED…) in `cause`; it is the useful part. */
function causeOf(err) {
    const cause = err?.cause;
    if (cause === undefined)
        return '';
    const code = cause.code;
    return ` (${typeof code === 'string' ? code + ': ' : ''}${(0,common_errors/* errorMessage */.gJ)(cause)})`;
}

;// CONCATENATED MODULE: ./shared/smoke/smoke-test.ts









function loadFailures(load, slo, transport, isSuccess) {
    const failures = [];
    if (load.errorRate > slo.errorRate) {
        const kinds = [
            ...Object.entries(load.statuses)
                .filter(([s]) => !isSuccess(Number(s)))
                .map(([s, n]) => `${statusLabel(transport, Number(s))} ×${n}`),
            ...Object.entries(load.errors).map(([code, n]) => `${code} ×${n}`),
        ];
        failures.push({
            kind: 'server-errors',
            message: `${load.failed} of ${load.requests} requests failed (error rate ${(load.errorRate * 100).toFixed(2)}% > slo-error-rate ${(slo.errorRate * 100).toFixed(2)}%): ${kinds.join(', ')}`,
        });
    }
    if (slo.p95Ms !== undefined && load.latency.p95 > slo.p95Ms) {
        failures.push({
            kind: 'slo-miss',
            message: `p95 ${load.latency.p95.toFixed(1)} ms > slo-p95-ms ${slo.p95Ms} (p50 ${load.latency.p50.toFixed(1)} ms, p99 ${load.latency.p99.toFixed(1)} ms over ${load.requests} requests at concurrency ${load.concurrency})`,
        });
    }
    return failures;
}
/** The load against the SLOs, with the request that the inference check found to work. */
async function checkLoad(client, request, options) {
    const { logger } = options;
    logger.info(`load: ${options.requests} requests at concurrency ${options.concurrency} after ${options.warmup} warm-up requests`);
    const expectedStatus = options.expect?.status;
    const isSuccess = expectedStatus === undefined
        ? (s) => client.isSuccess(s)
        : (s) => s === expectedStatus;
    const load = await runLoad(client, {
        requests: options.requests,
        concurrency: options.concurrency,
        warmup: options.warmup,
        request,
        isSuccess,
    });
    const { latency } = load;
    logger.info(`p50 ${latency.p50.toFixed(1)} ms, p95 ${latency.p95.toFixed(1)} ms, p99 ${latency.p99.toFixed(1)} ms, ` +
        `${load.requestsPerSecond.toFixed(0)} requests/s, error rate ${(load.errorRate * 100).toFixed(2)}%`);
    for (const example of load.examples.slice(0, 3))
        logger.info(`failed request: ${example}`);
    return { load, failures: loadFailures(load, options.slo, client, isSuccess) };
}
/**
 * The transport the protocol speaks. gRPC is loaded only when a gRPC
 * protocol is used, so a REST smoke test does not pay for it.
 */
async function openTransport(protocol, options) {
    if (protocol.transport === 'grpc') {
        const { GrpcClient } = await Promise.all(/* import() */[__webpack_require__.e(3033), __webpack_require__.e(3690)]).then(__webpack_require__.bind(__webpack_require__, 33690));
        return new GrpcClient(options.endpoint, { timeoutMs: options.timeoutMs });
    }
    return new SmokeClient(options.endpoint, {
        timeoutMs: options.timeoutMs,
        connections: options.concurrency,
    });
}
function openManagement(options) {
    return options.management === undefined
        ? undefined
        : new SmokeClient(options.management, { timeoutMs: options.timeoutMs, connections: 1 });
}
/** The checks after readiness: metadata, one inference, OpenAPI conformance, then the load. */
async function checkReadyServer(protocol, context, responses, options, started) {
    const { metadata, failures } = await checkMetadata(protocol, context, options);
    const result = {
        failures,
        metadata,
        inference: undefined,
        validatedResponses: 0,
        load: undefined,
    };
    let request;
    try {
        request = protocol.inferenceRequest(options.target, options.request, metadata);
    }
    catch (err) {
        return {
            ...result,
            failures: [...failures, { kind: 'wrong-metadata', message: (0,common_errors/* errorMessage */.gJ)(err) }],
        };
    }
    const inference = await checkInference(protocol, context, request, { ...options, metadata });
    const firstCorrectMs = inference.inference !== undefined && inference.failures.length === 0
        ? Date.now() - started
        : undefined;
    const conformance = options.openapi === undefined
        ? { validated: 0, failures: [] }
        : (0,openapi_conformance/* checkConformance */.c)(options.openapi, responses, options.logger);
    const loaded = options.requests > 0 ? await checkLoad(context.client, inference.request, options) : undefined;
    return {
        failures: [
            ...failures,
            ...inference.failures,
            ...conformance.failures,
            ...(loaded?.failures ?? []),
        ],
        metadata,
        inference: inference.inference,
        validatedResponses: conformance.validated,
        load: loaded?.load,
        ...(firstCorrectMs === undefined ? {} : { firstCorrectMs }),
    };
}
/**
 * The whole smoke test of one endpoint: readiness, metadata, one checked
 * inference, then load against the SLOs. It stops early only when the server
 * never becomes ready; otherwise every check runs so the verdict lists all
 * that is wrong.
 */
async function smokeTestEndpoint(options) {
    const { logger } = options;
    const protocol = protocolFor(options.protocol, options.http, options.grpcContents);
    if (protocol.transport === 'grpc' && options.expect?.status !== undefined) {
        throw new common_errors/* UserError */.yo(`expect.status is an HTTP status, and protocol ${options.protocol} speaks gRPC, whose calls pass on status OK`, { hint: 'remove `status` from `expect`' });
    }
    const client = await openTransport(protocol, options);
    const management = openManagement(options);
    const responses = [];
    const context = { client, management, record: (r) => responses.push(r) };
    const started = Date.now();
    try {
        logger.info(`waiting up to ${Math.round(options.waitReadyMs / 1000)}s for ${options.endpoint.displayName} to be ready (${options.protocol})`);
        const readiness = await waitUntilReady(protocol, context, options.target, {
            waitReadyMs: options.waitReadyMs,
            logger,
        });
        if (!readiness.ready) {
            const failures = [readiness.failure];
            return {
                passed: false,
                failures,
                readiness,
                metadata: undefined,
                inference: undefined,
                validatedResponses: 0,
                load: undefined,
            };
        }
        logger.info(`ready after ${readiness.waitedMs} ms: ${readiness.detail}`);
        const checked = await checkReadyServer(protocol, context, responses, options, started);
        return { passed: checked.failures.length === 0, readiness, ...checked };
    }
    finally {
        await client.close();
        await management?.close();
    }
}


/***/ })

};
