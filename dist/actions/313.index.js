export const id = 313;
export const ids = [313];
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

/***/ 60313:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   artifactRegistryAccess: () => (/* binding */ artifactRegistryAccess)
/* harmony export */ });
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(52639);
/* harmony import */ var _common_retry_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(80272);
/* harmony import */ var _credentials_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(66742);
/* harmony import */ var _rest_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(14376);




const AR_HOST = /^([a-z0-9-]+)-docker\.pkg\.dev$/;
const DEFAULT_API = 'https://artifactregistry.googleapis.com';
const CREATE_HINT = 'the identity needs roles/artifactregistry.admin to create repositories, or create it beforehand';
/**
 * Artifact Registry: the user `oauth2accesstoken` with a Google access token as
 * password. Repositories (`<location>-docker.pkg.dev/<project>/<repository>/<image>`)
 * must exist; they are looked up and created through the REST API
 * (`projects.locations.repositories.get/create`, then the operation polled).
 */
function artifactRegistryAccess(options) {
    const env = options.env ?? process.env;
    const auth = options.auth ?? (0,_credentials_js__WEBPACK_IMPORTED_MODULE_2__/* .googleAuth */ .Ky)();
    const api = (options.endpoint ??
        env.CLOUDSDK_API_ENDPOINT_OVERRIDES_ARTIFACTREGISTRY ??
        DEFAULT_API).replace(/\/+$/, '');
    const token = () => (0,_credentials_js__WEBPACK_IMPORTED_MODULE_2__/* .googleAccessToken */ .d6)(auth, options.logger);
    return {
        async credential() {
            return { kind: 'basic', username: 'oauth2accesstoken', password: await token() };
        },
        async ensureRepository(repository, { immutableTags }) {
            const target = repositoryTarget(options.host, repository, env, options.logger);
            if (target === undefined)
                return;
            const calls = {
                api,
                bearer: await token(),
                createTimeoutMs: options.createTimeoutMs ?? 120_000,
            };
            if (await repositoryExists(calls, target.name))
                return;
            options.logger.info(`creating Artifact Registry repository ${target.name}`);
            const operation = await createRepository(calls, target, immutableTags ?? false);
            if (operation !== undefined)
                await awaitCreation(calls, target.name, operation);
        },
    };
}
/** The repository a destination names; undefined when its location is unknown (nothing to check). */
function repositoryTarget(host, repository, env, logger) {
    const location = AR_HOST.exec(host.replace(/:\d+$/, ''))?.[1] ?? env.CLOUDSDK_ARTIFACTS_LOCATION;
    const [project, repo] = repository.split('/');
    if (location === undefined) {
        logger.info(`not checking the Artifact Registry repository for ${host}: its location is not in the host name (set CLOUDSDK_ARTIFACTS_LOCATION)`);
        return undefined;
    }
    if (project === undefined || repo === undefined || !repository.includes('/')) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`Artifact Registry destination ${host}/${repository} must be <location>-docker.pkg.dev/<project>/<repository>/<image>`);
    }
    const parent = `projects/${project}/locations/${location}`;
    return { parent, repository: repo, name: `${parent}/repositories/${repo}` };
}
async function repositoryExists(calls, name) {
    try {
        await (0,_rest_js__WEBPACK_IMPORTED_MODULE_3__/* .googleJson */ .g)(`${calls.api}/v1/${name}`, calls.bearer, { server: 'Artifact Registry API' });
        return true;
    }
    catch (err) {
        if (err instanceof _common_retry_js__WEBPACK_IMPORTED_MODULE_1__/* .HttpStatusError */ .F9 && err.status === 404)
            return false;
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`checking Artifact Registry repository ${name} failed: ${describe(err)}`, {
            hint: 'the identity needs artifactregistry.repositories.get (roles/artifactregistry.writer)',
            cause: err,
        });
    }
}
/** Starts the creation; undefined when another job created the repository first. */
async function createRepository(calls, target, immutableTags) {
    try {
        return await (0,_rest_js__WEBPACK_IMPORTED_MODULE_3__/* .googleJson */ .g)(`${calls.api}/v1/${target.parent}/repositories?repositoryId=${encodeURIComponent(target.repository)}`, calls.bearer, {
            method: 'POST',
            server: 'Artifact Registry API',
            body: {
                format: 'DOCKER',
                description: 'Created by model-deploy',
                dockerConfig: { immutableTags },
            },
        });
    }
    catch (err) {
        // Another job created it first: that is what we wanted.
        if (err instanceof _common_retry_js__WEBPACK_IMPORTED_MODULE_1__/* .HttpStatusError */ .F9 && err.status === 409)
            return undefined;
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`creating Artifact Registry repository ${target.name} failed: ${describe(err)}`, { hint: CREATE_HINT, cause: err });
    }
}
/** Polls the creation's long-running operation until it is done, with backoff. */
async function awaitCreation(calls, name, started) {
    const deadline = Date.now() + calls.createTimeoutMs;
    let operation = started;
    for (let delayMs = 250; !operation.done; delayMs = Math.min(delayMs * 2, 5_000)) {
        if (Date.now() > deadline) {
            throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`creating Artifact Registry repository ${name} did not finish within ${Math.round(calls.createTimeoutMs / 1000)} s (operation ${operation.name})`, {
                hint: 'check the operation in the Google Cloud console, or create the repository beforehand',
            });
        }
        await (0,_common_retry_js__WEBPACK_IMPORTED_MODULE_1__/* .sleep */ .yy)(delayMs);
        operation = await (0,_rest_js__WEBPACK_IMPORTED_MODULE_3__/* .googleJson */ .g)(`${calls.api}/v1/${operation.name}`, calls.bearer, {
            server: 'Artifact Registry API',
        });
    }
    if (operation.error) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`creating Artifact Registry repository ${name} failed: ${(0,_common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .oneLine */ .TN)(String(operation.error.message ?? `code ${operation.error.code}`)).slice(0, 300)}`, { hint: CREATE_HINT });
    }
}
function describe(err) {
    return err instanceof _common_retry_js__WEBPACK_IMPORTED_MODULE_1__/* .HttpStatusError */ .F9
        ? `HTTP ${err.status}: ${err.message}`
        : err.message;
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
