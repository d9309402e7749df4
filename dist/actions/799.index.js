export const id = 799;
export const ids = [799,875,597];
export const modules = {

/***/ 91799:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   aksConnection: () => (/* binding */ aksConnection)
/* harmony export */ });
/* unused harmony exports AKS_SERVER_APP_SCOPE, ARM_API_VERSION */
/* harmony import */ var _kubernetes_client_node__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(14358);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(52639);
/* harmony import */ var _common_http_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(72316);
/* harmony import */ var _common_retry_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(80272);
/* harmony import */ var _generic_cluster_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(72597);
/* harmony import */ var _credentials_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(64875);
/* harmony import */ var _common_bounded_body_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(93324);







/**
 * An AKS connection through ARM `listClusterUserCredential`. Clusters with
 * local accounts return a kubeconfig with a token or client certificate; Entra
 * ID (AAD) clusters return one that defers to kubelogin, and we instead sign
 * in with a token for the AKS server application, which is what kubelogin
 * would get.
 */
const AKS_SERVER_APP_SCOPE = '6dae42f8-4368-4678-94ff-3960e28e3630/.default';
const ARM_API_VERSION = '2024-05-01';
const DEFAULT_ARM = 'https://management.azure.com';
/** Renew an Entra token this long before it expires. */
const RENEW_BEFORE_MS = 5 * 60_000;
async function aksConnection(spec, context, credential = (0,_credentials_js__WEBPACK_IMPORTED_MODULE_5__.azureCredential)({ logger: context.logger })) {
    const arm = (context.endpoints?.arm ??
        process.env.MODEL_DEPLOY_ARM_ENDPOINT ??
        DEFAULT_ARM).replace(/\/$/, '');
    const display = `aks:${spec.subscription}/${spec.resourceGroup}/${spec.name}`;
    const armToken = await entraToken(credential, `${DEFAULT_ARM}/.default`, context);
    const url = `${arm}/subscriptions/${encodeURIComponent(spec.subscription)}/resourceGroups/${encodeURIComponent(spec.resourceGroup)}` +
        `/providers/Microsoft.ContainerService/managedClusters/${encodeURIComponent(spec.name)}/listClusterUserCredential?api-version=${ARM_API_VERSION}`;
    const body = await (0,_common_retry_js__WEBPACK_IMPORTED_MODULE_3__/* .withRetry */ .bD)(async () => {
        const response = await (0,_common_http_js__WEBPACK_IMPORTED_MODULE_2__/* .httpFetch */ .tX)(url, {
            method: 'POST',
            headers: { authorization: `Bearer ${armToken.token}`, 'content-length': '0' },
            timeoutMs: 30_000,
            server: 'Azure Resource Manager',
        });
        const text = await (0,_common_bounded_body_js__WEBPACK_IMPORTED_MODULE_6__/* .readText */ .yR)(response.body, 4 * _common_bounded_body_js__WEBPACK_IMPORTED_MODULE_6__/* .MiB */ .lv, 'Azure Resource Manager');
        if (!response.ok)
            throw new _common_retry_js__WEBPACK_IMPORTED_MODULE_3__/* .HttpStatusError */ .F9(response.status, url, text, response.headers.get('retry-after'));
        return JSON.parse(text);
    }).catch((err) => {
        if (err instanceof _common_retry_js__WEBPACK_IMPORTED_MODULE_3__/* .HttpStatusError */ .F9) {
            const detail = armMessage(err.message);
            if (err.status === 404) {
                throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo(`AKS cluster ${spec.name} was not found in resource group ${spec.resourceGroup}: ${detail}`, {
                    hint: 'check the cluster input and the subscription the identity can see',
                });
            }
            if (err.status === 401 || err.status === 403) {
                throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo(`Azure refused listClusterUserCredential for ${spec.name} (${err.status}): ${detail}`, {
                    hint: 'give the identity the "Azure Kubernetes Service Cluster User Role" on the cluster',
                });
            }
            throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo(`listClusterUserCredential for ${spec.name} failed with HTTP ${err.status}: ${detail}`);
        }
        throw err;
    });
    const encoded = body.kubeconfigs?.[0]?.value;
    if (!encoded)
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo(`Azure returned no kubeconfig for AKS cluster ${spec.name}`);
    const kc = new _kubernetes_client_node__WEBPACK_IMPORTED_MODULE_0__/* .KubeConfig */ .ypW();
    kc.loadFromString(Buffer.from(encoded, 'base64').toString('utf8'));
    const user = kc.getCurrentUser();
    if (user?.exec || user?.authProvider || (!user?.token && !user?.certData)) {
        // An Entra ID cluster: the kubeconfig would call kubelogin; sign in for the AKS server app instead.
        const cluster = kc.getCurrentCluster();
        if (!cluster)
            throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo(`the kubeconfig of AKS cluster ${spec.name} has no cluster`);
        let current = await entraToken(credential, AKS_SERVER_APP_SCOPE, context);
        const refresh = async () => {
            if (current.expiresOnTimestamp - Date.now() < RENEW_BEFORE_MS) {
                current = await entraToken(credential, AKS_SERVER_APP_SCOPE, context);
            }
            return current.token;
        };
        return {
            server: cluster.server,
            ...(cluster.caData ? { caData: Buffer.from(cluster.caData, 'base64').toString('utf8') } : {}),
            token: current.token,
            refresh,
            cloud: 'azure',
            displayName: display,
        };
    }
    return (0,_generic_cluster_js__WEBPACK_IMPORTED_MODULE_4__/* .connectionFromKubeConfig */ .I)(kc, display, context, 'azure');
}
async function entraToken(credential, scope, context) {
    let token;
    try {
        token = await credential.getToken(scope);
    }
    catch (err) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo(`could not get an Entra ID token for ${scope}: ${err.message.split('\n')[0]}`, {
            hint: 'run azure/login (with OIDC) before this step, or set AZURE_CLIENT_ID, AZURE_TENANT_ID and a federated token',
            cause: err,
        });
    }
    if (!token)
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo(`no Entra ID token was issued for ${scope}`);
    context.logger.secret(token.token);
    return token;
}
function armMessage(body) {
    try {
        const parsed = JSON.parse(body);
        if (parsed.error)
            return (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .oneLine */ .TN)(`${parsed.error.code ?? ''}: ${parsed.error.message ?? ''}`);
    }
    catch {
        // not JSON: show it on one line
    }
    return (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .oneLine */ .TN)(body).slice(0, 300);
}


/***/ }),

/***/ 64875:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   NL: () => (/* binding */ azureAccessToken),
/* harmony export */   azureCredential: () => (/* binding */ azureCredential)
/* harmony export */ });
/* unused harmony exports AZURE_FEDERATION_AUDIENCE, githubOidcToken */
/* harmony import */ var _azure_identity__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(91491);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(52639);
/* harmony import */ var _common_http_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(72316);
/* harmony import */ var _common_bounded_body_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(93324);




/** The audience Entra expects in a GitHub OIDC token used as a federated credential. */
const AZURE_FEDERATION_AUDIENCE = 'api://AzureADTokenExchange';
/**
 * A GitHub Actions OIDC token for `audience`, from the runner's token service
 * (needs `permissions: id-token: write`).
 */
async function githubOidcToken(audience, logger, env = process.env) {
    const url = env.ACTIONS_ID_TOKEN_REQUEST_URL;
    const bearer = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
    if (!url || !bearer) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo('no GitHub OIDC token is available to this job', {
            hint: 'add `permissions: id-token: write` to the job (needed for azure-client-id / azure-tenant-id)',
        });
    }
    const target = new URL(url);
    target.searchParams.set('audience', audience);
    const response = await (0,_common_http_js__WEBPACK_IMPORTED_MODULE_2__/* .httpFetch */ .tX)(target.toString(), {
        headers: { authorization: `Bearer ${bearer}`, accept: 'application/json' },
        timeoutMs: 30_000,
        server: 'GitHub OIDC token service',
    });
    if (!response.ok) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo(`the GitHub OIDC token service answered HTTP ${response.status}`);
    }
    let value;
    try {
        ({ value } = JSON.parse(await (0,_common_bounded_body_js__WEBPACK_IMPORTED_MODULE_3__/* .readText */ .yR)(response.body, _common_bounded_body_js__WEBPACK_IMPORTED_MODULE_3__/* .MiB */ .lv, 'the GitHub OIDC token service')));
    }
    catch (err) {
        if (err instanceof _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo)
            throw err;
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo('the GitHub OIDC token service answered without JSON', { cause: err });
    }
    if (!value)
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo('the GitHub OIDC token service returned no token');
    logger.secret(value);
    return value;
}
const KNOWN_AUTHORITIES = new Set([
    'login.microsoftonline.com',
    'login.microsoftonline.us',
    'login.chinacloudapi.cn',
    'login.partner.microsoftonline.cn',
]);
/**
 * With a client and tenant id: the GitHub OIDC token as a client assertion
 * (workload identity federation, no secret). Otherwise DefaultAzureCredential,
 * which picks up azure/login (the Azure CLI), environment variables or a
 * managed identity. AZURE_AUTHORITY_HOST points both at another cloud.
 */
function azureCredential(options) {
    const env = options.env ?? process.env;
    const authorityHost = env.AZURE_AUTHORITY_HOST;
    const common = authorityHost
        ? {
            authorityHost,
            // Instance discovery asks the public cloud about the authority; a
            // sovereign or private authority (Azure Stack, ADFS) must skip it.
            disableInstanceDiscovery: !KNOWN_AUTHORITIES.has(new URL(authorityHost).host),
        }
        : {};
    if (options.clientId || options.tenantId) {
        if (!options.clientId || !options.tenantId) {
            throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo('azure-client-id and azure-tenant-id must be given together', {
                hint: 'give both (the app registration or managed identity with a federated credential for this repository), or neither to use azure/login',
            });
        }
        return new _azure_identity__WEBPACK_IMPORTED_MODULE_0__/* .ClientAssertionCredential */ .XI(options.tenantId, options.clientId, () => githubOidcToken(AZURE_FEDERATION_AUDIENCE, options.logger, env), common);
    }
    return new _azure_identity__WEBPACK_IMPORTED_MODULE_0__/* .DefaultAzureCredential */ .gv(common);
}
/** An Entra access token for `scope`, masked, with a failure the user can act on. */
async function azureAccessToken(credential, scope, logger) {
    let token;
    try {
        token = await credential.getToken(scope);
    }
    catch (err) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo(`could not get an Entra token for ${scope}: ${err.message.split('\n')[0]}`, {
            hint: 'run azure/login before this step, or give azure-client-id and azure-tenant-id with `permissions: id-token: write`',
            cause: err,
        });
    }
    if (!token?.token)
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo(`Entra returned no token for ${scope}`);
    logger.secret(token.token);
    return token.token;
}


/***/ }),

/***/ 72597:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   I: () => (/* binding */ connectionFromKubeConfig),
/* harmony export */   kubeconfigConnection: () => (/* binding */ kubeconfigConnection)
/* harmony export */ });
/* unused harmony export cloudOfServer */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _kubernetes_client_node__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(14358);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(52639);
/* harmony import */ var _registry_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(31741);





/**
 * A connection from a kubeconfig: the file the user names, or the runner's
 * KUBECONFIG (what azure/aks-set-context, google-github-actions/get-gke-credentials
 * and `aws eks update-kubeconfig` leave behind). Exec and auth-provider users
 * work too: the client library runs them and we take the header it produces.
 */
async function kubeconfigConnection(path, context) {
    const kc = new _kubernetes_client_node__WEBPACK_IMPORTED_MODULE_2__/* .KubeConfig */ .ypW();
    let source;
    if (path !== undefined) {
        const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
        const file = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.isAbsolute)(path) ? path : (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(workspace, path);
        if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(file)) {
            throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .InputError */ .dz('cluster', `names the kubeconfig '${path}', which does not exist`, 'kubeconfig:./kubeconfig');
        }
        try {
            kc.loadFromFile(file);
        }
        catch (err) {
            throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .InputError */ .dz('cluster', `names '${path}', which is not a valid kubeconfig: ${err.message}`, 'the file kubectl config view --raw writes, e.g. kubeconfig:./kubeconfig');
        }
        source = `kubeconfig:${path}`;
    }
    else {
        if (!process.env.KUBECONFIG && !(0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(process.env.HOME ?? '/', '.kube/config'))) {
            throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .InputError */ .dz('cluster', 'was not given and this runner has no KUBECONFIG', "eks:us-east-1/prod, or set up a kubeconfig with your cloud's login action first");
        }
        kc.loadFromDefault();
        source = 'kubeconfig';
    }
    return connectionFromKubeConfig(kc, source, context);
}
async function connectionFromKubeConfig(kc, displayName, context, cloud) {
    const cluster = kc.getCurrentCluster();
    const user = kc.getCurrentUser();
    if (!cluster) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .UserError */ .yo(`${displayName} has no current context with a cluster`, {
            hint: 'set current-context in the kubeconfig',
        });
    }
    const read = (data, file) => {
        if (data)
            return Buffer.from(data, 'base64').toString('utf8');
        if (file)
            return (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(file, 'utf8');
        return undefined;
    };
    const connection = {
        server: cluster.server,
        cloud: cloud ?? cloudOfServer(cluster.server),
        displayName,
    };
    const caData = read(cluster.caData, cluster.caFile);
    if (caData)
        connection.caData = caData;
    if (cluster.skipTLSVerify) {
        if (!context.allowInsecureKubeconfig) {
            throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .UserError */ .yo(`${displayName} sets insecure-skip-tls-verify for ${cluster.server}: the cluster's certificate would not be checked, and the credentials could go to anyone in between`, {
                hint: "give the cluster's CA (certificate-authority-data) in the kubeconfig, or set insecure-skip-tls-verify: true on this step to accept the risk",
            });
        }
        context.logger.warning(`${displayName}: the API server's certificate is not checked (insecure-skip-tls-verify)`);
        connection.skipTlsVerify = true;
    }
    const cert = read(user?.certData, user?.certFile);
    const key = read(user?.keyData, user?.keyFile);
    if (cert && key) {
        connection.clientCertData = cert;
        connection.clientKeyData = key;
        context.logger.secret(key);
    }
    if (user?.token) {
        connection.token = user.token;
        context.logger.secret(user.token);
    }
    else if (user?.exec || user?.authProvider) {
        // The library caches exec credentials until their expiry and reruns the plugin after.
        const refresh = async () => {
            const options = { headers: {} };
            await kc.applyToHTTPSOptions(options);
            const header = options.headers?.Authorization ?? options.headers?.authorization ?? '';
            const token = header.replace(/^Bearer\s+/i, '');
            if (token === '') {
                throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .UserError */ .yo(`the credential plugin of ${displayName} gave no token`);
            }
            context.logger.secret(token);
            return token;
        };
        connection.token = await refresh();
        connection.refresh = refresh;
    }
    return connection;
}
/** Guesses the cloud from the API server's address, for the cloud-profile default. */
function cloudOfServer(server) {
    return (0,_registry_js__WEBPACK_IMPORTED_MODULE_4__/* .cloudOfServer */ .O2)(server).name;
}


/***/ })

};
