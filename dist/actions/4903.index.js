export const id = 4903;
export const ids = [4903];
export const modules = {

/***/ 24903:
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
// EXTERNAL MODULE: ./shared/clouds/cluster-access.ts
var cluster_access = __webpack_require__(61326);
// EXTERNAL MODULE: ./shared/common/errors.ts
var errors = __webpack_require__(52639);
// EXTERNAL MODULE: ./shared/common/network.ts
var network = __webpack_require__(21084);
;// CONCATENATED MODULE: ./shared/orchestrators/smoke-request.ts


/**
 * A credential sent over plain http (or plaintext gRPC) to another machine
 * can be read by anyone on the way: refused unless the step allows it.
 * Loopback is fine; the service proxy path uses the cluster's TLS.
 */
function refuseSecretsInTheClear(request, secretHeaders) {
    if (secretHeaders.length === 0)
        return;
    for (const [input, value] of [
        ['url', request.url],
        ['management-url', request.managementUrl],
    ]) {
        if (value === undefined)
            continue;
        const url = new URL(value);
        if ((url.protocol === 'http:' || url.protocol === 'grpc:') && !(0,network/* isLoopbackHost */.cW)(url.host)) {
            throw new errors/* InputError */.dz(input, `is ${url.protocol.replace(':', '')}:// to ${url.host}, and ${secretHeaders.map((h) => (h.toLowerCase() === 'authorization' ? 'the token' : `header ${h}`)).join(', ')} would cross the network unencrypted`, `${input}: ${url.protocol === 'grpc:' ? 'grpcs' : 'https'}://${url.host}${url.pathname === '/' ? '' : url.pathname}`, 'use the TLS address of the endpoint (a gateway or load balancer with a certificate), smoke-test through service (the API server carries it over TLS), or set allow-secrets-over-http: true on a network you trust');
        }
    }
}

// EXTERNAL MODULE: ./shared/smoke/expect-example.ts
var expect_example = __webpack_require__(46380);
// EXTERNAL MODULE: ./shared/smoke/failures.ts
var failures = __webpack_require__(28421);
// EXTERNAL MODULE: ./shared/smoke/expectations.ts
var expectations = __webpack_require__(82893);
// EXTERNAL MODULE: ./shared/smoke/openapi-conformance.ts
var openapi_conformance = __webpack_require__(3352);
// EXTERNAL MODULE: ./shared/smoke/protocols/types.ts
var types = __webpack_require__(36043);
;// CONCATENATED MODULE: ./shared/smoke/input-rules.ts




/**
 * The rules between a smoke test's inputs: each failure names the input and
 * shows an accepted value, as the action's own getters do.
 */
/** `url` or `service`: exactly one. */
function oneEndpoint(url, service) {
    if (url === undefined && service === undefined) {
        throw new errors/* InputError */.dz('url', 'is required unless service is given', 'https://models.example.com or service: default/resnet50:8000');
    }
    if (url !== undefined && service !== undefined) {
        throw new errors/* InputError */.dz('service', 'cannot be given together with url; choose one', 'service: models/resnet50:8000');
    }
}
/** The proxy is an HTTP/1.1 endpoint of the API server: it cannot carry HTTP/2 gRPC calls. */
function serviceSpeaks(protocol, service) {
    if (service === undefined || !(0,types/* isGrpcProtocol */.L$)(protocol))
        return;
    throw new errors/* InputError */.dz('service', `cannot reach a gRPC server: the API server's service proxy carries HTTP/1.1 only, and protocol ${protocol} needs HTTP/2; give url, the gRPC address deploy exposed (a GRPCRoute, Istio or Ambassador host, or a load balancer), or a local port from kubectl port-forward`, 'url: grpc://127.0.0.1:8081');
}
const NAMED_MODEL_PROTOCOLS = [
    'v2',
    'v2-grpc',
    'tfserving',
    'tfserving-grpc',
    'torchserve',
];
/** The protocols whose paths or calls name the model need `model`. */
function modelFor(protocol, model) {
    if (model === undefined && NAMED_MODEL_PROTOCOLS.includes(protocol)) {
        throw new errors/* InputError */.dz('model', `is required for protocol ${protocol}`, 'model: resnet50');
    }
    return model;
}
/** `expect`, read; an HTTP status cannot be expected of a gRPC call. */
function expectationsFor(protocol, document) {
    if (document === undefined)
        return undefined;
    const expect = (0,expectations/* expectationsInput */.o_)(document);
    if ((0,types/* isGrpcProtocol */.L$)(protocol) && expect.status !== undefined) {
        throw new errors/* InputError */.dz('expect', `has status ${expect.status}, an HTTP status, but protocol ${protocol} speaks gRPC, whose calls must answer OK; remove status`, '{"outputs": {"probabilities": [0.9, 0.1]}}');
    }
    return expect;
}
/** `openapi`, compiled: a REST API's document, so not for a gRPC protocol. */
function openApiFor(protocol, document) {
    if (document === undefined)
        return undefined;
    if ((0,types/* isGrpcProtocol */.L$)(protocol)) {
        throw new errors/* InputError */.dz('openapi', `documents a REST API, and protocol ${protocol} speaks gRPC, whose messages are checked against the protocol's .proto; remove openapi or use the REST protocol`, 'protocol: v2');
    }
    try {
        return new openapi_conformance/* OpenApiValidator */.J(document);
    }
    catch (err) {
        throw new errors/* InputError */.dz('openapi', `cannot be used: ${err.message}`, 'openapi: ${{ steps.package.outputs.openapi }}');
    }
}
/** A request path: absolute. */
function requestPath(name, value) {
    if (value !== undefined && !value.startsWith('/'))
        throw new errors/* InputError */.dz(name, `must start with /, not '${value}'`, `${name}: /predict`);
    return value;
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
;// CONCATENATED MODULE: ./shared/smoke/report.ts




/** The JSON report: everything measured, nothing secret (no headers, no token). */
function reportDocument(result, context) {
    const load = result.load;
    return {
        passed: result.passed,
        failures: result.failures.map((f) => ({
            kind: f.kind,
            title: failures/* FAILURE_TITLES */.fl[f.kind],
            message: f.message,
        })),
        endpoint: context.endpoint,
        protocol: context.protocol,
        model: context.model,
        modelVersion: context.version,
        slo: context.slo,
        readiness: result.readiness,
        metadata: result.metadata,
        inference: result.inference,
        openapi: { validatedResponses: result.validatedResponses },
        load: load === undefined
            ? undefined
            : {
                requests: load.requests,
                concurrency: load.concurrency,
                failed: load.failed,
                errorRate: load.errorRate,
                durationMs: load.durationMs,
                requestsPerSecond: load.requestsPerSecond,
                statuses: load.statuses,
                errors: load.errors,
                latencyMs: load.latency,
                histogram: {
                    method: 'log-linear buckets, 1024 per power of two (≤0.1% error)',
                    bins: load.histogram.distribution(20),
                },
            },
    };
}
/** Writes the report into `dir` under a name of its own, readable by this user only; returns its path. */
function writeReportFile(dir, result, context) {
    const file = (0,external_node_path_.join)(dir, `smoke-test-report-${(0,external_node_crypto_.randomBytes)(4).toString('hex')}.json`);
    const document = reportDocument(result, context);
    (0,external_node_fs_.writeFileSync)(file, JSON.stringify(document, null, 2) + '\n', { mode: 0o600 });
    return file;
}
function round(ms) {
    return Number(ms.toFixed(ms < 10 ? 2 : 1));
}
/** Mermaid's xychart-beta bars: p50/p95/p99, with the SLO as a line when there is one. */
function percentileChart(result, sloP95Ms) {
    const load = result.load;
    if (load === undefined || load.histogram.count === 0)
        return undefined;
    const values = [load.latency.p50, load.latency.p95, load.latency.p99].map(round);
    const top = Math.max(...values, sloP95Ms ?? 0) * 1.15 || 1;
    const lines = [
        'xychart-beta',
        '  title "Latency percentiles (ms)"',
        '  x-axis [p50, p95, p99]',
        `  y-axis "ms" 0 --> ${round(top)}`,
        `  bar [${values.join(', ')}]`,
    ];
    if (sloP95Ms !== undefined)
        lines.push(`  line [${[sloP95Ms, sloP95Ms, sloP95Ms].join(', ')}]`);
    return lines.join('\n');
}
/** The latency distribution as a bar chart of equal-width bins. */
function histogramChart(result, bins = 12) {
    const load = result.load;
    if (load === undefined || load.histogram.count === 0)
        return undefined;
    const distribution = load.histogram.distribution(bins);
    const labels = distribution.map((b) => `"${round(b.fromMs)}"`);
    const counts = distribution.map((b) => b.count);
    return [
        'xychart-beta',
        '  title "Latency distribution (requests per bin, ms)"',
        `  x-axis [${labels.join(', ')}]`,
        `  y-axis "requests" 0 --> ${Math.max(...counts, 1)}`,
        `  bar [${counts.join(', ')}]`,
    ].join('\n');
}

// EXTERNAL MODULE: ./shared/smoke/service-proxy.ts
var service_proxy = __webpack_require__(99378);
;// CONCATENATED MODULE: ./actions/smoke-test/outputs.ts

function fixed(n, digits) {
    return Number(n.toFixed(digits)).toString();
}
/** The numbers as outputs: milliseconds and rates as plain decimals, empty when not measured. */
function setOutputs(result) {
    const load = result.load;
    (0,action/* setOutput */.uH)('passed', result.passed);
    (0,action/* setOutput */.uH)('p50-ms', load ? fixed(load.latency.p50, 3) : '');
    (0,action/* setOutput */.uH)('p95-ms', load ? fixed(load.latency.p95, 3) : '');
    (0,action/* setOutput */.uH)('p99-ms', load ? fixed(load.latency.p99, 3) : '');
    (0,action/* setOutput */.uH)('error-rate', load ? fixed(load.errorRate, 6) : '');
    (0,action/* setOutput */.uH)('requests-per-second', load ? fixed(load.requestsPerSecond, 1) : '');
    (0,action/* setOutput */.uH)('ready-seconds', result.readiness.ready ? (result.readiness.waitedMs / 1000).toFixed(1) : '');
    (0,action/* setOutput */.uH)('first-inference-seconds', result.firstCorrectMs !== undefined ? (result.firstCorrectMs / 1000).toFixed(1) : '');
}

;// CONCATENATED MODULE: ./actions/smoke-test/summary.ts



function ms(value) {
    return value === undefined ? undefined : `${value.toFixed(value < 10 ? 2 : 1)} ms`;
}
function summary_short(n) {
    if (n === undefined)
        return '—';
    return Math.abs(n) >= 1e-3 || n === 0 ? String(Number(n.toPrecision(6))) : n.toExponential(3);
}
/** What the verdict is about: the model (and version) and where it was reached. */
function subjectOf(request, endpoint) {
    const { model, version } = request.target;
    if (model === undefined)
        return endpoint.displayName;
    return `model '${model}'${version === undefined ? '' : ` version ${version}`} at ${endpoint.displayName}`;
}
/** What was checked: the endpoint, the model served, readiness and the inference. */
function checkedFacts(result, request, endpoint) {
    const { model, version } = request.target;
    return [
        ['Endpoint', endpoint.displayName],
        ['Protocol', request.protocol],
        ['Model', [model, version && `version ${version}`].filter(Boolean).join(' ')],
        [
            'Served',
            result.metadata
                ? `${result.metadata.name ?? '?'} (versions ${result.metadata.versions.join(', ') || '?'})`
                : undefined,
        ],
        [
            'Ready after',
            `${(result.readiness.waitedMs / 1000).toFixed(1)} s (${result.readiness.attempts} probes)`,
        ],
        [
            'Inference',
            result.inference ? `${result.inference.call} → ${result.inference.statusText}` : undefined,
        ],
        ['OpenAPI', request.openapi ? `${result.validatedResponses} responses validated` : undefined],
    ];
}
/** The numbers of the load against the SLOs. */
function loadFacts(result, request) {
    const { load } = result;
    const { slo } = request;
    return [
        [
            'Requests',
            load
                ? `${load.requests} at concurrency ${load.concurrency} (warm-up ${request.warmup})`
                : undefined,
        ],
        [
            'p50 / p95 / p99',
            load
                ? `${ms(load.latency.p50)} / ${ms(load.latency.p95)} / ${ms(load.latency.p99)}`
                : undefined,
        ],
        ['SLO p95', slo.p95Ms === undefined ? undefined : `${slo.p95Ms} ms`],
        [
            'Error rate',
            load
                ? `${(load.errorRate * 100).toFixed(2)}% (SLO ${(slo.errorRate * 100).toFixed(2)}%)`
                : undefined,
        ],
        ['Throughput', load ? `${load.requestsPerSecond.toFixed(1)} requests/s` : undefined],
    ];
}
/** Expected and received values side by side; of many, the wrong ones first. */
function writeComparison(summary, result) {
    const compared = result.inference?.compared ?? [];
    if (compared.length === 0)
        return;
    summary.heading('Comparison');
    const rows = compared.length > 40
        ? [
            ...compared.filter((c) => !c.ok).slice(0, 30),
            ...compared.filter((c) => c.ok).slice(0, 10),
        ]
        : compared;
    summary.table(['output', 'index', 'expected', 'got', 'difference', 'allowed', ''], rows.map((c) => [
        c.output,
        c.index,
        summary_short(c.expected),
        summary_short(c.got),
        summary_short(c.difference),
        summary_short(c.allowed),
        c.ok ? '✅' : '❌',
    ]));
    if (rows.length < compared.length)
        summary.paragraph(`${compared.length - rows.length} more values not shown; all are in the report.`);
}
function writeLatency(summary, result, sloP95Ms) {
    const percentiles = percentileChart(result, sloP95Ms);
    if (percentiles === undefined)
        return;
    summary.heading('Latency');
    summary.mermaid(percentiles);
    const histogram = histogramChart(result);
    if (histogram !== undefined)
        summary.mermaid(histogram);
}
/** The verdict first, then what was checked, then the numbers behind it. */
async function writeSummary(result, request, endpoint) {
    const summary = new action/* JobSummary */.c3(`smoke-test ${result.passed ? '✅ passed' : '❌ failed'}`);
    if (!result.passed) {
        summary.paragraph(result.failures.map((f) => `- **${(0,failures/* describeFailure */.Ic)(f)}**`).join('\n'));
    }
    summary.facts([...checkedFacts(result, request, endpoint), ...loadFacts(result, request)]);
    writeComparison(summary, result);
    writeLatency(summary, result, request.slo.p95Ms);
    await summary.write();
}

;// CONCATENATED MODULE: ./actions/smoke-test/main.ts











const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
/** Checked now so a typo fails before any waiting; connecting parses it again. */
function clusterInput() {
    const cluster = (0,action/* optionalString */.sx)('cluster');
    if (cluster !== undefined)
        (0,cluster_access.parseClusterSpec)(cluster);
    return cluster;
}
function getInputs() {
    const url = (0,action/* optionalString */.sx)('url');
    const service = (0,action/* optionalString */.sx)('service');
    oneEndpoint(url, service);
    const protocol = (0,action/* enumInput */.gX)('protocol', types/* PROTOCOL_NAMES */.g8, 'v2');
    serviceSpeaks(protocol, service);
    const model = modelFor(protocol, (0,action/* modelNameInput */.JJ)('model'));
    const expectDocument = (0,action/* documentInput */.OO)('expect', { yaml: true, example: expect_example/* EXPECT_EXAMPLE */.N });
    const expect = expectationsFor(protocol, expectDocument);
    const openapi = openApiFor(protocol, (0,action/* documentInput */.OO)('openapi', { yaml: true, example: 'openapi: openapi.json' }));
    const { sloErrorRate, sloP95Ms } = (0,action/* sloInputs */.SB)();
    const path = requestPath('path', (0,action/* optionalString */.sx)('path', '/'));
    const readyPath = requestPath('ready-path', (0,action/* optionalString */.sx)('ready-path'));
    const request = (0,action/* documentInput */.OO)('request', {
        yaml: false,
        example: 'request: {"inputs": [...]} or request: tests/request.json',
    });
    const grpc = (0,types/* isGrpcProtocol */.L$)(protocol);
    const inputs = {
        url: url === undefined ? undefined : (0,action/* serverUrlInput */.Hh)('url', { protocol, grpc }),
        service: service === undefined ? undefined : (0,service_proxy/* parseServiceRef */.e)(service),
        cluster: clusterInput(),
        azure: (0,action/* azureFederationInputs */.OC)(),
        insecureSkipTlsVerify: (0,action/* booleanInput */.tE)('insecure-skip-tls-verify', false),
        protocol,
        grpcContents: (0,action/* enumInput */.gX)('grpc-contents', types/* GRPC_CONTENTS */.QZ, 'typed'),
        target: { model, version: (0,action/* optionalString */.sx)('model-version') },
        request,
        expect,
        openapi,
        requests: (0,action/* integerInput */.$A)('requests', 100, { min: 0, max: 10_000_000 }),
        concurrency: (0,action/* integerInput */.$A)('concurrency', 4, { min: 1, max: 1024 }),
        warmup: (0,action/* integerInput */.$A)('warmup', 10, { min: 0 }),
        slo: { p95Ms: sloP95Ms, errorRate: sloErrorRate },
        waitReadyMs: (0,action/* durationInput */.Ts)('wait-ready', '5m'),
        timeoutMs: (0,action/* durationInput */.Ts)('timeout', '30s'),
        headers: (0,action/* headersInput */.zE)('headers', 'token'),
        http: {
            method: (0,action/* enumInput */.gX)('method', METHODS, request === undefined ? 'get' : 'post').toUpperCase(),
            path,
            readyPath,
        },
        managementUrl: (0,action/* serverUrlInput */.Hh)('management-url'),
    };
    if (!(0,action/* booleanInput */.tE)('allow-secrets-over-http', false)) {
        refuseSecretsInTheClear(inputs, Object.keys(inputs.headers).filter(action/* isSecretHeader */.io));
    }
    return inputs;
}
async function run() {
    return (0,action/* runAction */.Cs)('smoke-test', async () => {
        const inputs = getInputs();
        // The protocols' clients load once the inputs hold: a wrong input fails at once.
        const { runSmokeTest } = await Promise.all(/* import() */[__webpack_require__.e(6752), __webpack_require__.e(7709), __webpack_require__.e(9594)]).then(__webpack_require__.bind(__webpack_require__, 29594));
        const { endpoint, result } = await runSmokeTest(inputs, { logger: action/* actionsLogger */.MV, group: action/* group */.Os });
        try {
            setOutputs(result);
            const report = writeReportFile(process.env.RUNNER_TEMP ?? process.cwd(), result, {
                endpoint: endpoint.displayName,
                protocol: inputs.protocol,
                model: inputs.target.model,
                version: inputs.target.version,
                slo: inputs.slo,
            });
            (0,action/* setOutput */.uH)('report', report);
            if (!result.passed) {
                for (const failure of result.failures)
                    action/* actionsLogger */.MV.error(failure.message, { title: `smoke-test: ${failure.kind}` });
                throw new failures/* SmokeTestFailed */.bs(result.failures, subjectOf(inputs, endpoint));
            }
        }
        finally {
            await writeSummary(result, inputs, endpoint);
        }
    });
}


/***/ }),

/***/ 61326:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   connectCluster: () => (/* binding */ connectCluster),
/* harmony export */   describeClusterSpec: () => (/* binding */ describeClusterSpec),
/* harmony export */   parseClusterSpec: () => (/* binding */ parseClusterSpec)
/* harmony export */ });
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(52639);
/* harmony import */ var _registry_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(31741);


/** `a, b, c or d`. */
function alternatives(items) {
    return items.length <= 1
        ? (items[0] ?? '')
        : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
function writtenKinds() {
    return (0,_registry_js__WEBPACK_IMPORTED_MODULE_1__/* .clusterKinds */ .Eh)().filter(({ kind }) => !kind.implicit);
}
function parseClusterSpec(text, input = 'cluster') {
    const value = (text ?? '').trim();
    const kinds = writtenKinds();
    if (value === '') {
        const implicit = (0,_registry_js__WEBPACK_IMPORTED_MODULE_1__/* .clusterKinds */ .Eh)().find(({ kind }) => kind.implicit);
        if (implicit)
            return { kind: implicit.kind.kind };
    }
    const fail = (problem) => {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(input, `${problem}: '${value}'`, alternatives(kinds.map(({ kind }) => kind.example)));
    };
    const colon = value.indexOf(':');
    if (colon <= 0)
        return fail(`must start with ${alternatives(kinds.map(({ kind }) => `${kind.kind}:`))}`);
    const name = value.slice(0, colon).toLowerCase();
    const found = kinds.find(({ kind }) => kind.kind === name);
    if (found === undefined)
        return fail(`has an unknown kind '${name}'`);
    return found.kind.parse(value.slice(colon + 1), fail);
}
function describeClusterSpec(spec) {
    return (0,_registry_js__WEBPACK_IMPORTED_MODULE_1__/* .clusterKind */ .Jf)(spec.kind)?.kind.describe(spec) ?? spec.kind;
}
/**
 * Opens the connection for a spec. Cloud code loads lazily, so a kubeconfig
 * deploy never loads a cloud SDK.
 */
async function connectCluster(spec, context, identity = {}) {
    const found = (0,_registry_js__WEBPACK_IMPORTED_MODULE_1__/* .clusterKind */ .Jf)(spec.kind);
    if (found === undefined)
        throw new Error(`no cloud connects clusters of kind '${spec.kind}'`);
    return found.kind.connect(spec, context, identity[found.cloud.name] ?? {});
}


/***/ }),

/***/ 46380:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   N: () => (/* binding */ EXPECT_EXAMPLE)
/* harmony export */ });
/** A realistic `expect`, for messages (its own module: input parsing need not load the checker). */
const EXPECT_EXAMPLE = 'expect: {"outputs": {"probabilities": [0.93, 0.05, 0.02]}, "abs": 1e-4}';


/***/ }),

/***/ 82893:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   o_: () => (/* binding */ expectationsInput)
/* harmony export */ });
/* unused harmony exports DEFAULT_TOLERANCE, UnknownExpectationKey, parseExpectations */
/* harmony import */ var ajv__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(42463);
/* harmony import */ var ajv__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(ajv__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(52639);
/* harmony import */ var _expect_example_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(46380);


/** numpy.isclose's defaults would be too strict for float32 round trips over JSON. */
const DEFAULT_TOLERANCE = { abs: 1e-5, rel: 1e-4 };
const numberMap = { type: 'object', additionalProperties: { type: 'number' } };
const numbers = { type: 'array', items: { type: ['number', 'array'] } };
const tensorSpec = {
    type: 'object',
    required: ['name'],
    additionalProperties: false,
    properties: {
        name: { type: 'string' },
        datatype: { type: 'string' },
        shape: { type: 'array', items: { type: 'integer' } },
    },
};
const EXPECT_SCHEMA = {
    type: 'object',
    additionalProperties: false,
    properties: {
        status: { type: 'integer', minimum: 100, maximum: 599 },
        abs: { type: 'number', minimum: 0 },
        rel: { type: 'number', minimum: 0 },
        outputs: {
            type: 'object',
            additionalProperties: {
                anyOf: [
                    numbers,
                    numberMap,
                    {
                        type: 'object',
                        required: ['data'],
                        additionalProperties: false,
                        properties: {
                            data: { anyOf: [numbers, numberMap] },
                            abs: { type: 'number', minimum: 0 },
                            rel: { type: 'number', minimum: 0 },
                        },
                    },
                ],
            },
        },
        'top-k': {
            type: 'object',
            required: ['label'],
            additionalProperties: false,
            properties: {
                output: { type: 'string' },
                k: { type: 'integer', minimum: 1 },
                label: { type: ['string', 'integer'] },
                labels: { type: 'array', items: { type: 'string' } },
            },
        },
        schema: { type: ['object', 'boolean'] },
        text: {
            type: 'object',
            additionalProperties: false,
            minProperties: 1,
            properties: {
                equals: { type: 'string' },
                contains: { type: 'string' },
                matches: { type: 'string' },
            },
        },
        signature: {
            type: 'object',
            additionalProperties: false,
            properties: {
                inputs: { type: 'array', items: tensorSpec },
                outputs: { type: 'array', items: tensorSpec },
            },
        },
    },
};
// Compiled on first use: deploy imports this module, and compiling at load time
// would add to every action's start-up whether or not it checks expectations.
let compiledExpect;
function expectValidator() {
    // verbose: an error carries the schema it broke, so an unknown key can list the known ones.
    compiledExpect ??= new ajv__WEBPACK_IMPORTED_MODULE_1__.Ajv({ allErrors: true, strict: false, verbose: true }).compile(EXPECT_SCHEMA);
    return compiledExpect;
}
function flatten(value) {
    return Array.isArray(value) ? value.flatMap(flatten) : [value];
}


/** Thrown for a key the expectation format does not have; names it and the known ones. */
class UnknownExpectationKey extends Error {
    key;
    where;
    known;
    constructor(key, where, known) {
        const guess = closest(key, known);
        super(`has an unknown key '${key}'${where === '' ? '' : ` in ${where}`} (known: ${known.join(', ')})` +
            (guess === undefined ? '' : `; did you mean '${guess}'?`));
        this.name = 'UnknownExpectationKey';
        this.key = key;
        this.where = where;
        this.known = known;
    }
}
/** The known key nearest to a typo, when it is near enough to be the one meant. */
function closest(key, known) {
    let best;
    let bestDistance = Infinity;
    for (const candidate of known) {
        const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
        if (d < bestDistance) {
            best = candidate;
            bestDistance = d;
        }
    }
    return bestDistance <= Math.max(1, Math.floor(key.length / 3)) ? best : undefined;
}
function editDistance(a, b) {
    let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        previous = current;
    }
    return previous[b.length];
}
/** `/outputs/probabilities` → `outputs.probabilities`, `/signature/inputs/0` → `signature.inputs[0]`. */
function dotted(instancePath) {
    return instancePath
        .split('/')
        .slice(1)
        .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
        .reduce((path, part) => /^\d+$/.test(part) ? `${path}[${part}]` : path === '' ? part : `${path}.${part}`, '');
}
/** The first unknown key among the validator's errors, the shallowest first. */
function unknownKey(errors) {
    const unknown = errors
        .filter((e) => e.keyword === 'additionalProperties')
        .filter((e) => typeof e.parentSchema?.properties === 'object')
        .sort((a, b) => a.instancePath.split('/').length - b.instancePath.split('/').length);
    const first = unknown[0];
    if (first === undefined)
        return undefined;
    const known = Object.keys(first.parentSchema.properties);
    const key = String(first.params.additionalProperty);
    return new UnknownExpectationKey(key, dotted(first.instancePath), known);
}
/**
 * Checks the shape of an expectation document. Throws an Error whose message
 * says which field is wrong (an UnknownExpectationKey for a key it does not
 * know); the caller names the input. expectationsInput does both.
 */
function parseExpectations(document) {
    const validateExpect = expectValidator();
    if (!validateExpect(document)) {
        const errors = validateExpect.errors ?? [];
        const unknown = unknownKey(errors);
        if (unknown !== undefined)
            throw unknown;
        const problems = errors
            .slice(0, 3)
            .map((e) => `${e.instancePath || '(top level)'} ${e.message ?? 'is invalid'}`)
            .join('; ');
        throw new Error(problems);
    }
    const doc = document;
    if (doc.text?.matches !== undefined) {
        try {
            new RegExp(doc.text.matches);
        }
        catch (err) {
            throw new Error(`/text/matches is not a valid regular expression: ${err.message}`, {
                cause: err,
            });
        }
    }
    const tolerance = {
        abs: doc.abs ?? DEFAULT_TOLERANCE.abs,
        rel: doc.rel ?? DEFAULT_TOLERANCE.rel,
    };
    const outputs = Object.entries(doc.outputs ?? {}).map(([name, spec]) => {
        if (Array.isArray(spec))
            return { name, data: flatten(spec), tolerance };
        const withData = spec;
        if (withData.data !== undefined) {
            return {
                name,
                data: Array.isArray(withData.data)
                    ? flatten(withData.data)
                    : withData.data,
                tolerance: { abs: withData.abs ?? tolerance.abs, rel: withData.rel ?? tolerance.rel },
            };
        }
        return { name, data: spec, tolerance };
    });
    const topK = doc['top-k'];
    return {
        status: doc.status,
        outputs,
        topK: topK === undefined
            ? undefined
            : { output: topK.output, k: topK.k ?? 1, label: topK.label, labels: topK.labels },
        schema: doc.schema,
        text: doc.text,
        signature: doc.signature,
    };
}
/**
 * The `expect` input of smoke-test and of a canary's analysis: one message
 * for both, naming the input, an unknown key and the known ones.
 */
function expectationsInput(document, input = 'expect') {
    try {
        return parseExpectations(document);
    }
    catch (err) {
        if (err instanceof UnknownExpectationKey)
            throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(input, err.message, _expect_example_js__WEBPACK_IMPORTED_MODULE_2__/* .EXPECT_EXAMPLE */ .N);
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(input, `is not a valid expectation: ${err.message}`, _expect_example_js__WEBPACK_IMPORTED_MODULE_2__/* .EXPECT_EXAMPLE */ .N);
    }
}


/***/ }),

/***/ 28421:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ic: () => (/* binding */ describeFailure),
/* harmony export */   bs: () => (/* binding */ SmokeTestFailed),
/* harmony export */   fl: () => (/* binding */ FAILURE_TITLES),
/* harmony export */   qE: () => (/* binding */ noAnswer)
/* harmony export */ });
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(52639);
/* harmony import */ var _common_network_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(21084);


/** Each way a served model can fail its smoke test, named so a log line says which. */
const FAILURE_TITLES = {
    unreachable: 'endpoint unreachable',
    'not-ready': 'not ready within wait-ready',
    'wrong-version': 'wrong model version',
    'wrong-metadata': 'wrong model metadata',
    'bad-status': 'unexpected status code',
    'wrong-answer': 'wrong answer',
    'schema-violation': 'response does not match the OpenAPI document',
    'server-errors': 'server errors',
    'slo-miss': 'latency SLO missed',
};
function describeFailure(failure) {
    return `${FAILURE_TITLES[failure.kind]}: ${failure.message}`;
}
const HINTS = {
    unreachable: 'check `url`/`service`, that the Service exists and that the runner can reach it',
    'not-ready': 'raise `wait-ready`, or read the server log for why the model does not load',
    'wrong-version': 'the endpoint serves another model version: check the deployed image or `model-version`',
    'wrong-metadata': 'the served model is not the one expected: check `model` and the signature in `expect`',
    'bad-status': 'check `request` against the model signature, or the `status` in `expect`',
    'wrong-answer': 'the model answers differently from `expect`: check the model files, or widen `abs`/`rel`',
    'schema-violation': 'the server answers outside its OpenAPI document: check the runtime version',
    'server-errors': 'read the server log for the failed requests, or raise `slo-error-rate`',
    'slo-miss': 'the model is slower than `slo-p95-ms`: check resources (CPU, GPU, replicas) or the SLO',
};
/** The smoke test's verdict when it fails: every failure, the first one's class in front. */
class SmokeTestFailed extends _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo {
    failures;
    /** `subject` names what was tested, e.g. `model 'iris' at grpc://10.0.0.7:8081`. */
    constructor(failures, subject) {
        const first = failures[0];
        const rest = failures.slice(1).map((f) => `\n  also ${describeFailure(f)}`);
        super((subject === undefined ? '' : `${subject}: `) + describeFailure(first) + rest.join(''), {
            hint: first.hint ?? HINTS[first.kind],
        });
        this.name = 'SmokeTestFailed';
        this.failures = failures;
    }
}
/**
 * A request that got no answer, as a failure: a NetworkError already names the
 * server, the cause and the fix; anything else gets the code undici hides in it.
 */
function noAnswer(what, err, timeoutMs) {
    if (err instanceof _common_network_js__WEBPACK_IMPORTED_MODULE_1__/* .NetworkError */ .Dr) {
        return {
            kind: 'server-errors',
            message: `${what}: ${err.message}`,
            ...(err.hint === undefined ? {} : { hint: err.hint }),
        };
    }
    return {
        kind: 'server-errors',
        message: `${what} got no answer: ${networkFailure(err, timeoutMs)}`,
    };
}
/** A network failure in words: the error code undici hides in it, and the timeout when it was one. */
function networkFailure(err, timeoutMs) {
    const code = err?.code ?? err?.cause?.code;
    const timedOut = typeof code === 'string' && code.includes('TIMEOUT');
    return `${typeof code === 'string' ? `${code}: ` : ''}${(0,_common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err)}${timedOut ? ` (timeout ${timeoutMs} ms)` : ''}`;
}


/***/ }),

/***/ 3352:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   J: () => (/* binding */ OpenApiValidator),
/* harmony export */   c: () => (/* binding */ checkConformance)
/* harmony export */ });
/* harmony import */ var ajv__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(42463);
/* harmony import */ var ajv__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(ajv__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var ajv_dist_2020_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(52210);
/* harmony import */ var ajv_dist_2020_js__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(ajv_dist_2020_js__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var ajv_formats__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(82815);
/* harmony import */ var ajv_formats__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(ajv_formats__WEBPACK_IMPORTED_MODULE_0__);



const DOCUMENT_ID = 'urn:model-deploy:openapi';
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
function escapePointer(segment) {
    return encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1'));
}
function templatePattern(template) {
    const parts = template.split(/\{[^}]+\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    // A parameter may hold a colon (TF Serving's `{name}:predict` splits there) but never a slash.
    return new RegExp(`^${parts.join('[^/]+')}$`);
}
class OpenApiValidator {
    ajv;
    paths;
    compiled = new Map();
    document;
    constructor(document) {
        if (document === null || typeof document !== 'object' || !('paths' in document)) {
            throw new Error('it is not an OpenAPI document (no `paths`)');
        }
        this.document = document;
        const doc = document;
        const version = typeof doc.openapi === 'string' ? doc.openapi : '';
        if (!/^3\.[01]\./.test(version)) {
            throw new Error(`only OpenAPI 3.0 and 3.1 are supported, this document says '${version || 'nothing'}'`);
        }
        const options = { allErrors: true, strict: false, validateFormats: true };
        this.ajv = version.startsWith('3.1') ? new ajv_dist_2020_js__WEBPACK_IMPORTED_MODULE_1__.Ajv2020(options) : new ajv__WEBPACK_IMPORTED_MODULE_2__.Ajv(options);
        ajv_formats__WEBPACK_IMPORTED_MODULE_0___default()["default"](this.ajv);
        // Drop a `$schema`/`$id` the document may carry at the top: it is not a schema itself.
        const { $schema: _s, $id: _i, ...rest } = doc;
        this.ajv.addSchema({ ...rest, $id: DOCUMENT_ID });
        this.paths = Object.entries(doc.paths)
            .map(([template, item]) => ({
            template,
            pattern: templatePattern(template),
            operations: Object.fromEntries(Object.entries(item ?? {}).filter(([m]) => METHODS.includes(m))),
        }))
            // Literal paths win over templated ones, as the specification requires.
            .sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0));
    }
    /** Whether the document describes this path at all (an undocumented path cannot be checked). */
    documents(path) {
        const bare = path.split('?')[0];
        return this.paths.some((p) => p.pattern.test(bare));
    }
    /** Problems with one response; empty when it conforms or its path is undocumented. */
    validate(method, path, status, contentType, body) {
        const bare = path.split('?')[0];
        const match = this.paths.find((p) => p.pattern.test(bare));
        const what = `${method} ${bare} → ${status}`;
        if (match === undefined)
            return [];
        const operation = match.operations[method.toLowerCase()];
        if (operation === undefined)
            return [`${what}: ${match.template} has no ${method} operation in the OpenAPI document`];
        const responses = operation.responses ?? {};
        const key = [
            String(status),
            `${String(status)[0]}XX`,
            `${String(status)[0]}xx`,
            'default',
        ].find((k) => k in responses);
        if (key === undefined) {
            return [
                `${what}: status ${status} is not a documented response of ${method} ${match.template}`,
            ];
        }
        let segments = ['paths', match.template, method.toLowerCase(), 'responses', key];
        let response = responses[key] ?? {};
        // A shared response under components: follow it, so its schema is checked too.
        if (typeof response.$ref === 'string' && response.$ref.startsWith('#/')) {
            segments = response.$ref
                .slice(2)
                .split('/')
                .map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'));
            response = (segments.reduce((node, segment) => node?.[segment], this.document) ?? {});
        }
        const content = response.content ?? {};
        const media = Object.keys(content).find((m) => m.includes('json'));
        if (media === undefined)
            return [];
        if (!contentType.includes('json') && contentType !== '') {
            return [`${what}: answered ${contentType}, the document declares ${media}`];
        }
        const pointer = [...segments, 'content', media, 'schema'].map(escapePointer).join('/');
        let validate = this.compiled.get(pointer);
        if (validate === undefined) {
            if (content[media]?.schema === undefined)
                return [];
            validate = this.ajv.compile({ $ref: `${DOCUMENT_ID}#/${pointer}` });
            this.compiled.set(pointer, validate);
        }
        let parsed;
        try {
            parsed = JSON.parse(body);
        }
        catch {
            return [`${what}: the body is not JSON`];
        }
        if (validate(parsed))
            return [];
        return (validate.errors ?? [])
            .slice(0, 5)
            .map((e) => `${what}: body${e.instancePath} ${e.message ?? 'is invalid'} (${match.template})`);
    }
}
/** The responses the document describes, validated; the others are named in the log. */
function checkConformance(openapi, responses, logger) {
    const documented = responses.filter((r) => openapi.documents(r.path));
    const problems = documented.flatMap((r) => openapi.validate(r.method, r.path, r.status, r.contentType, r.text));
    const skipped = [
        ...new Set(responses.filter((r) => !openapi.documents(r.path)).map((r) => `${r.method} ${r.path}`)),
    ];
    if (skipped.length > 0)
        logger.info(`not in the OpenAPI document, so not validated: ${skipped.join(', ')}`);
    if (problems.length > 0) {
        const message = [...new Set(problems)].slice(0, 5).join('; ');
        return { validated: documented.length, failures: [{ kind: 'schema-violation', message }] };
    }
    logger.info(`${documented.length} responses match the OpenAPI document`);
    return { validated: documented.length, failures: [] };
}


/***/ }),

/***/ 36043:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L$: () => (/* binding */ isGrpcProtocol),
/* harmony export */   QZ: () => (/* binding */ GRPC_CONTENTS),
/* harmony export */   bd: () => (/* binding */ ProtocolError),
/* harmony export */   g8: () => (/* binding */ PROTOCOL_NAMES)
/* harmony export */ });
/* unused harmony export GRPC_PROTOCOLS */
const PROTOCOL_NAMES = [
    'v2',
    'v2-grpc',
    'tfserving',
    'tfserving-grpc',
    'torchserve',
    'openai',
    'http',
];
/** The protocols spoken over gRPC rather than HTTP/1.1. */
const GRPC_PROTOCOLS = ['v2-grpc', 'tfserving-grpc'];
function isGrpcProtocol(name) {
    return GRPC_PROTOCOLS.includes(name);
}
/**
 * How a gRPC request carries tensor data: `typed` in the datatype's repeated
 * field (InferTensorContents, TensorProto's float_val…), or `raw` bytes
 * (raw_input_contents, tensor_content).
 */
const GRPC_CONTENTS = ['typed', 'raw'];
/** Thrown when a protocol cannot build or read something; the message names what and why. */
class ProtocolError extends Error {
    /** The status (HTTP, or gRPC) when the server refused, so a server fault can be told from a wrong model. */
    status;
    constructor(message, status) {
        super(message);
        this.name = 'ProtocolError';
        this.status = status;
    }
}


/***/ }),

/***/ 99378:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   T: () => (/* binding */ serviceProxyEndpoint),
/* harmony export */   e: () => (/* binding */ parseServiceRef)
/* harmony export */ });
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(52639);

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const PORT = /^([1-9]\d{0,4}|[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?)$/;
const EXAMPLE = 'models/resnet50:8000';
/** `<namespace>/<name>:<port>`; the namespace defaults to `default`. */
function parseServiceRef(text, input = 'service') {
    const match = /^(?:([^/]+)\/)?([^/:]+):([^/:]+)$/.exec(text.trim());
    if (match === null) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(input, `must be <namespace>/<name>:<port>, not '${text}'`, EXAMPLE);
    }
    const [, namespace = 'default', name = '', port = ''] = match;
    if (!DNS_LABEL.test(namespace))
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(input, `has '${namespace}', which is not a namespace name`, EXAMPLE);
    if (!DNS_LABEL.test(name))
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(input, `has '${name}', which is not a Service name`, EXAMPLE);
    if (!PORT.test(port) || (/^\d+$/.test(port) && Number(port) > 65535)) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(input, `has '${port}', which is neither a port number nor a port name`, EXAMPLE);
    }
    return { namespace, name, port };
}
/**
 * The Service reached through the API server's service proxy
 * (`/api/v1/namespaces/{ns}/services/{name}:{port}/proxy/…`), authenticated
 * as the cluster connection is. Works without any public address: the runner
 * needs only what deploy already needed.
 */
async function serviceProxyEndpoint(service, connection) {
    const server = connection.server.replace(/\/+$/, '');
    const path = `/api/v1/namespaces/${encodeURIComponent(service.namespace)}/services/${encodeURIComponent(service.name)}:${encodeURIComponent(service.port)}/proxy`;
    const headers = {};
    const token = connection.refresh ? await connection.refresh() : connection.token;
    if (token)
        headers.authorization = `Bearer ${token}`;
    const tls = {};
    if (connection.caData)
        tls.ca = connection.caData;
    if (connection.clientCertData && connection.clientKeyData) {
        tls.cert = connection.clientCertData;
        tls.key = connection.clientKeyData;
    }
    if (connection.skipTlsVerify)
        tls.rejectUnauthorized = false;
    return {
        baseUrl: server + path,
        headers,
        tls,
        displayName: `service ${service.namespace}/${service.name}:${service.port} via ${connection.displayName}`,
        server: `cluster API server of ${connection.displayName} (service proxy)`,
        viaApiServer: true,
    };
}


/***/ })

};
