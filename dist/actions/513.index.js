export const id = 513;
export const ids = [513];
export const modules = {

/***/ 20513:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  getInputs: () => (/* reexport */ getInputs),
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./shared/action/index.ts + 3 modules
var action = __webpack_require__(86351);
;// CONCATENATED MODULE: ./shared/action/deployments.ts
async function startGithubDeployment(request) {
    if (!request.token || !request.environment)
        return undefined;
    const repository = process.env.GITHUB_REPOSITORY;
    const ref = process.env.GITHUB_SHA;
    if (!repository || !ref)
        return undefined;
    const [owner, repo] = repository.split('/');
    // The GitHub API client loads only for a run that records a deployment.
    const github = await __webpack_require__.e(/* import() */ 2413).then(__webpack_require__.bind(__webpack_require__, 92413));
    const octokit = github.getOctokit(request.token, {
        ...(process.env.GITHUB_API_URL ? { baseUrl: process.env.GITHUB_API_URL } : {}),
    });
    let id;
    try {
        const created = await octokit.rest.repos.createDeployment({
            owner,
            repo,
            ref,
            environment: request.environment,
            description: request.description.slice(0, 140),
            auto_merge: false,
            required_contexts: [],
            transient_environment: false,
            payload: request.payload,
        });
        if (!('id' in created.data)) {
            request.logger.warning(`GitHub did not create a deployment: ${JSON.stringify(created.data)}`);
            return undefined;
        }
        id = created.data.id;
    }
    catch (err) {
        request.logger.warning(`could not create a GitHub deployment for ${request.environment}: ${err.message} ` +
            '(give the job `permissions: deployments: write`)');
        return undefined;
    }
    return {
        id,
        async setStatus(state, details = {}) {
            try {
                await octokit.rest.repos.createDeploymentStatus({
                    owner,
                    repo,
                    deployment_id: id,
                    state,
                    ...(details.url ? { environment_url: details.url } : {}),
                    ...(details.description ? { description: details.description.slice(0, 140) } : {}),
                    ...(process.env.GITHUB_SERVER_URL && process.env.GITHUB_RUN_ID
                        ? {
                            log_url: `${process.env.GITHUB_SERVER_URL}/${repository}/actions/runs/${process.env.GITHUB_RUN_ID}`,
                        }
                        : {}),
                    auto_inactive: state === 'success',
                });
            }
            catch (err) {
                request.logger.warning(`could not update the GitHub deployment status: ${err.message}`);
            }
        },
    };
}

// EXTERNAL MODULE: ./shared/action/summary.ts
var action_summary = __webpack_require__(62173);
// EXTERNAL MODULE: ./shared/clouds/cluster-access.ts
var cluster_access = __webpack_require__(61326);
// EXTERNAL MODULE: ./shared/common/errors.ts
var errors = __webpack_require__(52639);
;// CONCATENATED MODULE: ./shared/kube/quantity.ts
/**
 * Kubernetes resource quantities (`500m`, `2`, `1.5Gi`, `1e3`), checked before
 * anything reaches the cluster so a typo fails with the input's name instead of
 * a 422 from the API server halfway through an apply.
 */
const QUANTITY = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?\d+)?$/;
function isQuantity(text) {
    return QUANTITY.test(text.trim());
}
const BINARY = {
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    Pi: 2 ** 50,
    Ei: 2 ** 60,
};
const DECIMAL = {
    n: 1e-9,
    u: 1e-6,
    m: 1e-3,
    '': 1,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    P: 1e15,
    E: 1e18,
};
/** The numeric value of a quantity (cores for CPU, bytes for memory); undefined when invalid. */
function quantityValue(text) {
    const value = text.trim();
    if (!isQuantity(value))
        return undefined;
    const match = /^([\d.]+)(.*)$/.exec(value);
    const number = Number(match[1]);
    const suffix = match[2];
    if (suffix in BINARY)
        return number * BINARY[suffix];
    if (suffix in DECIMAL)
        return number * DECIMAL[suffix];
    return Number(value);
}

;// CONCATENATED MODULE: ./shared/kube/resources.ts


/**
 * The structured deploy inputs (`resources`, `autoscaling`), checked key by
 * key so a typo names the input, the key and an accepted value.
 */
const RESOURCE_EXAMPLE = "resources: '{cpu: 500m, memory: 2Gi, gpu: 1, gpu-type: nvidia-l4}'";
const AUTOSCALING_EXAMPLE = "autoscaling: '{min: 2, max: 10, target-cpu: 70}'";
/** `cpu:500m` is one word to YAML: the space after the colon is what makes a key. */
const NO_SPACE_AFTER_COLON = /^[\w.-]+:[^\s/]/;
function mapping(input, value, example) {
    if (value === undefined || value === null)
        return {};
    if (typeof value === 'string' && NO_SPACE_AFTER_COLON.test(value)) {
        throw new errors/* InputError */.dz(input, `is the text '${value}', not a mapping: YAML needs a space after each colon (cpu: 500m, not cpu:500m)`, example);
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
        throw new errors/* InputError */.dz(input, 'must be a mapping', example);
    }
    return value;
}
/** A key the input does not know: a missing space after a colon, or a typo. */
function unknownKey(input, key, known, example) {
    if (NO_SPACE_AFTER_COLON.test(key)) {
        return new errors/* InputError */.dz(input, `has '${key}', which YAML reads as one key: put a space after the colon (${key.replace(':', ': ')})`, example);
    }
    return new errors/* InputError */.dz(input, `has an unknown key '${key}' (known: ${known.join(', ')})`, example);
}
function parseResources(value, input = 'resources') {
    const raw = mapping(input, value, RESOURCE_EXAMPLE);
    const out = {};
    const quantity = (key) => {
        const v = raw[key];
        if (v === undefined || v === null || v === '')
            return undefined;
        const text = String(v).trim();
        if (!isQuantity(text)) {
            throw new errors/* InputError */.dz(input, `has ${key}: '${text}', which is not a Kubernetes quantity`, key.startsWith('cpu') ? `${key}: 500m or ${key}: 2` : `${key}: 512Mi or ${key}: 2Gi`);
        }
        if (quantityValue(text) === 0)
            throw new errors/* InputError */.dz(input, `has ${key}: ${text}; it must be more than zero`);
        return text;
    };
    const known = ['cpu', 'memory', 'cpu-limit', 'memory-limit', 'gpu', 'gpu-type'];
    for (const key of Object.keys(raw)) {
        if (!known.includes(key))
            throw unknownKey(input, key, known, RESOURCE_EXAMPLE);
    }
    const cpu = quantity('cpu');
    const memory = quantity('memory');
    const cpuLimit = quantity('cpu-limit');
    const memoryLimit = quantity('memory-limit');
    if (cpu)
        out.cpu = cpu;
    if (memory)
        out.memory = memory;
    if (cpuLimit)
        out.cpuLimit = cpuLimit;
    if (memoryLimit)
        out.memoryLimit = memoryLimit;
    for (const [request, limit, name] of [
        [cpu, cpuLimit, 'cpu'],
        [memory, memoryLimit, 'memory'],
    ]) {
        if (request && limit && quantityValue(limit) < quantityValue(request)) {
            throw new errors/* InputError */.dz(input, `has ${name}-limit ${limit} below the ${name} request ${request}`);
        }
    }
    if (raw.gpu !== undefined && raw.gpu !== null) {
        const gpu = Number(raw.gpu);
        if (!Number.isInteger(gpu) || gpu < 0 || gpu > 16) {
            throw new errors/* InputError */.dz(input, `has gpu: '${String(raw.gpu)}'; it must be a whole number of GPUs`, 'gpu: 1');
        }
        if (gpu > 0)
            out.gpu = gpu;
    }
    if (raw['gpu-type'] !== undefined) {
        if (!out.gpu)
            throw new errors/* InputError */.dz(input, 'has gpu-type but no gpu count', 'gpu: 1, gpu-type: nvidia-l4');
        out.gpuType = String(raw['gpu-type']);
    }
    return out;
}
function parseAutoscaling(value, input = 'autoscaling') {
    if (value === undefined || value === null)
        return undefined;
    const example = AUTOSCALING_EXAMPLE;
    const raw = mapping(input, value, example);
    const known = ['min', 'max', 'target-cpu'];
    for (const key of Object.keys(raw)) {
        if (!known.includes(key))
            throw unknownKey(input, key, known, example);
    }
    const int = (key, fallback) => {
        const v = raw[key] ?? fallback;
        const n = Number(v);
        if (key === 'min' && n === 0) {
            throw new errors/* InputError */.dz(input, 'has min: 0; a HorizontalPodAutoscaler does not scale to zero on EKS, AKS or GKE (that needs the alpha HPAScaleToZero feature gate); keep at least one replica, or use KEDA or Knative for scale-to-zero', "autoscaling: '{min: 1, max: 10, target-cpu: 70}'");
        }
        if (!Number.isInteger(n) || n < 1)
            throw new errors/* InputError */.dz(input, `has ${key}: '${String(v)}'; it must be a whole number of at least 1`, example);
        return n;
    };
    const min = int('min', 1);
    const max = int('max', Math.max(min, 1));
    const targetCpu = int('target-cpu', 70);
    if (max < min)
        throw new errors/* InputError */.dz(input, `has max ${max} below min ${min}`, example);
    if (targetCpu > 100)
        throw new errors/* InputError */.dz(input, `has target-cpu ${targetCpu}; it is a percentage of the CPU request`, example);
    return { min, max, targetCpu };
}

// EXTERNAL MODULE: ./shared/common/duration.ts
var duration = __webpack_require__(59284);
// EXTERNAL MODULE: ./shared/smoke/expectations.ts
var expectations = __webpack_require__(82893);
;// CONCATENATED MODULE: ./shared/kube/strategies/inputs.ts



/**
 * The progressive-delivery inputs of deploy: `strategy`, `canary-steps`,
 * `traffic-router`, the analysis (the smoke-test checks and Prometheus
 * queries) and `scale-down-delay`.
 */
const STRATEGIES = ['rolling', 'canary', 'blue-green'];
const TRAFFIC_ROUTERS = ['gateway', 'istio', 'ambassador', 'replicas'];
const STEPS_EXAMPLE = '10%:2m, 50%:5m, 100%';
/** `10%:2m, 50%:5m, 100%`: weights that rise to 100, each held for its duration. */
function parseCanarySteps(text, input = 'canary-steps') {
    const parts = text
        .split(/[,\n]/)
        .map((p) => p.trim())
        .filter((p) => p !== '');
    if (parts.length === 0)
        throw new errors/* InputError */.dz(input, 'has no steps', STEPS_EXAMPLE);
    const steps = [];
    for (const part of parts) {
        const match = /^(\d+(?:\.\d+)?)\s*%\s*(?::\s*(\S+))?$/.exec(part);
        if (!match) {
            throw new errors/* InputError */.dz(input, `has '${part}', which is not a step: write <weight>%:<hold>, like 10%:2m`, STEPS_EXAMPLE);
        }
        const weight = Number(match[1]);
        if (!Number.isInteger(weight) || weight < 1 || weight > 100) {
            throw new errors/* InputError */.dz(input, `has the weight ${match[1]}% in '${part}'; a weight is a whole percent from 1 to 100`, STEPS_EXAMPLE);
        }
        let holdMs = 0;
        if (match[2] !== undefined) {
            const parsed = (0,duration/* parseDuration */.E)(match[2]);
            if (parsed === undefined) {
                throw new errors/* InputError */.dz(input, `has the hold time '${match[2]}' in '${part}', which is not a duration like 30s, 2m or 1h`, STEPS_EXAMPLE);
            }
            holdMs = parsed;
        }
        const previous = steps[steps.length - 1];
        if (previous && weight <= previous.weight) {
            throw new errors/* InputError */.dz(input, `has ${weight}% after ${previous.weight}%; the weights must increase from step to step`, STEPS_EXAMPLE);
        }
        steps.push({ weight, holdMs });
    }
    const last = steps[steps.length - 1];
    if (last.weight !== 100) {
        throw new errors/* InputError */.dz(input, `ends at ${last.weight}%; the last step must be 100% so the new version takes all the traffic`, STEPS_EXAMPLE);
    }
    return steps;
}
const OPERATORS = ['<=', '>=', '==', '!=', '<', '>'];
const QUERIES_EXAMPLE = '- name: error-rate\n  query: sum(rate(http_errors{deployment="{{ canary }}"}[1m]))\n  condition: < 0.01';
/** `< 0.01`, `>= 0.99`: an operator and a number. */
function parseCondition(text, input, name) {
    const value = text.trim();
    const operator = OPERATORS.find((op) => value.startsWith(op));
    const threshold = operator === undefined ? NaN : Number(value.slice(operator.length).trim());
    if (operator === undefined ||
        value.slice(operator.length).trim() === '' ||
        !Number.isFinite(threshold)) {
        throw new errors/* InputError */.dz(input, `has the condition '${text}' for '${name}'; write an operator (<, <=, >, >=, ==, !=) and a number, like < 0.01`, QUERIES_EXAMPLE);
    }
    return { operator, threshold };
}
function parseMetricChecks(value, input = 'prometheus-queries') {
    if (value === undefined || value === null)
        return [];
    if (!Array.isArray(value)) {
        throw new errors/* InputError */.dz(input, 'must be a YAML list of {name, query, condition}', QUERIES_EXAMPLE);
    }
    return value.map((entry, i) => {
        const item = entry;
        if (item === null || typeof item !== 'object' || Array.isArray(item)) {
            throw new errors/* InputError */.dz(input, `has entry ${i + 1} that is not a mapping`, QUERIES_EXAMPLE);
        }
        const unknown = Object.keys(item).filter((k) => !['name', 'query', 'condition'].includes(k));
        if (unknown.length > 0) {
            throw new errors/* InputError */.dz(input, `has an unknown key '${unknown[0]}' in entry ${i + 1} (known: name, query, condition)`, QUERIES_EXAMPLE);
        }
        const name = typeof item.name === 'string' && item.name.trim() ? item.name.trim() : `query ${i + 1}`;
        if (typeof item.query !== 'string' || item.query.trim() === '') {
            throw new errors/* InputError */.dz(input, `has no query in '${name}'`, QUERIES_EXAMPLE);
        }
        if (item.condition === undefined || item.condition === null) {
            throw new errors/* InputError */.dz(input, `has no condition in '${name}'`, QUERIES_EXAMPLE);
        }
        return {
            name,
            query: item.query.trim(),
            ...parseCondition(String(item.condition), input, name),
        };
    });
}
/** The router that fits how the release is exposed, unless the input names one. */
function defaultRouter(expose) {
    return expose === 'gateway' || expose === 'istio' || expose === 'ambassador'
        ? expose
        : 'replicas';
}
const ROUTED_BY = {
    gateway: 'HTTPRoute and GRPCRoute',
    istio: 'VirtualService',
    ambassador: 'Mappings',
};
/** The strategy of a release, checked against how the release is exposed. */
function parseStrategyInputs(values, release, expose) {
    const { strategy } = values;
    const router = values.router ?? defaultRouter(expose);
    const steps = strategy === 'canary' ? parseCanarySteps(values.canarySteps) : [];
    if (strategy === 'canary' && router !== 'replicas' && expose !== router) {
        throw new errors/* InputError */.dz('traffic-router', `is ${router}, which moves the weights of the release's own ${ROUTED_BY[router]}; expose is ${expose}`, `expose: ${router} (with host), or traffic-router: replicas`);
    }
    checkAnalysisInputs(values);
    return {
        strategy,
        protocolGiven: values.protocol !== undefined,
        modelGiven: values.model !== undefined,
        steps,
        router,
        scaleDownDelayMs: values.scaleDownDelayMs,
        analysis: analysisSpec(values, release),
    };
}
function checkAnalysisInputs(values) {
    if (!values.analysisPath.startsWith('/'))
        throw new errors/* InputError */.dz('analysis-path', `must start with /, not '${values.analysisPath}'`, 'analysis-path: /predict');
    const { protocol, strategy } = values;
    if (strategy !== 'rolling' && protocol !== undefined && protocol.endsWith('-grpc')) {
        // The API server's service proxy relays HTTP/1.1; gRPC needs HTTP/2 end to end.
        throw new errors/* InputError */.dz('protocol', `is ${protocol}: the ${strategy} analysis reaches the new version's pods through the API server's service proxy, which speaks HTTP/1.1 only, and gRPC needs HTTP/2. The same pods serve the REST API, and the traffic router shifts REST and gRPC together`, `protocol: ${protocol.replace(/-grpc$/, '')} (the REST twin of ${protocol}); check gRPC with smoke-test after the rollout`);
    }
}
/** The Prometheus checks with the server that answers them, if any. */
function prometheusAnalysis(values) {
    const { prometheusUrl } = values;
    const checks = parseMetricChecks(values.prometheusQueries);
    if (checks.length > 0 && prometheusUrl === undefined) {
        throw new errors/* InputError */.dz('prometheus-url', 'is required with prometheus-queries', 'prometheus-url: http://prometheus.monitoring:9090');
    }
    if (prometheusUrl !== undefined && !/^https?:\/\/[^/]/.test(prometheusUrl)) {
        throw new errors/* InputError */.dz('prometheus-url', `must be an http(s) URL, not '${prometheusUrl}'`, 'prometheus-url: http://prometheus.monitoring:9090');
    }
    return checks.length > 0 ? { url: prometheusUrl, checks } : undefined;
}
function analysisSpec(values, release) {
    const prometheus = prometheusAnalysis(values);
    return {
        smoke: {
            protocol: values.protocol ?? 'http',
            http: {
                method: values.request === undefined ? 'GET' : 'POST',
                path: values.analysisPath,
                readyPath: undefined,
            },
            target: { model: values.model ?? release, version: values.modelVersion },
            request: values.request,
            expect: values.expect === undefined ? undefined : (0,expectations/* expectationsInput */.o_)(values.expect),
            openapi: undefined,
            requests: values.analysisRequests,
            concurrency: 2,
            warmup: 0,
            waitReadyMs: 60_000,
            timeoutMs: 15_000,
            slo: { p95Ms: values.sloP95Ms, errorRate: values.sloErrorRate },
        },
        ...(prometheus ? { prometheus } : {}),
    };
}

// EXTERNAL MODULE: ./shared/model/runtimes/serving.ts
var serving = __webpack_require__(75104);
// EXTERNAL MODULE: ./shared/orchestrators/deploy/request.ts
var request = __webpack_require__(38895);
// EXTERNAL MODULE: ./shared/smoke/expect-example.ts
var expect_example = __webpack_require__(46380);
// EXTERNAL MODULE: ./shared/smoke/protocols/types.ts
var types = __webpack_require__(36043);
;// CONCATENATED MODULE: ./actions/deploy/inputs.ts








/** The deploy action's inputs, read into the request its orchestrator takes. */
function getInputs() {
    const release = releaseSettings();
    return { ...release, strategy: strategyInputs(release.name, release.expose) };
}
function releaseSettings() {
    const rollbackTo = (0,action/* optionalString */.sx)('rollback-to');
    const azure = (0,action/* azureFederationInputs */.OC)();
    return (0,request/* checkDeployRequest */.b9)({
        cluster: (0,cluster_access.parseClusterSpec)((0,action/* optionalString */.sx)('cluster')),
        namespace: (0,action/* optionalString */.sx)('namespace', 'default'),
        name: (0,action/* requiredString */.Fk)('name', { example: 'resnet50' }),
        // A restore takes its image from the release history, so only a new release needs one.
        image: rollbackTo === undefined
            ? (0,action/* requiredString */.Fk)('image', { example: 'myreg.azurecr.io/models/resnet50@sha256:…' })
            : (0,action/* optionalString */.sx)('image', ''),
        requireDigest: (0,action/* booleanInput */.tE)('require-digest', false),
        runtime: (0,action/* enumInput */.gX)('runtime', serving/* RUNTIME_NAMES */.st, undefined),
        port: (0,action/* optionalInteger */.$H)('port', { min: 1, max: 65535, example: 8080 }),
        healthPath: (0,action/* optionalString */.sx)('health-path'),
        modelVersion: (0,action/* optionalString */.sx)('model-version'),
        replicas: (0,action/* integerInput */.$A)('replicas', 1, { min: 0, max: 1000 }),
        resources: parseResources((0,action/* yamlInput */.eR)('resources', { example: "resources: '{cpu: 500m, memory: 2Gi}'" })),
        autoscaling: parseAutoscaling((0,action/* yamlInput */.eR)('autoscaling', { example: "autoscaling: '{min: 2, max: 10, target-cpu: 70}'" })),
        env: (0,action/* mapInput */.zQ)('env', { example: 'LOG_LEVEL=info' }),
        podAnnotations: (0,action/* mapInput */.zQ)('pod-annotations', { example: 'prometheus.io/scrape=true' }),
        expose: (0,action/* enumInput */.gX)('expose', request/* EXPOSE_MODES */.SN, 'cluster-ip'),
        host: (0,action/* optionalString */.sx)('host'),
        grpcHost: (0,action/* optionalString */.sx)('grpc-host'),
        gateway: (0,action/* optionalString */.sx)('gateway'),
        cloudProfile: (0,request/* parseProfileName */.so)((0,action/* optionalString */.sx)('cloud-profile')),
        serviceAccount: (0,action/* optionalString */.sx)('service-account'),
        chart: (0,action/* optionalString */.sx)('chart'),
        values: (0,request/* parseChartValues */.Wv)((0,action/* yamlInput */.eR)('values', { example: 'values: |\n  replicaCount: 2' })),
        valuesFiles: (0,action/* listInput */.dt)('values-files'),
        timeoutMs: (0,action/* optionalDuration */.pQ)('timeout', '10m'),
        startTimeoutMs: (0,action/* optionalDuration */.pQ)('start-timeout', '10m'),
        readOnlyRootFilesystem: (0,action/* optionalBoolean */.Jz)('read-only-root-filesystem'),
        runAsUser: (0,action/* optionalInteger */.$H)('run-as-user', { min: 0, max: 2147483647, example: 1000 }),
        addressTimeoutMs: (0,action/* durationInput */.Ts)('address-timeout', '5m'),
        insecureSkipTlsVerify: (0,action/* booleanInput */.tE)('insecure-skip-tls-verify', false),
        rollbackOnFailure: (0,action/* booleanInput */.tE)('rollback-on-failure', true),
        rollbackTo,
        dryRun: (0,action/* booleanInput */.tE)('dry-run', false),
        environment: (0,action/* optionalString */.sx)('environment'),
        token: (0,action/* secretString */.yk)('token'),
        azureClientId: azure.clientId,
        azureTenantId: azure.tenantId,
        prune: (0,action/* booleanInput */.tE)('prune', true),
        historyLimit: (0,action/* integerInput */.$A)('history-limit', 10, { min: 2, max: 100 }),
    });
}
/** `strategy`, `canary-steps`, `traffic-router`, the analysis and `scale-down-delay`. */
function strategyInputs(release, expose) {
    const values = {
        strategy: (0,action/* enumInput */.gX)('strategy', STRATEGIES, 'rolling'),
        router: (0,action/* enumInput */.gX)('traffic-router', TRAFFIC_ROUTERS, undefined),
        canarySteps: (0,action/* optionalString */.sx)('canary-steps', '10%:1m, 50%:2m, 100%'),
        expect: (0,action/* documentInput */.OO)('expect', { yaml: true, example: expect_example/* EXPECT_EXAMPLE */.N }),
        ...(0,action/* sloInputs */.SB)(),
        analysisPath: (0,action/* optionalString */.sx)('analysis-path', '/'),
        request: (0,action/* documentInput */.OO)('request', {
            yaml: false,
            example: 'request: {"inputs": [...]} or request: tests/request.json',
        }),
        prometheusUrl: (0,action/* optionalString */.sx)('prometheus-url'),
        prometheusQueries: (0,action/* yamlInput */.eR)('prometheus-queries', { example: QUERIES_EXAMPLE }),
        protocol: (0,action/* enumInput */.gX)('protocol', types/* PROTOCOL_NAMES */.g8, undefined),
        model: (0,action/* modelNameInput */.JJ)('model'),
        modelVersion: (0,action/* optionalString */.sx)('model-version'),
        analysisRequests: (0,action/* integerInput */.$A)('analysis-requests', 20, { min: 0, max: 100_000 }),
        scaleDownDelayMs: (0,action/* durationInput */.Ts)('scale-down-delay', '30s'),
    };
    return parseStrategyInputs(values, release, expose);
}

;// CONCATENATED MODULE: ./actions/deploy/main.ts





async function run(options = {}) {
    const logger = options.logger ?? action/* actionsLogger */.MV;
    return (0,action/* runAction */.Cs)('deploy', async () => {
        let result;
        try {
            const request = getInputs();
            // The Kubernetes side loads once the inputs hold: a wrong input fails at once.
            const { deployRelease } = await Promise.all(/* import() */[__webpack_require__.e(6752), __webpack_require__.e(9892), __webpack_require__.e(6118), __webpack_require__.e(1260), __webpack_require__.e(7291), __webpack_require__.e(7709), __webpack_require__.e(6878), __webpack_require__.e(366), __webpack_require__.e(9490)]).then(__webpack_require__.bind(__webpack_require__, 99490));
            result = await deployRelease(request, hooks(request, logger, options));
        }
        catch (err) {
            (0,action/* setOutput */.uH)('status', 'failed');
            throw err;
        }
        const { setDeployOutputs, writeDeploySummary } = await Promise.all(/* import() */[__webpack_require__.e(6752), __webpack_require__.e(9892), __webpack_require__.e(7709), __webpack_require__.e(366), __webpack_require__.e(4864)]).then(__webpack_require__.bind(__webpack_require__, 54864));
        setDeployOutputs(result);
        const summary = new action_summary/* JobSummary */.c(`Deploy ${result.request.name}`);
        writeDeploySummary(summary, result);
        await summary.write();
        if (result.error !== undefined)
            throw result.error;
    });
}
function hooks(request, logger, options) {
    return {
        logger,
        group: action/* group */.Os,
        startDeployment: (start) => startGithubDeployment({
            ...start,
            token: request.token,
            environment: request.environment,
            logger,
        }),
        pollMs: options.pollMs,
        hopelessAfterMs: options.hopelessAfterMs,
    };
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

/***/ 46074:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   J: () => (/* reexport safe */ _clouds_registry_js__WEBPACK_IMPORTED_MODULE_1__.J),
/* harmony export */   at: () => (/* reexport safe */ _clouds_registry_js__WEBPACK_IMPORTED_MODULE_1__.at),
/* harmony export */   hd: () => (/* reexport safe */ _clouds_registry_js__WEBPACK_IMPORTED_MODULE_1__.FF)
/* harmony export */ });
/* harmony import */ var _clouds_profile_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(43864);
/* harmony import */ var _clouds_registry_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(31741);




/***/ }),

/***/ 75104:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   XJ: () => (/* reexport safe */ _pod_js__WEBPACK_IMPORTED_MODULE_2__.X),
/* harmony export */   Xr: () => (/* binding */ runtimeServing),
/* harmony export */   st: () => (/* reexport safe */ _types_js__WEBPACK_IMPORTED_MODULE_1__.s)
/* harmony export */ });
/* harmony import */ var _index_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(98805);
/* harmony import */ var _pod_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2399);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(62973);




/** The runtime's ports, probes and pod facts for a model, each call a fresh copy. */
function runtimeServing(runtime, modelName) {
    const description = _index_js__WEBPACK_IMPORTED_MODULE_0__/* .RUNTIMES */ .a[runtime];
    const http = description.ports.find((p) => p.name === 'http') ?? description.ports[0];
    const path = (template) => template.replace('{name}', modelName);
    const facts = description.pod;
    const grpcPort = description.ports.find((p) => p.name === 'grpc')?.port;
    const grpcPackage = description.grpcPackage;
    return {
        port: http?.port ?? 8080,
        ...(grpcPort !== undefined && grpcPackage !== undefined
            ? { grpc: { port: grpcPort, pathPrefix: `/${grpcPackage}.` } }
            : {}),
        readinessPath: path(description.health.ready),
        livenessPath: path(description.health.live),
        ...facts,
        defaultRequests: { ...facts.defaultRequests },
        ...(facts.scratch ? { scratch: facts.scratch.map((s) => ({ ...s })) } : {}),
        ...(facts.env ? { env: { ...facts.env } } : {}),
    };
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


/***/ }),

/***/ 38895:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   SN: () => (/* binding */ EXPOSE_MODES),
/* harmony export */   Wv: () => (/* binding */ parseChartValues),
/* harmony export */   b9: () => (/* binding */ checkDeployRequest),
/* harmony export */   so: () => (/* binding */ parseProfileName)
/* harmony export */ });
/* harmony import */ var _common_duration_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(59284);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(52639);
/* harmony import */ var _common_names_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(89814);
/* harmony import */ var _kube_profiles_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(46074);




const EXPOSE_MODES = [
    'cluster-ip',
    'load-balancer',
    'internal-load-balancer',
    'gateway',
    'istio',
    'ambassador',
];
/** A DNS name, optionally with a leading wildcard label, as Gateway API and Istio hosts take it. */
const DNS_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;
const VALUES_EXAMPLE = 'values: |\n  replicaCount: 2';
/** `cloud-profile`, in any case. */
function parseProfileName(value) {
    if (value === undefined)
        return undefined;
    if (!_kube_profiles_js__WEBPACK_IMPORTED_MODULE_3__/* .PROFILE_NAMES */ .J.includes(value.toLowerCase())) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('cloud-profile', `'${value}' is not a known cloud profile (known: ${_kube_profiles_js__WEBPACK_IMPORTED_MODULE_3__/* .PROFILE_NAMES */ .J.join(', ')})`, 'cloud-profile: aws');
    }
    return value.toLowerCase();
}
/** Chart values: a YAML mapping, or nothing. */
function parseChartValues(value) {
    if (value === undefined || value === null)
        return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('values', 'must be a YAML mapping of chart values', VALUES_EXAMPLE);
    }
    return value;
}
/** The checks that take more than one input, or a rule of the cluster, to decide. */
function checkDeployRequest(request) {
    checkRelease(request);
    checkPod(request);
    checkExposure(request);
    return request;
}
function checkRelease(request) {
    const { rollbackTo } = request;
    if (rollbackTo !== undefined && !/^(previous|\d+|sha256:[0-9a-f]{64})$/.test(rollbackTo)) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('rollback-to', `must be previous, a revision number or an image digest, not '${rollbackTo}'`, 'rollback-to: previous');
    }
    (0,_common_names_js__WEBPACK_IMPORTED_MODULE_2__/* .checkDnsLabel */ ._)('namespace', request.namespace, 'namespace: models');
    (0,_common_names_js__WEBPACK_IMPORTED_MODULE_2__/* .checkDnsLabel */ ._)('name', request.name, 'name: resnet50');
    if (request.replicas === 0 && rollbackTo === undefined) {
        // A deploy is judged by its rollout and smoke test; with nothing running
        // both pass or fail on nothing, and the release history would record an
        // empty revision as a good one to roll back to.
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('replicas', 'is 0: a release with no replicas serves nothing, so there is no rollout to watch and nothing for a smoke test to reach', 'replicas: 2', outOfServiceHint(request.name, request.namespace));
    }
    if (!request.chart && (request.values !== undefined || request.valuesFiles.length > 0)) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('values', 'was given without a chart', 'chart: ./charts/model');
    }
}
function checkPod(request) {
    if (request.healthPath !== undefined && !request.healthPath.startsWith('/')) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('health-path', `must start with '/', not '${request.healthPath}'`, 'health-path: /healthz');
    }
    if (request.startTimeoutMs !== undefined && request.startTimeoutMs < 5000) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('start-timeout', `is ${(0,_common_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a)(request.startTimeoutMs)}; the startup probe looks every 5s, so it must be at least 5s`, 'start-timeout: 20m');
    }
    if (request.runAsUser === 0) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('run-as-user', 'is 0 (root); model servers run as a non-root uid, which Pod Security "restricted" requires', 'run-as-user: 1000');
    }
}
function checkExposure(request) {
    if (request.host !== undefined && !DNS_NAME.test(request.host)) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('host', `must be a host name (no scheme, port or path), not '${request.host}'`, 'host: resnet50.models.example.com');
    }
    checkGrpcHost(request);
    if (request.gateway !== undefined &&
        !/^([a-z0-9-]{1,63}\/)?[a-z0-9.-]{1,253}$/.test(request.gateway)) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('gateway', `must be namespace/name or name of a Gateway, not '${request.gateway}'`, 'gateway: infra/public');
    }
    if ((request.expose === 'gateway' || request.expose === 'ambassador') && !request.host) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('host', `is required with expose: ${request.expose}`, 'host: resnet50.models.example.com');
    }
}
/** The GRPCRoute's host: only for the Gateway API, and never the HTTPRoute's own. */
function checkGrpcHost(request) {
    if (request.grpcHost === undefined)
        return;
    const example = 'grpc-host: resnet50-grpc.models.example.com';
    if (!DNS_NAME.test(request.grpcHost)) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('grpc-host', `must be a host name (no scheme, port or path), not '${request.grpcHost}'`, example);
    }
    if (request.expose !== 'gateway') {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('grpc-host', `is for expose: gateway (its GRPCRoute); with expose: ${request.expose} gRPC is served on host beside REST`, `expose: gateway, with host and ${example}`);
    }
    if (request.grpcHost === request.host) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('grpc-host', `is the same as host (${request.host}): a Gateway listener accepts an HTTPRoute or a GRPCRoute for a host name, not both, and rejects the newer`, example);
    }
}
/** How to take a model out of service, which deploy does not do. */
function outOfServiceHint(name, namespace) {
    return (`to take ${name} out of service, scale it outside this action: ` +
        `kubectl scale deployment/${name} -n ${namespace} --replicas=0 (the next deploy restores it; ` +
        `with autoscaling, also delete hpa/${name}), or remove it with ` +
        `kubectl delete deployment,service,hpa,pdb -n ${namespace} -l app.kubernetes.io/name=${name}`);
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


/***/ })

};
