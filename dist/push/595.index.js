export const id = 595;
export const ids = [595];
export const modules = {

/***/ 96595:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  artifactRegistryAccess: () => (/* binding */ artifactRegistryAccess)
});

// EXTERNAL MODULE: ./node_modules/@google-cloud/artifact-registry/build/src/index.js
var src = __webpack_require__(34192);
// EXTERNAL MODULE: ./shared/common/errors.ts
var errors = __webpack_require__(52639);
// EXTERNAL MODULE: ./node_modules/google-auth-library/build/src/index.js
var build_src = __webpack_require__(492);
;// CONCATENATED MODULE: ./shared/clouds/gcp/credentials.ts


const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
/**
 * Google application default credentials: the file google-github-actions/auth
 * writes (workload identity federation or a key), the gcloud user file, or
 * the metadata server on Google compute.
 */
function googleAuth() {
    return new build_src.GoogleAuth({ scopes: [CLOUD_PLATFORM_SCOPE] });
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

;// CONCATENATED MODULE: ./shared/clouds/gcp/registry.ts



const AR_HOST = /^([a-z0-9-]+)-docker\.pkg\.dev$/;
const scopes = [CLOUD_PLATFORM_SCOPE];
/** gRPC NOT_FOUND / ALREADY_EXISTS, or the HTTP statuses the REST transport reports. */
const isNotFound = (err) => [5, 404].includes(Number(err.code));
const isAlreadyExists = (err) => [6, 409].includes(Number(err.code));
/**
 * Artifact Registry: the user `oauth2accesstoken` with a Google access token as
 * password. Repositories (`<location>-docker.pkg.dev/<project>/<repository>/<image>`)
 * must exist; they are looked up and created with @google-cloud/artifact-registry
 * over its REST transport (which also lets an endpoint override point it elsewhere).
 */
function artifactRegistryAccess(options) {
    const env = options.env ?? process.env;
    const auth = options.auth ?? googleAuth();
    const override = options.endpoint ?? env.CLOUDSDK_API_ENDPOINT_OVERRIDES_ARTIFACTREGISTRY;
    // The client finds the same application default credentials itself (it
    // carries its own copy of google-auth-library, so ours is not handed over).
    const client = () => {
        if (override === undefined)
            return new src/* ArtifactRegistryClient */.DA({ fallback: true, scopes });
        const url = new URL(override);
        const protocol = url.protocol.replace(':', '');
        return new src/* ArtifactRegistryClient */.DA({
            fallback: true,
            scopes,
            apiEndpoint: url.hostname,
            port: Number(url.port || (protocol === 'http' ? 80 : 443)),
            protocol,
        });
    };
    return {
        async credential() {
            const token = await googleAccessToken(auth, options.logger);
            return { kind: 'basic', username: 'oauth2accesstoken', password: token };
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
            const api = client();
            try {
                await api.getRepository({ name });
                return;
            }
            catch (err) {
                if (!isNotFound(err)) {
                    throw new errors/* UserError */.yo(`checking Artifact Registry repository ${name} failed: ${err.message}`, {
                        hint: 'the identity needs artifactregistry.repositories.get (roles/artifactregistry.writer)',
                    });
                }
            }
            options.logger.info(`creating Artifact Registry repository ${name}`);
            try {
                const [operation] = await api.createRepository({
                    parent,
                    repositoryId: repo,
                    repository: {
                        format: 'DOCKER',
                        description: 'Created by model-deploy',
                        dockerConfig: { immutableTags: immutableTags ?? false },
                    },
                });
                await operation.promise();
            }
            catch (err) {
                if (isAlreadyExists(err))
                    return;
                throw new errors/* UserError */.yo(`creating Artifact Registry repository ${name} failed: ${err.message}`, {
                    hint: 'the identity needs roles/artifactregistry.admin to create repositories, or create it beforehand',
                });
            }
            finally {
                await api.close();
            }
        },
    };
}


/***/ })

};
