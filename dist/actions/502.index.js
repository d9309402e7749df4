export const id = 502;
export const ids = [502];
export const modules = {

/***/ 58502:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   gkeConnection: () => (/* binding */ gkeConnection)
/* harmony export */ });
/* unused harmony export defaultGoogleTokens */
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(52639);
/* harmony import */ var _common_retry_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(80272);
/* harmony import */ var _credentials_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(66742);
/* harmony import */ var _rest_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(14376);




/**
 * A GKE connection: the endpoint and CA from the container API's
 * `projects.locations.clusters.get`, and a Google access token (what
 * gke-gcloud-auth-plugin sends) as the bearer token, renewed before expiry.
 */
const DEFAULT_CONTAINER_API = 'https://container.googleapis.com';
function defaultGoogleTokens(context) {
    const auth = (0,_credentials_js__WEBPACK_IMPORTED_MODULE_2__/* .googleAuth */ .Ky)();
    return () => (0,_credentials_js__WEBPACK_IMPORTED_MODULE_2__/* .googleAccessToken */ .d6)(auth, context.logger);
}
async function gkeConnection(spec, context, tokens = defaultGoogleTokens(context)) {
    const api = (context.endpoints?.gke ??
        process.env.MODEL_DEPLOY_GKE_ENDPOINT ??
        DEFAULT_CONTAINER_API).replace(/\/$/, '');
    // googleAccessToken masks the token and explains failures; the library caches and renews it.
    const refresh = () => tokens();
    const token = await refresh();
    const url = `${api}/v1/projects/${encodeURIComponent(spec.project)}/locations/${encodeURIComponent(spec.location)}/clusters/${encodeURIComponent(spec.name)}`;
    const cluster = await (0,_rest_js__WEBPACK_IMPORTED_MODULE_3__/* .googleJson */ .g)(url, token, { server: 'GKE API' }).catch((err) => {
        if (err instanceof _common_retry_js__WEBPACK_IMPORTED_MODULE_1__/* .HttpStatusError */ .F9) {
            const detail = err.message;
            if (err.status === 404) {
                throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`GKE cluster ${spec.name} was not found in ${spec.project}/${spec.location}: ${detail}`, {
                    hint: 'check the cluster input (gke:<project>/<location>/<name>); the location is the region or zone of the cluster',
                });
            }
            if (err.status === 401 || err.status === 403) {
                throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`Google refused clusters.get for ${spec.name} (${err.status}): ${detail}`, {
                    hint: 'grant the service account roles/container.developer on the project',
                });
            }
            throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`clusters.get for ${spec.name} failed with HTTP ${err.status}: ${detail}`);
        }
        throw err;
    });
    if (!cluster.endpoint) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`GKE cluster ${spec.name} has no endpoint (status ${cluster.status ?? 'unknown'})`, {
            hint: 'wait until the cluster is RUNNING',
        });
    }
    const ca = cluster.masterAuth?.clusterCaCertificate;
    return {
        server: cluster.endpoint.startsWith('https://')
            ? cluster.endpoint
            : `https://${cluster.endpoint}`,
        ...(ca ? { caData: Buffer.from(ca, 'base64').toString('utf8') } : {}),
        token,
        refresh,
        cloud: 'gcp',
        displayName: `gke:${spec.project}/${spec.location}/${spec.name}`,
    };
}


/***/ }),

/***/ 66742:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ky: () => (/* binding */ googleAuth),
/* harmony export */   d6: () => (/* binding */ googleAccessToken)
/* harmony export */ });
/* unused harmony export CLOUD_PLATFORM_SCOPE */
/* harmony import */ var google_auth_library__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(492);
/* harmony import */ var google_auth_library__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(google_auth_library__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(52639);


const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
/**
 * Google application default credentials: the file google-github-actions/auth
 * writes (workload identity federation or a key), the gcloud user file, or
 * the metadata server on Google compute.
 */
function googleAuth() {
    return new google_auth_library__WEBPACK_IMPORTED_MODULE_0__.GoogleAuth({ scopes: [CLOUD_PLATFORM_SCOPE] });
}
async function googleAccessToken(auth, logger) {
    let token;
    try {
        token = await auth.getAccessToken();
    }
    catch (err) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo(`could not get a Google access token: ${err.message.split('\n')[0]}`, {
            hint: 'run google-github-actions/auth before this step (workload_identity_provider + service_account)',
            cause: err,
        });
    }
    if (!token)
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo('Google application default credentials returned no access token');
    logger.secret(token);
    return token;
}


/***/ }),

/***/ 14376:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   g: () => (/* binding */ googleJson)
/* harmony export */ });
/* unused harmony export googleMessage */
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(52639);
/* harmony import */ var _common_http_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(72316);
/* harmony import */ var _common_retry_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(80272);
/* harmony import */ var _common_bounded_body_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(93324);




/**
 * One JSON call to a Google REST API (`{ error: { code, status, message } }`
 * on failure) with a bearer token: transient failures are retried, the final
 * one is an HttpStatusError whose message is Google's status and message on
 * one line, never the raw body.
 */
async function googleJson(url, token, init = {}) {
    return (0,_common_retry_js__WEBPACK_IMPORTED_MODULE_2__/* .withRetry */ .bD)(async () => {
        const response = await (0,_common_http_js__WEBPACK_IMPORTED_MODULE_1__/* .httpFetch */ .tX)(url, {
            method: init.method ?? 'GET',
            headers: {
                authorization: `Bearer ${token}`,
                ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
            },
            ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
            timeoutMs: 30_000,
            server: init.server ?? 'Google API',
        });
        const text = await (0,_common_bounded_body_js__WEBPACK_IMPORTED_MODULE_3__/* .readText */ .yR)(response.body, 4 * _common_bounded_body_js__WEBPACK_IMPORTED_MODULE_3__/* .MiB */ .lv, new URL(url).host);
        if (!response.ok) {
            throw new _common_retry_js__WEBPACK_IMPORTED_MODULE_2__/* .HttpStatusError */ .F9(response.status, url, googleMessage(text), response.headers.get('retry-after'));
        }
        try {
            return JSON.parse(text);
        }
        catch {
            throw new Error(`${new URL(url).host} answered HTTP ${response.status} without JSON`);
        }
    });
}
/** Google's error status and message, on one line and bounded. */
function googleMessage(body) {
    let message = body;
    try {
        const parsed = JSON.parse(body);
        if (parsed.error)
            message = `${parsed.error.status ?? ''}: ${parsed.error.message ?? ''}`.replace(/^: /, '');
    }
    catch {
        // not JSON: shown as it came, on one line
    }
    return (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .oneLine */ .TN)(message).slice(0, 300);
}


/***/ })

};
