export const id = 203;
export const ids = [203];
export const modules = {

/***/ 10203:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  getInputs: () => (/* binding */ getInputs),
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./shared/action/index.ts + 3 modules
var action = __webpack_require__(86351);
// EXTERNAL MODULE: ./shared/clouds/registry-access.ts
var registry_access = __webpack_require__(60333);
// EXTERNAL MODULE: ./shared/common/bytes.ts
var bytes = __webpack_require__(93413);
// EXTERNAL MODULE: ./shared/common/duration.ts
var duration = __webpack_require__(59284);
// EXTERNAL MODULE: ./shared/common/errors.ts
var errors = __webpack_require__(52639);
// EXTERNAL MODULE: ./shared/oci/reference.ts
var reference = __webpack_require__(77121);
;// CONCATENATED MODULE: ./shared/orchestrators/push-request.ts



/**
 * The rules between push's inputs: each failure names the input and shows an
 * accepted value.
 */
function checkedTags(tags) {
    for (const tag of tags) {
        if (!(0,reference/* isValidTag */.r_)(tag)) {
            throw new errors/* InputError */.dz('tags', `has an invalid tag '${tag}' (letters, digits, _ . -, up to 128)`, 'v3');
        }
    }
    return tags;
}
/** `username` and `password`: both or neither. */
function loginPair(username, password) {
    if (password !== undefined && username === undefined) {
        throw new errors/* InputError */.dz('username', 'is required when password is given', 'username: ${{ github.actor }}');
    }
    if (username !== undefined && password === undefined) {
        throw new errors/* InputError */.dz('password', 'is required when username is given', 'password: ${{ secrets.REGISTRY_TOKEN }}');
    }
    return { username, password };
}
/**
 * The one generic registry the login is for: `credentials-for`, or the only
 * generic destination. Sent to several, a password for one would reach the others.
 */
function loginHostFor(destinations, credentialsFor, username) {
    const genericHosts = [...new Set(destinations.filter(registry_access/* takesLogin */.i2).map((d) => d.host))];
    if (credentialsFor !== undefined && !genericHosts.includes(credentialsFor)) {
        throw new errors/* InputError */.dz('credentials-for', `names '${credentialsFor}', which is not the host of a generic destination (${genericHosts.join(', ') || 'there is none'})`, `credentials-for: ${genericHosts[0] ?? 'registry.example.com'}`);
    }
    if (username !== undefined && credentialsFor === undefined && genericHosts.length > 1) {
        throw new errors/* InputError */.dz('credentials-for', `is needed: username and password would go to several registries (${genericHosts.join(', ')}), and they are for one`, `credentials-for: ${genericHosts[0]}`);
    }
    return credentialsFor ?? (genericHosts.length === 1 ? genericHosts[0] : undefined);
}

;// CONCATENATED MODULE: ./actions/push/main.ts





function getInputs() {
    const destinations = (0,action/* listInput */.dt)('destinations', {
        required: true,
        example: '123456789012.dkr.ecr.us-east-1.amazonaws.com/models/resnet50',
    }).map((line) => (0,registry_access/* parseDestination */.G2)(line, 'destinations'));
    const tags = checkedTags((0,action/* listInput */.dt)('tags'));
    const { username, password } = loginPair((0,action/* optionalString */.sx)('username'), (0,action/* secretString */.yk)('password'));
    const loginHost = loginHostFor(destinations, (0,action/* optionalString */.sx)('credentials-for'), username);
    const azure = (0,action/* azureFederationInputs */.OC)();
    return {
        layout: (0,action/* requiredString */.Fk)('layout', { example: '${{ steps.package.outputs.layout }}' }),
        destinations,
        tags,
        createRepository: (0,action/* booleanInput */.tE)('create-repository', true),
        immutableTags: (0,action/* booleanInput */.tE)('immutable-tags', false),
        username,
        password,
        ...(loginHost !== undefined ? { loginHost } : {}),
        azureClientId: azure.clientId,
        azureTenantId: azure.tenantId,
        insecureRegistries: (0,action/* hostListInput */.TR)('insecure-registries'),
    };
}
function setOutputs(request, { digest, results }) {
    const images = {};
    for (const [i, result] of results.entries()) {
        if (result.ref)
            images[request.destinations[i].text] = result.ref;
    }
    (0,action/* setOutput */.uH)('digest', digest);
    (0,action/* setOutput */.uH)('images', images);
    // The first destination as listed: what deploy's `image` takes in the usual one-registry job.
    (0,action/* setOutput */.uH)('image', results[0]?.ref ?? '');
    (0,action/* setOutput */.uH)('bytes-uploaded', results.reduce((n, r) => n + r.uploadedBytes, 0));
    (0,action/* setOutput */.uH)('bytes-skipped', results.reduce((n, r) => n + r.skippedBytes + r.mountedBytes, 0));
}
async function writeSummary({ digest, results, ms }) {
    const summary = new action/* JobSummary */.c3('model-deploy: push');
    summary.facts([
        ['Digest', `\`${digest}\``],
        ['Destinations', `${results.filter((r) => r.ok).length} of ${results.length} pushed`],
        ['Time', (0,duration/* formatDuration */.a)(ms)],
    ]);
    summary.table(['Destination', 'Result', 'Image', 'Uploaded', 'Skipped (present)', 'Mounted', 'Time'], results.map((r) => [
        r.name,
        r.ok ? '✅ pushed' : `❌ ${r.error ?? 'failed'}`,
        r.ref ? `\`${r.ref}\`` : '',
        (0,bytes/* formatBytes */.z)(r.uploadedBytes),
        (0,bytes/* formatBytes */.z)(r.skippedBytes),
        (0,bytes/* formatBytes */.z)(r.mountedBytes),
        (0,duration/* formatDuration */.a)(r.ms),
    ]));
    await summary.write();
}
async function run() {
    return (0,action/* runAction */.Cs)('push', async () => {
        const request = getInputs();
        // The registry client loads once the inputs hold: a wrong input fails at once.
        const { pushFailure, pushToDestinations } = await Promise.all(/* import() */[__webpack_require__.e(6752), __webpack_require__.e(6878), __webpack_require__.e(2167), __webpack_require__.e(1520)]).then(__webpack_require__.bind(__webpack_require__, 71520));
        const outcome = await pushToDestinations(request, { logger: action/* actionsLogger */.MV, group: action/* group */.Os });
        await writeSummary(outcome);
        if (outcome.error !== undefined)
            throw outcome.error;
        setOutputs(request, outcome);
        const failure = pushFailure(outcome.results);
        if (failure !== undefined)
            throw failure;
    });
}


/***/ }),

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

/***/ 93413:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   z: () => (/* binding */ formatBytes)
/* harmony export */ });
function formatBytes(bytes) {
    if (bytes < 1024)
        return `${bytes} B`;
    const units = ['KiB', 'MiB', 'GiB', 'TiB'];
    let value = bytes / 1024;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
        value /= 1024;
        unit++;
    }
    return `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}


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


/***/ })

};
