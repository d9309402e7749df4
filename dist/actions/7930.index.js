export const id = 7930;
export const ids = [7930,4875];
export const modules = {

/***/ 64875:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   NL: () => (/* binding */ azureAccessToken),
/* harmony export */   azureCredential: () => (/* binding */ azureCredential)
/* harmony export */ });
/* unused harmony exports AZURE_FEDERATION_AUDIENCE, githubOidcToken */
/* harmony import */ var _azure_identity__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(91491);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(52639);
/* harmony import */ var _common_http_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(72316);
/* harmony import */ var _common_bounded_body_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(93324);




/** The audience Entra expects in a GitHub OIDC token used as a federated credential. */
const AZURE_FEDERATION_AUDIENCE = 'api://AzureADTokenExchange';
/**
 * A GitHub Actions OIDC token for `audience`, from the runner's token service
 * (needs `permissions: id-token: write`).
 */
async function githubOidcToken(audience, logger, env = process.env) {
    const url = env.ACTIONS_ID_TOKEN_REQUEST_URL;
    const bearer = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
    if (!url || !bearer) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo('no GitHub OIDC token is available to this job', {
            hint: 'add `permissions: id-token: write` to the job (needed for azure-client-id / azure-tenant-id)',
        });
    }
    const target = new URL(url);
    target.searchParams.set('audience', audience);
    const response = await (0,_common_http_js__WEBPACK_IMPORTED_MODULE_2__/* .httpFetch */ .tX)(target.toString(), {
        headers: { authorization: `Bearer ${bearer}`, accept: 'application/json' },
        timeoutMs: 30_000,
        server: 'GitHub OIDC token service',
    });
    if (!response.ok) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo(`the GitHub OIDC token service answered HTTP ${response.status}`);
    }
    let value;
    try {
        ({ value } = JSON.parse(await (0,_common_bounded_body_js__WEBPACK_IMPORTED_MODULE_3__/* .readText */ .yR)(response.body, _common_bounded_body_js__WEBPACK_IMPORTED_MODULE_3__/* .MiB */ .lv, 'the GitHub OIDC token service')));
    }
    catch (err) {
        if (err instanceof _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo)
            throw err;
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo('the GitHub OIDC token service answered without JSON', { cause: err });
    }
    if (!value)
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo('the GitHub OIDC token service returned no token');
    logger.secret(value);
    return value;
}
const KNOWN_AUTHORITIES = new Set([
    'login.microsoftonline.com',
    'login.microsoftonline.us',
    'login.chinacloudapi.cn',
    'login.partner.microsoftonline.cn',
]);
/**
 * With a client and tenant id: the GitHub OIDC token as a client assertion
 * (workload identity federation, no secret). Otherwise DefaultAzureCredential,
 * which picks up azure/login (the Azure CLI), environment variables or a
 * managed identity. AZURE_AUTHORITY_HOST points both at another cloud.
 */
function azureCredential(options) {
    const env = options.env ?? process.env;
    const authorityHost = env.AZURE_AUTHORITY_HOST;
    const common = authorityHost
        ? {
            authorityHost,
            // Instance discovery asks the public cloud about the authority; a
            // sovereign or private authority (Azure Stack, ADFS) must skip it.
            disableInstanceDiscovery: !KNOWN_AUTHORITIES.has(new URL(authorityHost).host),
        }
        : {};
    if (options.clientId || options.tenantId) {
        if (!options.clientId || !options.tenantId) {
            throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo('azure-client-id and azure-tenant-id must be given together', {
                hint: 'give both (the app registration or managed identity with a federated credential for this repository), or neither to use azure/login',
            });
        }
        return new _azure_identity__WEBPACK_IMPORTED_MODULE_0__/* .ClientAssertionCredential */ .XI(options.tenantId, options.clientId, () => githubOidcToken(AZURE_FEDERATION_AUDIENCE, options.logger, env), common);
    }
    return new _azure_identity__WEBPACK_IMPORTED_MODULE_0__/* .DefaultAzureCredential */ .gv(common);
}
/** An Entra access token for `scope`, masked, with a failure the user can act on. */
async function azureAccessToken(credential, scope, logger) {
    let token;
    try {
        token = await credential.getToken(scope);
    }
    catch (err) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo(`could not get an Entra token for ${scope}: ${err.message.split('\n')[0]}`, {
            hint: 'run azure/login before this step, or give azure-client-id and azure-tenant-id with `permissions: id-token: write`',
            cause: err,
        });
    }
    if (!token?.token)
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo(`Entra returned no token for ${scope}`);
    logger.secret(token.token);
    return token.token;
}


/***/ }),

/***/ 17930:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   acrRegistryAccess: () => (/* binding */ acrRegistryAccess)
/* harmony export */ });
/* unused harmony export ACR_SCOPE */
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(52639);
/* harmony import */ var _common_http_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(72316);
/* harmony import */ var _common_retry_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(80272);
/* harmony import */ var _credentials_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(64875);
/* harmony import */ var _common_bounded_body_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(93324);





/** The Entra scope ACR accepts for its token exchange. */
const ACR_SCOPE = 'https://containerregistry.azure.net/.default';
/**
 * ACR: an Entra access token is exchanged at `POST /oauth2/exchange` for an
 * ACR refresh token; the registry client then trades that at `/oauth2/token`
 * for an access token per repository scope when the registry challenges it.
 */
function acrRegistryAccess(options) {
    return {
        async credential() {
            const { host, logger } = options;
            const credential = options.credential ??
                (0,_credentials_js__WEBPACK_IMPORTED_MODULE_3__.azureCredential)({ clientId: options.clientId, tenantId: options.tenantId, logger });
            const aadToken = await (0,_credentials_js__WEBPACK_IMPORTED_MODULE_3__/* .azureAccessToken */ .NL)(credential, ACR_SCOPE, logger);
            const form = new URLSearchParams({
                grant_type: 'access_token',
                service: host,
                access_token: aadToken,
            });
            if (options.tenantId)
                form.set('tenant', options.tenantId);
            const url = `${(0,_common_http_js__WEBPACK_IMPORTED_MODULE_1__/* .baseUrlFor */ .aU)(host, options.insecureHosts)}/oauth2/exchange`;
            const body = await (0,_common_retry_js__WEBPACK_IMPORTED_MODULE_2__/* .withRetry */ .bD)(async () => {
                const response = await (0,_common_http_js__WEBPACK_IMPORTED_MODULE_1__/* .httpFetch */ .tX)(url, {
                    method: 'POST',
                    headers: { 'content-type': 'application/x-www-form-urlencoded' },
                    body: form.toString(),
                    timeoutMs: 30_000,
                    server: 'ACR token service',
                });
                if (response.status === 401 || response.status === 403) {
                    const text = await (0,_common_bounded_body_js__WEBPACK_IMPORTED_MODULE_4__/* .readText */ .yR)(response.body, 64 * _common_bounded_body_js__WEBPACK_IMPORTED_MODULE_4__/* .KiB */ .ty, `registry ${host}`)
                        .then(_common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .oneLine */ .TN)
                        .catch(() => '');
                    throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`registry ${host} refused the Entra token at /oauth2/exchange (HTTP ${response.status}) ${(0,_common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .oneLine */ .TN)(text).slice(0, 200)}`, { hint: 'give the identity the AcrPush role on this registry' });
                }
                if (!response.ok) {
                    throw new _common_retry_js__WEBPACK_IMPORTED_MODULE_2__/* .HttpStatusError */ .F9(response.status, url, `the ACR token exchange at ${host} answered HTTP ${response.status}`, response.headers.get('retry-after'));
                }
                try {
                    return JSON.parse(await (0,_common_bounded_body_js__WEBPACK_IMPORTED_MODULE_4__/* .readText */ .yR)(response.body, _common_bounded_body_js__WEBPACK_IMPORTED_MODULE_4__/* .MiB */ .lv, `the ACR token exchange at ${host}`));
                }
                catch (err) {
                    if (err instanceof _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo)
                        throw err;
                    throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`the ACR token exchange at ${host} answered without JSON`, {
                        cause: err,
                    });
                }
            });
            if (!body.refresh_token)
                throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`the ACR token exchange at ${host} returned no refresh token`);
            logger.secret(body.refresh_token);
            return { kind: 'refresh-token', refreshToken: body.refresh_token };
        },
    };
}


/***/ }),

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
