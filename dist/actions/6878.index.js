export const id = 6878;
export const ids = [6878];
export const modules = {

/***/ 9112:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $$: () => (/* binding */ isIndexMediaType),
/* harmony export */   CM: () => (/* binding */ isManifestMediaType),
/* harmony export */   dY: () => (/* binding */ MANIFEST_ACCEPT),
/* harmony export */   oI: () => (/* binding */ toOciLayerMediaType),
/* harmony export */   zu: () => (/* binding */ MediaType)
/* harmony export */ });
/** Media types from the OCI image spec, plus the Docker ones a base image may still use. */
const MediaType = {
    ociManifest: 'application/vnd.oci.image.manifest.v1+json',
    ociIndex: 'application/vnd.oci.image.index.v1+json',
    ociConfig: 'application/vnd.oci.image.config.v1+json',
    ociLayer: 'application/vnd.oci.image.layer.v1.tar',
    ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
    ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
    dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
    dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
    dockerConfig: 'application/vnd.docker.container.image.v1+json',
    dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
    dockerForeignLayerGzip: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
};
function isIndexMediaType(mediaType) {
    return mediaType === MediaType.ociIndex || mediaType === MediaType.dockerManifestList;
}
function isManifestMediaType(mediaType) {
    return mediaType === MediaType.ociManifest || mediaType === MediaType.dockerManifest;
}
/** Accept header for reading a manifest or index in any of the formats a registry may hold. */
const MANIFEST_ACCEPT = [
    MediaType.ociIndex,
    MediaType.ociManifest,
    MediaType.dockerManifestList,
    MediaType.dockerManifest,
].join(', ');
/**
 * Docker-format base layers referenced from an OCI manifest: the bytes are the
 * same gzip tar, and tools check that an OCI manifest uses OCI layer types.
 */
function toOciLayerMediaType(mediaType) {
    if (mediaType === MediaType.dockerLayerGzip)
        return MediaType.ociLayerGzip;
    if (mediaType === MediaType.dockerForeignLayerGzip) {
        return 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip';
    }
    return mediaType;
}


/***/ }),

/***/ 96878:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  b: () => (/* binding */ RegistryClient)
});

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
// EXTERNAL MODULE: ./shared/common/errors.ts
var errors = __webpack_require__(52639);
// EXTERNAL MODULE: ./shared/common/logger.ts
var logger = __webpack_require__(90828);
// EXTERNAL MODULE: ./shared/common/http.ts
var http = __webpack_require__(72316);
// EXTERNAL MODULE: ./shared/common/network.ts
var network = __webpack_require__(21084);
// EXTERNAL MODULE: ./shared/common/retry.ts
var retry = __webpack_require__(80272);
// EXTERNAL MODULE: ./shared/oci/digest.ts
var oci_digest = __webpack_require__(60162);
// EXTERNAL MODULE: ./shared/oci/media-types.ts
var media_types = __webpack_require__(9112);
// EXTERNAL MODULE: ./shared/common/bounded-body.ts
var bounded_body = __webpack_require__(93324);
;// CONCATENATED MODULE: ./shared/registry/auth.ts




/** `repository:<name>:pull` or `repository:<name>:pull,push`. */
function repositoryScope(repository, actions) {
    return `repository:${repository}:${[...actions].sort().join(',')}`;
}
/** What the registry's 401 said; remembered so later requests authenticate up front. */
class Authenticator {
    challenge;
    tokens = new Map();
    pending = new Map();
    options;
    /** Token endpoint calls made, for fault tests (no retry storm on bad credentials). */
    tokenRequests = 0;
    constructor(options) {
        this.options = options;
        const { credential, logger } = options;
        if (credential.kind === 'basic')
            logger.secret(credential.password);
        if (credential.kind === 'bearer')
            logger.secret(credential.token);
        if (credential.kind === 'refresh-token')
            logger.secret(credential.refreshToken);
    }
    get knownChallenge() {
        return this.challenge;
    }
    setChallenge(challenge) {
        this.challenge = challenge;
    }
    /** The Authorization header for these scopes, or undefined before any challenge is known. */
    async header(scopes) {
        const { credential } = this.options;
        if (credential.kind === 'bearer')
            return `Bearer ${credential.token}`;
        const challenge = this.challenge;
        if (challenge === undefined)
            return undefined;
        if (challenge.scheme === 'basic') {
            if (credential.kind !== 'basic')
                return undefined;
            return basicHeader(credential.username, credential.password);
        }
        const key = [...new Set(scopes)].sort().join(' ');
        const now = (this.options.now ?? Date.now)();
        const cached = this.tokens.get(key);
        if (cached && cached.expiresAt > now)
            return cached.header;
        let inflight = this.pending.get(key);
        if (inflight === undefined) {
            inflight = this.fetchToken(challenge, key === '' ? [] : key.split(' ')).finally(() => this.pending.delete(key));
            this.pending.set(key, inflight);
        }
        const token = await inflight;
        this.tokens.set(key, token);
        return token.header;
    }
    /** Forget a token the registry refused so the next request fetches a fresh one. */
    invalidate(scopes) {
        this.tokens.delete([...new Set(scopes)].sort().join(' '));
    }
    async fetchToken(challenge, scopes) {
        const { registry, credential, logger, insecureHosts } = this.options;
        const realm = challenge.params.realm;
        if (!realm) {
            throw new errors/* UserError */.yo(`registry ${registry} asked for a Bearer token but named no realm`);
        }
        const url = (0,http/* assertSafeUrl */.jQ)(realm, insecureHosts);
        const service = challenge.params.service;
        const allScopes = [...scopes];
        for (const s of (challenge.params.scope ?? '').split(' ')) {
            if (s !== '' && !allScopes.includes(s))
                allScopes.push(s);
        }
        const started = (this.options.now ?? Date.now)();
        const request = { registry, url, service, scopes: allScopes, credential };
        const body = await (0,retry/* withRetry */.bD)(() => {
            this.tokenRequests++;
            return requestToken(request);
        }, {
            attempts: this.options.retry?.attempts ?? 4,
            baseDelayMs: this.options.retry?.baseDelayMs ?? 500,
            onRetry: ({ delayMs, error }) => logger.info(`retrying the token request to ${registry} in ${Math.round(delayMs)}ms (${error.message})`),
        });
        const token = body.token ?? body.access_token;
        if (!token)
            throw new errors/* UserError */.yo(`the token endpoint of ${registry} returned no token`);
        logger.secret(token);
        // The token spec's default lifetime is 60 s; renew a little early.
        const lifetimeS = Math.max(10, body.expires_in ?? 60);
        return { header: `Bearer ${token}`, expiresAt: started + (lifetimeS - 5) * 1000 };
    }
}
const TOKEN_TIMEOUT_MS = 30_000;
/** OAuth2 refresh-token grant (POST) for a refresh token; otherwise the GET form, Basic when there is a login. */
function sendTokenRequest(request) {
    const { url, service, scopes, credential, registry } = request;
    const server = `token service of registry ${registry}`;
    if (credential.kind === 'refresh-token') {
        const form = new URLSearchParams({
            grant_type: 'refresh_token',
            refresh_token: credential.refreshToken,
            client_id: 'model-deploy',
        });
        if (service)
            form.set('service', service);
        if (scopes.length > 0)
            form.set('scope', scopes.join(' '));
        return (0,http/* httpFetch */.tX)(url.toString(), {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: form.toString(),
            timeoutMs: TOKEN_TIMEOUT_MS,
            server,
        });
    }
    const query = new URL(url);
    if (service)
        query.searchParams.set('service', service);
    for (const s of scopes)
        query.searchParams.append('scope', s);
    const headers = {};
    if (credential.kind === 'basic') {
        headers.authorization = basicHeader(credential.username, credential.password);
    }
    return (0,http/* httpFetch */.tX)(query.toString(), { headers, timeoutMs: TOKEN_TIMEOUT_MS, server });
}
/** One token request and its answer read: refused credentials and other failures in words. */
async function requestToken(request) {
    const { registry, url, credential } = request;
    const response = await sendTokenRequest(request);
    if (response.status === 401 || response.status === 403) {
        await response.body?.cancel();
        throw new errors/* UserError */.yo(`registry ${registry} refused the credentials (HTTP ${response.status} from its token endpoint ${url.origin}${url.pathname})`, { hint: credentialHint(credential) });
    }
    if (!response.ok) {
        const text = await (0,bounded_body/* readText */.yR)(response.body, 64 * bounded_body/* KiB */.ty, `the token endpoint of ${registry}`)
            .then(errors/* oneLine */.TN)
            .catch(() => '');
        throw new retry/* HttpStatusError */.F9(response.status, url.toString(), `token endpoint of ${registry} answered HTTP ${response.status}: ${(0,errors/* oneLine */.TN)(text).slice(0, 200)}`, response.headers.get('retry-after'));
    }
    const answer = await (0,bounded_body/* readText */.yR)(response.body, bounded_body/* MiB */.lv, `the token endpoint of ${registry}`);
    try {
        return JSON.parse(answer);
    }
    catch {
        throw new errors/* UserError */.yo(`the token endpoint of ${registry} (${url.origin}) answered HTTP ${response.status} without JSON`);
    }
}
function basicHeader(username, password) {
    return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}
function credentialHint(credential) {
    switch (credential.kind) {
        case 'anonymous':
            return 'this registry needs credentials: give username/password, or log in before this step';
        case 'basic':
            return 'check the username and password (or the cloud login step) for this registry';
        default:
            return 'check the identity used to log in to this registry and its permissions';
    }
}

;// CONCATENATED MODULE: ./shared/registry/challenge.ts
function parseChallenges(header) {
    if (!header)
        return [];
    const challenges = [];
    let i = 0;
    const text = header;
    const skipSpaces = () => {
        while (i < text.length && /[\s,]/.test(text[i]))
            i++;
    };
    const readToken = () => {
        const start = i;
        while (i < text.length && /[!#$%&'*+\-.^_`|~0-9A-Za-z]/.test(text[i]))
            i++;
        return text.slice(start, i);
    };
    while (i < text.length) {
        skipSpaces();
        const scheme = readToken();
        if (scheme === '')
            break;
        const challenge = { scheme: scheme.toLowerCase(), params: {} };
        challenges.push(challenge);
        for (;;) {
            while (i < text.length && /\s/.test(text[i]))
                i++;
            const mark = i;
            const name = readToken();
            while (i < text.length && /\s/.test(text[i]))
                i++;
            if (name === '' || text[i] !== '=') {
                // Not a parameter: it is the next challenge's scheme.
                i = mark;
                break;
            }
            i++;
            while (i < text.length && /\s/.test(text[i]))
                i++;
            let value = '';
            if (text[i] === '"') {
                i++;
                while (i < text.length && text[i] !== '"') {
                    if (text[i] === '\\' && i + 1 < text.length)
                        i++;
                    value += text[i];
                    i++;
                }
                i++;
            }
            else {
                value = readToken();
            }
            challenge.params[name.toLowerCase()] = value;
            while (i < text.length && /\s/.test(text[i]))
                i++;
            if (text[i] === ',')
                i++;
            else
                break;
        }
    }
    return challenges;
}
/** The challenge we can answer, Bearer preferred over Basic. */
function pickChallenge(challenges) {
    return (challenges.find((c) => c.scheme === 'bearer') ?? challenges.find((c) => c.scheme === 'basic'));
}

// EXTERNAL MODULE: ./shared/registry/errors.ts
var registry_errors = __webpack_require__(43181);
;// CONCATENATED MODULE: ./shared/registry/client.ts












/**
 * The OCI Distribution API for one registry host: auth challenges, manifests,
 * blobs. Retries with the one shared retry helper; a 401 gets one fresh token
 * and then becomes a UserError, never a retry storm.
 */
class RegistryClient {
    registry;
    baseUrl;
    logger;
    auth;
    insecureHosts;
    timeoutMs;
    input;
    retryOptions;
    pinged = false;
    /** Requests sent, for tests that check there is no retry storm. */
    requestCount = 0;
    constructor(options) {
        this.registry = options.registry;
        this.insecureHosts = options.insecureHosts ?? [];
        this.baseUrl = (0,http/* baseUrlFor */.aU)(options.registry, this.insecureHosts);
        this.logger = options.logger ?? logger/* silentLogger */.qq;
        this.timeoutMs = options.timeoutMs ?? 60_000;
        this.input = options.input;
        this.retryOptions = options.retry;
        this.auth = new Authenticator({
            registry: options.registry,
            credential: options.credential ?? { kind: 'anonymous' },
            logger: this.logger,
            insecureHosts: this.insecureHosts,
            retry: options.retry,
        });
    }
    /** How a failure to reach this registry names it, and what to check. */
    get peer() {
        return {
            server: 'registry',
            ...(this.input === undefined ? {} : { input: this.input }),
            hints: {
                tls: `${network/* TLS_HINT */.qN} (insecure-registries allows plain http, not unverified https)`,
                'not-tls': `if the registry has no TLS, list '${this.registry}' in insecure-registries`,
            },
        };
    }
    resolve(url) {
        if (url.startsWith('/'))
            return this.baseUrl + url;
        return (0,http/* assertSafeUrl */.jQ)(url, this.insecureHosts).toString();
    }
    /** Learns the auth challenge once, so the first real request carries credentials. */
    async ping() {
        if (this.pinged)
            return;
        await this.send({
            method: 'GET',
            url: '/v2/',
            scopes: [],
            expect: [200],
            what: 'reaching /v2/',
        });
        this.pinged = true;
    }
    retrying(what, task) {
        return (0,retry/* withRetry */.bD)(task, {
            attempts: 5,
            ...this.retryOptions,
            onRetry: ({ attempt, delayMs, error }) => this.logger.info(`${this.registry}: ${what} failed (${error.message}); retry ${attempt} in ${(delayMs / 1000).toFixed(1)}s`),
        });
    }
    async send(request) {
        const once = () => this.sendOnce(request);
        if (request.retry === false)
            return once();
        return this.retrying(request.what, once);
    }
    /** Whether a URL is the registry's own origin (scheme, host and port): the only one our credentials go to. */
    isRegistryOrigin(url) {
        return new URL(url).origin === new URL(this.baseUrl).origin;
    }
    /**
     * One request, with the registry's credentials only while it goes to the
     * registry's own origin: an upload Location or a redirect on another host
     * gets no Authorization header. Redirects are followed here, not by fetch,
     * so each hop is checked (https unless allowed) and a downgrade is refused.
     */
    async attempt(request, url, authorization) {
        let target = url;
        for (let hops = 0;; hops++) {
            this.requestCount++;
            const headers = { ...request.headers };
            if (authorization && this.isRegistryOrigin(target))
                headers.authorization = authorization;
            const response = await (0,http/* httpFetch */.tX)(target, {
                method: request.method,
                headers,
                body: hops === 0 ? (request.body?.() ?? undefined) : undefined,
                timeoutMs: request.timeoutMs ?? this.timeoutMs,
                idleTimeoutMs: request.idleTimeoutMs,
                redirect: 'manual',
                ...this.peer,
            });
            const redirected = [301, 302, 303, 307, 308].includes(response.status);
            if (!redirected || request.redirect === 'manual')
                return response;
            const location = response.headers.get('location');
            await response.body?.cancel();
            if (request.body !== undefined) {
                throw new errors/* UserError */.yo(`registry ${this.registry} redirected ${request.what} (HTTP ${response.status}); a request with a body is not sent again elsewhere`);
            }
            if (!location || hops >= 5) {
                throw new errors/* UserError */.yo(`registry ${this.registry} redirected ${request.what} ${location ? 'more than 5 times' : 'without a Location'}`);
            }
            target = (0,http/* assertSafeUrl */.jQ)(new URL(location, target).toString(), this.insecureHosts).toString();
        }
    }
    async sendOnce(request) {
        const url = this.resolve(request.url);
        const attempt = (authorization) => this.attempt(request, url, authorization);
        let response = await attempt(await this.auth.header(request.scopes));
        if (response.status === 401 && !this.isRegistryOrigin(response.url || url)) {
            await response.body?.cancel();
            throw new errors/* UserError */.yo(`registry ${this.registry} sent ${request.what} to ${new URL(response.url || url).origin}, which asked for credentials; the registry's credentials are only sent to ${new URL(this.baseUrl).origin}`, {
                hint: 'a registry whose uploads or downloads live on another host must give that host a URL that needs no credentials (e.g. a presigned one)',
            });
        }
        if (response.status === 401) {
            const challenge = pickChallenge(parseChallenges(response.headers.get('www-authenticate')));
            await response.body?.cancel();
            if (challenge === undefined) {
                throw new errors/* UserError */.yo(`registry ${this.registry} answered 401 to ${request.what} without a usable challenge`);
            }
            const hadCredentials = this.auth.knownChallenge !== undefined;
            this.auth.setChallenge(challenge);
            this.auth.invalidate(request.scopes);
            const scopes = [...request.scopes];
            // A registry may ask for more than we guessed (e.g. the source repo of a mount).
            for (const s of (challenge.params.scope ?? '').split(' ')) {
                if (s !== '' && !scopes.includes(s))
                    scopes.push(s);
            }
            const authorization = await this.auth.header(scopes);
            if (authorization === undefined) {
                throw new errors/* UserError */.yo(`registry ${this.registry} needs credentials for ${request.what}`, {
                    hint: 'give username and password, or log in to this registry before this step',
                });
            }
            if (request.body !== undefined && request.retry === false) {
                // A stream already consumed cannot be sent again; the caller resumes.
                throw new registry_errors/* StaleTokenError */.H0(`registry ${this.registry} asked for a fresh token during ${request.what}`);
            }
            response = await attempt(authorization);
            if (response.status === 401) {
                await response.body?.cancel();
                throw new errors/* UserError */.yo(`registry ${this.registry} refused the credentials for ${request.what} (HTTP 401${hadCredentials ? ' after a fresh token' : ''})`, {
                    hint: 'check the credentials for this registry and that they may push to this repository',
                });
            }
        }
        if (response.status === 403) {
            const detail = (await (0,registry_errors/* unexpectedStatus */.uI)(this.registry, request.what, response)).message;
            throw new errors/* UserError */.yo(`access denied: ${detail}`, {
                hint: 'the identity may log in but lacks permission for this repository (pull/push)',
            });
        }
        if (!request.expect.includes(response.status)) {
            throw await (0,registry_errors/* unexpectedStatus */.uI)(this.registry, request.what, response);
        }
        return response;
    }
    scope(repository, actions) {
        return repositoryScope(repository, actions);
    }
    /** HEAD a manifest: its digest, media type and size, or undefined when absent. */
    async headManifest(repository, reference) {
        const response = await this.send({
            method: 'HEAD',
            url: `/v2/${repository}/manifests/${reference}`,
            scopes: [this.scope(repository, ['pull'])],
            headers: { accept: media_types/* MANIFEST_ACCEPT */.dY },
            expect: [200, 404],
            what: `checking manifest ${repository}:${reference}`,
        });
        if (response.status === 404)
            return undefined;
        const digest = response.headers.get('docker-content-digest') ?? undefined;
        return {
            digest: digest !== undefined && (0,oci_digest/* isDigest */.Bc)(digest) ? digest : undefined,
            mediaType: response.headers.get('content-type') ?? '',
            size: Number(response.headers.get('content-length') ?? '0'),
        };
    }
    /**
     * GET a manifest or index. When fetched by digest the bytes are re-hashed
     * and must match; by tag the registry's digest header is checked instead.
     */
    async getManifest(repository, reference) {
        return this.retrying(`fetching manifest ${repository}:${reference}`, async () => {
            const response = await this.send({
                method: 'GET',
                url: `/v2/${repository}/manifests/${reference}`,
                scopes: [this.scope(repository, ['pull'])],
                headers: { accept: media_types/* MANIFEST_ACCEPT */.dY },
                expect: [200, 404],
                retry: false,
                what: `fetching manifest ${repository}:${reference}`,
            });
            if (response.status === 404) {
                await response.body?.cancel();
                return undefined;
            }
            // OCI registries take manifests of up to 4 MiB; anything larger is not one.
            const bytes = await (0,bounded_body/* readBytes */.io)(response.body, 4 * bounded_body/* MiB */.lv, `registry ${this.registry}`);
            const digest = (0,oci_digest/* sha256Digest */.sI)(bytes);
            const claimed = response.headers.get('docker-content-digest');
            const expected = (0,oci_digest/* isDigest */.Bc)(reference) ? reference : (claimed ?? digest);
            if (digest !== expected) {
                throw new registry_errors/* DigestMismatchError */.h(`manifest ${repository}@${reference} from ${this.registry} hashes to ${digest}, not ${expected}`);
            }
            let mediaType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
            try {
                const parsed = JSON.parse(bytes.toString('utf8'));
                if (parsed.mediaType)
                    mediaType = parsed.mediaType;
            }
            catch {
                throw new errors/* UserError */.yo(`manifest ${repository}@${reference} from ${this.registry} is not JSON`);
            }
            return { bytes, mediaType, digest };
        });
    }
    /** The size of a blob when the repository has it, undefined when not. */
    async blobSize(repository, digest) {
        const response = await this.send({
            method: 'HEAD',
            url: `/v2/${repository}/blobs/${digest}`,
            scopes: [this.scope(repository, ['pull'])],
            expect: [200, 404],
            what: `checking blob ${digest.slice(0, 19)} in ${repository}`,
        });
        if (response.status === 404)
            return undefined;
        return Number(response.headers.get('content-length') ?? '0');
    }
    /**
     * A blob as a stream, from `offset` on. Registries often redirect blob reads
     * to storage (S3, GCS); the redirect is followed without our Authorization
     * header, which belongs to the registry only.
     */
    async getBlob(repository, digest, options = {}) {
        return this.retrying(`downloading blob ${digest.slice(0, 19)}`, async () => {
            const offset = options.offset ?? 0;
            const headers = {};
            if (offset > 0)
                headers.range = `bytes=${offset}-`;
            let response = await this.send({
                method: 'GET',
                url: `/v2/${repository}/blobs/${digest}`,
                scopes: [this.scope(repository, ['pull'])],
                headers,
                expect: [200, 206, 307, 302, 303, 301, 308],
                retry: false,
                what: `downloading blob ${digest.slice(0, 19)} from ${repository}`,
                timeoutMs: 0,
                redirect: 'manual',
            });
            for (let hops = 0; response.status >= 300 && response.status < 400; hops++) {
                const location = response.headers.get('location');
                await response.body?.cancel();
                if (!location || hops > 5) {
                    throw new errors/* UserError */.yo(`blob ${digest} at ${this.registry}: redirect without a usable Location`);
                }
                const target = (0,http/* assertSafeUrl */.jQ)(new URL(location, response.url).toString(), this.insecureHosts);
                // A blob store the registry redirects to (S3, GCS…) is another server.
                response = await (0,http/* httpFetch */.tX)(target.toString(), {
                    headers,
                    timeoutMs: 0,
                    redirect: 'manual',
                    server: `blob storage of registry ${this.registry}`,
                });
                if (!(response.status < 400)) {
                    throw await (0,registry_errors/* unexpectedStatus */.uI)(this.registry, `downloading blob ${digest.slice(0, 19)}`, response);
                }
            }
            if (offset > 0 && response.status !== 206) {
                await response.body?.cancel();
                throw new errors/* UserError */.yo(`registry ${this.registry} ignored a range request for blob ${digest}`);
            }
            if (response.body === null)
                throw new errors/* UserError */.yo(`blob ${digest} at ${this.registry} has no body`);
            const length = Number(response.headers.get('content-length') ?? '-1');
            return {
                size: length >= 0 ? offset + length : -1,
                stream: external_node_stream_.Readable.fromWeb(response.body, { highWaterMark: 1 << 20 }),
            };
        });
    }
    /**
     * PUT a manifest or index under a digest or tag. The registry's
     * Docker-Content-Digest must equal the hash of the bytes we sent.
     */
    async putManifest(repository, reference, bytes, mediaType) {
        const digest = (0,oci_digest/* sha256Digest */.sI)(bytes);
        const response = await this.send({
            method: 'PUT',
            url: `/v2/${repository}/manifests/${reference}`,
            scopes: [this.scope(repository, ['pull', 'push'])],
            headers: { 'content-type': mediaType },
            body: () => bytes,
            expect: [201, 200],
            what: `writing manifest ${repository}:${reference}`,
        });
        await response.body?.cancel();
        const claimed = response.headers.get('docker-content-digest');
        if (claimed !== null && claimed !== digest) {
            throw new registry_errors/* DigestMismatchError */.h(`registry ${this.registry} stored manifest ${repository}:${reference} as ${claimed}, but its bytes hash to ${digest}`);
        }
        return digest;
    }
}


/***/ }),

/***/ 43181:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   H0: () => (/* binding */ StaleTokenError),
/* harmony export */   h: () => (/* binding */ DigestMismatchError),
/* harmony export */   uI: () => (/* binding */ unexpectedStatus)
/* harmony export */ });
/* unused harmony export describeRegistryError */
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(52639);
/* harmony import */ var _common_retry_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(80272);
/* harmony import */ var _common_bounded_body_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(93324);



/** The `errors` array of the Distribution spec, shortened for a message. */
async function describeRegistryError(response) {
    let text;
    try {
        text = await (0,_common_bounded_body_js__WEBPACK_IMPORTED_MODULE_2__/* .readText */ .yR)(response.body, 64 * _common_bounded_body_js__WEBPACK_IMPORTED_MODULE_2__/* .KiB */ .ty, 'the registry');
    }
    catch {
        return '';
    }
    try {
        const parsed = JSON.parse(text);
        if (Array.isArray(parsed.errors) && parsed.errors.length > 0) {
            return parsed.errors
                .map((e) => [e.code, e.message].filter(Boolean).join(': '))
                .join('; ')
                .replace(/\s*[\r\n]+\s*/g, ' ')
                .slice(0, 300);
        }
    }
    catch {
        // not JSON: fall through to the raw text
    }
    return (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .oneLine */ .TN)(text).slice(0, 200);
}
/** A registry answered with a status we did not expect. Retried when 429/5xx. */
async function unexpectedStatus(registry, what, response) {
    const detail = await describeRegistryError(response);
    return new _common_retry_js__WEBPACK_IMPORTED_MODULE_1__/* .HttpStatusError */ .F9(response.status, response.url, `${what} at ${registry} failed: HTTP ${response.status}${detail ? ` (${detail})` : ''}`, response.headers.get('retry-after'));
}
/** The registry got bytes that do not hash to the digest we sent. */
class DigestMismatchError extends _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo {
    constructor(message) {
        super(message, {
            hint: 'the bytes changed on the way (a proxy rewriting bodies, or a corrupted layout); run package again and retry',
        });
        this.name = 'DigestMismatchError';
    }
}
/** A streamed request met a 401 after its body was spent: the upload resumes with a fresh token. */
class StaleTokenError extends Error {
    constructor(message) {
        super(message);
        this.name = 'StaleTokenError';
    }
}


/***/ })

};
