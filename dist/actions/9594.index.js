export const id = 9594;
export const ids = [9594];
export const modules = {

/***/ 49936:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   g: () => (/* binding */ ungrouped)
/* harmony export */ });
const ungrouped = (_title, body) => body();


/***/ }),

/***/ 29594:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   runSmokeTest: () => (/* binding */ runSmokeTest)
/* harmony export */ });
/* unused harmony export resolveEndpoint */
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(52639);
/* harmony import */ var _smoke_protocols_types_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(36043);
/* harmony import */ var _smoke_service_proxy_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(99378);
/* harmony import */ var _smoke_smoke_test_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(87709);
/* harmony import */ var _log_group_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(49936);





function urlEndpoint(request, url) {
    const shown = new URL(url);
    return {
        baseUrl: url,
        headers: request.headers,
        displayName: (0,_smoke_protocols_types_js__WEBPACK_IMPORTED_MODULE_1__/* .isGrpcProtocol */ .L$)(request.protocol)
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
    const endpoint = await (0,_smoke_service_proxy_js__WEBPACK_IMPORTED_MODULE_2__/* .serviceProxyEndpoint */ .T)(service, connection);
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
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz('url', 'is required unless service is given', 'https://models.example.com or service: default/resnet50:8000');
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
 * The smoke test of a served model: its endpoint resolved (a URL, or a
 * Service through the cluster's API server), then readiness, metadata, one
 * checked inference and the load against the SLOs.
 */
async function runSmokeTest(request, settings) {
    const { logger, group = _log_group_js__WEBPACK_IMPORTED_MODULE_4__/* .ungrouped */ .g } = settings;
    const endpoint = await group('Connect', () => resolveEndpoint(request, logger));
    const result = await group(`Smoke test ${endpoint.displayName}`, () => (0,_smoke_smoke_test_js__WEBPACK_IMPORTED_MODULE_3__/* .smokeTestEndpoint */ .Z)({ ...request, endpoint, management: managementEndpoint(request), logger }));
    return { endpoint, result };
}


/***/ })

};
