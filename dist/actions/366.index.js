export const id = 366;
export const ids = [366];
export const modules = {

/***/ 18352:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   HT: () => (/* binding */ explainBudget),
/* harmony export */   I0: () => (/* binding */ planServing),
/* harmony export */   Z9: () => (/* binding */ explainPlacement),
/* harmony export */   c0: () => (/* binding */ describeBudgets)
/* harmony export */ });
/* unused harmony export defaultTimeoutMs */
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(52639);
/* harmony import */ var _common_duration_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(59284);
/* harmony import */ var _model_runtimes_index_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(98805);
/* harmony import */ var _model_runtimes_serving_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(75104);




/** How long to wait for a GPU node: cluster autoscaler or Karpenter, then the driver. */
const GPU_NODE_SECONDS = 600;
/** Pause before stopping a pod behind a cloud load balancer (target deregistration). */
const LOAD_BALANCER_DRAIN_SECONDS = 30;
/** Pause before stopping any other pod (kube-proxy, gateways drop it from their endpoints). */
const DRAIN_SECONDS = 5;
/** The timeout's margin over the budgets, so the Deployment's own deadline reports first. */
const TIMEOUT_MARGIN_SECONDS = 60;
function planServing(request) {
    const notes = [];
    const warnings = [];
    const runtime = (0,_model_runtimes_serving_js__WEBPACK_IMPORTED_MODULE_3__/* .runtimeServing */ .Xr)(request.runtime, request.modelName);
    const overrides = request.overrides ?? {};
    const facts = request.facts ?? {};
    // The image's card is what package wrote; inputs that contradict it were refused before.
    if (facts.ports?.[0] !== undefined)
        runtime.port = facts.ports[0];
    if (facts.health) {
        runtime.readinessPath = facts.health.ready;
        runtime.livenessPath = facts.health.live;
    }
    if (overrides.port)
        runtime.port = overrides.port;
    if (overrides.healthPath) {
        runtime.readinessPath = overrides.healthPath;
        runtime.livenessPath = overrides.healthPath;
    }
    if (overrides.startSeconds !== undefined)
        runtime.startupSeconds = overrides.startSeconds;
    if (overrides.readOnlyRootFilesystem !== undefined) {
        runtime.readOnlyRootFilesystem = overrides.readOnlyRootFilesystem;
    }
    runAs(request, runtime, notes, warnings);
    const resources = requestsFor(request, runtime, notes);
    const gpus = resources.gpu ?? 0;
    checkGpus(request, runtime, gpus);
    if (request.runtime === 'vllm' && gpus > 1)
        tensorParallel(request, runtime, gpus, notes);
    const minReplicas = request.autoscaling?.min ?? request.replicas;
    const maxReplicas = request.autoscaling?.max ?? request.replicas;
    const rollingUpdate = rollingUpdateFor(gpus, minReplicas);
    if (gpus > 0)
        notes.push(`rolling update: ${rollingUpdate.why}`);
    if (request.autoscaling) {
        notes.push(`autoscaling on CPU at ${request.autoscaling.targetCpu}% of the ${resources.cpu} CPU request${resources.defaulted?.includes('cpu') ? ` (the ${request.runtime} runtime's default request)` : ''}`);
    }
    const loadBalanced = request.expose.mode === 'load-balancer' || request.expose.mode === 'internal-load-balancer';
    const drainSeconds = loadBalanced ? LOAD_BALANCER_DRAIN_SECONDS : DRAIN_SECONDS;
    const budgets = budgetsFor(request, runtime, gpus, rollingUpdate, minReplicas, overrides);
    if (budgets.timeoutFrom === 'input' && budgets.timeoutMs < budgets.startSeconds * 1000) {
        warnings.push(`timeout ${(0,_common_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(budgets.timeoutMs)} is shorter than the time the ${request.runtime} runtime may take to load a model (${(0,_common_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(budgets.startSeconds * 1000)}, the startup probe's allowance): a model that loads that slowly fails the rollout. Leave timeout unset for the runtime's budget (${(0,_common_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(defaultTimeoutMs(budgets))}), or lower start-timeout if the model loads faster.`);
    }
    const spec = {
        name: request.name,
        namespace: request.namespace,
        image: request.image,
        runtime,
        replicas: request.replicas,
        resources,
        ...(request.autoscaling ? { autoscaling: request.autoscaling } : {}),
        env: request.env,
        ...(request.podAnnotations ? { podAnnotations: request.podAnnotations } : {}),
        expose: request.expose,
        profile: request.profile,
        ...(request.identity ? { identity: request.identity } : {}),
        progressDeadlineSeconds: budgets.progressDeadlineSeconds,
        ...(request.modelVersion ? { modelVersion: request.modelVersion } : {}),
        rollingUpdate: {
            maxSurge: rollingUpdate.maxSurge,
            maxUnavailable: rollingUpdate.maxUnavailable,
        },
        drainSeconds,
        terminationGracePeriodSeconds: drainSeconds + (runtime.shutdownSeconds ?? 30),
        topologySpread: maxReplicas >= 2,
        ...(request.loadBalancerController
            ? { loadBalancerController: request.loadBalancerController }
            : {}),
    };
    return { spec, budgets, rollingUpdate, notes, warnings };
}
/** A uid given as `1000` or `1000:1000`; undefined for a name or nothing. */
function numericUid(user) {
    const uid = user?.split(':')[0];
    return uid !== undefined && /^\d+$/.test(uid) ? Number(uid) : undefined;
}
/**
 * The non-root uid to run as: the input, else the image's own non-root uid,
 * else the runtime's (the uid its official image has a user for). A custom
 * image that runs as root or as a user named without a uid gets 1000, and
 * HOME on an emptyDir, since that uid has no home in the image.
 */
function runAs(request, runtime, notes, warnings) {
    const given = request.overrides?.runAsUser;
    const imageUser = request.facts?.user;
    const imageUid = numericUid(imageUser);
    if (given !== undefined) {
        runtime.runAsUser = given;
    }
    else if (imageUid !== undefined && imageUid > 0) {
        runtime.runAsUser = imageUid;
        if (request.runtime === 'custom')
            return;
    }
    else if (request.runtime === 'custom') {
        runtime.runAsUser = 1000;
        if (imageUser !== undefined && imageUid === undefined) {
            warnings.push(`the image runs as user '${imageUser}', a name whose uid deploy cannot read; the pod runs as uid 1000 (Pod Security "restricted" needs a numeric non-root uid). Set run-as-user to that user's uid.`);
        }
        else {
            notes.push('the image runs as root; the pod runs as uid 1000 with HOME on an emptyDir (set run-as-user for another uid)');
        }
    }
    if (request.runtime === 'custom' && given === undefined && !('HOME' in request.env)) {
        runtime.scratch = [...(runtime.scratch ?? []), { name: 'home', mountPath: _model_runtimes_serving_js__WEBPACK_IMPORTED_MODULE_3__/* .SCRATCH_HOME */ .XJ }];
        runtime.env = { ...runtime.env, HOME: _model_runtimes_serving_js__WEBPACK_IMPORTED_MODULE_3__/* .SCRATCH_HOME */ .XJ };
    }
}
function requestsFor(request, runtime, notes) {
    const given = request.resources;
    const defaults = runtime.defaultRequests ?? { cpu: '250m', memory: '512Mi' };
    const defaulted = [];
    const resources = { ...given };
    if (!given.cpu) {
        resources.cpu = defaults.cpu;
        defaulted.push('cpu');
    }
    if (!given.memory) {
        resources.memory = defaults.memory;
        defaulted.push('memory');
    }
    if (defaulted.length > 0) {
        resources.defaulted = defaulted;
        notes.push(`requests: ${defaulted.map((d) => `${d} ${resources[d]}`).join(', ')} (the ${request.runtime} runtime's default${defaulted.length > 1 ? 's' : ''}, no limit; set resources to size them)`);
    }
    return resources;
}
function checkGpus(request, runtime, gpus) {
    const profile = request.profile;
    const gpuType = request.resources.gpuType;
    if (runtime.requiresGpu && gpus === 0) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz('resources', `has no gpu, and the ${request.runtime} runtime serves on NVIDIA GPUs only`, `resources: '{gpu: 1${profile.gpuTypeRequired ? `, gpu-type: ${profile.gpuTypeExample.replace('gpu-type: ', '')}` : ''}}'`);
    }
    if (gpus === 0)
        return;
    if (gpuType !== undefined) {
        const problem = profile.checkGpuType(gpuType);
        if (problem) {
            throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz('resources', `has gpu-type '${gpuType}', which ${problem} for the ${profile.name} cloud profile`, profile.gpuTypeExample);
        }
    }
    else if (profile.gpuTypeRequired) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz('resources', `asks for ${gpus} GPU${gpus > 1 ? 's' : ''} without gpu-type, which the ${profile.name} cloud profile needs: ${profile.gpuTypeRequired}`, profile.gpuTypeExample);
    }
}
const TP_FLAG = '--tensor-parallel-size';
/** vLLM splits a model over several GPUs only when told to. */
function tensorParallel(request, runtime, gpus, notes) {
    const cmd = request.facts?.cmd ??
        _model_runtimes_index_js__WEBPACK_IMPORTED_MODULE_2__/* .RUNTIMES */ .a.vllm.command({
            name: request.modelName,
            version: request.modelVersion ?? '',
            tree: { root: '', files: [], symlinks: [], directories: [], singleFile: false, totalSize: 0 },
        }).cmd ??
        [];
    const at = cmd.findIndex((a) => a === TP_FLAG || a === '-tp' || a.startsWith(`${TP_FLAG}=`));
    if (at >= 0) {
        const value = cmd[at].includes('=') ? cmd[at].split('=')[1] : cmd[at + 1];
        if (Number(value) !== gpus) {
            throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz('resources', `has gpu: ${gpus}, but the image's command runs vLLM with ${TP_FLAG} ${value}: each GPU would not hold its share`, `resources: '{gpu: ${value}}', or package the image without ${TP_FLAG}`);
        }
        return;
    }
    runtime.args = [...cmd, TP_FLAG, String(gpus)];
    notes.push(`vLLM splits the model over the ${gpus} GPUs (${TP_FLAG} ${gpus})`);
}
function rollingUpdateFor(gpus, minReplicas) {
    if (gpus > 0 && minReplicas >= 2) {
        return {
            maxSurge: 0,
            maxUnavailable: 1,
            why: `one pod at a time gives its ${gpus === 1 ? 'GPU' : `${gpus} GPUs`} to its replacement (maxSurge 0, maxUnavailable 1), so a fixed GPU pool needs no spare GPU; the other replicas serve meanwhile`,
        };
    }
    if (gpus > 0) {
        return {
            maxSurge: 1,
            maxUnavailable: 0,
            why: `one replica: the new pod needs ${gpus === 1 ? 'a spare GPU' : `${gpus} spare GPUs`} while the old one keeps serving (maxSurge 1, maxUnavailable 0); with replicas 2 or more deploy replaces one pod at a time instead`,
        };
    }
    return {
        maxSurge: '25%',
        maxUnavailable: 0,
        why: 'new pods up to 25% over the replicas, none of the old ones down until they are ready',
    };
}
function budgetsFor(request, runtime, gpus, rollingUpdate, replicas, overrides) {
    const startSeconds = runtime.startupSeconds;
    const pullSeconds = runtime.pullSeconds ?? 180;
    const nodeSeconds = gpus > 0 ? GPU_NODE_SECONDS : 0;
    const perRound = typeof rollingUpdate.maxSurge === 'string'
        ? Math.max(1, Math.ceil((replicas * parseInt(rollingUpdate.maxSurge, 10)) / 100))
        : Math.max(1, rollingUpdate.maxSurge, Number(rollingUpdate.maxUnavailable));
    const budgets = {
        startSeconds,
        startFrom: overrides.startSeconds !== undefined ? 'input' : 'runtime',
        pullSeconds,
        nodeSeconds,
        progressDeadlineSeconds: startSeconds + pullSeconds + nodeSeconds,
        waves: Math.ceil(replicas / perRound),
        timeoutMs: 0,
        timeoutFrom: request.timeoutMs !== undefined ? 'input' : 'runtime',
    };
    budgets.timeoutMs = request.timeoutMs ?? defaultTimeoutMs(budgets);
    return budgets;
}
/** The first round waits for a node and a pull; each further round for a model to load. */
function defaultTimeoutMs(b) {
    return ((b.progressDeadlineSeconds + (b.waves - 1) * b.startSeconds + TIMEOUT_MARGIN_SECONDS) * 1000);
}
/** What the progress deadline is made of: `start 10m + image pull 10m + GPU node 10m`. */
function deadlineParts(b) {
    return [
        `start ${(0,_common_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(b.startSeconds * 1000)}${b.startFrom === 'input' ? ' from start-timeout' : ''}`,
        `image pull ${(0,_common_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(b.pullSeconds * 1000)}`,
        ...(b.nodeSeconds ? [`GPU node ${(0,_common_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(b.nodeSeconds * 1000)}`] : []),
    ].join(' + ');
}
/** The budgets in one line, for the log and the summary. */
function describeBudgets(b) {
    return `progress deadline ${(0,_common_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(b.progressDeadlineSeconds * 1000)} (${deadlineParts(b)}); timeout ${(0,_common_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(b.timeoutMs)}${b.timeoutFrom === 'input' ? ' (the timeout input)' : ` (${b.waves} round${b.waves === 1 ? '' : 's'} of replacement)`}`;
}
/**
 * Which budget ran out, in words, from a failed rollout's reason and
 * diagnosis: the startup probe's (the model did not load in time), the
 * Deployment's progress deadline, or the step's timeout.
 */
function explainBudget(failure, budgets, readinessPath) {
    if (/Startup probe failed|failed startup probe/i.test(failure.diagnosis)) {
        return `the start budget ran out: the startup probe gives the model server ${(0,_common_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(budgets.startSeconds * 1000)}${budgets.startFrom === 'input' ? ' (start-timeout)' : ''} to answer ${readinessPath ?? 'its health path'}, and the kubelet restarted it when it had not; raise start-timeout for a model that loads slowly, or read the server's log for why it did not come up`;
    }
    if (failure.reason.startsWith('ProgressDeadlineExceeded')) {
        return `the Deployment's progress deadline ran out: no new pod became ready within ${(0,_common_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(budgets.progressDeadlineSeconds * 1000)} (${deadlineParts(budgets)})`;
    }
    if (failure.reason.startsWith('Timeout')) {
        return `the step's timeout ran out: ${(0,_common_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(budgets.timeoutMs)}${budgets.timeoutFrom === 'input' ? ' (the timeout input)' : " (the runtime's budget)"} passed before every new pod was ready${budgets.timeoutFrom === 'input' && budgets.timeoutMs < budgets.progressDeadlineSeconds * 1000 ? `, sooner than the Deployment's progress deadline of ${(0,_common_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(budgets.progressDeadlineSeconds * 1000)}` : ''}`;
    }
    return undefined;
}
/**
 * Why no node took a GPU pod, when the scheduler said so: the node labels
 * and the GPU resource the pod asks for, so the user can compare them with
 * the cluster's GPU nodes.
 */
function explainPlacement(failure, spec) {
    const gpus = spec.resources.gpu ?? 0;
    if (gpus === 0)
        return undefined;
    const selectorMissed = /didn't match Pod's node affinity\/selector/.test(failure.diagnosis);
    const gpuShort = /Insufficient nvidia\.com\/gpu/.test(failure.diagnosis);
    if (!selectorMissed && !gpuShort)
        return undefined;
    const placement = spec.profile.gpuPlacement(spec.resources.gpuType);
    const wanted = [
        ...Object.entries(placement.nodeSelector).map(([k, v]) => `${k}=${v}`),
        ...(placement.nodeAffinityTerms?.length
            ? [
                placement.nodeAffinityTerms
                    .map((term) => term.map((t) => `${t.key}=${t.values.join('|')}`).join(', '))
                    .join(' or '),
            ]
            : []),
    ];
    const labels = wanted.length ? `nodes labelled ${wanted.join(', ')}` : 'GPU nodes';
    return `no node can take the pod: it asks for ${gpus} nvidia.com/gpu on ${labels} (the ${spec.profile.name} cloud profile); ${selectorMissed ? 'check that such a GPU node pool exists and its nodes carry these labels' : 'every such node has its GPUs taken: add GPU nodes, or let the node autoscaler add them'}, and that the NVIDIA device plugin reports nvidia.com/gpu on them`;
}


/***/ }),

/***/ 72502:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   A1: () => (/* binding */ runAnalysis),
/* harmony export */   ZV: () => (/* binding */ formatNumber)
/* harmony export */ });
/* unused harmony exports conditionText, compare, fillQuery, sampleValues, queryPrometheus */
/* harmony import */ var undici__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(24371);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(52639);
/* harmony import */ var _common_retry_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(80272);
/* harmony import */ var _smoke_failures_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(28421);
/* harmony import */ var _smoke_service_proxy_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(99378);
/* harmony import */ var _smoke_smoke_test_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(87709);
/* harmony import */ var _common_bounded_body_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(93324);







function conditionText(check) {
    return `${check.operator} ${check.threshold}`;
}
function compare(value, operator, threshold) {
    switch (operator) {
        case '<':
            return value < threshold;
        case '<=':
            return value <= threshold;
        case '>':
            return value > threshold;
        case '>=':
            return value >= threshold;
        case '==':
            return value === threshold;
        case '!=':
            return value !== threshold;
    }
}
function fillQuery(query, target) {
    const values = {
        release: target.release,
        namespace: target.namespace,
        canary: target.canaryDeployment,
        stable: target.stableDeployment,
    };
    return query.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key) => values[key] ?? whole);
}
/** The numbers in an instant query's result: one per vector sample, or the scalar. */
function sampleValues(data) {
    if (data.resultType === 'scalar')
        return [Number(data.result[1])];
    if (data.resultType === 'vector') {
        return data.result.map((s) => Number(s.value[1]));
    }
    throw new Error(`an instant query must return a vector or a scalar, not a ${data.resultType}`);
}
async function queryPrometheus(baseUrl, query, timeoutMs) {
    const url = `${baseUrl.replace(/\/+$/, '')}/api/v1/query`;
    const answer = await (0,_common_retry_js__WEBPACK_IMPORTED_MODULE_2__/* .withRetry */ .bD)(async () => {
        const response = await (0,undici__WEBPACK_IMPORTED_MODULE_0__/* .request */ .Em)(url, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ query }).toString(),
            headersTimeout: timeoutMs,
            bodyTimeout: timeoutMs,
        });
        const text = await (0,_common_bounded_body_js__WEBPACK_IMPORTED_MODULE_6__/* .readText */ .yR)(response.body, 4 * _common_bounded_body_js__WEBPACK_IMPORTED_MODULE_6__/* .MiB */ .lv, `Prometheus at ${baseUrl}`);
        // Prometheus answers a bad query with 400/422 and a JSON error: not worth a retry.
        if (response.statusCode >= 500 || response.statusCode === 429) {
            throw new _common_retry_js__WEBPACK_IMPORTED_MODULE_2__/* .HttpStatusError */ .F9(response.statusCode, url, `Prometheus answered HTTP ${response.statusCode}: ${(0,_common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .oneLine */ .TN)(text).slice(0, 200)}`);
        }
        try {
            return JSON.parse(text);
        }
        catch {
            throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo(`Prometheus at ${baseUrl} answered HTTP ${response.statusCode} with a body that is not JSON`, { hint: 'prometheus-url must be the server root, e.g. http://prometheus:9090' });
        }
    }, { attempts: 3, baseDelayMs: 200 });
    if (answer.status !== 'success' || answer.data === undefined) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo(`Prometheus refused the query ${query}: ${answer.errorType ?? 'error'}: ${answer.error ?? 'no data'}`, { hint: 'check the query in prometheus-queries' });
    }
    return sampleValues(answer.data);
}
async function checkMetric(baseUrl, check, target, timeoutMs) {
    const query = fillQuery(check.query, target);
    const condition = conditionText(check);
    const base = { name: check.name, query, condition };
    let values;
    try {
        values = await queryPrometheus(baseUrl, query, timeoutMs);
    }
    catch (err) {
        return { ...base, values: [], passed: false, message: (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .errorMessage */ .gJ)(err) };
    }
    // No samples means the metric is not there to vouch for the new version.
    if (values.length === 0) {
        return { ...base, values, passed: false, message: `${check.name}: the query returned no data` };
    }
    const bad = values.filter((v) => Number.isNaN(v) || !compare(v, check.operator, check.threshold));
    return {
        ...base,
        values,
        passed: bad.length === 0,
        message: bad.length === 0
            ? `${check.name} ${values.map(formatNumber).join(', ')} ${condition}`
            : `${check.name} is ${bad.map(formatNumber).join(', ')}, expected ${condition}`,
    };
}
function formatNumber(value) {
    if (!Number.isFinite(value))
        return String(value);
    return Number(value.toPrecision(4)).toString();
}
async function runAnalysis(spec, target, connection, logger) {
    const endpoint = await (0,_smoke_service_proxy_js__WEBPACK_IMPORTED_MODULE_4__/* .serviceProxyEndpoint */ .T)({ namespace: target.namespace, name: target.service, port: String(target.port) }, connection);
    const token = endpoint.headers.authorization?.replace(/^Bearer /, '');
    if (token)
        logger.secret(token);
    const smoke = await (0,_smoke_smoke_test_js__WEBPACK_IMPORTED_MODULE_5__/* .smokeTestEndpoint */ .Z)({ ...spec.smoke, endpoint, logger });
    const metrics = [];
    for (const check of spec.prometheus?.checks ?? []) {
        const result = await checkMetric(spec.prometheus.url, check, target, spec.prometheus.timeoutMs ?? 10_000);
        logger.info(`metric ${result.passed ? 'passed' : 'FAILED'}: ${result.message}`);
        metrics.push(result);
    }
    const problems = [
        ...smoke.failures.map(_smoke_failures_js__WEBPACK_IMPORTED_MODULE_3__/* .describeFailure */ .Ic),
        ...metrics.filter((m) => !m.passed).map((m) => m.message),
    ];
    return {
        passed: problems.length === 0,
        smoke: {
            passed: smoke.passed,
            failures: smoke.failures,
            ...(smoke.load
                ? {
                    p95Ms: smoke.load.latency.p95,
                    errorRate: smoke.load.errorRate,
                    requests: smoke.load.requests,
                }
                : {}),
        },
        metrics,
        verdict: problems.length === 0 ? 'passed' : problems.join('; '),
    };
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
