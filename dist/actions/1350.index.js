export const id = 1350;
export const ids = [1350];
export const modules = {

/***/ 11350:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  getInputs: () => (/* binding */ getInputs),
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./shared/action/index.ts + 3 modules
var action = __webpack_require__(86351);
// EXTERNAL MODULE: ./shared/common/errors.ts
var errors = __webpack_require__(52639);
// EXTERNAL MODULE: ./shared/common/names.ts
var names = __webpack_require__(89814);
;// CONCATENATED MODULE: ./shared/model/image-settings.ts

/** An argv (entrypoint, cmd): `["python", "serve.py"]` (JSON) or one argument per line. */
function parseArgv(input, value) {
    if (value === undefined)
        return undefined;
    if (!value.startsWith('[')) {
        return value
            .split(/\r?\n/)
            .map((l) => l.trim())
            .filter((l) => l !== '');
    }
    let parsed;
    try {
        parsed = JSON.parse(value);
    }
    catch (err) {
        throw new errors/* InputError */.dz(input, `is not a valid JSON array: ${err.message}`, `${input}: '["python", "serve.py"]'`);
    }
    if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string')) {
        throw new errors/* InputError */.dz(input, 'must be a JSON array of strings', `${input}: '["python", "serve.py"]'`);
    }
    return parsed;
}
/** Seconds since 1970, a whole number (`SOURCE_DATE_EPOCH`). */
function parseSourceDateEpoch(value) {
    if (!/^\d+$/.test(value.trim())) {
        throw new errors/* InputError */.dz('source-date-epoch', `must be seconds since 1970 (a whole number), not '${value}'`, 'source-date-epoch: 1717200000, the commit time in seconds as git log -1 --format=%ct prints it');
    }
    return Number(value.trim());
}
/** The version becomes a folder in the image for several runtimes. */
function checkModelVersion(version) {
    if (version !== undefined &&
        (/[/\\]/.test(version) || [...version].some((c) => c < ' ') || /^\.+$/.test(version))) {
        throw new errors/* InputError */.dz('version', `must not contain '/', '\\' or control characters, or be only dots; got '${version}'`, 'version: 3');
    }
    return version;
}
/** Ports come as `8000` or `8000,8001`; each must be a TCP port. */
function parsePorts(values, input = 'ports') {
    if (values.length === 0)
        return undefined;
    return values.map((v) => {
        const port = Number(v.replace(/\/tcp$/, ''));
        if (!Number.isInteger(port) || port < 1 || port > 65535) {
            throw new errors/* InputError */.dz(input, `has '${v}', which is not a TCP port`, 'ports: 8080');
        }
        return port;
    });
}

// EXTERNAL MODULE: ./shared/model/runtimes/types.ts
var types = __webpack_require__(62973);
// EXTERNAL MODULE: ./shared/common/bytes.ts
var bytes = __webpack_require__(93413);
;// CONCATENATED MODULE: ./actions/package/summary.ts

function baseFact(inputs, result) {
    if (result.base)
        return `${result.base.name} \`${result.base.digest}\``;
    return inputs.dockerfile ? `built from ${inputs.dockerfile}` : 'none (scratch)';
}
/** The job summary: digests, model, runtime, base, platforms, layers and lineage. */
function summarize(summary, inputs, result) {
    const { runtime } = result;
    summary.facts([
        ['Image digest', `\`${result.digest}\``],
        ['Model', `${inputs.name} ${result.version} (${result.source.kind}: ${inputs.model})`],
        ['Model digest', `\`${result.modelDigest}\``],
        ['Runtime', `${runtime.name} (${runtime.protocol}), model at \`${result.modelPath}\``],
        ['Base', baseFact(inputs, result)],
        ['Platforms', result.platforms.join(', ')],
        [
            'Base layers',
            result.base
                ? inputs.includeBaseLayers
                    ? 'in the layout'
                    : 'not downloaded; push copies them registry-to-registry'
                : undefined,
        ],
        ['Layout', `\`${result.layout}\``],
    ]);
    if (result.layers.length > 0) {
        summary.heading('Layers');
        summary.table(['Layer', 'Media type', 'Digest', 'Size'], result.layers.map((l) => [
            l.path ? `${l.role}: \`${l.path}\`` : l.role,
            l.mediaType.replace('application/vnd.oci.image.', ''),
            `\`${l.digest.slice(0, 19)}…\``,
            (0,bytes/* formatBytes */.z)(l.size),
        ]));
    }
    const lineage = Object.entries(result.annotations);
    if (lineage.length > 0) {
        summary.details('Lineage annotations', lineage.map(([k, v]) => `- \`${k}\`: ${v}`).join('\n'));
    }
}

;// CONCATENATED MODULE: ./actions/package/main.ts







function baseCredentialInput() {
    const username = (0,action/* optionalString */.sx)('base-image-username');
    const password = (0,action/* secretString */.yk)('base-image-password');
    if ((username === undefined) !== (password === undefined)) {
        throw new errors/* InputError */.dz(username === undefined ? 'base-image-username' : 'base-image-password', 'must be given together with the other base-image credential', 'base-image-username: robot and base-image-password: ${{ secrets.BASE_IMAGE_TOKEN }}');
    }
    return username !== undefined && password !== undefined
        ? { kind: 'basic', username, password }
        : { kind: 'anonymous' };
}
function getInputs() {
    const model = (0,action/* requiredString */.Fk)('model', {
        example: 'models/resnet50, models:/resnet50/3 or models/resnet50.onnx.dvc',
    });
    const name = (0,names/* checkDnsLabel */._)('name', (0,action/* requiredString */.Fk)('name', { example: 'resnet50' }), 'name: resnet50', '; it is also the release (Deployment and Service) name deploy uses');
    const runtime = (0,action/* enumInput */.gX)('runtime', types/* RUNTIME_NAMES */.s, 'triton');
    const baseImage = (0,action/* optionalString */.sx)('base-image');
    const dockerfile = (0,action/* optionalString */.sx)('dockerfile');
    if (runtime === 'custom' && baseImage === undefined && dockerfile === undefined) {
        throw new errors/* InputError */.dz('base-image', 'is required when runtime is custom (the image that serves the model)', 'base-image: ghcr.io/org/server:1.2');
    }
    const baseCredential = baseCredentialInput();
    const env = process.env;
    return {
        model,
        name,
        version: checkModelVersion((0,action/* optionalString */.sx)('version')),
        runtime,
        baseImage,
        platforms: (0,action/* listInput */.dt)('platforms'),
        entrypoint: parseArgv('entrypoint', (0,action/* optionalString */.sx)('entrypoint')),
        cmd: parseArgv('cmd', (0,action/* optionalString */.sx)('cmd')),
        env: (0,action/* mapInput */.zQ)('env'),
        ports: parsePorts((0,action/* listInput */.dt)('ports')),
        labels: (0,action/* mapInput */.zQ)('labels'),
        annotations: (0,action/* mapInput */.zQ)('annotations'),
        output: (0,action/* optionalString */.sx)('output'),
        sourceDateEpoch: parseSourceDateEpoch((0,action/* optionalString */.sx)('source-date-epoch') ?? env.SOURCE_DATE_EPOCH ?? '0'),
        includeBaseLayers: (0,action/* booleanInput */.tE)('include-base-layers', false),
        dockerfile,
        context: (0,action/* optionalString */.sx)('context'),
        mlflowTrackingUri: (0,action/* optionalString */.sx)('mlflow-tracking-uri') ?? env.MLFLOW_TRACKING_URI,
        mlflowAuth: {
            token: env.MLFLOW_TRACKING_TOKEN || undefined,
            username: env.MLFLOW_TRACKING_USERNAME || undefined,
            password: env.MLFLOW_TRACKING_PASSWORD || undefined,
        },
        baseCredential,
        insecureRegistries: (0,action/* hostListInput */.TR)('insecure-registries'),
        lineage: {
            ...(env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY
                ? { source: `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}` }
                : {}),
            ...(env.GITHUB_SHA ? { revision: env.GITHUB_SHA } : {}),
        },
        workDir: (0,external_node_path_.join)(env.RUNNER_TEMP ?? process.cwd(), 'model-deploy', 'package', name),
    };
}
async function run() {
    const summary = new action/* JobSummary */.c3('model-deploy: package');
    const ok = await (0,action/* runAction */.Cs)('package', async () => {
        const inputs = getInputs();
        // The model sources and the image writer load once the inputs hold.
        const { buildModelImage } = await Promise.all(/* import() */[__webpack_require__.e(6752), __webpack_require__.e(1260), __webpack_require__.e(6878), __webpack_require__.e(8805), __webpack_require__.e(2167), __webpack_require__.e(6524)]).then(__webpack_require__.bind(__webpack_require__, 26524));
        const result = await buildModelImage(inputs, { logger: action/* actionsLogger */.MV, group: action/* group */.Os });
        (0,action/* setOutput */.uH)('layout', result.layout);
        (0,action/* setOutput */.uH)('digest', result.digest);
        (0,action/* setOutput */.uH)('model-digest', result.modelDigest);
        (0,action/* setOutput */.uH)('openapi', result.openapi);
        (0,action/* setOutput */.uH)('annotations', result.annotations);
        action/* actionsLogger */.MV.info(`packaged ${inputs.name} ${result.version} as ${result.digest} in ${result.layout}`);
        summarize(summary, inputs, result);
    });
    if (ok)
        await summary.write();
    return ok;
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

/***/ 89814:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   _: () => (/* binding */ checkDnsLabel)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(52639);

/** A Kubernetes DNS label (RFC 1035): what a Deployment, Service and namespace may be called. */
const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const RULE = "lowercase letters, digits and '-', starting with a letter and ending with a letter or digit, at most 63 characters";
/**
 * The one check of a release name, shared by package (whose `name` deploy
 * and the reusable workflow use as the release name) and deploy, so a name
 * is refused before anything is pushed, not after.
 */
function checkDnsLabel(input, value, example, why = '') {
    if (value.length > 63 || !DNS_LABEL.test(value)) {
        const suggestion = value
            .toLowerCase()
            .replace(/[^a-z0-9-]+/g, '-')
            .replace(/^[^a-z]+/, '')
            .replace(/-+$/, '')
            .slice(0, 63)
            .replace(/-+$/, '');
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(input, `'${value}' is not a valid name: ${RULE}${why}${suggestion && suggestion !== value ? ` (e.g. '${suggestion}')` : ''}`, example);
    }
    return value;
}


/***/ }),

/***/ 62973:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   s: () => (/* binding */ RUNTIME_NAMES)
/* harmony export */ });
const RUNTIME_NAMES = [
    'triton',
    'tfserving',
    'torchserve',
    'mlserver',
    'vllm',
    'custom',
];


/***/ })

};
