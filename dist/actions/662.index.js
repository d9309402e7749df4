export const id = 662;
export const ids = [662];
export const modules = {

/***/ 60662:
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
// EXTERNAL MODULE: ./shared/common/http.ts
var http = __webpack_require__(72316);
// EXTERNAL MODULE: ./shared/smoke/protocols/types.ts
var types = __webpack_require__(36043);
// EXTERNAL MODULE: ./shared/smoke/service-proxy.ts
var service_proxy = __webpack_require__(99378);
// EXTERNAL MODULE: ./shared/smoke/smoke-test.ts + 6 modules
var smoke_test = __webpack_require__(79324);
// EXTERNAL MODULE: ./shared/orchestrators/log-group.ts
var log_group = __webpack_require__(49936);
;// CONCATENATED MODULE: ./shared/orchestrators/run-smoke-test.ts






function urlEndpoint(request, url) {
    const shown = new URL(url);
    return {
        baseUrl: url,
        headers: request.headers,
        displayName: (0,types/* isGrpcProtocol */.L$)(request.protocol)
            ? `${shown.protocol}//${shown.host}`
            : shown.origin + shown.pathname.replace(/\/$/, ''),
        server: 'model server',
        input: 'url',
    };
}
/**
 * The Service through the API server's service proxy. The cluster code (and
 * with it a cloud SDK or the Kubernetes client) is loaded only here, so a
 * smoke test of a URL never loads it.
 */
async function serviceEndpoint(request, service, logger) {
    if (Object.keys(request.headers).some((h) => h.toLowerCase() === 'authorization')) {
        // The API server takes Authorization for itself, so the model server never sees this one.
        logger.warning('token / Authorization header is replaced by the cluster credentials when going through the service proxy');
    }
    const { connectCluster, describeClusterSpec, parseClusterSpec } = await Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 61326));
    const spec = parseClusterSpec(request.cluster);
    logger.info(`connecting to ${describeClusterSpec(spec)} to reach the service through the API server proxy`);
    const connection = await connectCluster(spec, { logger, allowInsecureKubeconfig: request.insecureSkipTlsVerify }, { azure: request.azure });
    const endpoint = await (0,service_proxy/* serviceProxyEndpoint */.T)(service, connection);
    const token = endpoint.headers.authorization?.replace(/^Bearer /, '');
    if (token)
        logger.secret(token);
    // The user's own headers go to the model server too (the proxy forwards them).
    return { ...endpoint, headers: { ...request.headers, ...endpoint.headers } };
}
/** Where the model server answers: the URL given, or the Service through its cluster. */
function resolveEndpoint(request, logger) {
    if (request.url !== undefined)
        return Promise.resolve(urlEndpoint(request, request.url));
    if (request.service === undefined) {
        throw new errors/* InputError */.dz('url', 'is required unless service is given', 'https://models.example.com or service: default/resnet50:8000');
    }
    return serviceEndpoint(request, request.service, logger);
}
function managementEndpoint(request) {
    if (request.managementUrl === undefined)
        return undefined;
    return {
        baseUrl: request.managementUrl,
        headers: request.headers,
        displayName: request.managementUrl,
        server: 'TorchServe management API',
        input: 'management-url',
    };
}
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
        if ((url.protocol === 'http:' || url.protocol === 'grpc:') && !(0,http/* isLoopbackHost */.cW)(url.host)) {
            throw new errors/* InputError */.dz(input, `is ${url.protocol.replace(':', '')}:// to ${url.host}, and ${secretHeaders.map((h) => (h.toLowerCase() === 'authorization' ? 'the token' : `header ${h}`)).join(', ')} would cross the network unencrypted`, `${input}: ${url.protocol === 'grpc:' ? 'grpcs' : 'https'}://${url.host}${url.pathname === '/' ? '' : url.pathname}`, 'use the TLS address of the endpoint (a gateway or load balancer with a certificate), smoke-test through service (the API server carries it over TLS), or set allow-secrets-over-http: true on a network you trust');
        }
    }
}
/**
 * The smoke test of a served model: its endpoint resolved (a URL, or a
 * Service through the cluster's API server), then readiness, metadata, one
 * checked inference and the load against the SLOs.
 */
async function runSmokeTest(request, settings) {
    const { logger, group = log_group/* ungrouped */.g } = settings;
    const endpoint = await group('Connect', () => resolveEndpoint(request, logger));
    const result = await group(`Smoke test ${endpoint.displayName}`, () => (0,smoke_test/* smokeTestEndpoint */.Z)({ ...request, endpoint, management: managementEndpoint(request), logger }));
    return { endpoint, result };
}

// EXTERNAL MODULE: ./shared/smoke/expectations.ts
var expectations = __webpack_require__(82893);
// EXTERNAL MODULE: ./shared/smoke/failures.ts
var failures = __webpack_require__(28421);
// EXTERNAL MODULE: ./shared/smoke/openapi-conformance.ts
var openapi_conformance = __webpack_require__(3352);
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

// EXTERNAL MODULE: ./shared/smoke/protocols/index.ts + 11 modules
var protocols = __webpack_require__(18620);
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
    const protocol = (0,action/* enumInput */.gX)('protocol', protocols/* PROTOCOL_NAMES */.g8, 'v2');
    serviceSpeaks(protocol, service);
    const model = modelFor(protocol, (0,action/* modelNameInput */.JJ)('model'));
    const expectDocument = (0,action/* documentInput */.OO)('expect', { yaml: true, example: expectations/* EXPECT_EXAMPLE */.N6 });
    const expect = expectationsFor(protocol, expectDocument);
    const openapi = openApiFor(protocol, (0,action/* documentInput */.OO)('openapi', { yaml: true, example: 'openapi: openapi.json' }));
    const { sloErrorRate, sloP95Ms } = (0,action/* sloInputs */.SB)();
    const path = requestPath('path', (0,action/* optionalString */.sx)('path', '/'));
    const readyPath = requestPath('ready-path', (0,action/* optionalString */.sx)('ready-path'));
    const request = (0,action/* documentInput */.OO)('request', {
        yaml: false,
        example: 'request: {"inputs": [...]} or request: tests/request.json',
    });
    const grpc = (0,protocols/* isGrpcProtocol */.L$)(protocol);
    const inputs = {
        url: url === undefined ? undefined : (0,action/* serverUrlInput */.Hh)('url', { protocol, grpc }),
        service: service === undefined ? undefined : (0,service_proxy/* parseServiceRef */.e)(service),
        cluster: clusterInput(),
        azure: (0,action/* azureFederationInputs */.OC)(),
        insecureSkipTlsVerify: (0,action/* booleanInput */.tE)('insecure-skip-tls-verify', false),
        protocol,
        grpcContents: (0,action/* enumInput */.gX)('grpc-contents', protocols/* GRPC_CONTENTS */.QZ, 'typed'),
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

/***/ 49936:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   g: () => (/* binding */ ungrouped)
/* harmony export */ });
const ungrouped = (_title, body) => body();


/***/ })

};
