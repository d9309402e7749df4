export const id = 9230;
export const ids = [9230];
export const modules = {

/***/ 66742:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ky: () => (/* binding */ googleAuth),
/* harmony export */   d6: () => (/* binding */ googleAccessToken)
/* harmony export */ });
/* unused harmony export CLOUD_PLATFORM_SCOPE */
/* harmony import */ var google_auth_library__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(492);
/* harmony import */ var google_auth_library__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(google_auth_library__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(52639);


const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
/**
 * Google application default credentials: the file google-github-actions/auth
 * writes (workload identity federation or a key), the gcloud user file, or
 * the metadata server on Google compute.
 */
function googleAuth() {
    return new google_auth_library__WEBPACK_IMPORTED_MODULE_0__.GoogleAuth({ scopes: [CLOUD_PLATFORM_SCOPE] });
}
async function googleAccessToken(auth, logger) {
    let token;
    try {
        token = await auth.getAccessToken();
    }
    catch (err) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo(`could not get a Google access token: ${err.message.split('\n')[0]}`, {
            hint: 'run google-github-actions/auth before this step (workload_identity_provider + service_account)',
            cause: err,
        });
    }
    if (!token)
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo('Google application default credentials returned no access token');
    logger.secret(token);
    return token;
}


/***/ }),

/***/ 49230:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   gcsObjectReader: () => (/* binding */ gcsObjectReader)
/* harmony export */ });
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(57075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(52639);
/* harmony import */ var _common_http_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(72316);
/* harmony import */ var _common_retry_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(80272);
/* harmony import */ var _credentials_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(66742);





function gcsObjectReader(options) {
    const env = options.env ?? process.env;
    const auth = options.auth ?? (0,_credentials_js__WEBPACK_IMPORTED_MODULE_4__/* .googleAuth */ .Ky)();
    let token;
    const bucket = {
        endpoint: (options.endpoint ??
            env.MODEL_DEPLOY_GCS_ENDPOINT ??
            'https://storage.googleapis.com').replace(/\/+$/, ''),
        name: options.bucket,
        bearer: () => (token ??= (0,_credentials_js__WEBPACK_IMPORTED_MODULE_4__/* .googleAccessToken */ .d6)(auth, options.logger)),
    };
    return {
        async exists(name) {
            const response = await request(bucket, name, objectUrl(bucket, name, false));
            if (response.status === 404) {
                await response.body?.cancel();
                return false;
            }
            if (!response.ok)
                return refused(bucket, response, name);
            await response.body?.cancel();
            return true;
        },
        async open(name) {
            const response = await request(bucket, name, objectUrl(bucket, name, true));
            if (!response.ok || response.body === null)
                return refused(bucket, response, name);
            return node_stream__WEBPACK_IMPORTED_MODULE_0__.Readable.fromWeb(response.body);
        },
        list: (prefix) => listObjects(bucket, prefix),
    };
}
// The JSON API takes the whole object name as one path segment, slashes encoded.
function objectUrl(bucket, name, media) {
    return `${bucket.endpoint}/storage/v1/b/${encodeURIComponent(bucket.name)}/o/${encodeURIComponent(name)}${media ? '?alt=media' : ''}`;
}
function what(bucket, name) {
    return `gs://${bucket.name}/${name}`;
}
/** A GET of `target`, retried on 5xx and 429; other answers go back to the caller. */
async function request(bucket, name, target) {
    const authorization = `Bearer ${await bucket.bearer()}`;
    return (0,_common_retry_js__WEBPACK_IMPORTED_MODULE_3__/* .withRetry */ .bD)(async () => {
        const response = await (0,_common_http_js__WEBPACK_IMPORTED_MODULE_2__/* .httpFetch */ .tX)(target, {
            headers: { authorization },
            // A model object may take long; only a stalled transfer is cut off.
            timeoutMs: 0,
            server: 'Google Cloud Storage API',
        });
        if (response.status >= 500 || response.status === 429) {
            await response.body?.cancel();
            throw new _common_retry_js__WEBPACK_IMPORTED_MODULE_3__/* .HttpStatusError */ .F9(response.status, target, `Cloud Storage answered HTTP ${response.status} for ${what(bucket, name)}`, response.headers.get('retry-after'));
        }
        return response;
    });
}
async function refused(bucket, response, name) {
    let reason = '';
    try {
        const body = (await response.json());
        reason = body.error?.message ? `: ${body.error.message}` : '';
    }
    catch {
        // The status alone still says enough.
    }
    throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo(`Cloud Storage refused reading ${what(bucket, name)} (${response.status})${reason}`, {
        hint: response.status === 401 || response.status === 403
            ? 'give the service account roles/storage.objectViewer on the bucket, and run google-github-actions/auth before this step'
            : 'check the bucket and path (the DVC remote url in .dvc/config, or the MLflow artifact location)',
    });
}
/** Every object under `prefix`, page by page. */
async function listObjects(bucket, prefix) {
    const objects = [];
    let pageToken;
    do {
        const query = new URLSearchParams({ prefix, ...(pageToken ? { pageToken } : {}) });
        const target = `${bucket.endpoint}/storage/v1/b/${encodeURIComponent(bucket.name)}/o?${query.toString()}`;
        const response = await request(bucket, prefix, target);
        if (!response.ok)
            return refused(bucket, response, prefix);
        const page = (await response.json());
        for (const item of page.items ?? []) {
            if (typeof item.name === 'string')
                objects.push({ key: item.name, size: Number(item.size ?? 0) });
        }
        pageToken = page.nextPageToken;
    } while (pageToken);
    return objects;
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


/***/ })

};
