export const id = 4864;
export const ids = [4864];
export const modules = {

/***/ 54864:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   setDeployOutputs: () => (/* binding */ setDeployOutputs),
/* harmony export */   writeDeploySummary: () => (/* binding */ writeDeploySummary)
/* harmony export */ });
/* harmony import */ var _shared_action_index_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(86351);
/* harmony import */ var _shared_common_duration_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(59284);
/* harmony import */ var _shared_kube_strategies_analysis_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(72502);
/* harmony import */ var _shared_kube_serving_plan_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(18352);




/** The outputs of a deploy, as far as it got. */
function setDeployOutputs(result) {
    const { outcome, endpoint } = result;
    (0,_shared_action_index_js__WEBPACK_IMPORTED_MODULE_0__/* .setOutput */ .uH)('status', outcome?.status ?? 'failed');
    if (outcome) {
        // Apply to rollout done (or rolled back), the strategy's steps included.
        (0,_shared_action_index_js__WEBPACK_IMPORTED_MODULE_0__/* .setOutput */ .uH)('rollout-seconds', outcome.status === 'dry-run' || result.rolloutMs === undefined
            ? ''
            : seconds(result.rolloutMs));
        (0,_shared_action_index_js__WEBPACK_IMPORTED_MODULE_0__/* .setOutput */ .uH)('revision', outcome.revision ?? '');
        (0,_shared_action_index_js__WEBPACK_IMPORTED_MODULE_0__/* .setOutput */ .uH)('previous-revision', outcome.previousRevision ?? '');
        (0,_shared_action_index_js__WEBPACK_IMPORTED_MODULE_0__/* .setOutput */ .uH)('url', endpoint?.url ?? '');
        (0,_shared_action_index_js__WEBPACK_IMPORTED_MODULE_0__/* .setOutput */ .uH)('reach', endpoint?.reach ?? '');
        (0,_shared_action_index_js__WEBPACK_IMPORTED_MODULE_0__/* .setOutput */ .uH)('service', endpoint?.service ?? '');
        (0,_shared_action_index_js__WEBPACK_IMPORTED_MODULE_0__/* .setOutput */ .uH)('address-seconds', result.addressMs !== undefined ? seconds(result.addressMs) : '');
    }
    if (result.strategy)
        setStrategyOutputs(result.strategyOutcome);
}
function setStrategyOutputs(outcome) {
    (0,_shared_action_index_js__WEBPACK_IMPORTED_MODULE_0__/* .setOutput */ .uH)('promoted', outcome?.promoted ? 'true' : 'false');
    (0,_shared_action_index_js__WEBPACK_IMPORTED_MODULE_0__/* .setOutput */ .uH)('step', String(outcome?.step ?? 0));
}
/** Milliseconds as seconds with one decimal, for the timing outputs. */
function seconds(ms) {
    return (Math.round(ms / 100) / 10).toFixed(1);
}
function writeDeploySummary(summary, result) {
    const { request, outcome, servingPlan } = result;
    const deployment = outcome?.objects.find((o) => o.kind === 'Deployment');
    const replicas = deployment?.spec?.replicas;
    summary.facts([
        ['status', outcome?.status ?? 'failed'],
        ['cluster', result.cluster],
        ['namespace', request.namespace],
        ['revision', outcome?.revision],
        ['previous revision', outcome?.previousRevision],
        [
            'attempted revision',
            outcome?.attemptedRevision !== outcome?.revision ? outcome?.attemptedRevision : undefined,
        ],
        ['image', outcome?.image ?? result.image.reference],
        ['attempted image', outcome?.attemptedImage],
        [
            'replicas',
            request.autoscaling
                ? `${request.autoscaling.min}–${request.autoscaling.max} (autoscaled)`
                : replicas,
        ],
        ['runtime', servingPlan ? request.runtime : undefined],
        ['rolling update', servingPlan?.rollingUpdate.why],
        ['rollout budgets', servingPlan ? (0,_shared_kube_serving_plan_js__WEBPACK_IMPORTED_MODULE_3__/* .describeBudgets */ .c0)(servingPlan.budgets) : undefined],
        ['rollout time', outcome?.rollout ? (0,_shared_common_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(outcome.rollout.durationMs) : undefined],
        ['url', result.endpoint?.url],
        [
            'waited for lock',
            outcome?.waitedFor ? `${(0,_shared_common_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(outcome.waitedMs)} (${outcome.waitedFor})` : undefined,
        ],
    ]);
    writeReleaseDetails(summary, result);
    if (result.strategyOutcome)
        writeStrategySummary(summary, result.strategyOutcome);
}
function writeReleaseDetails(summary, { outcome, servingPlan }) {
    if (servingPlan?.notes.length) {
        summary.paragraph(`Chosen for this release: ${servingPlan.notes.join('; ')}`);
    }
    if (outcome?.applied.length)
        summary.paragraph(`Applied: ${outcome.applied.join(', ')}`);
    if (outcome?.pruned.length)
        summary.paragraph(`Pruned: ${outcome.pruned.join(', ')}`);
    if (outcome?.failure) {
        summary.heading(`Rollout failed: ${outcome.failure.reason}`);
        summary.paragraph(outcome.failure.message);
        if (outcome.failure.diagnosis)
            summary.code(outcome.failure.diagnosis);
    }
    if (outcome?.diff) {
        summary.heading('Dry run: changes');
        summary.table(['object', 'change'], outcome.diff.map((d) => [d.name, d.change]));
        const patches = outcome.diff
            .filter((d) => d.patch)
            .map((d) => d.patch)
            .join('\n');
        if (patches)
            summary.code(patches, 'diff');
    }
}
function figures(analyses) {
    const last = analyses[analyses.length - 1];
    if (!last)
        return '';
    const parts = [`${analyses.length} run${analyses.length === 1 ? '' : 's'}`];
    if (last.smoke.p95Ms !== undefined)
        parts.push(`p95 ${last.smoke.p95Ms.toFixed(1)} ms`);
    if (last.smoke.errorRate !== undefined)
        parts.push(`errors ${(last.smoke.errorRate * 100).toFixed(2)}%`);
    for (const metric of last.metrics)
        parts.push(`${metric.name} ${metric.values.map(_shared_kube_strategies_analysis_js__WEBPACK_IMPORTED_MODULE_2__/* .formatNumber */ .ZV).join(', ') || 'no data'}`);
    return parts.join(', ');
}
function writeStrategySummary(summary, outcome) {
    const title = outcome.strategy === 'canary' ? 'Canary' : 'Blue-green';
    summary.heading(`${title}: ${outcome.promoted ? 'promoted' : outcome.aborted ? `withdrawn at step ${outcome.aborted.step}` : 'not promoted'}`);
    summary.facts([
        ['traffic', outcome.strategy === 'canary' ? outcome.router : 'Service selector switch'],
        [
            'note',
            outcome.router === 'replicas' && outcome.strategy === 'canary'
                ? 'the split follows replica counts, so weights are approximate'
                : undefined,
        ],
        ['earlier run', outcome.recovered],
    ]);
    if (outcome.steps.length > 0) {
        summary.table(['step', 'weight', 'analysis', 'verdict', 'time'], outcome.steps.map((s) => [
            outcome.strategy === 'canary' ? s.step : s.step === 1 ? '1 (preview)' : '2 (switched)',
            s.actualWeight === s.weight ? `${s.weight}%` : `${s.actualWeight}% (asked ${s.weight}%)`,
            figures(s.analyses),
            s.verdict === 'passed'
                ? '✅ passed'
                : `❌ ${s.analyses[s.analyses.length - 1]?.verdict ?? 'failed'}`,
            (0,_shared_common_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(s.durationMs),
        ]));
    }
}


/***/ })

};
