export const id = 230;
export const ids = [230];
export const modules = {

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

/***/ 49230:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   gcsObjectReader: () => (/* binding */ gcsObjectReader)
/* harmony export */ });
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(57075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(52639);
/* harmony import */ var _common_http_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(72316);
/* harmony import */ var _common_retry_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(80272);
/* harmony import */ var _credentials_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(66742);





function gcsObjectReader(options) {
    const env = options.env ?? process.env;
    const auth = options.auth ?? (0,_credentials_js__WEBPACK_IMPORTED_MODULE_4__/* .googleAuth */ .Ky)();
    let token;
    const bucket = {
        endpoint: (options.endpoint ??
            env.MODEL_DEPLOY_GCS_ENDPOINT ??
            'https://storage.googleapis.com').replace(/\/+$/, ''),
        name: options.bucket,
        bearer: () => (token ??= (0,_credentials_js__WEBPACK_IMPORTED_MODULE_4__/* .googleAccessToken */ .d6)(auth, options.logger)),
    };
    return {
        async exists(name) {
            const response = await request(bucket, name, objectUrl(bucket, name, false));
            if (response.status === 404) {
                await response.body?.cancel();
                return false;
            }
            if (!response.ok)
                return refused(bucket, response, name);
            await response.body?.cancel();
            return true;
        },
        async open(name) {
            const response = await request(bucket, name, objectUrl(bucket, name, true));
            if (!response.ok || response.body === null)
                return refused(bucket, response, name);
            return node_stream__WEBPACK_IMPORTED_MODULE_0__.Readable.fromWeb(response.body);
        },
        list: (prefix) => listObjects(bucket, prefix),
    };
}
// The JSON API takes the whole object name as one path segment, slashes encoded.
function objectUrl(bucket, name, media) {
    return `${bucket.endpoint}/storage/v1/b/${encodeURIComponent(bucket.name)}/o/${encodeURIComponent(name)}${media ? '?alt=media' : ''}`;
}
function what(bucket, name) {
    return `gs://${bucket.name}/${name}`;
}
/** A GET of `target`, retried on 5xx and 429; other answers go back to the caller. */
async function request(bucket, name, target) {
    const authorization = `Bearer ${await bucket.bearer()}`;
    return (0,_common_retry_js__WEBPACK_IMPORTED_MODULE_3__/* .withRetry */ .bD)(async () => {
        const response = await (0,_common_http_js__WEBPACK_IMPORTED_MODULE_2__/* .httpFetch */ .tX)(target, {
            headers: { authorization },
            // A model object may take long; only a stalled transfer is cut off.
            timeoutMs: 0,
            server: 'Google Cloud Storage API',
        });
        if (response.status >= 500 || response.status === 429) {
            await response.body?.cancel();
            throw new _common_retry_js__WEBPACK_IMPORTED_MODULE_3__/* .HttpStatusError */ .F9(response.status, target, `Cloud Storage answered HTTP ${response.status} for ${what(bucket, name)}`, response.headers.get('retry-after'));
        }
        return response;
    });
}
async function refused(bucket, response, name) {
    let reason = '';
    try {
        const body = (await response.json());
        reason = body.error?.message ? `: ${body.error.message}` : '';
    }
    catch {
        // The status alone still says enough.
    }
    throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo(`Cloud Storage refused reading ${what(bucket, name)} (${response.status})${reason}`, {
        hint: response.status === 401 || response.status === 403
            ? 'give the service account roles/storage.objectViewer on the bucket, and run google-github-actions/auth before this step'
            : 'check the bucket and path (the DVC remote url in .dvc/config, or the MLflow artifact location)',
    });
}
/** Every object under `prefix`, page by page. */
async function listObjects(bucket, prefix) {
    const objects = [];
    let pageToken;
    do {
        const query = new URLSearchParams({ prefix, ...(pageToken ? { pageToken } : {}) });
        const target = `${bucket.endpoint}/storage/v1/b/${encodeURIComponent(bucket.name)}/o?${query.toString()}`;
        const response = await request(bucket, prefix, target);
        if (!response.ok)
            return refused(bucket, response, prefix);
        const page = (await response.json());
        for (const item of page.items ?? []) {
            if (typeof item.name === 'string')
                objects.push({ key: item.name, size: Number(item.size ?? 0) });
        }
        pageToken = page.nextPageToken;
    } while (pageToken);
    return objects;
}


/***/ })

};
