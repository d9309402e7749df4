export const id = 9490;
export const ids = [9490];
export const modules = {

/***/ 60333:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   G2: () => (/* binding */ parseDestination),
/* harmony export */   HN: () => (/* binding */ cloudOfHost),
/* harmony export */   Hz: () => (/* binding */ uploadPolicyFor),
/* harmony export */   bg: () => (/* binding */ registryAccessFor),
/* harmony export */   i2: () => (/* binding */ takesLogin),
/* harmony export */   oe: () => (/* binding */ destinationTags)
/* harmony export */ });
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(52639);
/* harmony import */ var _oci_reference_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(77121);
/* harmony import */ var _registry_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(31741);



function cloudOfHost(host) {
    return (0,_registry_js__WEBPACK_IMPORTED_MODULE_2__/* .cloudOfRegistryHost */ .sA)(host).name;
}
/** `<cloud>:` before a destination; a port (`host:5000/`) is not one. */
function cloudPrefix(text) {
    const colon = text.indexOf(':');
    const name = text.slice(0, colon);
    if (colon <= 0 || /^\d+\//.test(text.slice(colon + 1)))
        return undefined;
    if (!_registry_js__WEBPACK_IMPORTED_MODULE_2__/* .CLOUDS */ .JJ.some((cloud) => cloud.name === name))
        return undefined;
    return { cloud: name, rest: text.slice(colon + 1) };
}
function parseDestination(text, input = 'destinations') {
    const prefix = cloudPrefix(text.trim());
    const rest = prefix?.rest ?? text.trim();
    const cloud = prefix?.cloud;
    const reference = (0,_oci_reference_js__WEBPACK_IMPORTED_MODULE_1__/* .parseReference */ .F2)(rest, input);
    if (reference.digest !== undefined) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(input, `names a digest ('${rest}'); a destination is a repository, optionally with a tag`, '123456789012.dkr.ecr.us-east-1.amazonaws.com/models/resnet50');
    }
    const host = (0,_oci_reference_js__WEBPACK_IMPORTED_MODULE_1__/* .registryApiHost */ .Mb)(reference);
    return {
        text: rest,
        cloud: cloud ?? cloudOfHost(reference.registry),
        reference,
        host,
        name: `${reference.registry}/${reference.repository}`,
    };
}
/**
 * A destination written with a tag (`ghcr.io/org/m:latest`) is tagged as
 * written and only so; the others get the `tags` input, or else the version
 * the package action recorded. The caller says so in the log, so a version
 * tag that a destination does not get is never dropped silently.
 */
function destinationTags(destination, tagsInput, packageTag) {
    const general = tagsInput.length > 0
        ? { tags: [...tagsInput], source: 'tags' }
        : { tags: packageTag ? [packageTag] : [], source: 'package version' };
    const own = destination.reference.tag;
    if (own === undefined)
        return { ...general, notApplied: [] };
    const notApplied = general.tags.filter((t) => t !== own);
    return {
        tags: [own],
        source: 'destination',
        notApplied,
        ...(notApplied.length > 0 ? { notAppliedSource: general.source } : {}),
    };
}
/** Whether the username/password inputs may go to this destination's registry. */
function takesLogin(destination) {
    return (0,_registry_js__WEBPACK_IMPORTED_MODULE_2__/* .cloudNamed */ .X)(destination.cloud).registry.takesLogin === true;
}
function uploadPolicyFor(cloud) {
    return (0,_registry_js__WEBPACK_IMPORTED_MODULE_2__/* .cloudNamed */ .X)(cloud).registry.uploadPolicy;
}
/** The identities in `identity`, or else those the two federation fields name. */
function identitiesOf(options) {
    if (options.identity !== undefined)
        return options.identity;
    const { azureClientId: clientId, azureTenantId: tenantId } = options;
    if (clientId === undefined && tenantId === undefined)
        return {};
    return { azure: { clientId, tenantId } };
}
async function registryAccessFor(destination, options) {
    return (0,_registry_js__WEBPACK_IMPORTED_MODULE_2__/* .cloudNamed */ .X)(destination.cloud).registry.access({
        ...options,
        host: destination.host,
        identity: identitiesOf(options),
    });
}


/***/ }),

/***/ 77746:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L: () => (/* binding */ ANNOTATION_PREFIX)
/* harmony export */ });
/** The prefix of the annotations package writes into an image (model name, version, runtime, lineage). */
const ANNOTATION_PREFIX = 'dev.model-deploy';


/***/ }),

/***/ 60162:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Bc: () => (/* binding */ isDigest),
/* harmony export */   TM: () => (/* binding */ digestFile),
/* harmony export */   Xi: () => (/* binding */ DigestingStream),
/* harmony export */   sI: () => (/* binding */ sha256Digest),
/* harmony export */   sU: () => (/* binding */ digestHex)
/* harmony export */ });
/* unused harmony export parseDigest */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(57075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(46466);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_stream_promises__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(52639);





const DIGEST = /^sha256:[a-f0-9]{64}$/;
function isDigest(value) {
    return DIGEST.test(value);
}
/** Validates a digest read from outside (a file, a registry, an input). */
function parseDigest(value, where = 'digest') {
    if (!isDigest(value)) {
        throw new UserError(`${where} '${value}' is not a sha256 digest (sha256:<64 hex digits>)`);
    }
    return value;
}
function digestHex(digest) {
    return digest.slice('sha256:'.length);
}
function sha256Digest(data) {
    return `sha256:${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(data).digest('hex')}`;
}
/**
 * A pass-through that hashes and counts what flows through it, so a digest is
 * known the moment the last byte is written and no byte is read twice.
 */
class DigestingStream extends node_stream__WEBPACK_IMPORTED_MODULE_2__.Transform {
    hash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256');
    bytes = 0;
    result;
    _transform(chunk, _encoding, done) {
        this.hash.update(chunk);
        this.bytes += chunk.length;
        done(null, chunk);
    }
    _flush(done) {
        this.result = `sha256:${this.hash.digest('hex')}`;
        done();
    }
    get size() {
        return this.bytes;
    }
    /** Available after the stream has ended. */
    get digest() {
        if (this.result === undefined)
            throw new Error('digest read before the stream ended');
        return this.result;
    }
}
/** sha256 and size of a file, streamed. */
async function digestFile(path) {
    const hash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256');
    let size = 0;
    await (0,node_stream_promises__WEBPACK_IMPORTED_MODULE_3__.pipeline)((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.createReadStream)(path, { highWaterMark: 1 << 20 }), async (source) => {
        for await (const chunk of source) {
            hash.update(chunk);
            size += chunk.length;
        }
    });
    return { digest: `sha256:${hash.digest('hex')}`, size };
}


/***/ }),

/***/ 77121:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   F2: () => (/* binding */ parseReference),
/* harmony export */   FH: () => (/* binding */ formatReference),
/* harmony export */   Mb: () => (/* binding */ registryApiHost),
/* harmony export */   Tn: () => (/* binding */ manifestReference),
/* harmony export */   aR: () => (/* binding */ repositoryName),
/* harmony export */   r_: () => (/* binding */ isValidTag)
/* harmony export */ });
/* unused harmony export DOCKER_HUB */
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(52639);
/* harmony import */ var _digest_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(60162);


const DOCKER_HUB = 'docker.io';
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:]+\])(?::\d{1,5})?$/;
/**
 * Parses an image reference. When `input` is given, errors name that action
 * input so the user knows which line of the workflow to fix.
 */
function parseReference(text, input) {
    const fail = (problem) => {
        const example = 'registry.example.com/team/model:1.0 or busybox:1.36';
        if (input !== undefined)
            throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(input, `${problem}: '${text}'`, example);
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`image reference '${text}' ${problem}`, {
            hint: `write it like ${example}`,
        });
    };
    const value = text.trim();
    if (value === '')
        return fail('is empty');
    // `sha256:<hex>` would parse as Docker Hub's library/sha256 at a tag: it is a digest without its repository.
    if (/^sha256:/i.test(value)) {
        return fail('is a digest without its repository; write host/repository@sha256:…');
    }
    let rest = value;
    let digest;
    const at = rest.indexOf('@');
    if (at >= 0) {
        const d = rest.slice(at + 1);
        if (!(0,_digest_js__WEBPACK_IMPORTED_MODULE_1__/* .isDigest */ .Bc)(d))
            return fail('has a digest that is not sha256:<64 lowercase hex digits>');
        digest = d;
        rest = rest.slice(0, at);
    }
    let tag;
    const lastSlash = rest.lastIndexOf('/');
    const lastColon = rest.lastIndexOf(':');
    if (lastColon > lastSlash) {
        tag = rest.slice(lastColon + 1);
        rest = rest.slice(0, lastColon);
        if (!TAG.test(tag))
            return fail(`has an invalid tag '${tag}'`);
    }
    let registry = DOCKER_HUB;
    let repository = rest;
    const firstSlash = rest.indexOf('/');
    if (firstSlash >= 0) {
        const first = rest.slice(0, firstSlash);
        if (first.includes('.') ||
            first.includes(':') ||
            first === 'localhost' ||
            first !== first.toLowerCase()) {
            registry = first;
            repository = rest.slice(firstSlash + 1);
        }
    }
    if (!HOST.test(registry))
        return fail(`has an invalid registry host '${registry}'`);
    if (registry === 'index.docker.io' || registry === 'registry-1.docker.io')
        registry = DOCKER_HUB;
    if (registry === DOCKER_HUB && !repository.includes('/'))
        repository = `library/${repository}`;
    if (repository === '' || !repository.split('/').every((c) => COMPONENT.test(c))) {
        return fail('has an invalid repository name (lowercase letters, digits, and . _ - / separators)');
    }
    if (repository.length > 255)
        return fail('has a repository name longer than 255 characters');
    const ref = { registry, repository };
    if (tag !== undefined)
        ref.tag = tag;
    if (digest !== undefined)
        ref.digest = digest;
    return ref;
}
/** The registry host to talk HTTP to (Docker Hub's API lives on another name). */
function registryApiHost(ref) {
    return ref.registry === DOCKER_HUB ? 'registry-1.docker.io' : ref.registry;
}
/** `host/repository`, the name without tag or digest. */
function repositoryName(ref) {
    return `${ref.registry}/${ref.repository}`;
}
function formatReference(ref) {
    return (repositoryName(ref) +
        (ref.tag === undefined ? '' : `:${ref.tag}`) +
        (ref.digest === undefined ? '' : `@${ref.digest}`));
}
/** What to ask the registry for: the digest when pinned, else the tag, else `latest`. */
function manifestReference(ref) {
    return ref.digest ?? ref.tag ?? 'latest';
}
function isValidTag(tag) {
    return TAG.test(tag);
}


/***/ }),

/***/ 99490:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  deployRelease: () => (/* binding */ deployRelease)
});

// UNUSED EXPORTS: EXPOSE_MODES, checkDeployRequest, parseChartValues, parseProfileName

// EXTERNAL MODULE: ./shared/clouds/cluster-access.ts
var cluster_access = __webpack_require__(61326);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(37067);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(44708);
;// CONCATENATED MODULE: ./shared/kube/http.ts


/**
 * The HTTP side of the Kubernetes client: one keep-alive connection pool per
 * cluster connection, JSON in and out, and the API server's refusals as
 * {@link KubeApiError}. It is Node's own http(s) module and nothing else, so
 * an action that talks to a cluster starts in milliseconds.
 */
/** A response with a status outside 2xx; `body` is the server's text (a Status object, usually). */
class KubeApiError extends Error {
    code;
    body;
    headers;
    constructor(code, method, path, body, headers) {
        super(`HTTP ${code} on ${method} ${path}`);
        this.name = 'KubeApiError';
        this.code = code;
        this.body = body;
        this.headers = headers;
    }
}
/** A response larger than any object or list deploy reads: the server is refused, not buffered. */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
/** No byte from the API server for this long ends the request (and the retry may try again). */
const IDLE_TIMEOUT_MS = 120_000;
/** A transport for one connection and one token; the agent keeps its TLS sessions open. */
function kubeTransport(connection) {
    const target = targetFor(connection);
    const transport = (request) => send(request, target);
    const watch = (path, query, onEvent, signal) => watchStream(target, path, query, onEvent, signal);
    return Object.assign(transport, { watch });
}
function targetFor(connection) {
    const base = new URL(connection.server);
    const secure = base.protocol === 'https:';
    const agent = secure
        ? new external_node_https_.Agent({
            keepAlive: true,
            ...(connection.caData ? { ca: connection.caData } : {}),
            ...(connection.clientCertData ? { cert: connection.clientCertData } : {}),
            ...(connection.clientKeyData ? { key: connection.clientKeyData } : {}),
            rejectUnauthorized: connection.skipTlsVerify !== true,
        })
        : new external_node_http_.Agent({ keepAlive: true });
    const prefix = base.pathname.replace(/\/+$/, '');
    return {
        url: (path) => new URL(prefix + path, base),
        secure,
        agent,
        authorization: connection.token ? `Bearer ${connection.token}` : undefined,
    };
}
function urlOf(target, path, query) {
    const url = target.url(path);
    for (const [key, value] of Object.entries(query ?? {})) {
        if (value !== undefined)
            url.searchParams.set(key, String(value));
    }
    return url;
}
function headersOf(target) {
    const headers = { accept: 'application/json' };
    if (target.authorization)
        headers.authorization = target.authorization;
    return headers;
}
function send(request, target) {
    const url = urlOf(target, request.path, request.query);
    const payload = request.body === undefined ? undefined : Buffer.from(JSON.stringify(request.body));
    const headers = headersOf(target);
    if (payload) {
        headers['content-type'] = request.contentType ?? 'application/json';
        headers['content-length'] = String(payload.length);
    }
    const open = target.secure ? external_node_https_.request : external_node_http_.request;
    return new Promise((resolve, reject) => {
        const req = open(url, { method: request.method, headers, agent: target.agent }, (res) => {
            readBody(res).then((text) => {
                const status = res.statusCode ?? 0;
                if (status < 200 || status >= 300) {
                    reject(new KubeApiError(status, request.method, request.path, text, flatHeaders(res)));
                    return;
                }
                // A body cut short parses as broken JSON: the caller's retry takes it again.
                try {
                    resolve((text === '' ? {} : JSON.parse(text)));
                }
                catch (err) {
                    reject(err);
                }
            }, reject);
        });
        req.setTimeout(IDLE_TIMEOUT_MS, () => req.destroy(Object.assign(new Error(`no answer from ${url.host} for ${IDLE_TIMEOUT_MS / 1000} s`), {
            code: 'ETIMEDOUT',
        })));
        req.on('error', reject);
        req.end(payload);
    });
}
function watchStream(target, path, query, onEvent, signal) {
    const url = urlOf(target, path, { ...query, watch: true });
    const open = target.secure ? external_node_https_.request : external_node_http_.request;
    return new Promise((resolve, reject) => {
        const req = open(url, { headers: headersOf(target), agent: target.agent, signal }, (res) => {
            if (res.statusCode !== 200) {
                readBody(res).then((text) => reject(new KubeApiError(res.statusCode ?? 0, 'GET', path, text, flatHeaders(res))), reject);
                return;
            }
            readLines(res, (line) => {
                // A line that is not an event is skipped: the watch only wakes the caller up.
                try {
                    onEvent(JSON.parse(line));
                }
                catch {
                    /* not an event */
                }
            });
            res.on('close', () => resolve());
        });
        req.on('error', (err) => (signal.aborted ? resolve() : reject(err)));
        req.end();
    });
}
/** Calls `onLine` for each line of a streamed answer, refusing a line past the size bound. */
function readLines(res, onLine) {
    let buffer = '';
    res.setEncoding('utf8');
    res.on('data', (chunk) => {
        buffer += chunk;
        for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
            const line = buffer.slice(0, i);
            buffer = buffer.slice(i + 1);
            if (line.trim() !== '')
                onLine(line);
        }
        if (buffer.length > MAX_RESPONSE_BYTES)
            res.destroy();
    });
    res.on('error', () => undefined);
}
function readBody(res) {
    return new Promise((resolve, reject) => {
        const chunks = [];
        let size = 0;
        res.on('data', (chunk) => {
            size += chunk.length;
            if (size > MAX_RESPONSE_BYTES) {
                res.destroy(new Error(`the API server's answer passed ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB, more than any object deploy reads`));
                return;
            }
            chunks.push(chunk);
        });
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        res.on('error', reject);
        res.on('close', () => {
            if (!res.complete) {
                reject(Object.assign(new Error('the API server closed the answer early'), {
                    code: 'ECONNRESET',
                }));
            }
        });
    });
}
function flatHeaders(res) {
    const out = {};
    for (const [key, value] of Object.entries(res.headers)) {
        if (value !== undefined)
            out[key] = Array.isArray(value) ? value.join(', ') : value;
    }
    return out;
}

;// CONCATENATED MODULE: ./shared/kube/apis.ts

/** A kind the cluster does not serve: its API group/version is not there, or lacks the kind. */
class UnservedKindError extends Error {
    apiVersion;
    kind;
    constructor(apiVersion, kind) {
        super(`the cluster does not serve ${apiVersion} ${kind}`);
        this.name = 'UnservedKindError';
        this.apiVersion = apiVersion;
        this.kind = kind;
    }
}
/** One namespaced resource: read, list, create, replace and delete. */
function namespaced(send, base, plural) {
    const one = (p) => `${base}/namespaces/${encodeURIComponent(p.namespace)}/${plural}/${encodeURIComponent(p.name)}`;
    const all = (namespace) => `${base}/namespaces/${encodeURIComponent(namespace)}/${plural}`;
    return {
        read: (p) => send({ method: 'GET', path: one(p) }),
        list: (p) => send({
            method: 'GET',
            path: all(p.namespace),
            query: { labelSelector: p.labelSelector, fieldSelector: p.fieldSelector },
        }),
        create: (p) => send({ method: 'POST', path: all(p.namespace), body: p.body }),
        replace: (p) => send({ method: 'PUT', path: one(p), body: p.body }),
        /** `body` is DeleteOptions (preconditions: delete only the version that was read). */
        remove: (p) => send({ method: 'DELETE', path: one(p), body: p.body }),
    };
}
function coreApi(send) {
    const secrets = namespaced(send, '/api/v1', 'secrets');
    const configMaps = namespaced(send, '/api/v1', 'configmaps');
    return {
        readNamespace: (p) => send({
            method: 'GET',
            path: `/api/v1/namespaces/${encodeURIComponent(p.name)}`,
        }),
        createNamespace: (p) => send({ method: 'POST', path: '/api/v1/namespaces', body: p.body }),
        readNamespacedSecret: secrets.read,
        listNamespacedSecret: secrets.list,
        createNamespacedSecret: secrets.create,
        replaceNamespacedSecret: secrets.replace,
        deleteNamespacedSecret: secrets.remove,
        readNamespacedConfigMap: configMaps.read,
        createNamespacedConfigMap: configMaps.create,
        replaceNamespacedConfigMap: configMaps.replace,
        deleteNamespacedConfigMap: configMaps.remove,
        readNamespacedService: namespaced(send, '/api/v1', 'services').read,
        listNamespacedPod: namespaced(send, '/api/v1', 'pods').list,
        listNamespacedEvent: namespaced(send, '/api/v1', 'events').list,
    };
}
function appsApi(send) {
    return {
        readNamespacedDeployment: namespaced(send, '/apis/apps/v1', 'deployments').read,
        listNamespacedReplicaSet: namespaced(send, '/apis/apps/v1', 'replicasets').list,
    };
}
function coordinationApi(send) {
    const leases = namespaced(send, '/apis/coordination.k8s.io/v1', 'leases');
    return {
        readNamespacedLease: leases.read,
        createNamespacedLease: leases.create,
        replaceNamespacedLease: leases.replace,
        deleteNamespacedLease: leases.remove,
    };
}
function reviewApis(send) {
    return {
        authorization: {
            createSelfSubjectAccessReview: (p) => send({
                method: 'POST',
                path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
                body: p.body,
            }),
        },
        authentication: {
            createSelfSubjectReview: (p) => send({
                method: 'POST',
                path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
                body: p.body,
            }),
        },
    };
}
/** The API groups the cluster serves (discovery), by name. */
async function apiGroups(send) {
    const list = await send({ method: 'GET', path: '/apis' });
    return (list.groups ?? []).map((g) => g.name ?? '');
}
/** Every API deploy uses, over one transport; `resources` is the discovery cache to share. */
function kubeApis(send, resources = new ResourceCache()) {
    return {
        objects: objectApi(send, resources),
        core: coreApi(send),
        apps: appsApi(send),
        coordination: coordinationApi(send),
        ...reviewApis(send),
        discovery: { apiGroups: () => apiGroups(send) },
    };
}
/** Discovery answers per group/version, kept for the life of the client (they do not change mid-deploy). */
class ResourceCache {
    lists = new Map();
    async resource(send, apiVersion, kind) {
        const cached = this.lists.get(apiVersion);
        const found = cached && (await cached.catch(() => [])).find(matches(kind));
        if (found)
            return found;
        // Not known yet, or not known when asked last: a CRD may have been installed since.
        const list = discover(send, apiVersion);
        this.lists.set(apiVersion, list);
        // A failure is not kept: the next call asks again.
        list.catch(() => this.lists.delete(apiVersion));
        const fresh = (await list).find(matches(kind));
        if (fresh === undefined)
            throw new UnservedKindError(apiVersion, kind);
        return fresh;
    }
}
const matches = (kind) => (r) => r.kind === kind && !r.name.includes('/');
async function discover(send, apiVersion) {
    const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    try {
        const list = await send({ method: 'GET', path });
        return list.resources ?? [];
    }
    catch (err) {
        // The group/version itself is not served: its CRDs are not installed.
        if (err instanceof KubeApiError && err.code === 404)
            return [];
        throw err;
    }
}
/** Any kind by apiVersion and kind, its REST path found through discovery. */
function objectApi(send, resources) {
    const collection = async (apiVersion, kind, namespace) => {
        const r = await resources.resource(send, apiVersion, kind);
        const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
        const scope = r.namespaced ? `/namespaces/${encodeURIComponent(namespace ?? 'default')}` : '';
        return `${base}${scope}/${r.name}`;
    };
    const path = async (ref) => `${await collection(ref.apiVersion, ref.kind, ref.metadata.namespace)}/${encodeURIComponent(ref.metadata.name)}`;
    return {
        /** Finds the kind's REST path now (discovery), so a later call need not. */
        discover: async (apiVersion, kind) => {
            await resources.resource(send, apiVersion, kind);
        },
        read: async (ref) => send({ method: 'GET', path: await path(ref) }),
        /** Across all namespaces when no namespace is given (for a namespaced kind). */
        list: async (apiVersion, kind, options = {}) => {
            const r = await resources.resource(send, apiVersion, kind);
            const all = r.namespaced && options.namespace === undefined;
            const base = all
                ? `${apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`}/${r.name}`
                : await collection(apiVersion, kind, options.namespace);
            return send({
                method: 'GET',
                path: base,
                query: { labelSelector: options.labelSelector, limit: options.limit },
            });
        },
        /** Server-side apply of the whole object, owned by `fieldManager`. */
        apply: async (object, options) => send({
            method: 'PATCH',
            path: await path(object),
            query: {
                fieldManager: options.fieldManager,
                force: options.force,
                dryRun: options.dryRun ? 'All' : undefined,
            },
            body: object,
            contentType: 'application/apply-patch+yaml',
        }),
        delete: async (ref, options = {}) => send({
            method: 'DELETE',
            path: await path(ref),
            query: { propagationPolicy: options.propagationPolicy },
        }),
    };
}

// EXTERNAL MODULE: ./shared/common/errors.ts
var errors = __webpack_require__(52639);
// EXTERNAL MODULE: ./shared/common/kube-forbidden.ts
var kube_forbidden = __webpack_require__(63429);
// EXTERNAL MODULE: ./shared/common/network.ts
var common_network = __webpack_require__(21084);
// EXTERNAL MODULE: ./shared/common/retry.ts
var retry = __webpack_require__(80272);
;// CONCATENATED MODULE: ./shared/kube/client.ts






/**
 * The API clients for one cluster connection. Every Kubernetes call goes
 * through these; the token is refreshed (and the clients rebuilt) before it
 * expires, so a long rollout keeps its access.
 */
class KubeClient {
    connection;
    token;
    cached;
    transport;
    /** Discovery answers outlive a token refresh. */
    resources = new ResourceCache();
    constructor(connection) {
        this.connection = connection;
        this.token = connection.token;
    }
    /**
     * One Kubernetes call, retried on what passes (429, 5xx, resets, a body cut
     * short). Every call deploy makes is safe to repeat: reads, server-side
     * apply, deletes, and creates whose 409 the caller reads as "already there".
     * The raw error comes back so callers can act on 404 and 409.
     */
    async call(body) {
        try {
            return await (0,retry/* withRetry */.bD)(async () => body(await this.apis()), {
                attempts: this.attempts,
                baseDelayMs: 250,
                maxDelayMs: 5000,
                classify: classifyKubeError,
            });
        }
        catch (err) {
            // An API server that cannot be reached is named, with the cause in words.
            throw (0,common_network/* networkError */.x6)(err, clusterPeer(this.connection)) ?? err;
        }
    }
    /**
     * Watches a collection (`path` with selectors in `query`) until the server
     * ends the watch or `signal` aborts; not retried: a caller uses it only to
     * learn of a change sooner than its next read.
     */
    async watch(path, query, onEvent, signal) {
        await this.apis();
        await this.transport?.watch?.(path, query, onEvent, signal);
    }
    /** Attempts per call (tests lower it). */
    attempts = 5;
    async apis() {
        if (this.connection.refresh) {
            const fresh = await this.connection.refresh();
            if (fresh !== this.token) {
                this.token = fresh;
                this.cached = undefined;
            }
        }
        if (this.cached === undefined) {
            this.transport = kubeTransport({ ...this.connection, token: this.token });
            this.cached = kubeApis(this.transport, this.resources);
        }
        return this.cached;
    }
}
const CLUSTER_TLS_HINT = `check the cluster's certificate-authority-data in the kubeconfig; ${common_network/* TLS_HINT */.qN}`;
/** The cluster's API server, as a failure to reach it names it. */
function clusterPeer(connection) {
    return {
        host: (0,common_network/* hostOf */.w4)(connection.server),
        server: `API server of ${connection.displayName}`,
        input: 'cluster',
        hints: { tls: CLUSTER_TLS_HINT },
    };
}
function classifyKubeError(err) {
    if (err instanceof KubeApiError) {
        const status = err.code;
        if (status === 429 || status === 408 || status >= 500) {
            const afterMs = (0,retry/* parseRetryAfter */.mu)(err.headers['retry-after'] ?? null);
            return afterMs === undefined ? { retry: true } : { retry: true, afterMs };
        }
        return { retry: false };
    }
    // A response body cut short parses as broken JSON.
    if (err instanceof SyntaxError)
        return { retry: true };
    return (0,retry/* defaultClassify */.uY)(err);
}
/** The HTTP status of a failed Kubernetes call, or undefined for non-HTTP failures. */
function statusOf(err) {
    if (err instanceof KubeApiError)
        return err.code;
    const code = err?.code;
    return typeof code === 'number' ? code : undefined;
}
/** The API server's own message (from its Status object) rather than the client's wrapper text. */
function apiMessage(err) {
    if (err instanceof KubeApiError) {
        let parsed;
        try {
            parsed = JSON.parse(err.body);
        }
        catch {
            return err.body || err.message;
        }
        const message = parsed?.message;
        if (typeof message === 'string')
            return message;
    }
    return err instanceof Error ? err.message : String(err);
}
/** Wraps a denied or rejected call in an error the user can act on. */
function kubeFailure(what, err, cluster) {
    const status = statusOf(err);
    if (status === 401) {
        return new errors/* UserError */.yo(`${what}: the cluster ${cluster} rejected the credentials (401)`, {
            hint: 'check that the identity this job runs as may sign in to the cluster',
            cause: err,
        });
    }
    if (status === 403) {
        const message = apiMessage(err);
        const denied = (0,kube_forbidden/* parseDenied */.Tm)(message);
        if (denied) {
            return new errors/* UserError */.yo(`${what}: forbidden by the cluster: ${(0,kube_forbidden/* describeDenied */.BX)(denied)}`, {
                hint: (0,kube_forbidden/* grantHint */._s)(denied),
                cause: err,
            });
        }
        // Not an authorizer's denial in its usual words: most often an admission plugin's.
        return new errors/* UserError */.yo(`${what}: the cluster ${cluster} refused it (403): ${message}`, {
            hint: `the message says who refused: an admission policy of the cluster (a ResourceQuota, Pod Security, a validating webhook), or an authorizer that did not name the permission (${kube_forbidden/* PERMISSIONS_DOC */.cc})`,
            cause: err,
        });
    }
    if (status === 422 || status === 400) {
        return new errors/* UserError */.yo(`${what}: the cluster refused it: ${apiMessage(err)}`, { cause: err });
    }
    if (status !== undefined) {
        return new errors/* UserError */.yo(`${what}: HTTP ${status} from ${cluster}: ${apiMessage(err)}`, {
            cause: err,
        });
    }
    const network = err instanceof common_network/* NetworkError */.Dr
        ? err
        : (0,common_network/* networkError */.x6)(err, {
            host: cluster,
            server: 'cluster API server',
            input: 'cluster',
            hints: { tls: CLUSTER_TLS_HINT },
        });
    if (network !== undefined) {
        return new errors/* UserError */.yo(`${what}: ${network.message}`, { hint: network.hint, cause: err });
    }
    if ((0,errors/* isUserError */.iU)(err)) {
        return new errors/* UserError */.yo(`${what}: ${err.message}`, {
            ...(err.hint === undefined ? {} : { hint: err.hint }),
            cause: err,
        });
    }
    return new errors/* UserError */.yo(`${what}: could not reach ${cluster}: ${err instanceof Error ? err.message : String(err)}`, { hint: 'check the cluster endpoint and that this runner can reach it', cause: err });
}

// EXTERNAL MODULE: ./shared/common/duration.ts
var duration = __webpack_require__(59284);
;// CONCATENATED MODULE: ./shared/kube/diagnose.ts
/**
 * Why pods are not becoming ready, in words a user can act on: the waiting
 * reason, the last termination (exit code, OOMKilled), unschedulable pods and
 * the newest warning events.
 */
/** A waiting reason that will not fix itself; the rollout can fail without waiting for its deadline. */
const HOPELESS = new Set([
    'ImagePullBackOff',
    'ErrImagePull',
    'InvalidImageName',
    'ErrImageNeverPull',
    'CrashLoopBackOff',
    'CreateContainerConfigError',
    'CreateContainerError',
    'RunContainerError',
]);
function podProblems(pods) {
    const problems = [];
    for (const pod of pods) {
        const podName = pod.metadata?.name ?? '?';
        const unschedulable = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
        if (unschedulable) {
            problems.push({
                pod: podName,
                reason: unschedulable.reason ?? 'Unschedulable',
                detail: unschedulable.message ?? 'no node can run this pod',
                hopeless: false,
            });
            continue;
        }
        const statuses = [
            ...(pod.status?.initContainerStatuses ?? []),
            ...(pod.status?.containerStatuses ?? []),
        ];
        for (const c of statuses) {
            const waiting = c.state?.waiting;
            const last = c.lastState?.terminated ?? c.state?.terminated;
            if (waiting?.reason &&
                waiting.reason !== 'ContainerCreating' &&
                waiting.reason !== 'PodInitializing') {
                const parts = [waiting.message].filter(Boolean);
                if (last)
                    parts.push(describeTermination(last, c.restartCount));
                problems.push({
                    pod: podName,
                    container: c.name,
                    reason: waiting.reason,
                    detail: parts.join('; ') || waiting.reason,
                    hopeless: HOPELESS.has(waiting.reason),
                });
            }
            else if (last && !c.ready && (last.reason === 'OOMKilled' || (last.exitCode ?? 0) !== 0)) {
                problems.push({
                    pod: podName,
                    container: c.name,
                    reason: last.reason ?? 'Error',
                    detail: describeTermination(last, c.restartCount),
                    hopeless: false,
                });
            }
        }
    }
    return problems;
}
function describeTermination(t, restarts) {
    const parts = [`last exit: ${t.reason ?? 'Error'} (exit code ${t.exitCode ?? '?'})`];
    if (restarts)
        parts.push(`${restarts} restart${restarts === 1 ? '' : 's'}`);
    if (t.message)
        parts.push(t.message.trim().split('\n').slice(-5).join(' | '));
    return parts.join(', ');
}
function time(e) {
    const t = e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp;
    if (t === undefined)
        return 0;
    return t instanceof Date ? t.getTime() : Date.parse(t);
}
/** The newest warning events about these pods (or their ReplicaSets), newest first. */
function recentWarnings(events, objectNames, limit = 5) {
    const names = new Set(objectNames);
    return events
        .filter((e) => e.type === 'Warning' && names.has(e.involvedObject?.name ?? ''))
        .sort((a, b) => time(b) - time(a))
        .slice(0, limit)
        .map((e) => `${e.involvedObject?.kind ?? ''}/${e.involvedObject?.name ?? ''}: ${e.reason ?? ''}: ${e.message ?? ''}`);
}
/** One line per distinct problem, for the log, the annotation and the summary. */
function summariseProblems(problems) {
    const seen = new Map();
    for (const p of problems) {
        const key = `${p.reason}\u0000${p.container ?? ''}`;
        seen.set(key, [...(seen.get(key) ?? []), p]);
    }
    return [...seen.values()]
        .map((group) => {
        const first = group[0];
        const who = group.length === 1 ? `pod ${first.pod}` : `${group.length} pods`;
        return `${first.reason}: ${who}${first.container ? ` (container ${first.container})` : ''}: ${first.detail}`;
    })
        .join('\n');
}

// EXTERNAL MODULE: ./shared/kube/profiles.ts
var profiles = __webpack_require__(46074);
;// CONCATENATED MODULE: ./shared/kube/endpoint.ts






/** Every cloud's profile: a Service (a Helm chart's too) may carry any cloud's annotations. */
function everyProfile() {
    return profiles/* PROFILE_NAMES */.J.map((name) => (0,profiles/* cloudProfile */.hd)(name));
}
function isInternal(annotations, profiles) {
    return profiles.some((profile) => profile.internalLoadBalancer?.(annotations ?? {}) ?? false);
}
/**
 * The port on which a cloud's load balancer terminates TLS, as the
 * Service's annotations ask; the url then goes to it over https. Layer 4
 * load balancers pass TLS through: their url stays http unless the pods
 * serve TLS themselves.
 */
function loadBalancerTls(annotations, ports, profiles) {
    for (const profile of profiles) {
        const port = profile.loadBalancerTlsPort?.(annotations ?? {}, ports);
        if (port !== undefined)
            return port;
    }
    return undefined;
}
/**
 * Where the release answers and who can reach it. A load balancer's address
 * is waited for (the cloud assigns it after the Service exists); when none
 * comes within the budget the release is not reachable as asked, and the
 * error says why from the Service's events instead of handing out an
 * in-cluster name that no runner can resolve.
 */
async function releaseEndpoint(client, objects, options) {
    const service = objects.find((o) => o.kind === 'Service');
    const spec = service?.spec;
    const namespace = service?.metadata.namespace ?? 'default';
    const first = spec?.ports?.[0];
    const port = first?.port ?? 80;
    const suffix = port === 80 ? '' : `:${port}`;
    const proxied = service
        ? { service: `${namespace}/${service.metadata.name}:${first?.name ?? port}` }
        : {};
    // An Emissary Mapping names no Gateway object: its url is http://<host>.
    const route = objects.find((o) => ['HTTPRoute', 'VirtualService', 'Mapping'].includes(o.kind));
    if (options.host && route) {
        const served = await gatewayListener(client, route, options.host, options.logger);
        return { url: endpoint_urlOf(served.scheme, options.host, served.port), reach: 'public', ...proxied };
    }
    if (!service)
        return undefined;
    if (spec?.type !== 'LoadBalancer') {
        return {
            url: `http://${service.metadata.name}.${namespace}.svc.cluster.local${suffix}`,
            reach: 'cluster',
            ...proxied,
        };
    }
    const profiles = options.profiles ?? everyProfile();
    const reach = isInternal(service.metadata.annotations, profiles) ? 'private' : 'public';
    const address = await waitForAddress(client, service.metadata.name, namespace, {
        ...options,
        profiles,
    });
    const tls = loadBalancerTls(service.metadata.annotations, spec.ports ?? [], profiles);
    if (tls)
        return { url: endpoint_urlOf('https', address, tls), reach, ...proxied };
    return { url: `http://${address}${suffix}`, reach, ...proxied };
}
/** `scheme://host`, with the port only when it is not the scheme's own. */
function endpoint_urlOf(scheme, host, port) {
    const own = scheme === 'https' ? 443 : 80;
    return `${scheme}://${host}${port === undefined || port === own ? '' : `:${port}`}`;
}
/**
 * How the Gateway (Gateway API) or Istio Gateway the route attaches to
 * serves `host`: over https when a listener (server) for the host terminates
 * TLS, on that listener's port. When the Gateway cannot be read (another
 * namespace the identity may not read, or not there yet) the url says http
 * and a warning says how to let deploy tell.
 */
async function gatewayListener(client, route, host, logger) {
    const ref = gatewayRef(route);
    if (!ref)
        return { scheme: 'http' };
    const what = `${ref.kind === 'istio' ? 'Istio Gateway' : 'Gateway'} ${ref.namespace}/${ref.name}`;
    let gateway;
    try {
        gateway = (await client.call(({ objects }) => objects.read({
            apiVersion: ref.kind === 'istio' ? 'networking.istio.io/v1' : 'gateway.networking.k8s.io/v1',
            kind: 'Gateway',
            metadata: { name: ref.name, namespace: ref.namespace },
        })));
    }
    catch (err) {
        const status = statusOf(err);
        const resource = ref.kind === 'istio' ? 'gateways.networking.istio.io' : 'gateways.gateway.networking.k8s.io';
        logger.warning(status === 403
            ? `url says http: ${what} could not be read to tell whether it terminates TLS (forbidden); grant get on ${resource} in namespace ${ref.namespace} to the deploying identity to have it told`
            : status === 404
                ? `url says http: ${what}, which the route attaches to, does not exist; create it (or give gateway: namespace/name)`
                : `url says http: ${what} could not be read to tell whether it terminates TLS: ${(0,errors/* oneLine */.TN)(err instanceof Error ? err.message : String(err)).slice(0, 300)}`);
        return { scheme: 'http' };
    }
    const listeners = ref.kind === 'istio'
        ? istioListeners(gateway, host, route.metadata.namespace ?? 'default')
        : gatewayApiListeners(gateway, host, ref.sectionName);
    const secure = listeners.find((l) => l.scheme === 'https');
    const chosen = secure ?? listeners[0];
    if (!chosen) {
        logger.warning(`url says http: ${what} has no ${ref.sectionName ? `listener ${ref.sectionName} ` : 'listener '}for host ${host}; the route will not be served until it has one`);
        return { scheme: 'http' };
    }
    return chosen;
}
function gatewayRef(route) {
    const namespace = route.metadata.namespace ?? 'default';
    const spec = route.spec;
    if (route.kind === 'HTTPRoute') {
        const parent = spec?.parentRefs?.[0];
        if (!parent?.name)
            return undefined;
        return {
            kind: 'gateway-api',
            namespace: parent.namespace ?? namespace,
            name: parent.name,
            ...(parent.sectionName ? { sectionName: parent.sectionName } : {}),
        };
    }
    const gateway = spec?.gateways?.find((g) => g !== 'mesh');
    if (!gateway)
        return undefined;
    const slash = gateway.indexOf('/');
    return slash === -1
        ? { kind: 'istio', namespace, name: gateway }
        : { kind: 'istio', namespace: gateway.slice(0, slash), name: gateway.slice(slash + 1) };
}
/** Whether a listener's host name (exact, `*.suffix` or `*`) takes `host`. */
function hostMatches(pattern, host) {
    if (pattern === undefined || pattern === '' || pattern === '*')
        return true;
    const p = pattern.toLowerCase();
    const h = host.toLowerCase();
    if (p.startsWith('*.'))
        return h.endsWith(p.slice(1)) && h.length > p.length - 1;
    return p === h;
}
/** The Gateway API listeners an HTTPRoute for `host` attaches to: HTTP and HTTPS ones. */
function gatewayApiListeners(gateway, host, sectionName) {
    const listeners = gateway.spec?.listeners ?? [];
    return listeners
        .filter((l) => (sectionName ? l.name === sectionName : true))
        .filter((l) => l.protocol === 'HTTP' || l.protocol === 'HTTPS')
        .filter((l) => hostMatches(l.hostname, host))
        .map((l) => ({
        scheme: l.protocol === 'HTTPS' ? 'https' : 'http',
        port: l.port ?? (l.protocol === 'HTTPS' ? 443 : 80),
    }));
}
/**
 * The Istio Gateway servers for `host`: HTTPS servers terminate TLS (a
 * PASSTHROUGH one does not: the pods would); an HTTP server that redirects
 * to https sends clients to the HTTPS server (port 443 when none is listed).
 */
function istioListeners(gateway, host, routeNamespace) {
    const servers = gateway.spec?.servers ?? [];
    const forHost = servers.filter((server) => (server.hosts ?? []).some((entry) => {
        const slash = entry.indexOf('/');
        const ns = slash === -1 ? '*' : entry.slice(0, slash);
        const name = slash === -1 ? entry : entry.slice(slash + 1);
        if (ns !== '*' && ns !== '.' && ns !== routeNamespace)
            return false;
        return hostMatches(name, host);
    }));
    const secure = [];
    const redirected = [];
    const plain = [];
    for (const server of forHost) {
        const protocol = (server.port?.protocol ?? '').toUpperCase();
        const number = server.port?.number;
        if (protocol === 'HTTPS' && server.tls?.mode !== 'PASSTHROUGH') {
            secure.push({ scheme: 'https', port: number ?? 443 });
        }
        else if (protocol === 'HTTP' || protocol === 'HTTP2') {
            if (server.tls?.httpsRedirect)
                redirected.push({ scheme: 'https', port: 443 });
            else
                plain.push({ scheme: 'http', port: number ?? 80 });
        }
    }
    // A listed HTTPS server's port wins over the redirect's assumed 443.
    return [...secure, ...redirected, ...plain];
}
async function waitForAddress(client, name, namespace, options) {
    const started = Date.now();
    const maxPause = options.pollMs ?? 5000;
    let pause = Math.min(500, maxPause);
    let told = false;
    for (;;) {
        let live;
        try {
            live = await client.call(({ core }) => core.readNamespacedService({ name, namespace }));
        }
        catch (err) {
            throw kubeFailure(`reading Service ${namespace}/${name} for its load balancer address`, err, client.connection.displayName);
        }
        const ingress = live.status?.loadBalancer?.ingress?.find((i) => i.hostname || i.ip);
        const address = ingress?.hostname ?? ingress?.ip;
        if (address) {
            if (told) {
                options.logger.info(`load balancer address ${address} after ${(0,duration/* formatDuration */.a)(Date.now() - started)}`);
            }
            return address;
        }
        const waited = Date.now() - started;
        if (waited >= options.addressTimeoutMs)
            break;
        if (!told) {
            options.logger.info(`waiting up to ${(0,duration/* formatDuration */.a)(options.addressTimeoutMs)} for the cloud to give Service ${namespace}/${name} a load balancer address`);
            told = true;
        }
        await (0,retry/* sleep */.yy)(Math.min(pause, options.addressTimeoutMs - waited));
        pause = Math.min(maxPause, pause * 2);
    }
    throw new errors/* UserError */.yo(`Service ${namespace}/${name} got no load balancer address within ${(0,duration/* formatDuration */.a)(options.addressTimeoutMs)}: the model is serving, but not reachable as expose asked${await serviceEvents(client, name, namespace)}`, {
        hint: [
            ...options.profiles.flatMap((profile) => profile.addressHint ?? []),
            'check the cloud quota for load balancers and the events above, raise address-timeout for slow clouds, or use expose: cluster-ip and smoke-test through service',
        ].join('; '),
    });
}
/** The Service's warning events (SyncLoadBalancerFailed…), on one line each, for the error. */
async function serviceEvents(client, name, namespace) {
    try {
        const list = await client.call(({ core }) => core.listNamespacedEvent({
            namespace,
            fieldSelector: `involvedObject.kind=Service,involvedObject.name=${name}`,
        }));
        const warnings = recentWarnings(list.items, [name], 3).map((w) => (0,errors/* oneLine */.TN)(w).slice(0, 300));
        if (warnings.length > 0)
            return `; events: ${warnings.join('; ')}`;
        return '; the Service has no warning events (no controller has acted on it)';
    }
    catch {
        return '';
    }
}

// EXTERNAL MODULE: ./node_modules/diff/libesm/patch/create.js + 2 modules
var create = __webpack_require__(37291);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(38815);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
;// CONCATENATED MODULE: ./shared/kube/objects.ts

const FIELD_MANAGER = 'model-deploy';
const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
const RELEASE_LABEL = 'model-deploy.io/release';
/** Kinds that live outside namespaces; they keep no namespace in their key. */
const CLUSTER_SCOPED = new Set([
    'Namespace',
    'ClusterRole',
    'ClusterRoleBinding',
    'CustomResourceDefinition',
    'PersistentVolume',
    'StorageClass',
    'PriorityClass',
    'IngressClass',
    'GatewayClass',
]);
function isClusterScoped(kind) {
    return CLUSTER_SCOPED.has(kind);
}
/** `apps/v1 Deployment ns/name`: one object's identity, for prune and diff. */
function objectKey(object) {
    const ns = isClusterScoped(object.kind) ? '' : `${object.metadata.namespace ?? ''}/`;
    return `${groupOf(object.apiVersion)}/${object.kind} ${ns}${object.metadata.name}`;
}
/** A short display name: `Deployment/resnet50`. */
function objectName(object) {
    return `${object.kind}/${object.metadata.name}`;
}
/** The API group of `apps/v1` is `apps`; of `v1` it is the core group (``). */
function groupOf(apiVersion) {
    const slash = apiVersion.indexOf('/');
    return slash === -1 ? '' : apiVersion.slice(0, slash);
}
/** Labels every object of a release carries, so prune and history can find them. */
function releaseLabels(release) {
    return { [MANAGED_BY_LABEL]: FIELD_MANAGER, [RELEASE_LABEL]: release };
}
function releaseSelector(release) {
    return `${MANAGED_BY_LABEL}=${FIELD_MANAGER},${RELEASE_LABEL}=${release}`;
}
/**
 * Puts every object in the namespace and adds the release labels, without
 * changing the caller's objects. Pod templates get them too, so pods are
 * traceable to the release.
 */
function labelForRelease(objects, release, namespace) {
    const labels = releaseLabels(release);
    return objects.map((original) => {
        const object = structuredClone(original);
        object.metadata.labels = { ...object.metadata.labels, ...labels };
        if (!isClusterScoped(object.kind))
            object.metadata.namespace = namespace;
        const template = object.spec?.template;
        if (template && object.kind !== 'Job' && object.kind !== 'CronJob') {
            template.metadata = {
                ...template.metadata,
                labels: { ...template.metadata?.labels, ...labels },
            };
        }
        return object;
    });
}
/** Objects sorted so dependencies come first (ServiceAccount before Deployment, Service before routes). */
const APPLY_ORDER = [
    'Namespace',
    'CustomResourceDefinition',
    'ServiceAccount',
    'Secret',
    'ConfigMap',
    'PersistentVolumeClaim',
    'Role',
    'RoleBinding',
    'Service',
    'Deployment',
    'StatefulSet',
    'HorizontalPodAutoscaler',
    'PodDisruptionBudget',
    'Ingress',
    'HTTPRoute',
    'VirtualService',
];
/**
 * The apply order in waves: the objects of one wave do not depend on each
 * other and go out at once; each wave waits for the one before. Services come
 * before the workloads (a pod gets the environment variables of the Services
 * that exist when it starts), a Role before its RoleBinding (the API server
 * checks a binding against the Role), and the workloads' companions
 * (autoscalers, disruption budgets, routes, unknown kinds) with the workloads.
 */
const APPLY_WAVE = {
    Namespace: 0,
    CustomResourceDefinition: 0,
    ServiceAccount: 1,
    Secret: 1,
    ConfigMap: 1,
    PersistentVolumeClaim: 1,
    Role: 1,
    Service: 1,
    RoleBinding: 2,
};
const LAST_WAVE = 3;
/** Objects in waves (see APPLY_WAVE), each wave in sortForApply's order. */
function applyWaves(objects) {
    const waves = [];
    for (const object of sortForApply(objects)) {
        const wave = APPLY_WAVE[object.kind] ?? LAST_WAVE;
        (waves[wave] ??= []).push(object);
    }
    return waves.filter((w) => w !== undefined && w.length > 0);
}
function sortForApply(objects) {
    const rank = (o) => {
        const i = APPLY_ORDER.indexOf(o.kind);
        return i === -1 ? APPLY_ORDER.length : i;
    };
    return [...objects].sort((a, b) => rank(a) - rank(b) || objectKey(a).localeCompare(objectKey(b)));
}
/** A stable JSON text: keys sorted, so equal objects always hash the same. */
function canonicalJson(value) {
    if (Array.isArray(value))
        return `[${value.map(canonicalJson).join(',')}]`;
    if (value !== null && typeof value === 'object') {
        const entries = Object.entries(value)
            .filter(([, v]) => v !== undefined)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
    }
    return JSON.stringify(value);
}
/** The hash that decides whether a release changed since the one serving. */
function manifestsHash(objects) {
    const sorted = [...objects].sort((a, b) => objectKey(a).localeCompare(objectKey(b)));
    return `sha256:${(0,external_node_crypto_.createHash)('sha256').update(canonicalJson(sorted)).digest('hex')}`;
}

;// CONCATENATED MODULE: ./shared/kube/apply.ts






/**
 * Server-side apply of a release's objects, pruning what the release no
 * longer renders, and the dry-run diff that shows both without changing
 * anything.
 */
/**
 * Asks discovery for every group/version of the objects at once, so the
 * applies that follow one by one find their REST paths known. A kind not
 * served is left for its apply to report.
 */
async function discoverKinds(client, objects) {
    await Promise.all(kindsOf(objects).map((kind) => client
        .call(({ objects: api }) => api.discover(kind.apiVersion, kind.kind))
        .catch(() => undefined)));
}
/** What to install when a route kind is not served, by kind. */
const ROUTE_CRDS = {
    HTTPRoute: 'install the Gateway API CRDs, or use expose: cluster-ip or load-balancer',
    GRPCRoute: 'install the Gateway API CRDs, or use expose: cluster-ip or load-balancer',
    VirtualService: "install Istio's CRDs, or use expose: cluster-ip or load-balancer",
    Mapping: "install Emissary-ingress's CRDs, or use expose: cluster-ip or load-balancer",
};
async function applyObjects(client, objects, options = {}) {
    const applied = [];
    await discoverKinds(client, objects);
    // Wave by wave (dependencies first); the objects of one wave at once.
    for (const wave of applyWaves(objects)) {
        const results = await Promise.allSettled(wave.map((object) => applyOne(client, object, options)));
        // The first failure in apply order is the one reported, as if applied one by one.
        for (const result of results) {
            if (result.status === 'rejected')
                throw result.reason;
            applied.push(result.value);
        }
    }
    return applied;
}
async function applyOne(client, object, options) {
    try {
        const result = await client.call(({ objects: api }) => 
        // The release owns its objects: a field someone changed by hand is taken back.
        api.apply(object, { fieldManager: FIELD_MANAGER, force: true, dryRun: options.dryRun }));
        return plain(result);
    }
    catch (err) {
        if (err instanceof UnservedKindError) {
            throw new errors/* UserError */.yo(`the cluster ${client.connection.displayName} does not serve ${object.apiVersion} ${object.kind}`, { hint: ROUTE_CRDS[object.kind] ?? 'check the apiVersion of this object in the chart' });
        }
        throw kubeFailure(`applying ${objectName(object)}`, err, client.connection.displayName);
    }
}
/** A client model (with Dates and undefineds) as the JSON the API server sent. */
function plain(value) {
    return JSON.parse(JSON.stringify(value));
}
function kindsOf(objects) {
    const seen = new Map();
    for (const o of objects)
        seen.set(`${o.apiVersion} ${o.kind}`, { apiVersion: o.apiVersion, kind: o.kind });
    return [...seen.values()];
}
/**
 * Objects of the release in the cluster that `keep` does not contain. Looks at
 * every kind the release has ever rendered (from the history), so a kind that
 * vanished from the chart is still cleaned up.
 */
async function findStrays(client, release, namespace, kinds, keep) {
    const wanted = new Set(keep.map(objectKey));
    // One list per kind, all at once: each is a round trip to the API server.
    const perKind = await Promise.all(kinds.map(async (kind) => {
        let items;
        try {
            const list = await client.call(({ objects: api }) => api.list(kind.apiVersion, kind.kind, {
                namespace,
                labelSelector: releaseSelector(release),
            }));
            items = list.items.map((item) => ({
                ...plain(item),
                apiVersion: kind.apiVersion,
                kind: kind.kind,
            }));
        }
        catch (err) {
            // A kind the cluster no longer serves has nothing left to prune.
            if (statusOf(err) === 404 || err instanceof UnservedKindError)
                return [];
            throw kubeFailure(`listing ${kind.kind} objects of ${release}`, err, client.connection.displayName);
        }
        return items.filter((item) => !wanted.has(objectKey(item)));
    }));
    const strays = perKind.flat();
    return strays;
}
async function deleteObjects(client, objects, logger) {
    for (const object of objects) {
        try {
            await client.call(({ objects: api }) => api.delete({
                apiVersion: object.apiVersion,
                kind: object.kind,
                metadata: { name: object.metadata.name, namespace: object.metadata.namespace },
            }, { propagationPolicy: 'Background' }));
            logger.info(`pruned ${objectName(object)}`);
        }
        catch (err) {
            if (statusOf(err) === 404 || err instanceof UnservedKindError)
                continue;
            throw kubeFailure(`pruning ${objectName(object)}`, err, client.connection.displayName);
        }
    }
}
/** Fields the server owns or that change on every read; a diff of them is noise. */
function comparable(object) {
    if (object === undefined)
        return undefined;
    const copy = structuredClone(object);
    delete copy.status;
    const metadata = copy.metadata;
    for (const field of [
        'managedFields',
        'resourceVersion',
        'uid',
        'creationTimestamp',
        'generation',
        'selfLink',
    ]) {
        delete metadata[field];
    }
    const annotations = metadata.annotations;
    if (annotations) {
        delete annotations['deployment.kubernetes.io/revision'];
        if (Object.keys(annotations).length === 0)
            delete metadata.annotations;
    }
    return copy;
}
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const SECRET_FIELDS = ['data', 'stringData'];
/**
 * A Secret's values never reach a diff, a log or a summary: each is shown as
 * `***`, marked `(changed)` on the new side when it differs from the live
 * one, and the last-applied annotation (a copy of them) is hidden the same way.
 */
function redactSecrets(before, after) {
    const isSecret = (o) => typeof o === 'object' && o !== null && o.kind === 'Secret';
    if (!isSecret(before) && !isSecret(after))
        return [before, after];
    const old = isSecret(before) ? structuredClone(before) : before;
    const next = isSecret(after) ? structuredClone(after) : after;
    const values = (o, field) => isSecret(o) ? o[field] : undefined;
    for (const field of SECRET_FIELDS) {
        const a = values(old, field);
        const b = values(next, field);
        for (const key of Object.keys(b ?? {})) {
            const changed = a !== undefined && key in a && a[key] !== b[key];
            b[key] = changed ? '*** (changed)' : '***';
        }
        for (const key of Object.keys(a ?? {}))
            a[key] = '***';
    }
    for (const o of [old, next]) {
        const annotations = isSecret(o)
            ? (o.metadata?.annotations ?? {})
            : {};
        if (LAST_APPLIED in annotations)
            annotations[LAST_APPLIED] = '***';
    }
    return [old, next];
}
/**
 * What applying would change: the live object against the server's dry-run
 * result (so defaults and other managers' fields do not show as changes),
 * and the objects prune would delete.
 */
async function diffRelease(client, objects, strays) {
    const diffs = [];
    const dryRun = await applyObjects(client, objects, { dryRun: true });
    const sorted = sortForApply(objects);
    for (let i = 0; i < sorted.length; i++) {
        const object = sorted[i];
        let live;
        try {
            live = plain(await client.call(({ objects: api }) => api.read({
                apiVersion: object.apiVersion,
                kind: object.kind,
                metadata: { name: object.metadata.name, namespace: object.metadata.namespace },
            })));
        }
        catch (err) {
            if (statusOf(err) !== 404)
                throw kubeFailure(`reading ${objectName(object)}`, err, client.connection.displayName);
        }
        const [shownBefore, shownAfter] = redactSecrets(comparable(live), comparable(dryRun[i]));
        const before = live === undefined ? '' : (0,dist/* stringify */.As)(shownBefore, { sortMapEntries: true });
        const after = (0,dist/* stringify */.As)(shownAfter, { sortMapEntries: true });
        const change = live === undefined ? 'create' : before === after ? 'unchanged' : 'update';
        diffs.push({
            name: objectName(object),
            change,
            patch: unifiedDiff(objectName(object), before, after),
        });
    }
    for (const stray of strays) {
        const before = (0,dist/* stringify */.As)(redactSecrets(comparable(stray), undefined)[0], {
            sortMapEntries: true,
        });
        diffs.push({
            name: objectName(stray),
            change: 'delete',
            patch: unifiedDiff(objectName(stray), before, ''),
        });
    }
    return diffs;
}
/** The diff of objects that do not exist yet: all of each is new. */
function plannedCreates(objects) {
    return sortForApply(objects).map((object) => ({
        name: objectName(object),
        change: 'create',
        patch: unifiedDiff(objectName(object), '', (0,dist/* stringify */.As)(redactSecrets(undefined, object)[1], { sortMapEntries: true })),
    }));
}
function unifiedDiff(name, before, after) {
    if (before === after)
        return '';
    return (0,create/* createTwoFilesPatch */.ss)(`live/${name}`, `new/${name}`, before, after, undefined, undefined, {
        context: 3,
    })
        .split('\n')
        .filter((line) => !line.startsWith('====='))
        .join('\n')
        .trimEnd();
}

// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(38522);
;// CONCATENATED MODULE: ./shared/kube/history.ts


const HISTORY_LABEL = 'model-deploy.io/history-of';
const HISTORY_TYPE = 'model-deploy.io/release.v1';
const ANNOTATION = 'model-deploy.io/';
function historySecretName(release, revision) {
    return `model-deploy.${release}.v${revision}`;
}
function historySelector(release) {
    return `${HISTORY_LABEL}=${release}`;
}
const FIELDS = [
    'result',
    'hash',
    'image',
    'imageDigest',
    'modelVersion',
    'gitSha',
    'actor',
    'runUrl',
    'time',
    'source',
    'reason',
];
function annotationKey(field) {
    return ANNOTATION + field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
function encodeRecord(record, namespace) {
    const annotations = {};
    for (const field of FIELDS) {
        const value = record[field];
        if (value !== undefined)
            annotations[annotationKey(field)] = String(value);
    }
    const manifests = (0,external_node_zlib_.gzipSync)(Buffer.from(JSON.stringify(record.manifests), 'utf8'));
    return {
        apiVersion: 'v1',
        kind: 'Secret',
        type: HISTORY_TYPE,
        metadata: {
            name: historySecretName(record.release, record.revision),
            namespace,
            labels: {
                [MANAGED_BY_LABEL]: FIELD_MANAGER,
                [HISTORY_LABEL]: record.release,
                'model-deploy.io/revision': String(record.revision),
            },
            annotations,
        },
        data: { manifests: manifests.toString('base64') },
    };
}
/** A Secret holds at most 1 MiB; its manifests may unpack to this much and no more. */
const MAX_RECORD_BYTES = 8 * 1024 * 1024;
/**
 * The kinds a restore applies: the namespaced objects a model release is made
 * of. A record is only as trustworthy as whoever can write Secrets in the
 * namespace, so it cannot bring cluster-scoped objects or other namespaces.
 */
const RESTORABLE_KINDS = new Set([
    'ServiceAccount',
    'Secret',
    'ConfigMap',
    'PersistentVolumeClaim',
    'Role',
    'RoleBinding',
    'Service',
    'Deployment',
    'StatefulSet',
    'Job',
    'CronJob',
    'HorizontalPodAutoscaler',
    'PodDisruptionBudget',
    'NetworkPolicy',
    'Ingress',
    'HTTPRoute',
    'GRPCRoute',
    'VirtualService',
    'DestinationRule',
    'Mapping',
    'ServiceMonitor',
    'PodMonitor',
]);
/** Why these stored manifests cannot be restored into the namespace, or undefined when they can. */
function unrestorable(manifests, namespace) {
    if (!Array.isArray(manifests))
        return 'its manifests are not a list';
    for (const [i, item] of manifests.entries()) {
        const object = item;
        const name = object?.metadata?.name;
        if (object === null ||
            typeof object !== 'object' ||
            typeof object.apiVersion !== 'string' ||
            typeof object.kind !== 'string' ||
            typeof name !== 'string') {
            return `manifest ${i + 1} is not a Kubernetes object`;
        }
        if (!RESTORABLE_KINDS.has(object.kind)) {
            return `it holds a ${object.kind.slice(0, 60)}, which a restore does not apply (it applies ${[...RESTORABLE_KINDS].join(', ')})`;
        }
        const where = object.metadata?.namespace;
        if (where !== undefined && where !== namespace) {
            return `it holds ${object.kind}/${name.slice(0, 60)} in namespace ${String(where).slice(0, 60)}, not ${namespace}`;
        }
    }
    return undefined;
}
/**
 * A history Secret back into a record, refusing anything this release did
 * not write: another type or release, a bad revision, manifests that unpack
 * beyond the cap, or objects a restore must not apply.
 */
function decodeRecord(secret, expected) {
    const labels = secret.metadata?.labels ?? {};
    const annotations = secret.metadata?.annotations ?? {};
    const release = labels[HISTORY_LABEL];
    const revision = Number(labels['model-deploy.io/revision']);
    const data = secret.data?.manifests;
    if (secret.type !== HISTORY_TYPE) {
        throw new Error(`it is of type ${String(secret.type).slice(0, 60)}, not ${HISTORY_TYPE}`);
    }
    if (release !== expected.release)
        throw new Error(`it belongs to release ${release}`);
    if (!Number.isInteger(revision) || revision < 1)
        throw new Error('it has no revision number');
    if (data === undefined)
        throw new Error('it has no manifests');
    let manifests;
    try {
        manifests = JSON.parse((0,external_node_zlib_.gunzipSync)(Buffer.from(data, 'base64'), { maxOutputLength: MAX_RECORD_BYTES }).toString('utf8'));
    }
    catch (err) {
        throw new Error(err.code === 'ERR_BUFFER_TOO_LARGE'
            ? `its manifests unpack to more than ${MAX_RECORD_BYTES / 1024 / 1024} MiB`
            : 'its manifests are not gzipped JSON', { cause: err });
    }
    const problem = unrestorable(manifests, expected.namespace);
    if (problem !== undefined)
        throw new Error(problem);
    const record = {
        release,
        revision,
        // Relabelled as this release's, in its namespace, whatever the stored copy says.
        manifests: labelForRelease(manifests, release, expected.namespace),
    };
    for (const field of FIELDS) {
        const value = annotations[annotationKey(field)];
        if (value !== undefined)
            record[field] = value;
    }
    return record;
}
/** The annotation patch that changes a stored revision's result. */
function resultAnnotations(result, reason) {
    return {
        [annotationKey('result')]: result,
        ...(reason === undefined ? {} : { [annotationKey('reason')]: reason }),
    };
}
/** The revision serving now: the newest that deployed successfully. */
function servingRevision(records) {
    return [...records].sort((a, b) => b.revision - a.revision).find((r) => r.result === 'deployed');
}
function nextRevision(records) {
    return records.reduce((max, r) => Math.max(max, r.revision), 0) + 1;
}
/**
 * The cluster runs exactly the serving revision's manifests: nothing applied
 * after it stayed (every later attempt was rolled back).
 */
function clusterMatchesServing(records) {
    const serving = servingRevision(records);
    if (!serving)
        return false;
    return records.every((r) => r.revision <= serving.revision || r.result === 'rolled-back');
}
/** Revisions to delete to keep at most `limit`, never the one serving. */
function revisionsBeyondLimit(records, limit) {
    const serving = servingRevision(records)?.revision;
    const sorted = [...records].sort((a, b) => b.revision - a.revision);
    return sorted
        .slice(limit)
        .map((r) => r.revision)
        .filter((r) => r !== serving);
}
/**
 * Finds the revision `rollback-to` names: `previous` (the successful one
 * before the serving one), a revision number, or an image digest (the newest
 * successful revision that ran it).
 */
function findRollbackTarget(records, target) {
    const good = [...records]
        .filter((r) => r.result === 'deployed' || r.result === 'superseded')
        .sort((a, b) => b.revision - a.revision);
    const serving = servingRevision(records);
    if (target === 'previous') {
        const previous = good.find((r) => serving === undefined || r.revision < serving.revision);
        return previous ?? { problem: 'there is no successful revision before the one serving' };
    }
    if (/^\d+$/.test(target)) {
        const wanted = Number(target);
        const found = records.find((r) => r.revision === wanted);
        if (!found) {
            const known = records.map((r) => r.revision).sort((a, b) => a - b);
            return {
                problem: `revision ${wanted} is not in the history (known: ${known.join(', ') || 'none'})`,
            };
        }
        if (found.result !== 'deployed' && found.result !== 'superseded') {
            return { problem: `revision ${wanted} never rolled out successfully; it cannot be restored` };
        }
        return found;
    }
    if (/^sha256:[0-9a-f]{64}$/.test(target)) {
        const found = good.find((r) => r.imageDigest === target);
        return found ?? { problem: `no successful revision ran the image ${target}` };
    }
    return { problem: `'${target}' is not previous, a revision number or an image digest` };
}

;// CONCATENATED MODULE: ./shared/kube/lease.ts




/** An error's message with its hint, for a warning that does not fail the run. */
function withHint(err) {
    const hint = err.hint;
    return hint ? `${err.message} (${hint})` : err.message;
}
function leaseName(release) {
    return `model-deploy.${release}`;
}
function expired(lease, now) {
    const spec = lease.spec ?? {};
    if (!spec.holderIdentity)
        return true;
    const renewed = spec.renewTime ?? spec.acquireTime;
    if (renewed === undefined)
        return true;
    return new Date(renewed).getTime() + (spec.leaseDurationSeconds ?? 0) * 1000 < now;
}
/**
 * Now as a Lease's MicroTime: RFC 3339 with six fractional digits, the form
 * the API server parses. The typings call the field a Date; on the wire it is this string.
 */
function microTime(now = new Date()) {
    return now.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
/** The Lease that says `holder` deploys the release, for a create or a replace. */
function leaseBody(options, durationSeconds, resourceVersion) {
    return {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: {
            name: leaseName(options.release),
            namespace: options.namespace,
            labels: { [MANAGED_BY_LABEL]: FIELD_MANAGER, 'model-deploy.io/lock-of': options.release },
            ...(resourceVersion ? { resourceVersion } : {}),
        },
        spec: {
            holderIdentity: options.holder,
            leaseDurationSeconds: durationSeconds,
            acquireTime: microTime(),
            renewTime: microTime(),
        },
    };
}
async function tryLock(client, options, duration) {
    const name = leaseName(options.release);
    const { namespace } = options;
    try {
        const created = await client.call(({ coordination }) => coordination.createNamespacedLease({ namespace, body: leaseBody(options, duration) }));
        return { taken: true, resourceVersion: created.metadata?.resourceVersion };
    }
    catch (err) {
        if (statusOf(err) !== 409)
            throw kubeFailure(`taking the deploy lock ${name}`, err, client.connection.displayName);
    }
    let current;
    try {
        current = await client.call(({ coordination }) => coordination.readNamespacedLease({ name, namespace }));
    }
    catch (err) {
        if (statusOf(err) === 404)
            return { taken: false };
        throw kubeFailure(`reading the deploy lock ${name}`, err, client.connection.displayName);
    }
    // A retried create whose first attempt landed: the lease is already ours.
    if (current.spec?.holderIdentity === options.holder)
        return { taken: true, resourceVersion: current.metadata?.resourceVersion };
    if (!expired(current, Date.now()))
        return { taken: false, heldBy: current.spec?.holderIdentity ?? 'another deploy' };
    return takeOver(client, options, duration, current);
}
/** Replaces a lapsed lease; a 409 means another run took it between our read and write. */
async function takeOver(client, options, duration, current) {
    const name = leaseName(options.release);
    let replaced;
    try {
        replaced = await client.call(({ coordination }) => coordination.replaceNamespacedLease({
            name,
            namespace: options.namespace,
            body: leaseBody(options, duration, current.metadata?.resourceVersion),
        }));
    }
    catch (err) {
        // Someone else took it between our read and write: wait like everyone else.
        if (statusOf(err) !== 409)
            throw kubeFailure(`taking the deploy lock ${name}`, err, client.connection.displayName);
        return { taken: false };
    }
    if (current.spec?.holderIdentity) {
        options.logger.info(`took over the deploy lock ${name}: ${current.spec.holderIdentity} stopped renewing it`);
    }
    return { taken: true, resourceVersion: replaced.metadata?.resourceVersion };
}
/** Takes the lock, waiting for whoever holds it; returns who that was, if anyone. */
async function waitForLock(client, options, duration) {
    const name = leaseName(options.release);
    const waitTimeout = options.waitTimeoutMs ?? 30 * 60_000;
    const started = Date.now();
    let waitedFor;
    for (;;) {
        const attempt = await tryLock(client, options, duration);
        if (attempt.taken)
            return { waitedFor, held: { resourceVersion: attempt.resourceVersion } };
        if (attempt.heldBy === undefined)
            continue;
        if (waitedFor === undefined) {
            options.logger.info(`waiting for ${attempt.heldBy} to finish deploying ${options.release} (lock ${name})`);
        }
        waitedFor = attempt.heldBy;
        if (Date.now() - started > waitTimeout) {
            throw new errors/* UserError */.yo(`gave up waiting for ${waitedFor} to finish deploying ${options.release}`, {
                hint: `if no deploy is running, delete the lease: kubectl delete lease ${name} -n ${options.namespace}`,
            });
        }
        await (0,retry/* sleep */.yy)(options.pollMs ?? 1000);
    }
}
async function lockRelease(client, options) {
    const duration = options.durationSeconds ?? 60;
    const started = Date.now();
    const { waitedFor, held } = await waitForLock(client, options, duration);
    const waitedMs = Date.now() - started;
    if (waitedFor !== undefined) {
        options.logger.info(`waited ${Math.round(waitedMs / 1000)}s for ${waitedFor} before deploying ${options.release}`);
    }
    // Renew well inside the duration so a long rollout keeps the lock.
    const renewals = { refused: false };
    const renewal = setInterval(() => void renewLock(client, options, renewals, held), (duration * 1000) / 3);
    renewal.unref();
    return {
        waitedMs,
        ...(waitedFor !== undefined ? { waitedFor } : {}),
        async unlock() {
            clearInterval(renewal);
            await unlockRelease(client, options, duration, held);
        },
    };
}
/** Runs `act` on the release's Lease when this run holds it; another holder's Lease is left alone. */
async function onOwnLease(client, options, act) {
    await client.call(async ({ coordination }) => {
        const current = await coordination.readNamespacedLease({
            name: leaseName(options.release),
            namespace: options.namespace,
        });
        if (current.spec?.holderIdentity !== options.holder)
            return;
        await act(current, coordination);
    });
}
async function renewLock(client, options, state, held) {
    const name = leaseName(options.release);
    try {
        await onOwnLease(client, options, async (current, coordination) => {
            current.spec.renewTime = microTime();
            const renewed = await coordination.replaceNamespacedLease({
                name,
                namespace: options.namespace,
                body: current,
            });
            held.resourceVersion = renewed.metadata?.resourceVersion;
        });
    }
    catch (err) {
        // A refusal does not pass: without renewals the lock lapses during a long rollout.
        if (statusOf(err) === 403 && !state.refused) {
            state.refused = true;
            options.logger.warning(withHint(kubeFailure(`renewing the deploy lock ${name}`, err, client.connection.displayName)));
        }
        else {
            options.logger.debug(`renewing the deploy lock failed: ${err.message}`);
        }
    }
}
async function unlockRelease(client, options, duration, held) {
    const name = leaseName(options.release);
    const { namespace } = options;
    // One round trip when the Lease is as this run last wrote it: the delete's
    // precondition proves it is still ours. Anything else (renewed meanwhile,
    // taken over) is read first, and another holder's Lease is left alone.
    if (held.resourceVersion !== undefined) {
        try {
            await client.call(({ coordination }) => coordination.deleteNamespacedLease({
                name,
                namespace,
                body: { preconditions: { resourceVersion: held.resourceVersion } },
            }));
            return;
        }
        catch (err) {
            if (statusOf(err) === 404)
                return;
            // 409: the precondition failed; look before deleting.
        }
    }
    try {
        await onOwnLease(client, options, async (current, coordination) => {
            await coordination.deleteNamespacedLease({
                name,
                namespace: options.namespace,
                body: { preconditions: { resourceVersion: current.metadata?.resourceVersion } },
            });
        });
    }
    catch (err) {
        // Not fatal, but the next deploy of the release waits until the lock lapses.
        options.logger.warning(`${withHint(kubeFailure(`releasing the deploy lock ${name}`, err, client.connection.displayName))}; the next deploy of ${options.release} waits until it lapses (${duration}s)`);
    }
}

;// CONCATENATED MODULE: ./shared/kube/release-store.ts


/** Reads and writes the release history Secrets of one release. */
class ReleaseStore {
    client;
    namespace;
    release;
    constructor(client, namespace, release) {
        this.client = client;
        this.namespace = namespace;
        this.release = release;
    }
    failure(what, err) {
        return kubeFailure(`${what} the release history of ${this.release}`, err, this.client.connection.displayName);
    }
    /** History Secrets of this release that were refused on the last list(), and why. */
    refused = [];
    async list() {
        try {
            const secrets = await this.client.call(({ core }) => core.listNamespacedSecret({
                namespace: this.namespace,
                labelSelector: historySelector(this.release),
            }));
            const records = [];
            this.refused = [];
            for (const secret of secrets.items) {
                try {
                    records.push(decodeRecord(secret, { release: this.release, namespace: this.namespace }));
                }
                catch (err) {
                    // A damaged or foreign record must not block deploys; it just cannot be restored.
                    this.refused.push({
                        secret: secret.metadata?.name ?? '?',
                        revision: Number(secret.metadata?.labels?.['model-deploy.io/revision']),
                        reason: err.message,
                    });
                }
            }
            return records.sort((a, b) => a.revision - b.revision);
        }
        catch (err) {
            if (statusOf(err) === 404)
                return [];
            throw this.failure('reading', err);
        }
    }
    async write(record) {
        const body = encodeRecord(record, this.namespace);
        try {
            await this.client.call(({ core }) => core.createNamespacedSecret({ namespace: this.namespace, body }));
        }
        catch (err) {
            // A retried create whose first attempt did land: the record is already there.
            if (statusOf(err) === 409) {
                const existing = await this.client
                    .call(({ core }) => core.readNamespacedSecret({
                    name: body.metadata?.name ?? '',
                    namespace: this.namespace,
                }))
                    .catch(() => undefined);
                if (existing?.metadata?.annotations?.['model-deploy.io/hash'] === record.hash)
                    return;
            }
            throw this.failure('writing', err);
        }
    }
    async setResult(revision, result, reason) {
        const name = historySecretName(this.release, revision);
        try {
            await this.client.call(async ({ core }) => {
                const secret = await core.readNamespacedSecret({ name, namespace: this.namespace });
                secret.metadata = {
                    ...secret.metadata,
                    annotations: { ...secret.metadata?.annotations, ...resultAnnotations(result, reason) },
                };
                await core.replaceNamespacedSecret({ name, namespace: this.namespace, body: secret });
            });
        }
        catch (err) {
            throw this.failure('updating', err);
        }
    }
    /** Deletes the oldest revisions beyond the limit (never the serving one). */
    async trim(limit, logger) {
        const records = await this.list();
        for (const revision of revisionsBeyondLimit(records, limit)) {
            try {
                await this.client.call(({ core }) => core.deleteNamespacedSecret({
                    name: historySecretName(this.release, revision),
                    namespace: this.namespace,
                }));
                logger.debug(`removed revision ${revision} from the history (limit ${limit})`);
            }
            catch (err) {
                if (statusOf(err) !== 404)
                    logger.warning(`could not remove old revision ${revision}: ${err.message}`);
            }
        }
    }
}

;// CONCATENATED MODULE: ./shared/kube/change-signal.ts
function changeSignal(client, path, query) {
    const controller = new AbortController();
    let wake;
    let changed = false;
    const fire = () => {
        if (wake === undefined)
            changed = true;
        else
            wake();
    };
    if (typeof client.watch === 'function') {
        client.watch(path, query, fire, controller.signal).catch(() => undefined);
    }
    return {
        wait(ms) {
            if (changed) {
                changed = false;
                return Promise.resolve();
            }
            return new Promise((resolve) => {
                const timer = setTimeout(() => {
                    wake = undefined;
                    resolve();
                }, ms);
                wake = () => {
                    clearTimeout(timer);
                    wake = undefined;
                    resolve();
                };
            });
        },
        stop() {
            controller.abort();
            wake?.();
        },
    };
}

;// CONCATENATED MODULE: ./shared/kube/rollout-status.ts
/**
 * Rollout progress as `kubectl rollout status` judges it, as a pure function
 * of the Deployment, so it can be tested on recorded objects.
 */
function evaluateRollout(deployment, options = {}) {
    const name = deployment.metadata?.name ?? '';
    const generation = deployment.metadata?.generation ?? 0;
    const status = deployment.status ?? {};
    if (generation > (status.observedGeneration ?? 0)) {
        return {
            state: 'progressing',
            message: 'waiting for the deployment spec update to be observed',
        };
    }
    const progressing = status.conditions?.find((c) => c.type === 'Progressing');
    // Compared as instants: one side may carry milliseconds, the other not.
    const stale = options.staleDeadline !== undefined &&
        progressing?.lastUpdateTime !== undefined &&
        Date.parse(progressing.lastUpdateTime) === Date.parse(options.staleDeadline);
    if (progressing?.reason === 'ProgressDeadlineExceeded' && !stale) {
        return {
            state: 'failed',
            reason: 'ProgressDeadlineExceeded',
            message: `deployment "${name}" exceeded its progress deadline`,
        };
    }
    const desired = deployment.spec?.replicas ?? 1;
    const updated = status.updatedReplicas ?? 0;
    const total = status.replicas ?? 0;
    const available = status.availableReplicas ?? 0;
    if (updated < desired) {
        return {
            state: 'progressing',
            message: `${updated} of ${desired} new replicas updated, ${available} available`,
        };
    }
    if (total > updated) {
        return {
            state: 'progressing',
            message: `${total - updated} old replicas pending termination`,
        };
    }
    if (available < updated) {
        return {
            state: 'progressing',
            message: `${available} of ${updated} updated replicas available`,
        };
    }
    return { state: 'complete', message: `${available} of ${desired} replicas available` };
}

;// CONCATENATED MODULE: ./shared/kube/rollout.ts





/**
 * Waits for a Deployment the way `kubectl rollout status` does, printing a
 * progress line as replicas move, and explains a failure from the pods of the
 * new ReplicaSet.
 */
async function watchRollout(client, options) {
    const started = Date.now();
    // Woken as soon as the Deployment changes, as kubectl's watch is.
    const changes = changeSignal(client, `/apis/apps/v1/namespaces/${encodeURIComponent(options.namespace)}/deployments`, { fieldSelector: `metadata.name=${options.deployment}`, timeoutSeconds: 600 });
    try {
        return await watchLoop(client, options, changes, started);
    }
    finally {
        changes.stop();
    }
}
async function watchLoop(client, options, changes, started) {
    const pollMs = options.pollMs ?? 1000;
    // Most rollouts of a model server settle in a few seconds: look every 200 ms
    // for the first 10 s (sooner when the Deployment changes), then back off to
    // pollMs so a long rollout does not hammer the API.
    let intervalMs = Math.min(200, pollMs);
    const hopelessAfterMs = options.hopelessAfterMs ?? 30_000;
    const hopelessSince = new Map();
    let lastLine = '';
    const known = {};
    for (;;) {
        const snapshot = await observe(client, options, known);
        const verdict = evaluateRollout(snapshot.deployment, options.staleDeadline !== undefined ? { staleDeadline: options.staleDeadline } : {});
        const elapsed = Date.now() - started;
        if (verdict.state === 'complete') {
            options.logger.info(`rollout of ${options.deployment} complete: ${verdict.message}`);
            return {
                ok: true,
                message: verdict.message,
                durationMs: elapsed,
                readyReplicas: snapshot.deployment.status?.readyReplicas ?? 0,
                ...(snapshot.podTemplateHash ? { podTemplateHash: snapshot.podTemplateHash } : {}),
            };
        }
        const problems = podProblems(snapshot.pods);
        if (verdict.state === 'failed') {
            return failure(client, options, snapshot, problems, verdict.reason, verdict.message, elapsed);
        }
        const now = Date.now();
        const stuck = [];
        for (const p of problems.filter((x) => x.hopeless)) {
            const key = `${p.pod}/${p.container ?? ''}/${p.reason}`;
            const since = hopelessSince.get(key) ?? now;
            hopelessSince.set(key, since);
            if (now - since >= hopelessAfterMs)
                stuck.push(p);
        }
        if (stuck.length > 0) {
            const first = stuck[0];
            return failure(client, options, snapshot, problems, first.reason, `pods of ${options.deployment} are stuck in ${first.reason}`, elapsed);
        }
        if (elapsed >= options.timeoutMs) {
            return failure(client, options, snapshot, problems, 'Timeout', `rollout of ${options.deployment} did not finish within ${Math.round(options.timeoutMs / 1000)}s`, elapsed);
        }
        const line = `${verdict.message}${problems.length ? ` (${[...new Set(problems.map((p) => p.reason))].join(', ')})` : ''}`;
        if (line !== lastLine) {
            options.logger.info(`[${Math.round(elapsed / 1000)}s] ${options.deployment}: ${line}`);
            lastLine = line;
        }
        await changes.wait(Math.min(intervalMs, Math.max(0, options.timeoutMs - elapsed) + 10));
        if (Date.now() - started >= FAST_POLL_MS)
            intervalMs = Math.min(pollMs, intervalMs * 2);
    }
}
/** How long a rollout is looked at every 200 ms before the reads back off. */
const FAST_POLL_MS = 10_000;
/**
 * A Deployment's selector cannot change (apps/v1 refuses the update), so once
 * the first snapshot has read it, the Deployment, its ReplicaSets and its pods
 * are read side by side: one round trip per look instead of three.
 */
async function observe(client, options, known) {
    try {
        // A snapshot is reads only: on a passing fault, take it again whole.
        return await client.call(async ({ apps, core }) => {
            const readDeployment = async () => plain(await apps.readNamespacedDeployment({
                name: options.deployment,
                namespace: options.namespace,
            }));
            const listBy = (selector) => Promise.all([
                apps.listNamespacedReplicaSet({ namespace: options.namespace, labelSelector: selector }),
                core.listNamespacedPod({ namespace: options.namespace, labelSelector: selector }),
            ]);
            let deployment;
            let lists;
            if (known.selector === undefined) {
                deployment = await readDeployment();
                known.selector = selectorOf(deployment);
                lists = await listBy(known.selector);
            }
            else {
                [deployment, lists] = await Promise.all([readDeployment(), listBy(known.selector)]);
            }
            return snapshotOf(options, deployment, lists[0].items.map(plain), lists[1].items.map(plain));
        });
    }
    catch (err) {
        throw kubeFailure(`watching the rollout of ${options.deployment}`, err, client.connection.displayName);
    }
}
function selectorOf(deployment) {
    return Object.entries(deployment.spec?.selector?.matchLabels ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
}
/** The snapshot's pods are those of the Deployment's newest ReplicaSet (all of them before it has one). */
function snapshotOf(options, deployment, replicaSets, allPods) {
    const revision = deployment.metadata
        ?.annotations?.['deployment.kubernetes.io/revision'];
    const newest = replicaSets.find((rs) => rs.metadata.annotations?.['deployment.kubernetes.io/revision'] === revision);
    const hash = newest?.metadata.labels?.['pod-template-hash'];
    const pods = hash
        ? allPods.filter((p) => p.metadata?.labels?.['pod-template-hash'] === hash)
        : allPods;
    const objectNames = [
        options.deployment,
        ...(newest ? [newest.metadata.name] : []),
        ...pods.map((p) => p.metadata?.name ?? ''),
    ];
    return { deployment, pods, objectNames, podTemplateHash: hash };
}
async function failure(client, options, snapshot, problems, reason, message, durationMs) {
    let warnings = [];
    try {
        const list = await client.call(({ core }) => core.listNamespacedEvent({ namespace: options.namespace }));
        const events = list.items.map((e) => plain(e));
        warnings = recentWarnings(events, snapshot.objectNames);
    }
    catch {
        // Events only add detail; the pod states already explain the failure.
    }
    const lines = [summariseProblems(problems), ...warnings.map((w) => `event: ${w}`)].filter((l) => l !== '');
    // The most telling reason: the pods' own, when the deadline was only the symptom.
    const podReason = problems[0]?.reason;
    return {
        ok: false,
        reason: reason === 'ProgressDeadlineExceeded' || reason === 'Timeout'
            ? podReason
                ? `${reason} (${podReason})`
                : reason
            : reason,
        message,
        diagnosis: lines.join('\n'),
        durationMs,
    };
}

;// CONCATENATED MODULE: ./shared/kube/service-endpoints.ts




/** The pods a slice's ready endpoints name (a missing `ready` counts as ready, as the API says). */
function readyPods(slices) {
    return slices.flatMap((slice) => (slice.endpoints ?? [])
        .filter((e) => e.conditions?.ready !== false && e.targetRef?.kind === 'Pod')
        .map((e) => e.targetRef?.name ?? ''));
}
function labelSelector(labels) {
    return Object.entries(labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
}
/** The pods behind the Service's ready endpoints, and the pods its selector picks. */
async function service_endpoints_observe(client, wait) {
    return client.call(async ({ core, objects }) => {
        const slices = await objects.list('discovery.k8s.io/v1', 'EndpointSlice', {
            namespace: wait.namespace,
            labelSelector: `kubernetes.io/service-name=${wait.service}`,
        });
        const pods = await core.listNamespacedPod({
            namespace: wait.namespace,
            labelSelector: labelSelector(wait.selector),
        });
        const serving = readyPods(slices.items);
        return { serving, selected: new Set(pods.items.map((p) => p.metadata?.name ?? '')) };
    });
}
/** True once every ready endpoint is a selected pod (and there is one); false at the deadline. */
async function waitForServiceEndpoints(client, wait) {
    const deadline = Date.now() + wait.timeoutMs;
    for (;;) {
        let seen;
        try {
            seen = await service_endpoints_observe(client, wait);
        }
        catch (err) {
            throw kubeFailure(`reading the endpoints of Service ${wait.namespace}/${wait.service}`, err, client.connection.displayName);
        }
        if (seen.serving.length > 0 && seen.serving.every((name) => seen.selected.has(name))) {
            return true;
        }
        if (Date.now() >= deadline)
            return false;
        await (0,retry/* sleep */.yy)(wait.pollMs ?? 200);
    }
}
/** A pod a Service should no longer send to: shutting down, or of an older ReplicaSet of the Deployment. */
function isLeaving(pod, wait) {
    const meta = pod.metadata ?? {};
    if (meta.deletionTimestamp)
        return true;
    const hash = meta.labels?.['pod-template-hash'];
    const ours = (meta.ownerReferences ?? []).some((o) => o.kind === 'ReplicaSet' && o.name === `${wait.deployment}-${hash ?? ''}`);
    return ours && hash !== wait.hash;
}
/** What still keeps each Service off the new pods; empty once traffic is on them alone. */
async function trafficProblems(client, wait) {
    const { slices, podLists } = await client.call(async ({ core, objects }) => {
        const [slices, ...podLists] = await Promise.all([
            objects.list('discovery.k8s.io/v1', 'EndpointSlice', {
                namespace: wait.namespace,
                labelSelector: serviceSelector(wait),
            }),
            ...wait.services.map((service) => core.listNamespacedPod({
                namespace: wait.namespace,
                labelSelector: labelSelector(service.selector),
            })),
        ]);
        return { slices: slices.items, podLists: podLists.map((l) => l.items) };
    });
    return wait.services.flatMap((service, i) => {
        const pods = new Map((podLists[i] ?? []).map((p) => [p.metadata?.name ?? '', p]));
        const ready = readyPods(slices.filter((s) => s.metadata?.labels?.['kubernetes.io/service-name'] === service.name));
        // A pod already gone, or leaving, still listed as ready: its requests fail.
        const old = ready.filter((name) => {
            const pod = pods.get(name);
            return pod === undefined || isLeaving(pod, wait);
        });
        if (old.length > 0) {
            return [`Service ${service.name} still sends traffic to ${old.join(', ')}`];
        }
        const serving = ready.some((name) => {
            const pod = pods.get(name);
            return pod?.metadata?.labels?.['pod-template-hash'] === wait.hash;
        });
        if (wait.expectServing && !serving) {
            return [`Service ${service.name} has no ready endpoint on the new pods`];
        }
        return [];
    });
}
/** Waits until traffic is on the new pods alone; the problems left at the deadline, if any. */
async function waitForRevisionTraffic(client, wait) {
    const deadline = Date.now() + wait.timeoutMs;
    // Started only when the first look is not settled: a watch on the
    // EndpointSlices wakes the next look as soon as the controller writes them.
    let changes;
    try {
        for (;;) {
            let problems;
            try {
                problems = await trafficProblems(client, wait);
            }
            catch (err) {
                throw kubeFailure(`reading the endpoints of ${wait.services.map((s) => `Service ${wait.namespace}/${s.name}`).join(', ')}`, err, client.connection.displayName);
            }
            const left = deadline - Date.now();
            if (problems.length === 0 || left <= 0)
                return problems;
            changes ??= changeSignal(client, `/apis/discovery.k8s.io/v1/namespaces/${encodeURIComponent(wait.namespace)}/endpointslices`, { labelSelector: serviceSelector(wait), timeoutSeconds: 60 });
            await changes.wait(Math.min(wait.pollMs ?? 250, left));
        }
    }
    finally {
        changes?.stop();
    }
}
function serviceSelector(wait) {
    return `kubernetes.io/service-name in (${wait.services.map((s) => s.name).join(',')})`;
}
/**
 * After a Deployment's rollout: waits until the release's Services that
 * select its pods send traffic to the new ReplicaSet alone. Never fails the
 * release (the new version is serving): what it cannot confirm, it warns.
 */
async function confirmRevisionTraffic(client, objects, deployment, outcome, options) {
    const namespace = deployment.metadata.namespace ?? options.namespace;
    const spec = deployment.spec;
    const labels = spec?.template?.metadata?.labels ?? {};
    const services = objects
        .filter((o) => o.kind === 'Service' && (o.metadata.namespace ?? options.namespace) === namespace)
        .map((o) => ({
        name: o.metadata.name,
        selector: o.spec?.selector ?? {},
    }))
        .filter(({ selector }) => {
        const entries = Object.entries(selector);
        return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
    });
    const hash = outcome.podTemplateHash;
    if (!hash || services.length === 0)
        return;
    const started = Date.now();
    try {
        const problems = await waitForRevisionTraffic(client, {
            namespace,
            deployment: deployment.metadata.name,
            hash,
            services,
            expectServing: outcome.readyReplicas > 0,
            timeoutMs: options.timeoutMs,
        });
        const waited = `${((Date.now() - started) / 1000).toFixed(1)}s`;
        if (problems.length > 0) {
            options.logger.warning(`after ${waited}, ${problems.join('; ')}: requests sent right after this deploy may still reach the previous version`, { title: 'deploy: traffic not yet on the new pods' });
        }
        else if (Date.now() - started >= 1000) {
            options.logger.info(`${services.map((s) => `Service ${s.name}`).join(', ')}: traffic on the new pods alone after ${waited}`);
        }
    }
    catch (err) {
        options.logger.warning(`${(0,errors/* errorMessage */.gJ)(err)}; deploy could not confirm that traffic left the previous pods (it lists endpointslices in discovery.k8s.io)`, { title: 'deploy: traffic not confirmed' });
    }
}

;// CONCATENATED MODULE: ./shared/kube/release.ts









async function namespaceExists(client, namespace) {
    try {
        await client.call(({ core }) => core.readNamespace({ name: namespace }));
        return true;
    }
    catch (err) {
        if (statusOf(err) === 404)
            return false;
        throw kubeFailure(`reading namespace ${namespace}`, err, client.connection.displayName);
    }
}
/** Creates the namespace unless it exists (`exists`: its read, when it went out earlier). */
async function ensureNamespace(client, namespace, logger, exists = namespaceExists(client, namespace)) {
    if (await exists)
        return;
    try {
        await client.call(({ core }) => core.createNamespace({ body: { metadata: { name: namespace } } }));
        logger.info(`created namespace ${namespace}`);
    }
    catch (createErr) {
        if (statusOf(createErr) !== 409) {
            throw kubeFailure(`creating namespace ${namespace}`, createErr, client.connection.displayName);
        }
    }
}
async function runRelease(client, request) {
    const { logger, namespace, release } = request;
    if (!request.dryRun)
        await ensureNamespace(client, namespace, logger, request.namespaceRead);
    const lock = request.dryRun
        ? { waitedMs: 0, waitedFor: undefined, unlock: async () => { } }
        : await lockRelease(client, { namespace, release, holder: request.holder, logger });
    try {
        const outcome = await releaseLocked(client, request);
        outcome.waitedMs = lock.waitedMs;
        if (lock.waitedFor !== undefined)
            outcome.waitedFor = lock.waitedFor;
        return outcome;
    }
    finally {
        await lock.unlock();
    }
}
/** The new render labelled for the release, or the recorded revision `rollbackTo` names. */
function releaseContent(request, records, refused) {
    const { release, namespace } = request;
    if (request.rollbackTo === undefined) {
        return {
            objects: labelForRelease(request.objects, release, namespace),
            image: request.image,
            ...(request.imageDigest ? { imageDigest: request.imageDigest } : {}),
            ...(request.modelVersion ? { modelVersion: request.modelVersion } : {}),
            source: 'deploy',
        };
    }
    const target = findRollbackTarget(records, request.rollbackTo);
    if ('problem' in target) {
        const refusal = refused.find((r) => String(r.revision) === request.rollbackTo);
        throw new errors/* UserError */.yo(`cannot roll ${release} back to ${request.rollbackTo}: ${refusal ? `its history Secret ${refusal.secret} was refused: ${refusal.reason}` : target.problem}`, {
            hint: `list the history with: kubectl get secrets -n ${namespace} -l model-deploy.io/history-of=${release} -L model-deploy.io/revision`,
        });
    }
    request.logger.info(`restoring revision ${target.revision} of ${release} (image ${target.image})`);
    return {
        objects: target.manifests,
        image: target.image,
        ...(target.imageDigest ? { imageDigest: target.imageDigest } : {}),
        ...(target.modelVersion ? { modelVersion: target.modelVersion } : {}),
        source: `rollback to ${target.revision}`,
    };
}
/** The history record of a revision about to be applied. */
function pendingRecord(request, content, revision, hash, now = new Date()) {
    return {
        release: request.release,
        revision,
        result: 'pending',
        hash,
        image: content.image,
        time: now.toISOString(),
        source: content.source,
        manifests: content.objects,
        ...(content.imageDigest ? { imageDigest: content.imageDigest } : {}),
        ...(content.modelVersion ? { modelVersion: content.modelVersion } : {}),
        ...(request.gitSha ? { gitSha: request.gitSha } : {}),
        ...(request.actor ? { actor: request.actor } : {}),
        ...(request.runUrl ? { runUrl: request.runUrl } : {}),
    };
}
/** The release for a caller that already holds the release lock (the progressive strategies). */
async function releaseLocked(client, request) {
    const { logger, namespace, release } = request;
    const store = new ReleaseStore(client, namespace, release);
    const records = await store.list();
    for (const r of store.refused) {
        logger.warning(`ignoring the release history Secret ${r.secret}: ${r.reason}`, {
            title: 'release history',
        });
    }
    const serving = servingRevision(records);
    const content = releaseContent(request, records, store.refused);
    const { objects } = content;
    const hash = manifestsHash(objects);
    const locked = {
        store,
        records,
        serving,
        objects,
        kinds: kindsOf([...objects, ...records.flatMap((r) => r.manifests)]),
        base: {
            status: 'deployed',
            image: content.image,
            applied: [],
            pruned: [],
            waitedMs: 0,
            objects,
            ...(serving ? { previousRevision: serving.revision, revision: serving.revision } : {}),
        },
    };
    if (request.dryRun)
        return dryRun(client, request, locked);
    if (serving && serving.hash === hash && clusterMatchesServing(records)) {
        logger.info(`${release} is unchanged since revision ${serving.revision}; nothing to apply`);
        return { ...locked.base, status: 'unchanged', objects: serving.manifests };
    }
    const revision = nextRevision(records);
    // Recorded as pending before anything is applied; the reads the apply
    // needs first go out meanwhile.
    const recorded = store.write(pendingRecord(request, content, revision, hash));
    recorded.catch(() => undefined);
    logger.info(`applying revision ${revision} of ${release} (${objects.length} objects)`);
    const outcome = await applyRevision(client, request, locked, revision, recorded);
    const { rollout } = outcome;
    if (rollout?.ok) {
        // Two different Secrets: recorded side by side.
        await Promise.all([
            store.setResult(revision, 'deployed'),
            serving ? store.setResult(serving.revision, 'superseded') : undefined,
        ]);
        // The history was read under the lock: with this revision it is within
        // the limit unless it was full already, and then it is trimmed.
        if (records.length + 1 > request.historyLimit)
            await store.trim(request.historyLimit, logger);
        return { ...outcome, status: 'deployed', revision };
    }
    return rolloutFailed(client, request, locked, outcome, revision);
}
async function dryRun(client, request, { objects, kinds, base }) {
    const { namespace, release } = request;
    if (!(await (request.namespaceRead ?? namespaceExists(client, namespace)))) {
        // The server cannot dry-run into a namespace that does not exist: everything would be new.
        request.logger.info(`namespace ${namespace} does not exist yet; the deploy would create it`);
        return { ...base, status: 'dry-run', diff: plannedCreates(objects) };
    }
    const strays = request.prune ? await findStrays(client, release, namespace, kinds, objects) : [];
    const diff = await diffRelease(client, objects, strays);
    return { ...base, status: 'dry-run', diff };
}
/** Applies the revision, prunes what it no longer has, and watches the rollout. */
async function applyRevision(client, request, locked, revision, recorded) {
    const { objects, kinds } = locked;
    // Reads only, while the pending record is written: the Deployments' kept
    // deadlines (a rollback-to an earlier ReplicaSet meets the same kept
    // deadline as a restore) and the REST paths of every kind.
    const staleRead = deadlinesExceeded(client, objects);
    const discovered = discoverKinds(client, objects);
    // The release's objects outside this revision are looked for while it is
    // applied (the lock keeps other runs out, and the applies only touch
    // objects of the revision); they are deleted once it is applied.
    const straysFound = request.prune
        ? findStrays(client, request.release, request.namespace, kinds, objects)
        : Promise.resolve([]);
    straysFound.catch(() => undefined);
    // Nothing is applied unless the attempt is on record.
    await recorded;
    try {
        const staleDeadlines = await staleRead;
        await discovered;
        const applied = (await applyObjects(client, objects)).map(objectName);
        let pruned = [];
        if (request.prune) {
            const strays = await straysFound;
            await deleteObjects(client, strays, request.logger);
            pruned = strays.map(objectName);
        }
        const rollout = await watchAll(client, objects, request, staleDeadlines);
        return { ...locked.base, attemptedRevision: revision, applied, pruned, rollout };
    }
    catch (err) {
        await abandon(client, request, locked.store, revision, locked.serving, kinds, err);
        throw err;
    }
}
/** A failed rollout: recorded, and the serving revision restored when there is one to restore. */
async function rolloutFailed(client, request, locked, outcome, revision) {
    const { logger, release } = request;
    const { store, serving } = locked;
    const rollout = outcome.rollout;
    const failure = {
        reason: rollout.reason,
        message: rollout.message,
        diagnosis: rollout.diagnosis,
    };
    await store.setResult(revision, 'failed', rollout.reason);
    logger.error(`${rollout.message}${rollout.diagnosis ? `\n${rollout.diagnosis}` : ''}`, {
        title: `rollout of ${release} failed: ${rollout.reason}`,
    });
    if (!request.rollbackOnFailure || !serving) {
        if (!serving)
            logger.warning(`there is no earlier revision of ${release} to restore; the failed revision stays applied`);
        return { ...outcome, status: 'failed', failure };
    }
    await restoreServing(client, request, locked, serving, failure.reason);
    await store.setResult(revision, 'rolled-back', rollout.reason);
    await store.trim(request.historyLimit, logger);
    return {
        ...outcome,
        status: 'rolled-back',
        revision: serving.revision,
        image: serving.image,
        attemptedImage: outcome.image,
        objects: serving.manifests,
        failure,
    };
}
async function restoreServing(client, request, { kinds }, serving, reason) {
    const { logger, release, namespace } = request;
    logger.info(`restoring revision ${serving.revision} of ${release}`);
    // The failed rollout may have left ProgressDeadlineExceeded on the
    // Deployments; the controller keeps it while the restored ReplicaSet comes
    // back, so the restore is judged without it.
    const staleDeadlines = await deadlinesExceeded(client, serving.manifests);
    await applyObjects(client, serving.manifests);
    if (request.prune) {
        const strays = await findStrays(client, release, namespace, kinds, serving.manifests);
        await deleteObjects(client, strays, logger);
    }
    const restored = await watchAll(client, serving.manifests, request, staleDeadlines);
    if (!restored.ok) {
        throw new errors/* UserError */.yo(`rollout of ${release} failed (${reason}) and restoring revision ${serving.revision} failed too (${restored.reason}): ${restored.message}`, { hint: 'the cluster needs a look: kubectl describe deployment and its pods' });
    }
}
/**
 * The run failed part-way (the cluster refused, or stopped answering): put
 * the serving revision back where we can, and never leave the attempt
 * recorded as pending. Best effort: the original error is what the user sees.
 */
async function abandon(client, request, store, revision, serving, kinds, err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    let restored = false;
    if (request.rollbackOnFailure && serving) {
        try {
            await applyObjects(client, serving.manifests);
            if (request.prune) {
                const strays = await findStrays(client, request.release, request.namespace, kinds, serving.manifests);
                await deleteObjects(client, strays, request.logger);
            }
            restored = true;
            request.logger.info(`restored revision ${serving.revision} of ${request.release}`);
        }
        catch (restoreErr) {
            request.logger.warning(`could not restore revision ${serving.revision} of ${request.release}: ${restoreErr.message}`);
        }
    }
    try {
        await store.setResult(revision, restored ? 'rolled-back' : 'failed', reason);
    }
    catch (recordErr) {
        request.logger.warning(`could not record revision ${revision} as failed: ${recordErr.message}`);
    }
}
/** lastUpdateTime of each Deployment's ProgressDeadlineExceeded condition, by name. */
async function deadlinesExceeded(client, objects) {
    const found = new Map();
    for (const d of objects.filter((o) => o.kind === 'Deployment')) {
        try {
            const live = await client.call(({ apps }) => apps.readNamespacedDeployment({
                name: d.metadata.name,
                namespace: d.metadata.namespace ?? '',
            }));
            const progressing = live.status?.conditions?.find((c) => c.type === 'Progressing');
            if (progressing?.reason === 'ProgressDeadlineExceeded' && progressing.lastUpdateTime) {
                found.set(d.metadata.name, new Date(progressing.lastUpdateTime).toISOString());
            }
        }
        catch {
            // Not there (pruned, or never created): nothing stale to ignore.
        }
    }
    return found;
}
/** The most a rollout waits for its Services to leave the previous pods, past the rollout itself. */
const TRAFFIC_WAIT_MS = 30_000;
async function watchAll(client, objects, request, staleDeadlines = new Map()) {
    const deployments = objects.filter((o) => o.kind === 'Deployment');
    const started = Date.now();
    let last = {
        ok: true,
        message: 'nothing to roll out',
        durationMs: 0,
        readyReplicas: 0,
    };
    let ready = 0;
    for (const deployment of deployments) {
        const remaining = Math.max(1000, request.timeoutMs - (Date.now() - started));
        last = await watchRollout(client, {
            namespace: deployment.metadata.namespace ?? request.namespace,
            deployment: deployment.metadata.name,
            timeoutMs: remaining,
            logger: request.logger,
            ...(staleDeadlines.has(deployment.metadata.name)
                ? { staleDeadline: staleDeadlines.get(deployment.metadata.name) }
                : {}),
            ...(request.pollMs !== undefined ? { pollMs: request.pollMs } : {}),
            ...(request.hopelessAfterMs !== undefined
                ? { hopelessAfterMs: request.hopelessAfterMs }
                : {}),
        });
        if (!last.ok)
            return { ...last, durationMs: Date.now() - started };
        await confirmRevisionTraffic(client, objects, deployment, last, {
            namespace: request.namespace,
            logger: request.logger,
            timeoutMs: Math.min(TRAFFIC_WAIT_MS, Math.max(1000, request.timeoutMs - (Date.now() - started))),
        });
        ready += last.readyReplicas;
    }
    return last.ok ? { ...last, durationMs: Date.now() - started, readyReplicas: ready } : last;
}

;// CONCATENATED MODULE: ./shared/orchestrators/deploy/connect.ts

/** The connection to the release's cluster, with the identity the inputs give. */
function connectTo(request, logger) {
    return (0,cluster_access.connectCluster)(request.cluster, {
        logger,
        endpoints: endpointOverrides(),
        allowInsecureKubeconfig: request.insecureSkipTlsVerify,
    }, {
        azure: {
            ...(request.azureClientId ? { clientId: request.azureClientId } : {}),
            ...(request.azureTenantId ? { tenantId: request.azureTenantId } : {}),
        },
    });
}
/** Endpoints for control planes without an SDK-level override (documented in deploy/README.md). */
function endpointOverrides(env = process.env) {
    const out = {};
    if (env.MODEL_DEPLOY_ARM_ENDPOINT)
        out.arm = env.MODEL_DEPLOY_ARM_ENDPOINT;
    if (env.MODEL_DEPLOY_GKE_ENDPOINT)
        out.gke = env.MODEL_DEPLOY_GKE_ENDPOINT;
    return out;
}

// EXTERNAL MODULE: ./shared/kube/serving-plan.ts
var serving_plan = __webpack_require__(18352);
;// CONCATENATED MODULE: ./shared/orchestrators/deploy/failure.ts


/** A failed rollout in words: why, what the budget and placement say, and what serves now. */
function rolloutFailure(release, outcome, servingPlan) {
    const { failure } = outcome;
    if (!failure)
        return undefined;
    const restored = outcome.status === 'rolled-back'
        ? `; revision ${outcome.revision} was restored and is serving`
        : '';
    const budget = servingPlan
        ? (0,serving_plan/* explainBudget */.HT)(failure, servingPlan.budgets, servingPlan.spec.runtime.readinessPath)
        : undefined;
    const placement = servingPlan ? (0,serving_plan/* explainPlacement */.Z9)(failure, servingPlan.spec) : undefined;
    return new errors/* UserError */.yo(`rollout of ${release} failed: ${failure.reason}: ${failure.message}${budget ? ` (${budget})` : ''}${placement ? `; ${placement}` : ''}${restored}`, { hint: failure.diagnosis.split('\n')[0] || 'see the rollout log above' });
}
/** The deployment record's description of a finished run. */
function finishedDescription(outcome, unreachable) {
    if (outcome.failure)
        return `failed: ${outcome.failure.reason}`;
    return unreachable
        ? `revision ${outcome.revision} serves, but has no address`
        : `revision ${outcome.revision}`;
}

;// CONCATENATED MODULE: ./shared/kube/image-contract.ts

/**
 * The image is the contract between package and deploy: what package
 * recorded (runtime, model name and version in the annotations, ports and
 * health paths in the model card) fills in the inputs not given, and an
 * input that says otherwise is refused with both values, since a pod built
 * from it would probe, route or label something the image does not serve.
 */
function reconcileWithImage(given, facts, image) {
    const contradiction = facts === undefined ? undefined : contradictionOf(given, facts);
    if (contradiction) {
        const { input, value, recorded, where } = contradiction;
        throw new errors/* InputError */.dz(input, `is '${value}', but ${image} says ${recorded} (${where}); the image is what package built, so deploy follows it`, `leave ${input} unset, or package the model again with the ${input} you mean`);
    }
    const modelName = given.model ?? facts?.modelName;
    const modelVersion = given.modelVersion ?? facts?.version;
    return {
        runtime: given.runtime ?? facts?.runtime ?? 'custom',
        ...(modelName !== undefined ? { modelName } : {}),
        ...(modelVersion !== undefined ? { modelVersion } : {}),
        taken: facts === undefined ? [] : takenFromImage(given, facts),
    };
}
function contradictionOf(given, facts) {
    if (facts.runtime !== undefined && given.runtime !== undefined && given.runtime !== facts.runtime)
        return {
            input: 'runtime',
            value: given.runtime,
            recorded: `it was packaged for ${facts.runtime}`,
            where: 'its dev.model-deploy.runtime annotation',
        };
    const httpPort = facts.ports?.[0];
    if (httpPort !== undefined && given.port !== undefined && given.port !== httpPort)
        return {
            input: 'port',
            value: String(given.port),
            recorded: `the server answers HTTP on port ${httpPort}`,
            where: 'its model card',
        };
    const ready = facts.health?.ready;
    if (ready !== undefined && given.healthPath !== undefined && given.healthPath !== ready)
        return {
            input: 'health-path',
            value: given.healthPath,
            recorded: `the server reports ready at ${ready}`,
            where: 'its model card',
        };
    if (facts.modelName !== undefined && given.model !== undefined && given.model !== facts.modelName)
        return {
            input: 'model',
            value: given.model,
            recorded: `it serves the model '${facts.modelName}'`,
            where: 'its dev.model-deploy.model.name annotation',
        };
    return versionContradiction(given, facts);
}
function versionContradiction(given, facts) {
    // Any image may carry a version annotation; only package's is the model's.
    if (facts.runtime === undefined ||
        facts.version === undefined ||
        given.modelVersion === undefined ||
        given.modelVersion === facts.version)
        return undefined;
    return {
        input: 'model-version',
        value: given.modelVersion,
        recorded: `it holds version '${facts.version}' of the model`,
        where: 'its org.opencontainers.image.version annotation',
    };
}
/** What the image decided for the inputs not given, one line each, for the log. */
function takenFromImage(given, facts) {
    const taken = [];
    const httpPort = facts.ports?.[0];
    if (given.runtime === undefined && facts.runtime !== undefined) {
        taken.push(`runtime: ${facts.runtime}, as package recorded it in the image`);
    }
    if (given.port === undefined && httpPort !== undefined) {
        taken.push(`port: ${httpPort}, from the image's model card`);
    }
    if (given.healthPath === undefined && facts.health !== undefined) {
        taken.push(`health paths: ${facts.health.ready} (ready), ${facts.health.live} (live), from the image's model card`);
    }
    if (given.model === undefined && facts.modelName !== undefined) {
        taken.push(`model name: ${facts.modelName}, as package recorded it in the image`);
    }
    if (given.modelVersion === undefined && facts.version !== undefined) {
        taken.push(`model version: ${facts.version}, as package recorded it in the image`);
    }
    return taken;
}

// EXTERNAL MODULE: ./shared/model/runtimes/serving.ts
var serving = __webpack_require__(75104);
// EXTERNAL MODULE: ./shared/model/runtimes/index.ts + 9 modules
var runtimes = __webpack_require__(98805);
;// CONCATENATED MODULE: ./shared/smoke/protocols/for-runtime.ts

/** The smoke-test protocol that speaks each runtime API. */
const SMOKE_PROTOCOL = {
    'open-inference-v2': 'v2',
    tfserving: 'tfserving',
    torchserve: 'torchserve',
    openai: 'openai',
    http: 'http',
};
/** The smoke-test protocol that speaks a runtime's API: the analysis default. */
function smokeProtocolOf(runtime) {
    return SMOKE_PROTOCOL[runtimes/* RUNTIMES */.a[runtime].protocol];
}

// EXTERNAL MODULE: ./node_modules/tar-stream/index.js
var tar_stream = __webpack_require__(56118);
// EXTERNAL MODULE: ./shared/clouds/registry-access.ts
var registry_access = __webpack_require__(60333);
// EXTERNAL MODULE: ./shared/common/bounded-body.ts
var bounded_body = __webpack_require__(93324);
// EXTERNAL MODULE: ./shared/oci/media-types.ts
var media_types = __webpack_require__(9112);
// EXTERNAL MODULE: ./shared/oci/reference.ts
var oci_reference = __webpack_require__(77121);
// EXTERNAL MODULE: ./shared/registry/client.ts + 2 modules
var registry_client = __webpack_require__(96878);
// EXTERNAL MODULE: ./shared/model/annotations.ts
var model_annotations = __webpack_require__(77746);
// EXTERNAL MODULE: ./shared/model/runtimes/types.ts
var types = __webpack_require__(62973);
;// CONCATENATED MODULE: ./shared/model/image-facts.ts










/** Where package writes the model card in the image (its config layer). */
const MODEL_CARD_ENTRY = 'model-deploy/model.json';
/** A config layer holds the runtime config, the card, the OpenAPI document and protos: small. */
const MAX_CARD_LAYER_BYTES = 16 * bounded_body/* MiB */.lv;
const MAX_CONFIG_BYTES = 4 * bounded_body/* MiB */.lv;
/** Reads the facts from the image's registry; a UserError names the image when it cannot. */
async function readImageFacts(reference, options) {
    const host = (0,oci_reference/* registryApiHost */.Mb)(reference);
    const name = (0,oci_reference/* formatReference */.FH)(reference);
    try {
        const access = await (0,registry_access/* registryAccessFor */.bg)({ cloud: (0,registry_access/* cloudOfHost */.HN)(reference.registry), host }, {
            logger: options.logger,
            ...(options.azureClientId ? { azureClientId: options.azureClientId } : {}),
            ...(options.azureTenantId ? { azureTenantId: options.azureTenantId } : {}),
            ...(options.endpoints ? { endpoints: options.endpoints } : {}),
        });
        const client = new registry_client/* RegistryClient */.b({
            registry: host,
            credential: await access.credential(),
            logger: options.logger,
        });
        return await readFacts(client, reference, name, options.logger);
    }
    catch (err) {
        throw new errors/* UserError */.yo(`could not read ${name} from its registry: ${(0,errors/* errorMessage */.gJ)(err)}`, {
            hint: `let the runner read the image (the cloud's login step, or docker login for other registries), or set input 'runtime' (${types/* RUNTIME_NAMES */.s.join(', ')})`,
            cause: err,
        });
    }
}
async function readFacts(client, reference, name, logger) {
    const repository = reference.repository;
    const top = await client.getManifest(repository, (0,oci_reference/* manifestReference */.Tn)(reference));
    if (top === undefined) {
        throw new errors/* UserError */.yo(`the registry has no manifest for ${name}`, {
            hint: 'check the image input: it should be an output of the push action',
        });
    }
    const parsed = JSON.parse(top.bytes.toString('utf8'));
    const facts = { sources: [], ...fromAnnotations(parsed.annotations) };
    if (facts.runtime !== undefined || facts.modelName !== undefined)
        facts.sources.push('annotations');
    let manifest;
    if ((0,media_types/* isIndexMediaType */.$$)(top.mediaType) || 'manifests' in parsed) {
        const chosen = choosePlatform(parsed.manifests ?? []);
        if (chosen !== undefined) {
            const child = await client.getManifest(repository, chosen.digest);
            if (child !== undefined)
                manifest = JSON.parse(child.bytes.toString('utf8'));
        }
    }
    else {
        manifest = parsed;
    }
    if (manifest === undefined)
        return facts;
    const config = await readJsonBlob(client, repository, manifest.config.digest, MAX_CONFIG_BYTES);
    const runnable = config?.config;
    if (runnable) {
        facts.sources.push('image config');
        if (runnable.User)
            facts.user = runnable.User;
        if (runnable.Entrypoint?.length)
            facts.entrypoint = [...runnable.Entrypoint];
        if (runnable.Cmd?.length)
            facts.cmd = [...runnable.Cmd];
    }
    // package puts the card in its config layer, the image's last.
    const last = manifest.layers.at(-1);
    if (facts.runtime !== undefined && last !== undefined && last.size <= MAX_CARD_LAYER_BYTES) {
        try {
            const card = await readCard(client, repository, last);
            if (card) {
                facts.sources.push('model card');
                applyCard(facts, card);
            }
        }
        catch (err) {
            logger.debug(`no model card read from ${name}: ${(0,errors/* errorMessage */.gJ)(err)}`);
        }
    }
    return facts;
}
function fromAnnotations(annotations) {
    const get = (key) => {
        const value = annotations?.[key];
        return typeof value === 'string' && value !== '' ? value : undefined;
    };
    const runtime = get(`${model_annotations/* ANNOTATION_PREFIX */.L}.runtime`);
    const version = get('org.opencontainers.image.version');
    const modelName = get(`${model_annotations/* ANNOTATION_PREFIX */.L}.model.name`);
    return {
        ...(runtime !== undefined && types/* RUNTIME_NAMES */.s.includes(runtime)
            ? { runtime: runtime }
            : {}),
        ...(version !== undefined ? { version } : {}),
        ...(modelName !== undefined ? { modelName } : {}),
    };
}
/** linux/amd64 when the index has it (what EKS, AKS and GKE nodes run most), else the first image. */
function choosePlatform(manifests) {
    const images = manifests.filter((m) => m.platform?.os !== 'unknown');
    return (images.find((m) => m.platform?.os === 'linux' && m.platform.architecture === 'amd64') ??
        images[0]);
}
async function readJsonBlob(client, repository, digest, limit) {
    const blob = await client.getBlob(repository, digest);
    const chunks = [];
    let size = 0;
    for await (const chunk of blob.stream) {
        size += chunk.length;
        if (size > limit) {
            blob.stream.destroy();
            return undefined;
        }
        chunks.push(chunk);
    }
    try {
        return JSON.parse(Buffer.concat(chunks).toString('utf8'));
    }
    catch {
        return undefined;
    }
}
/** The model card from a (gzip) tar layer, or undefined when the layer has none. */
async function readCard(client, repository, layer) {
    const blob = await client.getBlob(repository, layer.digest);
    const gzip = layer.mediaType.endsWith('gzip');
    const untar = (0,tar_stream.extract)();
    let found;
    let read = 0;
    const done = new Promise((resolve, reject) => {
        untar.on('entry', (header, stream, next) => {
            const entryName = header.name.replace(/^\.?\/+/, '');
            if (entryName !== MODEL_CARD_ENTRY) {
                stream.on('end', next);
                stream.resume();
                return;
            }
            const chunks = [];
            stream.on('data', (c) => chunks.push(c));
            stream.on('end', () => {
                found = Buffer.concat(chunks);
                // The card is all we want: stop reading the layer.
                untar.destroy();
                resolve();
            });
        });
        untar.on('finish', resolve);
        untar.on('close', resolve);
        untar.on('error', reject);
    });
    const source = blob.stream;
    source.on('data', (c) => {
        read += c.length;
        if (read > MAX_CARD_LAYER_BYTES)
            source.destroy(new Error('the layer is larger than a config layer'));
    });
    source.on('error', (err) => untar.destroy(err));
    if (gzip) {
        const gunzip = (0,external_node_zlib_.createGunzip)();
        gunzip.on('error', (err) => untar.destroy(err));
        source.pipe(gunzip).pipe(untar);
    }
    else {
        source.pipe(untar);
    }
    await done;
    source.destroy();
    if (found === undefined)
        return undefined;
    try {
        return JSON.parse(found.toString('utf8'));
    }
    catch {
        return undefined;
    }
}
function applyCard(facts, card) {
    if (typeof card.name === 'string' && card.name !== '' && facts.modelName === undefined) {
        facts.modelName = card.name;
    }
    if (Array.isArray(card.ports)) {
        const ports = card.ports.filter((p) => Number.isInteger(p) && p > 0 && p < 65536);
        if (ports.length > 0)
            facts.ports = ports;
    }
    const live = card.health?.live;
    const ready = card.health?.ready;
    if (typeof live === 'string' &&
        typeof ready === 'string' &&
        live.startsWith('/') &&
        ready.startsWith('/')) {
        facts.health = { live, ready };
    }
}

;// CONCATENATED MODULE: ./shared/orchestrators/deploy/image.ts






/** What to give `image`: push's outputs are by digest, with their repository. */
const PUSHED_IMAGE_EXAMPLE = "image: ${{ steps.push.outputs.image }}, or with several destinations ${{ fromJSON(steps.push.outputs.images)['ghcr.io/org/resnet50'] }}, each host/repository@sha256:…";
/** The image to deploy, pinned by digest unless the user accepts a tag. */
function checkImage(request, logger) {
    if (request.image === '')
        return { reference: `revision ${request.rollbackTo}`, repository: '' };
    if (/^sha256:/i.test(request.image)) {
        // push's `digest` output alone: the cluster cannot pull a digest without its repository.
        throw new errors/* InputError */.dz('image', `is '${request.image}', a digest without its repository; the cluster pulls host/repository@sha256:…, not a bare digest (push's digest output is the bare one)`, PUSHED_IMAGE_EXAMPLE);
    }
    const ref = (0,oci_reference/* parseReference */.F2)(request.image, 'image');
    if (!ref.digest) {
        if (request.requireDigest) {
            throw new errors/* InputError */.dz('image', `'${request.image}' has no digest, and require-digest is true`, PUSHED_IMAGE_EXAMPLE);
        }
        logger.warning(`image ${request.image} is not pinned by digest: the cluster may run a different image than the one tested, and rollback-to by digest cannot find it. Deploy what push wrote, host/repository@sha256:… (its image or images output).`, { title: 'image without digest' });
    }
    return {
        reference: request.image,
        repository: (0,oci_reference/* repositoryName */.aR)(ref).replace(/^docker\.io\//, ''),
        ...(ref.tag ? { tag: ref.tag } : {}),
        ...(ref.digest ? { digest: ref.digest } : {}),
    };
}
/**
 * What the image tells when the inputs do not: the runtime, served model
 * name and version package recorded in its annotations, the HTTP port and
 * health paths of its model card, and the user and command of its config.
 * An input that contradicts the image is refused. When every input the
 * image would decide is given and the image cannot be read (a registry only
 * the cluster may pull from), deploy goes on with a warning.
 */
async function completeFromImage(request, logger, early) {
    if (request.chart || request.image === '')
        return { request: withAnalysisProtocol(request) };
    const facts = early ? await early.settle(logger) : await image_readFacts(request, logger);
    const { strategy } = request;
    const contract = reconcileWithImage({
        ...(request.runtime ? { runtime: request.runtime } : {}),
        ...(request.port ? { port: request.port } : {}),
        ...(request.healthPath ? { healthPath: request.healthPath } : {}),
        ...(strategy.modelGiven ? { model: strategy.analysis.smoke.target.model } : {}),
        ...(request.modelVersion !== undefined ? { modelVersion: request.modelVersion } : {}),
    }, facts, request.image);
    for (const line of contract.taken)
        logger.info(line);
    if (facts !== undefined && facts.runtime === undefined && request.runtime === undefined) {
        logger.info(`runtime: custom (the image has no runtime recorded by the package action; set runtime to choose one of ${serving/* RUNTIME_NAMES */.st.join(', ')})`);
    }
    const completed = withAnalysisProtocol(withContract(request, contract));
    return facts === undefined ? { request: completed } : { request: completed, facts };
}
/**
 * Starts reading the image (registry sign-in, manifest, config) at once, so
 * it overlaps the cluster sign-in. Its log lines wait for settle(); a secret
 * it meets is masked at once.
 */
function readFactsEarly(request, logger) {
    if (request.chart || request.image === '' || request.rollbackTo)
        return undefined;
    const held = [];
    const holding = {
        info: (m) => void held.push((target) => target.info(m)),
        debug: (m) => void held.push((target) => target.debug(m)),
        warning: (m, p) => void held.push((target) => target.warning(m, p)),
        error: (m, p) => void held.push((target) => target.error(m, p)),
        secret: (v) => logger.secret(v),
    };
    const reading = image_readFacts(request, holding).then((facts) => ({ facts }), (error) => ({ error }));
    return {
        async settle(target) {
            const read = await reading;
            for (const tell of held.splice(0))
                tell(target);
            if ('error' in read)
                throw read.error;
            return read.facts;
        },
    };
}
async function image_readFacts(request, logger) {
    try {
        return await readImageFacts((0,oci_reference/* parseReference */.F2)(request.image, 'image'), {
            logger,
            ...(request.azureClientId ? { azureClientId: request.azureClientId } : {}),
            ...(request.azureTenantId ? { azureTenantId: request.azureTenantId } : {}),
        });
    }
    catch (err) {
        if (request.runtime === undefined)
            throw err;
        logger.warning(`${err.message}; deploying as runtime ${request.runtime} without checking the inputs against the image`, { title: 'image not read' });
        return undefined;
    }
}
/** The request with the runtime, model name and version that the image and inputs agree on. */
function withContract(request, contract) {
    const modelVersion = contract.modelVersion ?? request.modelVersion;
    const { smoke } = request.strategy.analysis;
    const target = {
        ...smoke.target,
        ...(contract.modelName !== undefined ? { model: contract.modelName } : {}),
    };
    if (modelVersion !== undefined && target.version === undefined)
        target.version = modelVersion;
    return {
        ...request,
        runtime: contract.runtime,
        ...(modelVersion !== undefined ? { modelVersion } : {}),
        strategy: {
            ...request.strategy,
            analysis: { ...request.strategy.analysis, smoke: { ...smoke, target } },
        },
    };
}
/** The analysis speaks the runtime's protocol unless the `protocol` input chose one. */
function withAnalysisProtocol(request) {
    if (request.strategy.protocolGiven)
        return request;
    const { analysis } = request.strategy;
    return {
        ...request,
        strategy: {
            ...request.strategy,
            analysis: {
                ...analysis,
                smoke: { ...analysis.smoke, protocol: smokeProtocolOf(request.runtime ?? 'custom') },
            },
        },
    };
}

// EXTERNAL MODULE: ./node_modules/@actions/exec/lib/exec.js + 3 modules
var exec = __webpack_require__(81260);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./shared/common/yaml-problem.ts
var yaml_problem = __webpack_require__(42233);
;// CONCATENATED MODULE: ./shared/kube/helm.ts







/** A path inside the workspace; anything that escapes it (`..`, a symlink) is refused. */
function workspacePath(input, path, workspace) {
    const root = (0,external_node_fs_.realpathSync)(workspace);
    const full = (0,external_node_path_.isAbsolute)(path) ? path : (0,external_node_path_.resolve)(root, path);
    if (!(0,external_node_fs_.existsSync)(full)) {
        throw new errors/* InputError */.dz(input, `names '${path}', which does not exist in the workspace`, `${input}: ./charts/model`);
    }
    const real = (0,external_node_fs_.realpathSync)(full);
    const rel = (0,external_node_path_.relative)(root, real);
    if (rel.startsWith('..') || (0,external_node_path_.isAbsolute)(rel)) {
        throw new errors/* InputError */.dz(input, `names '${path}', which is outside the workspace (${root})`, `a path inside the repository checkout, e.g. ${input}: ./charts/model`);
    }
    return real;
}
async function renderChart(options) {
    const chart = workspacePath('chart', options.chart, options.workspace);
    if (!(0,external_node_fs_.statSync)(chart).isDirectory() || !(0,external_node_fs_.existsSync)((0,external_node_path_.join)(chart, 'Chart.yaml'))) {
        throw new errors/* InputError */.dz('chart', `names '${options.chart}', which is not a chart folder (no Chart.yaml)`, 'chart: ./charts/model');
    }
    // Inline values may hold secrets: the scratch folder goes when helm is done, whatever happens.
    const scratch = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)(process.env.RUNNER_TEMP ?? (0,external_node_os_.tmpdir)(), 'md-helm-'));
    try {
        return await renderIn(scratch, chart, options);
    }
    finally {
        (0,external_node_fs_.rmSync)(scratch, { recursive: true, force: true });
    }
}
async function renderIn(scratch, chart, options) {
    const args = ['template', options.release, chart, '--namespace', options.namespace];
    const imageValues = (0,external_node_path_.join)(scratch, 'image-values.yaml');
    (0,external_node_fs_.writeFileSync)(imageValues, (0,dist/* stringify */.As)({
        image: {
            repository: options.image.repository,
            tag: options.image.tag ?? 'latest',
            ...(options.image.digest ? { digest: options.image.digest } : {}),
        },
    }), { mode: 0o600 });
    args.push('--values', imageValues);
    for (const file of options.valuesFiles) {
        const path = workspacePath('values-files', file, options.workspace);
        const example = 'values-files: charts/model/values-prod.yaml, holding a mapping such as replicaCount: 2';
        let parsed;
        try {
            parsed = (0,yaml_problem/* parseYamlInput */.PJ)((0,external_node_fs_.readFileSync)(path, 'utf8'));
        }
        catch (err) {
            if (!(err instanceof yaml_problem/* YamlProblem */.lw))
                throw err;
            throw new errors/* InputError */.dz('values-files', `has '${file}', which is not valid YAML${err.detail}`, example);
        }
        if (parsed !== null &&
            parsed !== undefined &&
            (typeof parsed !== 'object' || Array.isArray(parsed))) {
            throw new errors/* InputError */.dz('values-files', `has '${file}', whose top level is not a mapping of chart values`, example);
        }
        args.push('--values', path);
    }
    if (options.values !== undefined) {
        const inline = (0,external_node_path_.join)(scratch, 'inline-values.yaml');
        (0,external_node_fs_.writeFileSync)(inline, (0,dist/* stringify */.As)(options.values), { mode: 0o600 });
        args.push('--values', inline);
    }
    const helm = options.helm ?? process.env.MODEL_DEPLOY_HELM ?? 'helm';
    let result;
    try {
        result = await (0,exec/* getExecOutput */.H)(helm, args, { silent: true, ignoreReturnCode: true });
    }
    catch (err) {
        throw new errors/* UserError */.yo(`could not run helm (${helm}): ${err.message}`, {
            hint: 'install helm on the runner (azure/setup-helm) or set MODEL_DEPLOY_HELM to its path',
        });
    }
    if (result.exitCode !== 0) {
        throw new errors/* UserError */.yo(`helm template of ${options.chart} failed: ${result.stderr.trim() || `exit code ${result.exitCode}`}`, {
            hint: 'run `helm template` on the chart locally with the same values to see the problem',
        });
    }
    const objects = parseManifests(result.stdout, options.logger);
    pinImage(objects, options.image);
    return objects;
}
function parseManifests(text, logger) {
    const objects = [];
    for (const doc of (0,dist/* parseAllDocuments */.hR)(text)) {
        if (doc.errors.length > 0)
            throw new errors/* UserError */.yo(`the chart rendered invalid YAML: ${doc.errors[0]?.message}`);
        const value = doc.toJS({ maxAliasCount: 100 });
        if (value === null || value === undefined)
            continue;
        const items = value.kind?.endsWith('List')
            ? (value.items ?? [])
            : [value];
        for (const item of items) {
            const object = item;
            if (!object?.apiVersion || !object.kind || !object.metadata?.name) {
                throw new errors/* UserError */.yo('the chart rendered a document without apiVersion, kind and metadata.name');
            }
            if (object.metadata.annotations?.['helm.sh/hook']) {
                logger.info(`skipping helm hook ${object.kind}/${object.metadata.name}`);
                continue;
            }
            objects.push(object);
        }
    }
    return objects;
}
/** Containers that run the deployed repository get the exact digest reference. */
function pinImage(objects, image) {
    for (const object of objects) {
        const podSpec = object.spec?.template?.spec;
        if (!podSpec)
            continue;
        for (const key of ['containers', 'initContainers']) {
            for (const container of podSpec[key] ?? []) {
                if (container.image && repositoryOf(container.image) === image.repository)
                    container.image = image.reference;
            }
        }
    }
}
function repositoryOf(ref) {
    const at = ref.indexOf('@');
    const noDigest = at === -1 ? ref : ref.slice(0, at);
    const colon = noDigest.lastIndexOf(':');
    return colon > noDigest.lastIndexOf('/') ? noDigest.slice(0, colon) : noDigest;
}

;// CONCATENATED MODULE: ./shared/kube/manifests.ts

const SERVICE_PORT = 80;
/** The name of the Service and container port a runtime serves gRPC on. */
const GRPC_PORT_NAME = 'grpc';
/** Tells proxies (Gateway API implementations, Istio, cloud load balancers) to speak HTTP/2 in clear text. */
const GRPC_APP_PROTOCOL = 'kubernetes.io/h2c';
const EMISSARY_API_VERSION = 'getambassador.io/v3alpha1';
/**
 * A Gateway listener takes either an HTTPRoute or a GRPCRoute for one host
 * name, never both (the Gateway API accepts the older and rejects the other),
 * so gRPC gets a host of its own beside the REST one: the first label with
 * `-grpc` added, so a wildcard DNS record and certificate for the REST host's
 * domain cover it too.
 */
function grpcHostFor(host) {
    const dot = host.indexOf('.');
    const first = dot === -1 ? host : host.slice(0, dot);
    const rest = dot === -1 ? '' : host.slice(dot);
    if (first === '*')
        return host;
    return `${first.slice(0, 63 - '-grpc'.length)}-grpc${rest}`;
}
function renderServing(spec) {
    const objects = [serviceAccount(spec), service(spec), deployment(spec)];
    if (spec.autoscaling)
        objects.push(horizontalPodAutoscaler(spec, spec.autoscaling));
    const minReplicas = spec.autoscaling?.min ?? spec.replicas;
    if (minReplicas >= 2)
        objects.push(podDisruptionBudget(spec));
    if (spec.expose.mode === 'gateway') {
        objects.push(httpRoute(spec));
        if (spec.runtime.grpc)
            objects.push(grpcRoute(spec, spec.runtime.grpc.port));
    }
    if (spec.expose.mode === 'istio')
        objects.push(virtualService(spec));
    if (spec.expose.mode === 'ambassador')
        objects.push(...ambassadorMappings(spec));
    return objects;
}
function meta(spec, extra = {}) {
    return {
        name: spec.name,
        namespace: spec.namespace,
        labels: { 'app.kubernetes.io/name': spec.name, 'app.kubernetes.io/component': 'model-server' },
        ...extra,
    };
}
/** The selector never changes between revisions: Deployment selectors are immutable. */
function podSelector(name) {
    return { 'app.kubernetes.io/name': name, 'model-deploy.io/release': name };
}
function serviceAccount(spec) {
    const annotations = {};
    if (spec.identity && spec.profile.identity) {
        annotations[spec.profile.identity.annotation] = spec.identity;
    }
    return {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: meta(spec, Object.keys(annotations).length ? { annotations } : {}),
    };
}
function service(spec) {
    const loadBalancer = spec.expose.mode === 'load-balancer' || spec.expose.mode === 'internal-load-balancer';
    const annotations = loadBalancer
        ? spec.profile.loadBalancerAnnotations(spec.expose.mode === 'internal-load-balancer', spec.loadBalancerController)
        : {};
    return {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: meta(spec, Object.keys(annotations).length ? { annotations } : {}),
        spec: {
            type: loadBalancer ? 'LoadBalancer' : 'ClusterIP',
            selector: podSelector(spec.name),
            ports: [
                { name: 'http', port: SERVICE_PORT, targetPort: 'http', protocol: 'TCP' },
                // gRPC keeps the runtime's own port number, the one its clients know.
                ...(spec.runtime.grpc
                    ? [
                        {
                            name: GRPC_PORT_NAME,
                            port: spec.runtime.grpc.port,
                            targetPort: GRPC_PORT_NAME,
                            protocol: 'TCP',
                            appProtocol: GRPC_APP_PROTOCOL,
                        },
                    ]
                    : []),
            ],
        },
    };
}
function resources(spec) {
    const r = spec.resources;
    const requests = {};
    const limits = {};
    if (r.cpu)
        requests.cpu = r.cpu;
    if (r.memory)
        requests.memory = r.memory;
    if (r.cpuLimit)
        limits.cpu = r.cpuLimit;
    // Memory is not compressible: a pod over its request is the first one evicted,
    // so the limit defaults to the request the user gave.
    const memoryLimit = r.memoryLimit ?? (r.defaulted?.includes('memory') ? undefined : r.memory);
    if (memoryLimit)
        limits.memory = memoryLimit;
    if (r.gpu) {
        limits['nvidia.com/gpu'] = String(r.gpu);
        requests['nvidia.com/gpu'] = String(r.gpu);
    }
    const out = {};
    if (Object.keys(requests).length)
        out.requests = requests;
    if (Object.keys(limits).length)
        out.limits = limits;
    return out;
}
function probe(path, failureThreshold, periodSeconds) {
    return {
        httpGet: { path, port: 'http' },
        periodSeconds,
        timeoutSeconds: 5,
        failureThreshold,
    };
}
function modelContainer(spec) {
    const runtime = spec.runtime;
    const env = { ...runtime.env, ...spec.env };
    const scratch = runtime.scratch ?? [];
    return {
        name: 'model',
        image: spec.image,
        imagePullPolicy: 'IfNotPresent',
        ...(runtime.args ? { args: runtime.args } : {}),
        // A model server that crashes says why on stderr: the kubelet puts the
        // log tail in lastState.terminated.message, which the rollout diagnosis shows.
        terminationMessagePolicy: 'FallbackToLogsOnError',
        ports: [
            { name: 'http', containerPort: runtime.port, protocol: 'TCP' },
            ...(runtime.grpc
                ? [{ name: GRPC_PORT_NAME, containerPort: runtime.grpc.port, protocol: 'TCP' }]
                : []),
        ],
        ...(Object.keys(env).length
            ? {
                env: Object.entries(env)
                    .sort(([a], [b]) => a.localeCompare(b))
                    .map(([name, value]) => ({ name, value })),
            }
            : {}),
        resources: resources(spec),
        startupProbe: probe(runtime.readinessPath, Math.ceil(runtime.startupSeconds / 5), 5),
        readinessProbe: probe(runtime.readinessPath, 3, 5),
        livenessProbe: probe(runtime.livenessPath, 3, 10),
        ...(spec.drainSeconds
            ? { lifecycle: { preStop: { sleep: { seconds: spec.drainSeconds } } } }
            : {}),
        securityContext: {
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: runtime.readOnlyRootFilesystem,
            capabilities: { drop: ['ALL'] },
        },
        volumeMounts: [
            { name: 'tmp', mountPath: '/tmp' },
            ...scratch.map((v) => ({ name: v.name, mountPath: v.mountPath })),
        ],
    };
}
function podSecurityContext(spec) {
    const podSecurity = { seccompProfile: { type: 'RuntimeDefault' } };
    if (spec.runtime.runAsUser !== undefined) {
        podSecurity.runAsNonRoot = true;
        podSecurity.runAsUser = spec.runtime.runAsUser;
        podSecurity.fsGroup = spec.runtime.runAsUser;
    }
    return podSecurity;
}
function podVolumes(spec) {
    return [
        { name: 'tmp', emptyDir: {} },
        ...(spec.runtime.scratch ?? []).map((v) => ({
            name: v.name,
            emptyDir: {
                ...(v.medium ? { medium: v.medium } : {}),
                ...(v.sizeLimit ? { sizeLimit: v.sizeLimit } : {}),
            },
        })),
    ];
}
/** Where the pods may run: GPU nodes by the profile's selector, affinity and tolerations; spread over zones and nodes. */
function podScheduling(spec) {
    const gpu = (spec.resources.gpu ?? 0) > 0;
    const placement = gpu ? spec.profile.gpuPlacement(spec.resources.gpuType) : undefined;
    const nodeSelector = placement?.nodeSelector ?? {};
    const affinity = placement?.nodeAffinityTerms
        ? {
            nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                    nodeSelectorTerms: placement.nodeAffinityTerms.map((matchExpressions) => ({
                        matchExpressions,
                    })),
                },
            },
        }
        : undefined;
    const spread = spec.topologySpread
        ? ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map((topologyKey) => ({
            maxSkew: 1,
            topologyKey,
            whenUnsatisfiable: 'ScheduleAnyway',
            labelSelector: { matchLabels: podSelector(spec.name) },
            // Spread each revision's pods, not old and new together.
            matchLabelKeys: ['pod-template-hash'],
        }))
        : undefined;
    return {
        ...(Object.keys(nodeSelector).length ? { nodeSelector } : {}),
        ...(affinity ? { affinity } : {}),
        ...(placement ? { tolerations: placement.tolerations } : {}),
        ...(spread ? { topologySpreadConstraints: spread } : {}),
    };
}
function podTemplate(spec) {
    const podLabels = {
        ...podSelector(spec.name),
        'app.kubernetes.io/component': 'model-server',
        ...(spec.identity ? (spec.profile.identity?.podLabels ?? {}) : {}),
    };
    const annotations = { ...spec.podAnnotations };
    if (spec.modelVersion)
        annotations['model-deploy.io/model-version'] = spec.modelVersion;
    return {
        metadata: {
            labels: podLabels,
            ...(Object.keys(annotations).length ? { annotations } : {}),
        },
        spec: {
            serviceAccountName: spec.name,
            ...(spec.terminationGracePeriodSeconds !== undefined
                ? { terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds }
                : {}),
            securityContext: podSecurityContext(spec),
            containers: [modelContainer(spec)],
            volumes: podVolumes(spec),
            ...podScheduling(spec),
        },
    };
}
function deployment(spec) {
    const deploymentSpec = {
        selector: { matchLabels: podSelector(spec.name) },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: spec.progressDeadlineSeconds,
        // Old pods keep serving until new ones are ready: a broken model never takes traffic.
        strategy: {
            type: 'RollingUpdate',
            rollingUpdate: spec.rollingUpdate ?? { maxSurge: '25%', maxUnavailable: 0 },
        },
        template: podTemplate(spec),
    };
    // With an HPA the replica count is the autoscaler's; applying it would fight it.
    if (!spec.autoscaling)
        deploymentSpec.replicas = spec.replicas;
    return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(spec), spec: deploymentSpec };
}
function horizontalPodAutoscaler(spec, scaling) {
    return {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: meta(spec),
        spec: {
            scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: spec.name },
            minReplicas: scaling.min,
            maxReplicas: scaling.max,
            metrics: [
                {
                    type: 'Resource',
                    resource: {
                        name: 'cpu',
                        target: { type: 'Utilization', averageUtilization: scaling.targetCpu },
                    },
                },
            ],
        },
    };
}
function podDisruptionBudget(spec) {
    return {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: meta(spec),
        spec: { maxUnavailable: 1, selector: { matchLabels: podSelector(spec.name) } },
    };
}
function splitRef(ref, namespace) {
    const value = ref ?? 'gateway';
    const slash = value.indexOf('/');
    return slash === -1
        ? { namespace, name: value }
        : { namespace: value.slice(0, slash), name: value.slice(slash + 1) };
}
function httpRoute(spec) {
    const gateway = splitRef(spec.expose.gateway, spec.namespace);
    return {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: meta(spec),
        spec: {
            parentRefs: [{ name: gateway.name, namespace: gateway.namespace }],
            ...(spec.expose.host ? { hostnames: [spec.expose.host] } : {}),
            rules: [
                {
                    matches: [{ path: { type: 'PathPrefix', value: '/' } }],
                    backendRefs: [{ name: spec.name, port: SERVICE_PORT }],
                },
            ],
        },
    };
}
function grpcRoute(spec, port) {
    const gateway = splitRef(spec.expose.gateway, spec.namespace);
    const host = spec.expose.grpcHost ?? (spec.expose.host ? grpcHostFor(spec.expose.host) : undefined);
    if (host !== undefined && host === spec.expose.host) {
        // A wildcard host has no first label to derive a gRPC host from.
        throw new errors/* InputError */.dz('grpc-host', `is needed: host ${spec.expose.host} is a wildcard, and the runtime's gRPC API needs a GRPCRoute on a host other than the HTTPRoute's`, `grpc-host: grpc${spec.expose.host.slice(1)}`);
    }
    return {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'GRPCRoute',
        metadata: meta(spec),
        spec: {
            parentRefs: [{ name: gateway.name, namespace: gateway.namespace }],
            ...(host ? { hostnames: [host] } : {}),
            // No matches: every service and method of the host goes to the model server.
            rules: [{ backendRefs: [{ name: spec.name, port }] }],
        },
    };
}
function serviceFqdn(spec) {
    return `${spec.name}.${spec.namespace}.svc.cluster.local`;
}
function virtualService(spec) {
    const gateway = splitRef(spec.expose.gateway ?? 'istio-system/ingressgateway', spec.namespace);
    const to = (port) => [
        { destination: { host: serviceFqdn(spec), port: { number: port } } },
    ];
    const grpc = spec.runtime.grpc;
    return {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: meta(spec),
        spec: {
            hosts: [spec.expose.host ?? serviceFqdn(spec)],
            gateways: [`${gateway.namespace}/${gateway.name}`],
            http: [
                // One host for both: a gRPC call is a POST whose path starts with its
                // protobuf package; it goes to the gRPC port, the rest to REST.
                ...(grpc
                    ? [
                        {
                            name: GRPC_PORT_NAME,
                            match: [{ uri: { prefix: grpc.pathPrefix } }],
                            route: to(grpc.port),
                        },
                    ]
                    : []),
                { name: 'http', route: to(SERVICE_PORT) },
            ],
        },
    };
}
/**
 * Emissary-ingress (Ambassador): a Mapping for REST on the host, and one with
 * `grpc: true` for the runtime's RPCs (the longer prefix wins). Emissary
 * rewrites a matched prefix to `/` unless told otherwise; gRPC paths must
 * reach the server whole.
 */
function ambassadorMappings(spec) {
    const hostname = spec.expose.host ?? '*';
    const service = (port) => `${spec.name}.${spec.namespace}:${port}`;
    const mappings = [
        {
            apiVersion: EMISSARY_API_VERSION,
            kind: 'Mapping',
            metadata: meta(spec),
            spec: { hostname, prefix: '/', service: service(SERVICE_PORT) },
        },
    ];
    const grpc = spec.runtime.grpc;
    if (grpc) {
        mappings.push({
            apiVersion: EMISSARY_API_VERSION,
            kind: 'Mapping',
            metadata: meta(spec, { name: `${spec.name}-${GRPC_PORT_NAME}` }),
            spec: {
                hostname,
                prefix: grpc.pathPrefix,
                rewrite: grpc.pathPrefix,
                grpc: true,
                service: service(grpc.port),
            },
        });
    }
    return mappings;
}

// EXTERNAL MODULE: ./shared/clouds/registry.ts + 12 modules
var registry = __webpack_require__(31741);
;// CONCATENATED MODULE: ./shared/kube/cluster-features.ts



/**
 * What deploy asks of a cluster before it renders: whether an API group is
 * served (discovery, which every authenticated user may read) and which
 * admission webhooks are registered (cluster-scoped; a namespaced deployer
 * may not list them, and then discovery answers instead).
 */
/**
 * True when the API server serves `kind` in `apiVersion`: a list of it is
 * answered, or refused only for want of permission. False when the group is
 * not served (404), its aggregated server is down (503), or it lacks the kind.
 */
async function servesKind(client, apiVersion, kind) {
    try {
        await client.call(({ objects }) => objects.list(apiVersion, kind, { limit: 1 }));
        return true;
    }
    catch (err) {
        const status = statusOf(err);
        if (status === 403 || status === 401)
            return true;
        if (status === 404 || status === 503)
            return false;
        if (err instanceof UnservedKindError)
            return false;
        throw err;
    }
}
/** Names of the registered mutating webhooks, or undefined when this identity may not list them. */
async function mutatingWebhookNames(client) {
    try {
        const list = await client.call(({ objects }) => objects.list('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration'));
        return list.items.flatMap((config) => [
            config.metadata?.name ?? '',
            ...((config.webhooks ?? []).map((w) => w.name ?? '') ?? []),
        ]);
    }
    catch (err) {
        if (statusOf(err) === 403 || statusOf(err) === 401)
            return undefined;
        throw err;
    }
}
/** The facts a cloud's probe may read, answered by this client. */
function clusterFacts(client) {
    return {
        servesKind: (apiVersion, kind) => servesKind(client, apiVersion, kind),
        mutatingWebhookNames: () => mutatingWebhookNames(client),
    };
}
/**
 * Who will give a LoadBalancer Service its address on a cluster deployed
 * with `profile`: the cloud's probe answers when the cloud has several
 * controllers, else its own controller does.
 */
async function findLoadBalancerController(profile, client, logger) {
    try {
        return await (0,registry/* findLoadBalancerController */.mK)(profile, clusterFacts(client), logger);
    }
    catch (err) {
        throw kubeFailure('looking for the load balancer controller', err, client.connection.displayName);
    }
}
/** Whether the resource metrics API (metrics-server) answers: an HPA on CPU reads it. */
async function servesResourceMetrics(client) {
    try {
        return await servesKind(client, 'metrics.k8s.io/v1beta1', 'PodMetrics');
    }
    catch (err) {
        throw kubeFailure('asking whether the cluster serves metrics.k8s.io', err, client.connection.displayName);
    }
}

;// CONCATENATED MODULE: ./shared/orchestrators/deploy/serving.ts




/** The built-in manifests' spec: the runtime's defaults, the image's facts and the inputs. */
async function plan(request, context) {
    const { client, logger, profileName } = context;
    const profile = (0,profiles/* cloudProfile */.hd)(profileName);
    checkServiceAccount(request, profile, profileName);
    const lbController = request.expose === 'load-balancer' || request.expose === 'internal-load-balancer'
        ? await loadBalancerController(profileName, client, logger)
        : undefined;
    const servingPlan = (0,serving_plan/* planServing */.I0)({
        name: request.name,
        namespace: request.namespace,
        image: context.image.reference,
        runtime: request.runtime ?? 'custom',
        modelName: request.strategy.analysis.smoke.target.model ?? request.name,
        ...(context.facts ? { facts: context.facts } : {}),
        overrides: podOverrides(request),
        replicas: request.replicas,
        resources: request.resources,
        ...(request.autoscaling ? { autoscaling: request.autoscaling } : {}),
        env: request.env,
        podAnnotations: request.podAnnotations,
        expose: {
            mode: request.expose,
            ...(request.host ? { host: request.host } : {}),
            ...(request.grpcHost ? { grpcHost: request.grpcHost } : {}),
            ...(request.gateway ? { gateway: request.gateway } : {}),
        },
        profile,
        ...(lbController ? { loadBalancerController: lbController } : {}),
        ...(request.serviceAccount ? { identity: request.serviceAccount } : {}),
        ...(request.modelVersion ? { modelVersion: request.modelVersion } : {}),
        ...(request.timeoutMs !== undefined ? { timeoutMs: request.timeoutMs } : {}),
    });
    for (const note of servingPlan.notes)
        logger.info(note);
    for (const warning of servingPlan.warnings)
        logger.warning(warning, { title: 'deploy settings' });
    logger.info(`rollout budgets: ${(0,serving_plan/* describeBudgets */.c0)(servingPlan.budgets)}`);
    await warnWithoutMetrics(request, client, logger);
    return servingPlan;
}
function podOverrides(request) {
    return {
        ...(request.port ? { port: request.port } : {}),
        ...(request.healthPath ? { healthPath: request.healthPath } : {}),
        ...(request.startTimeoutMs !== undefined
            ? { startSeconds: Math.ceil(request.startTimeoutMs / 1000) }
            : {}),
        ...(request.readOnlyRootFilesystem !== undefined
            ? { readOnlyRootFilesystem: request.readOnlyRootFilesystem }
            : {}),
        ...(request.runAsUser !== undefined ? { runAsUser: request.runAsUser } : {}),
    };
}
/** A workload identity needs a cloud profile that knows its form. */
function checkServiceAccount(request, profile, profileName) {
    if (!request.serviceAccount)
        return;
    if (!profile.identity) {
        throw new errors/* InputError */.dz('service-account', `needs a cloud profile (aws, azure or gcp); the profile is ${profileName}`, 'cloud-profile: aws');
    }
    const problem = profile.identity.check(request.serviceAccount);
    if (problem)
        throw new errors/* InputError */.dz('service-account', `'${request.serviceAccount}' ${problem} for ${profileName}`, profile.identity.example);
}
async function warnWithoutMetrics(request, client, logger) {
    if (!request.autoscaling || (await servesResourceMetrics(client)))
        return;
    const { min } = request.autoscaling;
    logger.warning(`autoscaling: the cluster does not serve the resource metrics API (metrics.k8s.io), so the HorizontalPodAutoscaler cannot read CPU use and will hold ${min} replica${min === 1 ? '' : 's'}: install metrics-server (EKS does not run it by default; AKS and GKE do)`, { title: 'autoscaling without metrics' });
}
/**
 * Who will give a LoadBalancer Service its address. On EKS the annotations
 * deploy writes depend on it: the AWS Load Balancer Controller's (or EKS
 * Auto Mode's) NLB when one of them is there, else the in-tree controller's.
 */
async function loadBalancerController(profileName, client, logger) {
    const found = await findLoadBalancerController(profileName, client, logger);
    if (found.warning)
        logger.warning(found.warning, { title: 'load balancer controller' });
    else if (found.controller !== 'cloud') {
        logger.info(`load balancer: ${found.controller} (${found.evidence})`);
    }
    return found.controller;
}

;// CONCATENATED MODULE: ./shared/orchestrators/deploy/types.ts
function inGroup(hooks, title, body) {
    return hooks.group ? hooks.group(title, body) : body();
}

;// CONCATENATED MODULE: ./shared/orchestrators/deploy/render.ts





/**
 * The objects of the release: the built-in manifests of the serving plan,
 * or the user's chart. A restore renders nothing: it applies what the
 * release history recorded.
 */
async function renderRelease(request, image, target, hooks, early) {
    if (request.rollbackTo)
        return { request: withAnalysisProtocol(request), objects: [] };
    const { logger } = hooks;
    return inGroup(hooks, 'Rendering manifests', async () => {
        const completed = await completeFromImage(request, logger, early);
        if (completed.request.chart) {
            return {
                request: completed.request,
                objects: await renderChartObjects(completed.request, image, logger),
            };
        }
        const servingPlan = await plan(completed.request, {
            image,
            profileName: target.profileName,
            facts: completed.facts,
            client: target.client,
            logger,
        });
        return { request: completed.request, objects: renderServing(servingPlan.spec), servingPlan };
    });
}
function renderChartObjects(request, image, logger) {
    return renderChart({
        chart: request.chart,
        release: request.name,
        namespace: request.namespace,
        valuesFiles: request.valuesFiles,
        ...(request.values ? { values: request.values } : {}),
        image,
        workspace: process.env.GITHUB_WORKSPACE ?? process.cwd(),
        logger,
    });
}

;// CONCATENATED MODULE: ./shared/kube/access-review.ts


/** Throws a UserError naming the first need the cluster denies; allows when it cannot ask. */
async function requireAccess(client, what, needs, logger) {
    for (const need of needs) {
        const [resource, subresource] = need.resource.split('/', 2);
        let allowed;
        try {
            const review = await client.call(({ authorization }) => authorization.createSelfSubjectAccessReview({
                body: {
                    apiVersion: 'authorization.k8s.io/v1',
                    kind: 'SelfSubjectAccessReview',
                    spec: {
                        resourceAttributes: {
                            namespace: need.namespace,
                            verb: need.verb,
                            group: need.group,
                            resource,
                            ...(subresource ? { subresource } : {}),
                        },
                    },
                },
            }));
            allowed = review.status?.allowed === true;
        }
        catch (err) {
            // A cluster that does not let this identity ask: the call itself will tell.
            logger.debug(`could not review access for ${what}: ${err.message}`);
            return;
        }
        if (!allowed) {
            const denied = { ...need, user: await whoAmI(client) };
            throw new errors/* UserError */.yo(`${what}: forbidden by the cluster: ${(0,kube_forbidden/* describeDenied */.BX)(denied)}`, {
                hint: (0,kube_forbidden/* grantHint */._s)(denied),
            });
        }
    }
}
/** The user name the API server knows this identity by (SelfSubjectReview), for the message. */
async function whoAmI(client) {
    try {
        const review = await client.call(({ authentication }) => authentication.createSelfSubjectReview({
            body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
        }));
        return review.status?.userInfo?.username ?? 'the identity deploy signs in as';
    }
    catch {
        return 'the identity deploy signs in as';
    }
}

// EXTERNAL MODULE: ./shared/kube/strategies/analysis.ts
var analysis = __webpack_require__(72502);
;// CONCATENATED MODULE: ./shared/kube/strategies/types.ts
/** Thrown when the stop signal fires: the run ends as a killed job would. */
class RolloutStopped extends Error {
    constructor() {
        super('the rollout was stopped');
        this.name = 'RolloutStopped';
    }
}

;// CONCATENATED MODULE: ./shared/kube/strategies/stop.ts

function checkStop(request) {
    if (request.stopSignal?.aborted)
        throw new RolloutStopped();
}

;// CONCATENATED MODULE: ./shared/kube/strategies/analysis-hold.ts




/**
 * Runs the analysis at the start of the hold and again every interval until
 * the hold is over (at least once), stopping at the first failure.
 */
async function analyseDuring(ctx, holdMs, target) {
    const { request } = ctx;
    const interval = request.analysisIntervalMs ?? 30_000;
    const started = Date.now();
    const results = [];
    for (;;) {
        checkStop(request);
        const result = await (0,analysis/* runAnalysis */.A1)(request.analysis, target, ctx.client.connection, request.logger);
        results.push(result);
        request.logger.info(`analysis of ${target.service}: ${result.passed ? 'passed' : `FAILED: ${result.verdict}`}`);
        if (!result.passed)
            return results;
        const remaining = holdMs - (Date.now() - started);
        if (remaining <= 0)
            return results;
        try {
            await (0,retry/* sleep */.yy)(Math.min(interval, remaining), request.stopSignal);
        }
        catch {
            throw new RolloutStopped();
        }
    }
}

;// CONCATENATED MODULE: ./shared/kube/strategies/workload.ts


/**
 * The objects a progressive rollout works with: the release's one
 * Deployment and the Service in front of it, and the new version's own
 * Deployment and Service (`<name>-canary` or `<name>-preview`) beside them.
 */
const TRACK_LABEL = 'model-deploy.io/track';
const STRATEGY_MANAGER = 'model-deploy-strategy';
/** The kinds of the objects that route traffic to a release's Service. */
const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'VirtualService', 'Mapping'];
const deploymentSpec = (o) => o.spec;
const serviceSpec = (o) => o.spec;
function selects(selector, labels) {
    const entries = Object.entries(selector ?? {});
    return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}
/** Finds the Deployment, its Service and the routes (HTTPRoute, GRPCRoute, VirtualService, Mapping) of a release. */
function releaseWorkload(objects, release) {
    const deployments = objects.filter((o) => o.kind === 'Deployment');
    if (deployments.length !== 1) {
        throw new errors/* UserError */.yo(`a canary or blue-green rollout needs exactly one Deployment in the release; ${release} has ${deployments.length}${deployments.length ? ` (${deployments.map(objectName).join(', ')})` : ''}`, { hint: 'use strategy: rolling for this release, or render one Deployment per release' });
    }
    const deployment = deployments[0];
    const podLabels = deploymentSpec(deployment).template.metadata?.labels ?? {};
    const service = objects.find((o) => o.kind === 'Service' && selects(serviceSpec(o).selector, podLabels));
    if (!service) {
        throw new errors/* UserError */.yo(`a canary or blue-green rollout needs a Service selecting the pods of ${objectName(deployment)}; the release has none`, { hint: 'add a Service to the chart, or use the built-in manifests' });
    }
    const routes = objects.filter((o) => ROUTE_KINDS.includes(o.kind));
    return { deployment, service, routes, ...(routes[0] ? { route: routes[0] } : {}) };
}
function servicePort(service) {
    return serviceSpec(service).ports?.[0]?.port ?? 80;
}
/** The FQDN Istio and in-cluster clients use for a Service. */
function serviceHost(service, namespace) {
    return `${service.metadata.name}.${service.metadata.namespace ?? namespace}.svc.cluster.local`;
}
function suffixed(value, suffix) {
    const max = 63 - suffix.length - 1;
    return `${value.slice(0, max).replace(/[-_.]+$/, '')}-${suffix}`;
}
/**
 * The new version's Deployment and Service beside the stable ones. With
 * `shareService` its pods also carry every label the main Service selects,
 * so they take a share of its traffic by their number (the replica-ratio
 * split); otherwise the selected labels get the suffix, so the main Service
 * never reaches them and only the router sends them traffic.
 */
function sideBySide(workload, release, track, options) {
    const deployment = structuredClone(workload.deployment);
    const spec = deploymentSpec(deployment);
    const mainSelector = serviceSpec(workload.service).selector ?? {};
    const relabel = (labels) => {
        const out = { ...labels };
        if (!options.shareService) {
            for (const [key, value] of Object.entries(mainSelector)) {
                if (out[key] === value)
                    out[key] = suffixed(value, track);
            }
        }
        out[TRACK_LABEL] = track;
        return out;
    };
    const templateLabels = relabel(spec.template.metadata?.labels ?? {});
    const matchLabels = relabel(spec.selector.matchLabels ?? {});
    const name = suffixed(workload.deployment.metadata.name, track);
    const ownLabels = { ...releaseLabels(release), [TRACK_LABEL]: track };
    deployment.metadata = {
        name,
        namespace: workload.deployment.metadata.namespace,
        labels: { ...workload.deployment.metadata.labels, ...ownLabels },
    };
    spec.selector = { matchLabels };
    spec.template.metadata = { ...spec.template.metadata, labels: templateLabels };
    spec.replicas = options.replicas;
    const serviceSelector = relabel(mainSelector);
    const service = {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
            name: suffixed(workload.service.metadata.name, track),
            namespace: workload.service.metadata.namespace,
            labels: { ...workload.service.metadata.labels, ...ownLabels },
        },
        spec: {
            type: 'ClusterIP',
            selector: serviceSelector,
            ports: serviceSpec(workload.service).ports,
        },
    };
    return { deployment, service, podSelector: serviceSelector };
}
/** How many replicas the release runs when nothing autoscales it. */
function replicasOf(deployment) {
    return deploymentSpec(deployment).replicas ?? 1;
}

;// CONCATENATED MODULE: ./shared/kube/strategies/rollout-state.ts


const ROLLOUT_LABEL = 'model-deploy.io/rollout-of';
function rolloutStateName(release) {
    return `model-deploy.${release}.rollout`;
}
class RolloutStateStore {
    client;
    namespace;
    release;
    constructor(client, namespace, release) {
        this.client = client;
        this.namespace = namespace;
        this.release = release;
    }
    get name() {
        return rolloutStateName(this.release);
    }
    async read() {
        const { core } = await this.client.apis();
        try {
            const map = await core.readNamespacedConfigMap({
                name: this.name,
                namespace: this.namespace,
            });
            const text = map.data?.state;
            return text ? JSON.parse(text) : undefined;
        }
        catch (err) {
            if (statusOf(err) === 404)
                return undefined;
            if (err instanceof SyntaxError)
                return undefined;
            throw kubeFailure(`reading the rollout state ${this.name}`, err, this.client.connection.displayName);
        }
    }
    async write(state) {
        const { core } = await this.client.apis();
        const body = {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: {
                name: this.name,
                namespace: this.namespace,
                labels: { [MANAGED_BY_LABEL]: FIELD_MANAGER, [ROLLOUT_LABEL]: this.release },
            },
            data: { state: JSON.stringify({ ...state, updated: new Date().toISOString() }, null, 2) },
        };
        try {
            await core.replaceNamespacedConfigMap({ name: this.name, namespace: this.namespace, body });
        }
        catch (err) {
            if (statusOf(err) !== 404)
                throw kubeFailure(`writing the rollout state ${this.name}`, err, this.client.connection.displayName);
            try {
                await core.createNamespacedConfigMap({ namespace: this.namespace, body });
            }
            catch (createErr) {
                throw kubeFailure(`writing the rollout state ${this.name}`, createErr, this.client.connection.displayName);
            }
        }
    }
    async clear() {
        const { core } = await this.client.apis();
        try {
            await core.deleteNamespacedConfigMap({ name: this.name, namespace: this.namespace });
        }
        catch (err) {
            if (statusOf(err) !== 404)
                throw kubeFailure(`removing the rollout state ${this.name}`, err, this.client.connection.displayName);
        }
    }
}
/** The references a rollout state keeps of the objects it added. */
const objectRefs = (objects) => objects.map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name }));

;// CONCATENATED MODULE: ./shared/kube/strategies/context.ts


function stateBase(ctx, added) {
    return {
        strategy: ctx.request.strategy,
        router: ctx.request.router,
        hash: ctx.hash,
        image: ctx.request.image,
        holder: ctx.request.holder,
        objects: objectRefs(added),
    };
}
function emptyOutcome(ctx, release) {
    return {
        release,
        strategy: ctx.request.strategy,
        router: ctx.request.router,
        ...(ctx.recovered ? { recovered: ctx.recovered } : {}),
    };
}
/** The replica count the release asks for (the autoscaler's minimum when it has one). */
function totalReplicas(ctx) {
    const hpa = ctx.objects.find((o) => o.kind === 'HorizontalPodAutoscaler');
    const min = hpa?.spec?.minReplicas;
    return deploymentSpec(ctx.next.deployment).replicas ?? min ?? 1;
}
/** The report of one step, from its analyses. */
function stepReport(step, weight, actualWeight, analyses, started) {
    return {
        step,
        weight,
        actualWeight,
        analyses,
        verdict: analyses.every((a) => a.passed) ? 'passed' : 'failed',
        durationMs: Date.now() - started,
    };
}
/** The outcome of a rollout whose new version was withdrawn at a step. */
function withdrawnOutcome(ctx, release, steps, aborted) {
    return { ...emptyOutcome(ctx, release), promoted: false, step: aborted.step, steps, aborted };
}

;// CONCATENATED MODULE: ./shared/kube/strategies/readiness.ts

async function waitReady(ctx, deployment) {
    const { request } = ctx;
    return watchRollout(ctx.client, {
        namespace: deployment.metadata.namespace ?? request.namespace,
        deployment: deployment.metadata.name,
        timeoutMs: request.timeoutMs,
        logger: request.logger,
        ...(request.pollMs !== undefined ? { pollMs: request.pollMs } : {}),
        ...(request.hopelessAfterMs !== undefined ? { hopelessAfterMs: request.hopelessAfterMs } : {}),
    });
}
/** Throws when a Deployment does not become ready, for routers that must wait inline. */
async function requireReady(ctx, deployment) {
    const outcome = await waitReady(ctx, deployment);
    if (!outcome.ok)
        throw new NotReady(outcome);
}
class NotReady extends Error {
    outcome;
    constructor(outcome) {
        super(`${outcome.reason}: ${outcome.message}`);
        this.outcome = outcome;
    }
}

;// CONCATENATED MODULE: ./shared/kube/strategies/withdraw.ts





/** Removes what the rollout added (the new version's Deployment, Service, rules). */
async function removeAdded(client, namespace, logger, added) {
    await deleteObjects(client, added.map((o) => ({
        apiVersion: o.apiVersion,
        kind: o.kind,
        metadata: { name: o.name, namespace },
    })), logger);
}
/**
 * The new version did not pass: the serving revision's objects are applied
 * again (routes, Service selector and replica counts back as they were), the
 * added objects removed, and the attempt recorded as rolled back.
 */
async function withdraw(ctx, added, reason, message, diagnosis = '') {
    const { request, serving } = ctx;
    request.logger.info(`withdrawing ${request.image}: all traffic back to revision ${serving.revision}`);
    await applyObjects(ctx.client, serving.manifests);
    await removeAdded(ctx.client, request.namespace, request.logger, objectRefs(added));
    const restored = await waitReady(ctx, ctx.stable.deployment);
    if (!restored.ok) {
        throw new errors/* UserError */.yo(`${reason} and the stable revision ${serving.revision} is not ready again (${restored.reason}): ${restored.message}`, { hint: 'the cluster needs a look: kubectl describe deployment and its pods' });
    }
    const revision = nextRevision(await ctx.store.list());
    await ctx.store.write({
        release: request.release,
        revision,
        result: 'rolled-back',
        reason,
        hash: ctx.hash,
        image: request.image,
        time: new Date().toISOString(),
        source: request.strategy,
        manifests: ctx.objects,
        ...(request.imageDigest ? { imageDigest: request.imageDigest } : {}),
        ...(request.modelVersion ? { modelVersion: request.modelVersion } : {}),
        ...(request.gitSha ? { gitSha: request.gitSha } : {}),
        ...(request.actor ? { actor: request.actor } : {}),
        ...(request.runUrl ? { runUrl: request.runUrl } : {}),
    });
    await ctx.states.clear();
    return {
        status: 'rolled-back',
        revision: serving.revision,
        previousRevision: serving.revision,
        attemptedRevision: revision,
        image: serving.image,
        applied: [],
        pruned: [],
        waitedMs: 0,
        objects: serving.manifests,
        failure: { reason, message, diagnosis },
    };
}

;// CONCATENATED MODULE: ./shared/kube/strategies/promote.ts





/**
 * The new version becomes the stable one: the release's own Deployment takes
 * it while the traffic still goes to the new pods, then the whole release is
 * applied and recorded like any other (routes and selectors back to the
 * stable Service, the added objects pruned), so rollback works across
 * strategies.
 */
async function promote(ctx, added) {
    const { request } = ctx;
    request.logger.info(`promoting ${request.image}: it becomes the stable ${ctx.next.deployment.metadata.name}`);
    const stable = structuredClone(ctx.next.deployment);
    await applyObjects(ctx.client, [stable]);
    const ready = await waitReady(ctx, stable);
    if (!ready.ok) {
        return withdraw(ctx, added, ready.reason, `promotion failed: ${ready.message}`, ready.diagnosis);
    }
    const outcome = await releaseLocked(ctx.client, { ...request, dryRun: false });
    await removeAdded(ctx.client, request.namespace, request.logger, objectRefs(added));
    await ctx.states.clear();
    return outcome;
}

;// CONCATENATED MODULE: ./shared/kube/strategies/blue-green.ts










/**
 * Blue-green: the new version comes up in full beside the old one, behind
 * its own preview Service, and is analysed there. Then the main Service's
 * selector switches to it at once. The old pods stay for scale-down-delay
 * while the analysis keeps running through the main Service; a failure in
 * that time switches straight back to them.
 */
async function runBlueGreen(ctx) {
    const { request, stable } = ctx;
    const preview = sideBySide(ctx.next, request.release, 'preview', {
        replicas: totalReplicas(ctx),
        shareService: false,
    });
    const run = {
        ctx,
        preview,
        added: [preview.service, preview.deployment],
        target: {
            namespace: request.namespace,
            service: preview.service.metadata.name,
            port: servicePort(preview.service),
            release: request.release,
            canaryDeployment: preview.deployment.metadata.name,
            stableDeployment: stable.deployment.metadata.name,
        },
    };
    const first = await previewStep(run);
    if ('release' in first)
        return first;
    checkStop(request);
    const second = await switchStep(run, [first]);
    if ('release' in second)
        return second;
    checkStop(request);
    await ctx.states.write({
        ...stateBase(ctx, run.added),
        step: 1,
        weight: 100,
        phase: 'promoting',
    });
    const release = await promote(ctx, run.added);
    return {
        ...emptyOutcome(ctx, release),
        promoted: release.failure === undefined,
        step: 2,
        steps: [first, second],
    };
}
/** Step 1: the new version up in full behind its preview Service, and analysed there. */
async function previewStep(run) {
    const { ctx, preview } = run;
    const { request } = ctx;
    await ctx.states.write({
        ...stateBase(ctx, run.added),
        step: 0,
        weight: 0,
        phase: 'progressing',
    });
    request.logger.info(`blue-green: ${request.image} comes up as ${preview.deployment.metadata.name} behind the preview Service ${preview.service.metadata.name}`);
    await applyObjects(ctx.client, run.added);
    const ready = await waitReady(ctx, preview.deployment);
    if (!ready.ok) {
        const message = `the new version did not become ready: ${ready.message}`;
        return fail(run, [], 1, ready.reason, message, ready.diagnosis);
    }
    await request.onStep?.({ phase: 'step', step: 1, weight: 0 });
    const started = Date.now();
    const report = stepReport(1, 0, 0, await analyseDuring(ctx, 0, run.target), started);
    if (report.verdict === 'failed') {
        const verdict = report.analyses.at(-1).verdict;
        return fail(run, [report], 1, 'AnalysisFailed', `analysis of the preview failed: ${verdict}`);
    }
    return report;
}
/** How long the Service's endpoints may take to follow its new selector before the analysis goes on regardless. */
const SWITCH_SETTLE_MS = 30_000;
/** Waits until the main Service's endpoints are the preview pods, so the analysis sees the new version. */
async function awaitSwitch({ ctx, preview }) {
    const service = ctx.stable.service.metadata;
    const moved = await waitForServiceEndpoints(ctx.client, {
        namespace: service.namespace ?? ctx.request.namespace,
        service: service.name,
        selector: preview.podSelector,
        timeoutMs: SWITCH_SETTLE_MS,
    });
    if (!moved) {
        ctx.request.logger.warning(`the endpoints of Service ${service.name} had not moved to the new pods ${(0,duration/* formatDuration */.a)(SWITCH_SETTLE_MS)} after the switch; the analysis may see some old answers`);
    }
}
/** Step 2: the main Service switched to the new version, analysed while the old pods wait. */
async function switchStep(run, reports) {
    const { ctx, preview } = run;
    const { request, stable, client } = ctx;
    const switched = structuredClone(stable.service);
    serviceSpec(switched).selector = preview.podSelector;
    await applyObjects(client, [switched]);
    await awaitSwitch(run);
    await ctx.states.write({ ...stateBase(ctx, run.added), step: 1, weight: 100, phase: 'switched' });
    request.logger.info(`switched ${stable.service.metadata.name} to ${request.image}; the previous version stays up for ${(0,duration/* formatDuration */.a)(request.scaleDownDelayMs)} for an instant switch back`);
    await request.onStep?.({ phase: 'switched', step: 2, weight: 100 });
    const started = Date.now();
    const analyses = await analyseDuring(ctx, request.scaleDownDelayMs, {
        ...run.target,
        service: stable.service.metadata.name,
        port: servicePort(stable.service),
    });
    const report = stepReport(2, 100, 100, analyses, started);
    if (report.verdict === 'passed')
        return report;
    // The old pods never went away: restoring the selector is the whole switch back.
    await applyObjects(client, [stable.service]);
    request.logger.info(`switched ${stable.service.metadata.name} back to revision ${ctx.serving.revision}`);
    await request.onStep?.({ phase: 'switched-back', step: 2, weight: 0 });
    const message = `analysis after the switch failed: ${analyses.at(-1).verdict}`;
    return fail(run, [...reports, report], 2, 'AnalysisFailed', message);
}
async function fail(run, reports, step, reason, message, diagnosis = '') {
    const { request } = run.ctx;
    request.logger.error(`blue-green of ${request.image} failed: ${message}`, {
        title: `blue-green of ${request.release} withdrawn`,
    });
    const release = await withdraw(run.ctx, run.added, reason, message, diagnosis);
    return withdrawnOutcome(run.ctx, release, reports, {
        step,
        weight: step === 2 ? 100 : 0,
        verdict: message,
    });
}

;// CONCATENATED MODULE: ./shared/kube/strategies/ambassador-router.ts



/** `name`, `name.ns`, `name.ns:port` and their URL forms: the scheme, the Service name, the rest. */
function serviceParts(service) {
    const match = /^([a-z]+:\/\/)?([^.:/]*)(.*)$/.exec(service);
    return { scheme: match[1] ?? '', name: match[2], rest: match[3] };
}
/**
 * Emissary-ingress: next to each Mapping that sends traffic to the stable
 * Service, a copy for the new version's Service with a `weight`. Emissary
 * gives a weighted Mapping that share of the requests its prefix and host
 * match, and the unweighted one the rest; the stable Mappings stay as they
 * are, so withdrawing the new version is deleting its copies.
 */
function canaryMappings(mappings, stableService, canaryService, release, weight) {
    return mappings
        .filter((m) => m.kind === 'Mapping')
        .filter((m) => serviceParts(m.spec.service ?? '').name === stableService)
        .map((m) => {
        const spec = structuredClone(m.spec);
        const target = serviceParts(spec.service);
        spec.service = `${target.scheme}${canaryService}${target.rest}`;
        spec.weight = weight;
        return {
            apiVersion: m.apiVersion,
            kind: 'Mapping',
            metadata: {
                name: `${m.metadata.name}-canary`,
                namespace: m.metadata.namespace,
                labels: { ...m.metadata.labels, ...releaseLabels(release), [TRACK_LABEL]: 'canary' },
            },
            spec,
        };
    });
}
class AmbassadorRouter {
    name = 'ambassador';
    extraObjects;
    client;
    mappings;
    stableService;
    canaryService;
    release;
    constructor(client, mappings, stableService, canaryService, release) {
        this.client = client;
        this.mappings = mappings;
        this.stableService = stableService;
        this.canaryService = canaryService;
        this.release = release;
        this.extraObjects = canaryMappings(mappings, stableService, canaryService, release, 0);
    }
    async setWeight(weight) {
        await applyObjects(this.client, canaryMappings(this.mappings, this.stableService, this.canaryService, this.release, weight));
        return weight;
    }
    async reset() {
        await applyObjects(this.client, canaryMappings(this.mappings, this.stableService, this.canaryService, this.release, 0));
    }
}

;// CONCATENATED MODULE: ./shared/kube/strategies/gateway-router.ts

/**
 * Gateway API: each rule of the HTTPRoute (or GRPCRoute: its rules have the
 * same backendRefs) that sends traffic to the stable Service gets a second
 * weighted backendRef to the new version's Service.
 */
function weightedHttpRoute(route, stableService, canaryService, weight) {
    const copy = structuredClone(route);
    const rules = (copy.spec.rules ??= []);
    for (const rule of rules) {
        const refs = rule.backendRefs ?? [];
        const stable = refs.find((r) => r.name === stableService && (r.kind ?? 'Service') === 'Service');
        if (!stable)
            continue;
        const others = refs.filter((r) => r !== stable && r.name !== canaryService);
        rule.backendRefs = [
            ...others,
            { ...stable, weight: 100 - weight },
            { ...stable, name: canaryService, weight },
        ];
    }
    return copy;
}
function routesTo(route, service) {
    const rules = route.spec.rules ?? [];
    return rules.some((rule) => (rule.backendRefs ?? []).some((r) => r.name === service));
}
/** Moves the weights of every route of the release: the HTTPRoute and, for gRPC, the GRPCRoute. */
class GatewayRouter {
    name = 'gateway';
    extraObjects = [];
    client;
    routes;
    stableService;
    canaryService;
    constructor(client, routes, stableService, canaryService) {
        this.client = client;
        this.routes = routes;
        this.stableService = stableService;
        this.canaryService = canaryService;
    }
    async setWeight(weight) {
        await applyObjects(this.client, this.routes.map((route) => weightedHttpRoute(route, this.stableService, this.canaryService, weight)));
        return weight;
    }
    async reset() {
        await applyObjects(this.client, this.routes);
    }
}

;// CONCATENATED MODULE: ./shared/kube/strategies/istio-router.ts



const CANARY_SUBSET = 'canary';
/** `name`, `name.ns`, `name.ns.svc` and the FQDN all name the same Service to Istio. */
function sameHost(host, fqdn) {
    return fqdn === host || fqdn.startsWith(`${host}.`);
}
/**
 * Istio: each HTTP route of the VirtualService that goes to the stable
 * Service is split into two weighted destinations; the new version's goes to
 * the `canary` subset its DestinationRule defines, so only its pods answer.
 */
function weightedVirtualService(virtualService, stableHost, canaryHost, weight) {
    const copy = structuredClone(virtualService);
    const http = (copy.spec.http ??= []);
    for (const entry of http) {
        const routes = entry.route ?? [];
        const stable = routes.find((r) => sameHost(r.destination.host, stableHost));
        if (!stable)
            continue;
        entry.route = [
            { ...stable, weight: 100 - weight },
            {
                ...stable,
                destination: { ...stable.destination, host: canaryHost, subset: CANARY_SUBSET },
                weight,
            },
        ];
    }
    return copy;
}
function canaryDestinationRule(name, namespace, release, canaryHost, podSelector) {
    return {
        apiVersion: 'networking.istio.io/v1',
        kind: 'DestinationRule',
        metadata: {
            name,
            namespace,
            labels: { ...releaseLabels(release), [TRACK_LABEL]: 'canary' },
        },
        spec: {
            host: canaryHost,
            subsets: [{ name: CANARY_SUBSET, labels: podSelector }],
        },
    };
}
class IstioRouter {
    name = 'istio';
    extraObjects;
    client;
    virtualService;
    stableHost;
    canaryHost;
    ruleApplied = false;
    constructor(client, virtualService, stableHost, canaryHost, destinationRule) {
        this.client = client;
        this.virtualService = virtualService;
        this.stableHost = stableHost;
        this.canaryHost = canaryHost;
        this.extraObjects = [destinationRule];
    }
    async setWeight(weight) {
        // The subset must exist before a route names it, or Istio answers 503 for that share.
        if (!this.ruleApplied) {
            await applyObjects(this.client, this.extraObjects);
            this.ruleApplied = true;
        }
        await applyObjects(this.client, [
            weightedVirtualService(this.virtualService, this.stableHost, this.canaryHost, weight),
        ]);
        return weight;
    }
    async reset() {
        await applyObjects(this.client, [this.virtualService]);
    }
}

;// CONCATENATED MODULE: ./shared/kube/strategies/replica-router.ts


/**
 * Canary and stable replica counts whose ratio comes closest to `weight`
 * percent of `total`. Below 100% each side keeps at least one pod, so with a
 * single replica the canary comes as one extra pod (an even split).
 */
function replicaSplit(total, weight) {
    if (weight >= 100)
        return { canary: total, stable: 0 };
    if (weight <= 0)
        return { canary: 0, stable: total };
    const nearest = Math.max(1, Math.round((total * weight) / 100));
    const canary = total >= 2 ? Math.min(total - 1, nearest) : 1;
    return { canary, stable: Math.max(1, total - canary) };
}
/**
 * No traffic router: the new version's pods join the stable Service, which
 * spreads requests over all ready pods, so the split follows the replica
 * counts. Approximate by nature, and coarse with few replicas.
 */
class ReplicaRouter {
    name = 'replicas';
    extraObjects = [];
    client;
    stable;
    canary;
    total;
    logger;
    waitReady;
    constructor(options) {
        this.client = options.client;
        this.stable = options.stable;
        this.canary = options.canary;
        this.total = options.total;
        this.logger = options.logger;
        this.waitReady = options.waitReady;
    }
    scaled(deployment, replicas) {
        const copy = structuredClone(deployment);
        deploymentSpec(copy).replicas = replicas;
        return copy;
    }
    async setWeight(weight) {
        const split = replicaSplit(this.total, weight);
        const pods = split.canary + split.stable;
        const actual = Math.round((split.canary / pods) * 100);
        this.logger.info(`traffic-router replicas: the split is approximate, by replica counts: ${split.canary} new and ${split.stable} stable of ${pods} pods ≈ ${actual}% for ${weight}% asked` +
            (actual !== weight ? ' (more replicas give a finer split)' : ''));
        // Grow the new version first and let it be ready, then shrink the stable one.
        const canary = this.scaled(this.canary, split.canary);
        await applyObjects(this.client, [canary]);
        await this.waitReady(canary);
        await applyObjects(this.client, [this.scaled(this.stable, split.stable)]);
        return actual;
    }
    async reset() {
        await applyObjects(this.client, [this.stable]);
        await this.waitReady(this.stable);
    }
}

;// CONCATENATED MODULE: ./shared/kube/strategies/canary.ts














/**
 * Canary: the new version runs beside the stable one under its own
 * Deployment and Service; each step gives it a share of the traffic, holds
 * while the analysis runs against it, then moves on or withdraws it.
 */
function makeRouter(ctx, canary, total) {
    const { request, client, stable } = ctx;
    const namespace = request.namespace;
    if (request.router === 'gateway') {
        return new GatewayRouter(client, stable.routes.filter((r) => r.kind === 'HTTPRoute' || r.kind === 'GRPCRoute'), stable.service.metadata.name, canary.service.metadata.name);
    }
    if (request.router === 'ambassador') {
        return new AmbassadorRouter(client, stable.routes, stable.service.metadata.name, canary.service.metadata.name, request.release);
    }
    if (request.router === 'istio') {
        const canaryHost = serviceHost(canary.service, namespace);
        return new IstioRouter(client, stable.routes.find((r) => r.kind === 'VirtualService'), serviceHost(stable.service, namespace), canaryHost, canaryDestinationRule(canary.service.metadata.name, namespace, request.release, canaryHost, canary.podSelector));
    }
    if (ctx.objects.some((o) => o.kind === 'HorizontalPodAutoscaler')) {
        throw new errors/* UserError */.yo(`traffic-router replicas splits traffic by replica counts, and ${request.release} has an autoscaler that sets them`, { hint: 'use traffic-router: gateway or istio, or deploy without autoscaling' });
    }
    return new ReplicaRouter({
        client,
        stable: stable.deployment,
        canary: canary.deployment,
        total,
        logger: request.logger,
        waitReady: (d) => requireReady(ctx, d),
    });
}
/** Pods the new version runs at a weight; behind a router the stable keeps its full size. */
function canaryReplicas(total, weight) {
    return Math.max(1, Math.ceil((total * weight) / 100));
}
function withReplicas(deployment, replicas) {
    const copy = structuredClone(deployment);
    deploymentSpec(copy).replicas = replicas;
    return copy;
}
async function runCanary(ctx) {
    const { request } = ctx;
    const { steps } = request;
    const run = await startCanary(ctx);
    const reports = [];
    for (let index = Math.min(ctx.resumeStep, steps.length - 1); index < steps.length; index++) {
        checkStop(request);
        const result = await canaryStep(run, index, reports);
        if ('release' in result)
            return result;
        reports.push(result);
    }
    checkStop(request);
    await ctx.states.write({ ...run.base, step: steps.length - 1, weight: 100, phase: 'promoting' });
    const release = await promote(ctx, run.added);
    return {
        ...emptyOutcome(ctx, release),
        promoted: release.failure === undefined,
        step: steps.length,
        steps: reports,
    };
}
/** The canary's Deployment and Service beside the stable ones, at no traffic yet. */
async function startCanary(ctx) {
    const { request, client } = ctx;
    const { steps } = request;
    const total = totalReplicas(ctx);
    const byRouter = request.router !== 'replicas';
    const canary = sideBySide(ctx.next, request.release, 'canary', {
        replicas: byRouter ? canaryReplicas(total, steps[0]?.weight ?? 1) : 0,
        shareService: !byRouter,
    });
    const router = makeRouter(ctx, canary, total);
    const added = [canary.service, canary.deployment, ...router.extraObjects];
    const run = {
        ctx,
        canary,
        router,
        total,
        byRouter,
        added,
        base: stateBase(ctx, added),
        target: {
            namespace: request.namespace,
            service: canary.service.metadata.name,
            port: servicePort(canary.service),
            release: request.release,
            canaryDeployment: canary.deployment.metadata.name,
            stableDeployment: ctx.stable.deployment.metadata.name,
        },
    };
    const start = Math.min(ctx.resumeStep, steps.length - 1);
    await ctx.states.write({ ...run.base, step: start, weight: 0, phase: 'progressing' });
    request.logger.info(`canary of ${request.image}: ${steps.map(describeStep).join(', ')} via ${router.name}`);
    await applyObjects(client, [canary.service, canary.deployment]);
    return run;
}
function describeStep(step) {
    return `${step.weight}%${step.holdMs ? ` for ${(0,duration/* formatDuration */.a)(step.holdMs)}` : ''}`;
}
/** One step: the canary sized and given its weight, then analysed for the hold. */
async function canaryStep(run, index, reports) {
    const { ctx } = run;
    const { request } = ctx;
    const step = request.steps[index];
    const number = index + 1;
    const started = Date.now();
    await ctx.states.write({ ...run.base, step: index, weight: step.weight, phase: 'progressing' });
    let actual;
    try {
        actual = await shiftTraffic(run, step.weight);
    }
    catch (err) {
        if (!(err instanceof NotReady))
            throw err;
        const message = `the new version did not become ready: ${err.outcome.message}`;
        return abort(run, reports, number, step.weight, err.outcome.reason, message, err.outcome.diagnosis);
    }
    request.logger.info(`step ${number}/${request.steps.length}: ${actual}% of traffic to ${request.image}${step.holdMs ? `, holding ${(0,duration/* formatDuration */.a)(step.holdMs)}` : ''}`);
    await request.onStep?.({ phase: 'step', step: number, weight: actual });
    const analyses = await analyseDuring(ctx, step.holdMs, run.target);
    const report = stepReport(number, step.weight, actual, analyses, started);
    if (report.verdict === 'passed')
        return report;
    const message = `analysis failed: ${analyses[analyses.length - 1].verdict}`;
    return abort(run, [...reports, report], number, step.weight, 'AnalysisFailed', message);
}
/** Sizes the canary for the weight (behind a router) and sets the weight; returns the one given. */
async function shiftTraffic(run, weight) {
    if (run.byRouter) {
        const sized = withReplicas(run.canary.deployment, canaryReplicas(run.total, weight));
        await applyObjects(run.ctx.client, [sized]);
        const ready = await waitReady(run.ctx, sized);
        if (!ready.ok)
            throw new NotReady(ready);
    }
    return run.router.setWeight(weight);
}
async function abort(run, reports, step, weight, reason, message, diagnosis = '') {
    const { request } = run.ctx;
    request.logger.error(`canary of ${request.image} failed at step ${step} (${weight}%): ${message}`, {
        title: `canary of ${request.release} withdrawn`,
    });
    const release = await withdraw(run.ctx, run.added, reason, message, diagnosis);
    return withdrawnOutcome(run.ctx, release, reports, { step, weight, verdict: message });
}

;// CONCATENATED MODULE: ./shared/kube/strategies/traffic-router.ts


const ROUTER_GROUPS = {
    gateway: { group: 'gateway.networking.k8s.io', what: 'the Gateway API', kind: 'HTTPRoute' },
    istio: { group: 'networking.istio.io', what: 'Istio', kind: 'VirtualService' },
    ambassador: { group: 'getambassador.io', what: 'Emissary-ingress', kind: 'Mapping' },
};
/** Asks discovery whether the cluster serves the router's API group (its CRDs are installed). */
async function checkRouterApi(client, router, logger) {
    const needed = ROUTER_GROUPS[router];
    if (!needed)
        return;
    const connection = client.connection;
    let groups;
    try {
        groups = await client.call(({ discovery }) => discovery.apiGroups());
    }
    catch (err) {
        throw kubeFailure('listing the API groups', err, connection.displayName);
    }
    if (!groups.includes(needed.group)) {
        throw new errors/* UserError */.yo(`traffic-router ${router} needs ${needed.what} (${needed.group}), and the cluster ${connection.displayName} does not serve it: its CRDs are not installed`, {
            hint: `install ${needed.what} CRDs in the cluster, or use traffic-router: replicas for an approximate split by replica counts`,
        });
    }
    logger.debug(`the cluster serves ${needed.group}`);
}
/** The route kind each router drives, for checking the release renders one. */
function routeKindFor(router) {
    return ROUTER_GROUPS[router]?.kind;
}

;// CONCATENATED MODULE: ./shared/kube/strategies/index.ts
















/**
 * A canary or blue-green release under the release lock, so no other deploy
 * of the release runs meanwhile. The first release of a name has nothing to
 * compare with and is deployed directly.
 */
async function runStrategy(client, request) {
    const { logger, namespace, release } = request;
    await ensureNamespace(client, namespace, logger, request.namespaceRead);
    // Before anything changes: a missing router is a setup problem, not a failed release.
    if (request.strategy === 'canary')
        await checkRouterApi(client, request.router, logger);
    const lock = await lockRelease(client, {
        namespace,
        release,
        holder: request.holder,
        logger,
        ...(request.leaseSeconds !== undefined ? { durationSeconds: request.leaseSeconds } : {}),
    });
    try {
        const outcome = await underLock(client, request);
        outcome.release.waitedMs = lock.waitedMs;
        if (lock.waitedFor !== undefined)
            outcome.release.waitedFor = lock.waitedFor;
        return outcome;
    }
    catch (err) {
        if (err instanceof RolloutStopped)
            logger.info('stopped: the rollout state stays for the next run');
        throw err;
    }
    finally {
        await lock.unlock();
    }
}
/** The proxy verbs of the analysis: GET probes, and its request's method (POST unless `http` says). */
function proxyVerbs(request) {
    const smoke = request.analysis.smoke;
    const method = smoke.protocol === 'http' ? smoke.http.method : 'POST';
    const verbs = {
        GET: 'get',
        HEAD: 'get',
        POST: 'create',
        PUT: 'update',
        PATCH: 'patch',
        DELETE: 'delete',
    };
    const verb = verbs[method];
    return [...new Set(['get', verb ?? 'create'])];
}
async function underLock(client, request) {
    const { namespace, release } = request;
    const store = new ReleaseStore(client, namespace, release);
    const states = new RolloutStateStore(client, namespace, release);
    const records = await store.list();
    const serving = servingRevision(records);
    const objects = labelForRelease(request.objects, release, namespace);
    const hash = manifestsHash(objects);
    const state = await states.read();
    const sameRollout = state !== undefined &&
        state.hash === hash &&
        state.strategy === request.strategy &&
        state.router === request.router;
    // Another version's (or strategy's) unfinished rollout, or one whose promotion was already recorded.
    const stale = state && (!serving || !sameRollout || serving.hash === hash) ? state : undefined;
    const withdrawn = stale
        ? await withdrawUnfinished(client, request, stale, serving, states)
        : undefined;
    if (!serving) {
        const why = `${release} has no serving revision yet: nothing to compare a ${request.strategy} with, so it is deployed directly`;
        return deployDirectly(client, request, why, withdrawn);
    }
    if (serving.hash === hash && clusterMatchesServing(records)) {
        const why = `${release} already serves this version (revision ${serving.revision})`;
        return deployDirectly(client, request, why, withdrawn);
    }
    const stable = releaseWorkload(serving.manifests, release);
    checkRoutes(request, stable, serving.revision);
    await checkProxyAccess(client, request);
    const resumed = state && !stale ? resume(request, state) : undefined;
    const recovered = withdrawn ?? resumed?.recovered;
    const ctx = {
        client,
        request,
        store,
        records,
        serving,
        objects,
        hash,
        stable,
        next: releaseWorkload(objects, release),
        states,
        resumeStep: resumed?.step ?? 0,
        ...(recovered ? { recovered } : {}),
    };
    return request.strategy === 'canary' ? runCanary(ctx) : runBlueGreen(ctx);
}
/** Puts the serving revision back where an earlier run left its rollout unfinished. */
async function withdrawUnfinished(client, request, state, serving, states) {
    const { logger, namespace, release } = request;
    logger.warning(`found an unfinished ${state.strategy} of ${state.image} left by ${state.holder} at step ${state.step + 1} (${state.phase}): withdrawing it`, { title: `unfinished ${state.strategy} of ${release}` });
    if (serving)
        await applyObjects(client, serving.manifests);
    await removeAdded(client, namespace, logger, state.objects);
    await states.clear();
    return `withdrew the unfinished ${state.strategy} of ${state.image} left by ${state.holder}`;
}
/** The same rollout, unfinished: it goes on from the step it reached. */
function resume(request, state) {
    const recovered = `resumed the unfinished ${state.strategy} of ${state.image} left by ${state.holder} at step ${state.step + 1}`;
    request.logger.info(recovered);
    return { step: state.step, recovered };
}
async function deployDirectly(client, request, why, recovered) {
    request.logger.info(why);
    const outcome = await releaseLocked(client, { ...request, dryRun: false });
    return {
        release: outcome,
        strategy: request.strategy,
        router: request.router,
        promoted: outcome.status === 'deployed',
        step: 0,
        steps: [],
        ...(recovered ? { recovered } : {}),
    };
}
/** A canary's router moves the weights of the release's own routes, so they must exist. */
function checkRoutes(request, stable, revision) {
    const routeKind = request.strategy === 'canary' ? routeKindFor(request.router) : undefined;
    if (routeKind === undefined || stable.routes.some((r) => r.kind === routeKind))
        return;
    throw new errors/* UserError */.yo(`traffic-router ${request.router} moves the weights of the release's ${routeKind}, and revision ${revision} of ${request.release} has none`, {
        hint: `deploy with expose: ${request.router} (and host) first, or use traffic-router: replicas`,
    });
}
/** The analysis goes through the service proxy: a closed one is found before the new version runs. */
async function checkProxyAccess(client, request) {
    await requireAccess(client, `the ${request.strategy} of ${request.release} analyses the new version through the API server's service proxy`, [
        ...proxyVerbs(request).map((verb) => ({
            verb,
            group: '',
            resource: 'services/proxy',
            namespace: request.namespace,
        })),
        // Blue-green waits for the main Service's endpoints to follow its switch.
        ...(request.strategy === 'blue-green'
            ? [
                {
                    verb: 'list',
                    group: 'discovery.k8s.io',
                    resource: 'endpointslices',
                    namespace: request.namespace,
                },
            ]
            : []),
    ], request.logger);
}

;// CONCATENATED MODULE: ./shared/orchestrators/deploy/roll-out.ts




/** A chart's or a restore's rollout has no runtime to size a budget from. */
const DEFAULT_TIMEOUT_MS = 10 * 60_000;
/** The release applied and watched, as a rolling update or through the progressive strategy. */
async function rollOut(client, release, request, hooks) {
    const started = Date.now();
    const strategy = progressiveStrategy(request);
    if (strategy) {
        const { steps, router, analysis, scaleDownDelayMs } = request.strategy;
        const strategyOutcome = await inGroup(hooks, `${strategy} of ${request.name}`, () => runStrategy(client, { ...release, strategy, steps, router, analysis, scaleDownDelayMs }));
        return { outcome: strategyOutcome.release, strategyOutcome, rolloutMs: Date.now() - started };
    }
    const outcome = await inGroup(hooks, request.dryRun ? 'Diff against the cluster' : `Deploying ${request.name}`, () => runRelease(client, release));
    return { outcome, rolloutMs: Date.now() - started };
}
/** The strategy that runs: a restore or a dry run is the same whatever the strategy. */
function progressiveStrategy(request) {
    const { strategy } = request.strategy;
    return strategy === 'rolling' || request.rollbackTo || request.dryRun ? undefined : strategy;
}
function releaseRequest(request, image, objects, timeoutMs, hooks) {
    const run = runUrl();
    return {
        release: request.name,
        namespace: request.namespace,
        objects,
        image: image.reference,
        ...(image.digest ? { imageDigest: image.digest } : {}),
        ...(request.modelVersion ? { modelVersion: request.modelVersion } : {}),
        ...(process.env.GITHUB_SHA ? { gitSha: process.env.GITHUB_SHA } : {}),
        ...(process.env.GITHUB_ACTOR ? { actor: process.env.GITHUB_ACTOR } : {}),
        ...(run ? { runUrl: run } : {}),
        ...(request.rollbackTo ? { rollbackTo: request.rollbackTo } : {}),
        timeoutMs,
        rollbackOnFailure: request.rollbackOnFailure,
        prune: request.prune,
        dryRun: request.dryRun,
        historyLimit: request.historyLimit,
        holder: holderName(),
        logger: hooks.logger,
        ...(hooks.pollMs !== undefined ? { pollMs: hooks.pollMs } : {}),
        ...(hooks.hopelessAfterMs !== undefined ? { hopelessAfterMs: hooks.hopelessAfterMs } : {}),
    };
}
function runUrl(env = process.env) {
    const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = env;
    return server && repo && run ? `${server}/${repo}/actions/runs/${run}` : undefined;
}
/** Who holds the release lock, as a waiting run shows it. */
function holderName(env = process.env) {
    const { GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run, GITHUB_RUN_ATTEMPT: attempt, GITHUB_JOB: job, } = env;
    return repo && run
        ? `${repo} run ${run}${attempt ? `.${attempt}` : ''}${job ? ` job ${job}` : ''}`
        : `${(0,external_node_os_.hostname)()} pid ${process.pid}`;
}

// EXTERNAL MODULE: ./shared/orchestrators/deploy/request.ts
var request = __webpack_require__(38895);
;// CONCATENATED MODULE: ./shared/orchestrators/deploy-release.ts












/**
 * A release of a model to a cluster: connect, render (built-in manifests or
 * the chart), apply and watch the rollout (or run the canary or blue-green),
 * roll back on failure, and find the release's address. An image the inputs
 * name wrongly is thrown before anything starts; anything later is returned
 * as `error` with what the run got as far as, for the outputs and summary.
 */
async function deployRelease(request, hooks) {
    const { logger } = hooks;
    const image = checkImage(request, logger);
    const strategy = progressiveStrategy(request);
    let result = {
        request,
        image,
        cluster: (0,cluster_access.describeClusterSpec)(request.cluster),
        ...(strategy ? { strategy } : {}),
    };
    let tracker;
    try {
        // The registry and the cluster are signed in to side by side.
        const early = readFactsEarly(request, logger);
        const connection = await inGroup(hooks, `Connecting to ${result.cluster}`, () => connectTo(request, logger));
        result = { ...result, cluster: connection.displayName };
        const client = new KubeClient(connection);
        const namespaceRead = readAhead(client, request);
        const profileName = request.cloudProfile ?? (0,profiles/* defaultProfileFor */.at)(connection.cloud);
        const rendered = await renderRelease(request, image, { client, profileName }, hooks, early);
        const { servingPlan } = rendered;
        result = { ...result, request: rendered.request, ...(servingPlan ? { servingPlan } : {}) };
        const timeoutMs = servingPlan?.budgets.timeoutMs ?? request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
        tracker = request.dryRun ? undefined : await startTracking(result, hooks);
        const release = {
            ...releaseRequest(result.request, image, rendered.objects, timeoutMs, hooks),
            namespaceRead,
        };
        result = { ...result, ...(await rollOut(client, release, result.request, hooks)) };
        const outcome = result.outcome;
        logDiff(outcome, logger);
        const reached = await reach(client, outcome, request, hooks);
        result = { ...result, ...reached.found };
        await tracker?.setStatus(outcome.failure || reached.error ? 'failure' : 'success', {
            ...(result.endpoint?.url ? { url: result.endpoint.url } : {}),
            description: finishedDescription(outcome, reached.error !== undefined),
        });
        const error = rolloutFailure(request.name, outcome, servingPlan) ?? reached.error;
        return error === undefined ? result : { ...result, error };
    }
    catch (err) {
        if (!result.outcome)
            await tracker?.setStatus('error', { description: err.message });
        return { ...result, error: err };
    }
}
/** The API versions every built-in release applies or watches. */
const READ_AHEAD_KINDS = [
    ['v1', 'Service'],
    ['apps/v1', 'Deployment'],
    ['policy/v1', 'PodDisruptionBudget'],
    ['discovery.k8s.io/v1', 'EndpointSlice'],
];
/**
 * Reads the release needs whatever it renders, sent while the image is
 * looked up and the manifests are rendered: whether the namespace exists
 * (returned; its failure is reported where it is awaited) and discovery of
 * the usual kinds (kept in the client's cache; a failure there is asked again
 * when the kind is used).
 */
function readAhead(client, request) {
    for (const [apiVersion, kind] of READ_AHEAD_KINDS) {
        client.call(({ objects }) => objects.discover(apiVersion, kind)).catch(() => undefined);
    }
    const namespaceRead = namespaceExists(client, request.namespace);
    namespaceRead.catch(() => undefined);
    return namespaceRead;
}
async function startTracking(result, hooks) {
    const { request, image, cluster } = result;
    const tracker = await hooks.startDeployment?.({
        description: `${request.name} → ${cluster}/${request.namespace}`,
        payload: { image: image.reference, cluster, namespace: request.namespace },
    });
    await tracker?.setStatus('in_progress');
    return tracker;
}
function logDiff(outcome, logger) {
    for (const d of outcome.diff ?? []) {
        logger.info(d.change === 'unchanged' ? `${d.name}: unchanged` : `${d.name}: ${d.change}\n${d.patch}`);
    }
}
/** Where the release answers; a dry run has no address to wait for. */
async function reach(client, outcome, request, hooks) {
    if (outcome.status === 'dry-run')
        return { found: {} };
    const started = Date.now();
    try {
        const endpoint = await releaseEndpoint(client, outcome.objects, {
            ...(request.host ? { host: request.host } : {}),
            addressTimeoutMs: request.addressTimeoutMs,
            logger: hooks.logger,
            ...(hooks.pollMs !== undefined ? { pollMs: hooks.pollMs } : {}),
        });
        return endpoint ? { found: { endpoint, addressMs: Date.now() - started } } : { found: {} };
    }
    catch (err) {
        return { found: {}, error: err };
    }
}


/***/ })

};
