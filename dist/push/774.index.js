export const id = 774;
export const ids = [774];
export const modules = {

/***/ 88774:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  artifactRegistryAccess: () => (/* binding */ artifactRegistryAccess)
});

// EXTERNAL MODULE: ./shared/common/errors.ts
var errors = __webpack_require__(52639);
// EXTERNAL MODULE: ./shared/common/retry.ts
var retry = __webpack_require__(80272);
// EXTERNAL MODULE: ./node_modules/google-auth-library/build/src/index.js
var src = __webpack_require__(492);
;// CONCATENATED MODULE: ./shared/clouds/gcp/credentials.ts


const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
/**
 * Google application default credentials: the file google-github-actions/auth
 * writes (workload identity federation or a key), the gcloud user file, or
 * the metadata server on Google compute.
 */
function googleAuth() {
    return new src.GoogleAuth({ scopes: [CLOUD_PLATFORM_SCOPE] });
}
async function googleAccessToken(auth, logger) {
    let token;
    try {
        token = await auth.getAccessToken();
    }
    catch (err) {
        throw new errors/* UserError */.yo(`could not get a Google access token: ${err.message.split('\n')[0]}`, {
            hint: 'run google-github-actions/auth before this step (workload_identity_provider + service_account)',
            cause: err,
        });
    }
    if (!token)
        throw new errors/* UserError */.yo('Google application default credentials returned no access token');
    logger.secret(token);
    return token;
}

// EXTERNAL MODULE: ./shared/common/http.ts
var http = __webpack_require__(72316);
// EXTERNAL MODULE: ./shared/common/bounded-body.ts
var bounded_body = __webpack_require__(93324);
;// CONCATENATED MODULE: ./shared/clouds/gcp/rest.ts




/**
 * One JSON call to a Google REST API (`{ error: { code, status, message } }`
 * on failure) with a bearer token: transient failures are retried, the final
 * one is an HttpStatusError whose message is Google's status and message on
 * one line, never the raw body.
 */
async function googleJson(url, token, init = {}) {
    return (0,retry/* withRetry */.bD)(async () => {
        const response = await (0,http/* httpFetch */.tX)(url, {
            method: init.method ?? 'GET',
            headers: {
                authorization: `Bearer ${token}`,
                ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
            },
            ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
            timeoutMs: 30_000,
            server: init.server ?? 'Google API',
        });
        const text = await (0,bounded_body/* readText */.yR)(response.body, 4 * bounded_body/* MiB */.lv, new URL(url).host);
        if (!response.ok) {
            throw new retry/* HttpStatusError */.F9(response.status, url, googleMessage(text), response.headers.get('retry-after'));
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
    return (0,errors/* oneLine */.TN)(message).slice(0, 300);
}

;// CONCATENATED MODULE: ./shared/clouds/gcp/registry.ts




const AR_HOST = /^([a-z0-9-]+)-docker\.pkg\.dev$/;
const DEFAULT_API = 'https://artifactregistry.googleapis.com';
/**
 * Artifact Registry: the user `oauth2accesstoken` with a Google access token as
 * password. Repositories (`<location>-docker.pkg.dev/<project>/<repository>/<image>`)
 * must exist; they are looked up and created through the REST API
 * (`projects.locations.repositories.get/create`, then the operation polled).
 */
function artifactRegistryAccess(options) {
    const env = options.env ?? process.env;
    const auth = options.auth ?? googleAuth();
    const api = (options.endpoint ??
        env.CLOUDSDK_API_ENDPOINT_OVERRIDES_ARTIFACTREGISTRY ??
        DEFAULT_API).replace(/\/+$/, '');
    const token = () => googleAccessToken(auth, options.logger);
    return {
        async credential() {
            return { kind: 'basic', username: 'oauth2accesstoken', password: await token() };
        },
        async ensureRepository(repository, { immutableTags }) {
            const location = AR_HOST.exec(options.host.replace(/:\d+$/, ''))?.[1] ?? env.CLOUDSDK_ARTIFACTS_LOCATION;
            const [project, repo] = repository.split('/');
            if (location === undefined) {
                options.logger.info(`not checking the Artifact Registry repository for ${options.host}: its location is not in the host name (set CLOUDSDK_ARTIFACTS_LOCATION)`);
                return;
            }
            if (project === undefined || repo === undefined || !repository.includes('/')) {
                throw new errors/* UserError */.yo(`Artifact Registry destination ${options.host}/${repository} must be <location>-docker.pkg.dev/<project>/<repository>/<image>`);
            }
            const parent = `projects/${project}/locations/${location}`;
            const name = `${parent}/repositories/${repo}`;
            const bearer = await token();
            try {
                await googleJson(`${api}/v1/${name}`, bearer, { server: 'Artifact Registry API' });
                return;
            }
            catch (err) {
                if (!(err instanceof retry/* HttpStatusError */.F9 && err.status === 404)) {
                    throw new errors/* UserError */.yo(`checking Artifact Registry repository ${name} failed: ${describe(err)}`, {
                        hint: 'the identity needs artifactregistry.repositories.get (roles/artifactregistry.writer)',
                        cause: err,
                    });
                }
            }
            options.logger.info(`creating Artifact Registry repository ${name}`);
            const createHint = 'the identity needs roles/artifactregistry.admin to create repositories, or create it beforehand';
            let operation;
            try {
                operation = await googleJson(`${api}/v1/${parent}/repositories?repositoryId=${encodeURIComponent(repo)}`, bearer, {
                    method: 'POST',
                    server: 'Artifact Registry API',
                    body: {
                        format: 'DOCKER',
                        description: 'Created by model-deploy',
                        dockerConfig: { immutableTags: immutableTags ?? false },
                    },
                });
            }
            catch (err) {
                // Another job created it first: that is what we wanted.
                if (err instanceof retry/* HttpStatusError */.F9 && err.status === 409)
                    return;
                throw new errors/* UserError */.yo(`creating Artifact Registry repository ${name} failed: ${describe(err)}`, {
                    hint: createHint,
                    cause: err,
                });
            }
            const deadline = Date.now() + (options.createTimeoutMs ?? 120_000);
            for (let delayMs = 250; !operation.done; delayMs = Math.min(delayMs * 2, 5_000)) {
                if (Date.now() > deadline) {
                    throw new errors/* UserError */.yo(`creating Artifact Registry repository ${name} did not finish within ${Math.round((options.createTimeoutMs ?? 120_000) / 1000)} s (operation ${operation.name})`, {
                        hint: 'check the operation in the Google Cloud console, or create the repository beforehand',
                    });
                }
                await (0,retry/* sleep */.yy)(delayMs);
                operation = await googleJson(`${api}/v1/${operation.name}`, bearer, {
                    server: 'Artifact Registry API',
                });
            }
            if (operation.error) {
                throw new errors/* UserError */.yo(`creating Artifact Registry repository ${name} failed: ${(0,errors/* oneLine */.TN)(String(operation.error.message ?? `code ${operation.error.code}`)).slice(0, 300)}`, { hint: createHint });
            }
        },
    };
}
function describe(err) {
    return err instanceof retry/* HttpStatusError */.F9
        ? `HTTP ${err.status}: ${err.message}`
        : err.message;
}


/***/ })

};
