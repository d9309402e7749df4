export const id = 1799;
export const ids = [1799,4875,3439];
export const modules = {

/***/ 91799:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   aksConnection: () => (/* binding */ aksConnection)
/* harmony export */ });
/* unused harmony exports AKS_SERVER_APP_SCOPE, ARM_API_VERSION */
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(52639);
/* harmony import */ var _common_http_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(72316);
/* harmony import */ var _common_retry_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(80272);
/* harmony import */ var _generic_cluster_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(63439);
/* harmony import */ var _generic_kubeconfig_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(88828);
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
    const body = await (0,_common_retry_js__WEBPACK_IMPORTED_MODULE_2__/* .withRetry */ .bD)(async () => {
        const response = await (0,_common_http_js__WEBPACK_IMPORTED_MODULE_1__/* .httpFetch */ .tX)(url, {
            method: 'POST',
            headers: { authorization: `Bearer ${armToken.token}`, 'content-length': '0' },
            timeoutMs: 30_000,
            server: 'Azure Resource Manager',
        });
        const text = await (0,_common_bounded_body_js__WEBPACK_IMPORTED_MODULE_6__/* .readText */ .yR)(response.body, 4 * _common_bounded_body_js__WEBPACK_IMPORTED_MODULE_6__/* .MiB */ .lv, 'Azure Resource Manager');
        if (!response.ok)
            throw new _common_retry_js__WEBPACK_IMPORTED_MODULE_2__/* .HttpStatusError */ .F9(response.status, url, text, response.headers.get('retry-after'));
        return JSON.parse(text);
    }).catch((err) => {
        if (err instanceof _common_retry_js__WEBPACK_IMPORTED_MODULE_2__/* .HttpStatusError */ .F9) {
            const detail = armMessage(err.message);
            if (err.status === 404) {
                throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`AKS cluster ${spec.name} was not found in resource group ${spec.resourceGroup}: ${detail}`, {
                    hint: 'check the cluster input and the subscription the identity can see',
                });
            }
            if (err.status === 401 || err.status === 403) {
                throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`Azure refused listClusterUserCredential for ${spec.name} (${err.status}): ${detail}`, {
                    hint: 'give the identity the "Azure Kubernetes Service Cluster User Role" on the cluster',
                });
            }
            throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`listClusterUserCredential for ${spec.name} failed with HTTP ${err.status}: ${detail}`);
        }
        throw err;
    });
    const encoded = body.kubeconfigs?.[0]?.value;
    if (!encoded)
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`Azure returned no kubeconfig for AKS cluster ${spec.name}`);
    const selection = aksKubeconfig(encoded, spec.name);
    const user = selection.user;
    if (user?.exec || user?.authProvider || (!user?.token && !user?.certData)) {
        // An Entra ID cluster: the kubeconfig would call kubelogin; sign in for the AKS server app instead.
        const cluster = selection.cluster;
        if (!cluster)
            throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`the kubeconfig of AKS cluster ${spec.name} has no cluster`);
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
    return (0,_generic_cluster_js__WEBPACK_IMPORTED_MODULE_3__/* .connectionFromKubeconfig */ .Q)(selection, display, context, 'azure');
}
/** The kubeconfig listClusterUserCredential returns (base64 YAML), read. */
function aksKubeconfig(encoded, name) {
    try {
        // Its paths, if any, would be relative to nothing on this runner; the working folder will do.
        return (0,_generic_kubeconfig_js__WEBPACK_IMPORTED_MODULE_4__/* .readKubeconfigText */ .F)(Buffer.from(encoded, 'base64').toString('utf8'), process.cwd());
    }
    catch (err) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`Azure returned a kubeconfig for AKS cluster ${name} that is not valid: ${err.message}`);
    }
}
async function entraToken(credential, scope, context) {
    let token;
    try {
        token = await credential.getToken(scope);
    }
    catch (err) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`could not get an Entra ID token for ${scope}: ${err.message.split('\n')[0]}`, {
            hint: 'run azure/login (with OIDC) before this step, or set AZURE_CLIENT_ID, AZURE_TENANT_ID and a federated token',
            cause: err,
        });
    }
    if (!token)
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`no Entra ID token was issued for ${scope}`);
    context.logger.secret(token.token);
    return token;
}
function armMessage(body) {
    try {
        const parsed = JSON.parse(body);
        if (parsed.error)
            return (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .oneLine */ .TN)(`${parsed.error.code ?? ''}: ${parsed.error.message ?? ''}`);
    }
    catch {
        // not JSON: show it on one line
    }
    return (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .oneLine */ .TN)(body).slice(0, 300);
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

/***/ 63439:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Q: () => (/* binding */ connectionFromKubeconfig),
  kubeconfigConnection: () => (/* binding */ kubeconfigConnection)
});

// UNUSED EXPORTS: cloudOfServer

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./shared/common/errors.ts
var errors = __webpack_require__(52639);
// EXTERNAL MODULE: ./shared/clouds/registry.ts + 12 modules
var registry = __webpack_require__(31741);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(31421);
;// CONCATENATED MODULE: ./shared/clouds/generic/exec-credential.ts


/** A plugin that has not answered in this long is stopped: it is most likely waiting for a person. */
const PLUGIN_DEADLINE_MS = 5 * 60_000;
/** Renew this long before the expiry, so a request does not carry a token about to lapse. */
const RENEW_BEFORE_MS = 30_000;
/** Runs the plugin whenever the kept credential is missing or near its expiry. */
function execCredentialSource(exec, cluster, displayName) {
    let kept;
    return async () => {
        if (kept === undefined ||
            (kept.expiresAt !== undefined && kept.expiresAt - Date.now() < RENEW_BEFORE_MS)) {
            kept = await runExecPlugin(exec, cluster, displayName);
        }
        return kept;
    };
}
async function runExecPlugin(exec, cluster, displayName) {
    const apiVersion = exec.apiVersion ?? 'client.authentication.k8s.io/v1';
    const info = {
        apiVersion,
        kind: 'ExecCredential',
        spec: {
            interactive: false,
            ...(exec.provideClusterInfo
                ? {
                    cluster: {
                        server: cluster.server,
                        ...(cluster.caData ? { 'certificate-authority-data': cluster.caData } : {}),
                        ...(cluster.skipTLSVerify ? { 'insecure-skip-tls-verify': true } : {}),
                    },
                }
                : {}),
        },
    };
    const env = { ...process.env, KUBERNETES_EXEC_INFO: JSON.stringify(info) };
    for (const { name, value } of exec.env ?? [])
        env[name] = value;
    const stdout = await run(exec, env, displayName);
    return parseCredential(stdout, exec.command, displayName);
}
function run(exec, env, displayName) {
    const what = `the credential plugin ${exec.command} of ${displayName}`;
    return new Promise((resolve, reject) => {
        const child = (0,external_node_child_process_.execFile)(exec.command, exec.args ?? [], { env, timeout: PLUGIN_DEADLINE_MS, maxBuffer: 4 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
            if (err === null)
                return resolve(stdout);
            const code = err.code;
            if (code === 'ENOENT') {
                return reject(new errors/* UserError */.yo(`${what} is not installed on this runner`, {
                    hint: exec.installHint
                        ? (0,errors/* oneLine */.TN)(exec.installHint).slice(0, 300)
                        : `install ${exec.command} in a step before this one, or give a kubeconfig with a token`,
                }));
            }
            if (err.killed) {
                return reject(new errors/* UserError */.yo(`${what} gave no credential within ${PLUGIN_DEADLINE_MS / 60_000} minutes`, {
                    hint: 'a plugin that asks a person to sign in cannot run in a workflow; give it a non-interactive identity (workload identity federation, a service principal)',
                }));
            }
            const said = (0,errors/* oneLine */.TN)(stderr).slice(-300);
            reject(new errors/* UserError */.yo(`${what} failed (exit ${String(code ?? err.code)})${said ? `: ${said}` : ''}`, {
                hint: 'run the same command in a step before this one to see why it cannot sign in',
            }));
        });
        child.stdin?.end();
    });
}
function parseCredential(stdout, command, displayName) {
    let body;
    try {
        body = JSON.parse(stdout);
    }
    catch {
        throw new errors/* UserError */.yo(`the credential plugin ${command} of ${displayName} did not print an ExecCredential (its output is not JSON)`);
    }
    const status = body?.status ?? {};
    const credential = {};
    for (const key of ['token', 'clientCertificateData', 'clientKeyData']) {
        const value = status[key];
        if (typeof value === 'string' && value !== '')
            credential[key] = value;
    }
    const expiry = status.expirationTimestamp;
    if (typeof expiry === 'string' && !Number.isNaN(Date.parse(expiry))) {
        credential.expiresAt = Date.parse(expiry);
    }
    return credential;
}

// EXTERNAL MODULE: ./shared/clouds/generic/kubeconfig.ts
var kubeconfig = __webpack_require__(88828);
;// CONCATENATED MODULE: ./shared/clouds/generic/cluster.ts






/**
 * A connection from a kubeconfig: the file the user names, or the runner's
 * KUBECONFIG (what azure/aks-set-context, google-github-actions/get-gke-credentials
 * and `aws eks update-kubeconfig` leave behind). Exec credential plugins run
 * here; a legacy auth-provider user goes through the upstream client library.
 */
async function kubeconfigConnection(path, context) {
    const { files, source } = kubeconfigFiles(path);
    let selection;
    try {
        selection = (0,kubeconfig/* readKubeconfigFiles */.h)(files);
    }
    catch (err) {
        if (path === undefined) {
            throw new errors/* UserError */.yo(`the runner's kubeconfig (${files.join(external_node_path_.delimiter)}) is not valid: ${err.message}`, {
                hint: 'check the step that wrote it, or name a kubeconfig file in cluster',
            });
        }
        throw new errors/* InputError */.dz('cluster', `names '${path}', which is not a valid kubeconfig: ${err.message}`, 'the file kubectl config view --raw writes, e.g. kubeconfig:./kubeconfig');
    }
    if (selection.user?.authProvider && !selection.user.token) {
        const { authProviderConnection } = await __webpack_require__.e(/* import() */ 2855).then(__webpack_require__.bind(__webpack_require__, 82855));
        return authProviderConnection(files, source, context, (token) => ({
            ...baseConnection(selection, source, context),
            token,
        }));
    }
    return connectionFromKubeconfig(selection, source, context);
}
/** The kubeconfig files to read, in order, and how to name them in messages. */
function kubeconfigFiles(path) {
    if (path !== undefined) {
        const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
        const file = (0,external_node_path_.isAbsolute)(path) ? path : (0,external_node_path_.resolve)(workspace, path);
        if (!(0,external_node_fs_.existsSync)(file)) {
            throw new errors/* InputError */.dz('cluster', `names the kubeconfig '${path}', which does not exist`, 'kubeconfig:./kubeconfig');
        }
        return { files: [file], source: `kubeconfig:${path}` };
    }
    // kubectl's rule: the files KUBECONFIG lists that exist, else ~/.kube/config.
    const listed = (process.env.KUBECONFIG ?? '')
        .split(external_node_path_.delimiter)
        .filter((f) => f !== '' && (0,external_node_fs_.existsSync)(f));
    const home = (0,external_node_path_.resolve)(process.env.HOME ?? '/', '.kube/config');
    const files = listed.length > 0 ? listed : (0,external_node_fs_.existsSync)(home) ? [home] : [];
    if (files.length === 0) {
        throw new errors/* InputError */.dz('cluster', 'was not given and this runner has no KUBECONFIG', "eks:us-east-1/prod, or set up a kubeconfig with your cloud's login action first");
    }
    return { files, source: 'kubeconfig' };
}
const decoded = (data, file) => {
    if (data)
        return Buffer.from(data, 'base64').toString('utf8');
    if (file)
        return (0,external_node_fs_.readFileSync)(file, 'utf8');
    return undefined;
};
/** Server, CA and TLS checking of the current context's cluster. */
function baseConnection(selection, displayName, context, cloud) {
    const cluster = selection.cluster;
    if (!cluster) {
        throw new errors/* UserError */.yo(`${displayName} has no current context with a cluster`, {
            hint: 'set current-context in the kubeconfig',
        });
    }
    const connection = {
        server: cluster.server,
        cloud: cloud ?? cloudOfServer(cluster.server),
        displayName,
    };
    const caData = decoded(cluster.caData, cluster.caFile);
    if (caData)
        connection.caData = caData;
    if (cluster.skipTLSVerify) {
        if (!context.allowInsecureKubeconfig) {
            throw new errors/* UserError */.yo(`${displayName} sets insecure-skip-tls-verify for ${cluster.server}: the cluster's certificate would not be checked, and the credentials could go to anyone in between`, {
                hint: "give the cluster's CA (certificate-authority-data) in the kubeconfig, or set insecure-skip-tls-verify: true on this step to accept the risk",
            });
        }
        context.logger.warning(`${displayName}: the API server's certificate is not checked (insecure-skip-tls-verify)`);
        connection.skipTlsVerify = true;
    }
    return connection;
}
/** The connection of a kubeconfig's current context, its secrets masked in the log. */
async function connectionFromKubeconfig(selection, displayName, context, cloud) {
    const connection = baseConnection(selection, displayName, context, cloud);
    const user = selection.user ?? {};
    const cert = decoded(user.certData, user.certFile);
    const key = decoded(user.keyData, user.keyFile);
    if (cert && key) {
        connection.clientCertData = cert;
        connection.clientKeyData = key;
        context.logger.secret(key);
    }
    if (user.token) {
        connection.token = user.token;
        context.logger.secret(user.token);
    }
    else if (user.tokenFile) {
        await tokenFromFile(connection, user.tokenFile, context);
    }
    else if (user.exec) {
        await tokenFromPlugin(connection, selection, user, context);
    }
    else if (user.username && !cert) {
        throw new errors/* UserError */.yo(`${displayName} signs in with a user name and password, which Kubernetes no longer accepts`, {
            hint: 'give the kubeconfig user a token, a client certificate or an exec credential plugin',
        });
    }
    return connection;
}
/** A token file (a projected service account token) is read again on every refresh: it rotates. */
async function tokenFromFile(connection, file, context) {
    const refresh = async () => {
        const token = (0,external_node_fs_.readFileSync)(file, 'utf8').trim();
        context.logger.secret(token);
        return token;
    };
    connection.token = await refresh();
    connection.refresh = refresh;
}
async function tokenFromPlugin(connection, selection, user, context) {
    const source = execCredentialSource(user.exec, selection.cluster, connection.displayName);
    const first = await source();
    if (first.clientCertificateData && first.clientKeyData && !first.token) {
        connection.clientCertData = first.clientCertificateData;
        connection.clientKeyData = first.clientKeyData;
        context.logger.secret(first.clientKeyData);
        return;
    }
    const tokenOf = (credential) => {
        const token = credential.token ?? '';
        if (token === '') {
            throw new errors/* UserError */.yo(`the credential plugin of ${connection.displayName} gave no token`);
        }
        context.logger.secret(token);
        return token;
    };
    connection.token = tokenOf(first);
    connection.refresh = async () => tokenOf(await source());
}
/** Guesses the cloud from the API server's address, for the cloud-profile default. */
function cloudOfServer(server) {
    return (0,registry/* cloudOfServer */.O2)(server).name;
}


/***/ }),

/***/ 88828:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   F: () => (/* binding */ readKubeconfigText),
/* harmony export */   h: () => (/* binding */ readKubeconfigFiles)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(38815);



/** The current context of one kubeconfig text; `dir` resolves its relative paths. */
function readKubeconfigText(text, dir) {
    const merged = emptyMerge();
    mergeDocument(merged, parseDocument(text), dir);
    return select(merged);
}
/** The current context across the files, in KUBECONFIG order. */
function readKubeconfigFiles(files) {
    const merged = emptyMerge();
    for (const file of files) {
        mergeDocument(merged, parseDocument((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(file, 'utf8')), (0,node_path__WEBPACK_IMPORTED_MODULE_1__.dirname)(file));
    }
    return select(merged);
}
function emptyMerge() {
    return { current: undefined, clusters: new Map(), users: new Map(), contexts: new Map() };
}
function parseDocument(text) {
    const doc = (0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .parse */ .qg)(text);
    if (doc === null || doc === undefined)
        return {};
    if (typeof doc !== 'object' || Array.isArray(doc)) {
        throw new Error('it is not a YAML mapping (a kubeconfig has clusters, users and contexts)');
    }
    return doc;
}
function entries(doc, key) {
    const list = doc[key];
    if (list === undefined || list === null)
        return [];
    if (!Array.isArray(list))
        throw new Error(`its ${key} is not a list`);
    return list.filter((item) => typeof item === 'object' && item !== null);
}
function mergeDocument(merged, doc, dir) {
    const current = doc['current-context'];
    if (merged.current === undefined && typeof current === 'string' && current !== '') {
        merged.current = current;
    }
    for (const [key, into] of [
        ['clusters', merged.clusters],
        ['users', merged.users],
    ]) {
        const field = key === 'clusters' ? 'cluster' : 'user';
        for (const item of entries(doc, key)) {
            const name = String(item.name ?? '');
            if (!into.has(name))
                into.set(name, { entry: asRecord(item[field]), dir });
        }
    }
    for (const item of entries(doc, 'contexts')) {
        const name = String(item.name ?? '');
        if (!merged.contexts.has(name))
            merged.contexts.set(name, asRecord(item.context));
    }
}
const asRecord = (value) => typeof value === 'object' && value !== null ? value : {};
function select(merged) {
    const context = merged.current ?? '';
    const chosen = merged.contexts.get(context);
    if (chosen === undefined)
        return { context, cluster: undefined, user: undefined };
    const cluster = merged.clusters.get(String(chosen.cluster ?? ''));
    const user = merged.users.get(String(chosen.user ?? ''));
    return {
        context,
        cluster: cluster && clusterOf(cluster.entry, cluster.dir),
        user: user && userOf(user.entry, user.dir),
    };
}
const str = (value) => typeof value === 'string' && value !== '' ? value : undefined;
const fileIn = (dir, value) => {
    const path = str(value);
    return path === undefined || (0,node_path__WEBPACK_IMPORTED_MODULE_1__.isAbsolute)(path) ? path : (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(dir, path);
};
function clusterOf(entry, dir) {
    const server = str(entry.server);
    if (server === undefined)
        return undefined;
    const cluster = { server };
    const caData = str(entry['certificate-authority-data']);
    const caFile = fileIn(dir, entry['certificate-authority']);
    if (caData)
        cluster.caData = caData;
    if (caFile)
        cluster.caFile = caFile;
    if (entry['insecure-skip-tls-verify'] === true)
        cluster.skipTLSVerify = true;
    return cluster;
}
function userOf(entry, dir) {
    const user = {};
    const set = (key, value) => {
        if (value !== undefined)
            user[key] = value;
    };
    set('token', str(entry.token));
    set('tokenFile', fileIn(dir, entry.tokenFile));
    set('certData', str(entry['client-certificate-data']));
    set('certFile', fileIn(dir, entry['client-certificate']));
    set('keyData', str(entry['client-key-data']));
    set('keyFile', fileIn(dir, entry['client-key']));
    set('username', str(entry.username));
    const provider = entry['auth-provider'];
    if (typeof provider === 'object' && provider !== null) {
        set('authProvider', provider);
    }
    set('exec', execOf(asRecord(entry.exec), dir));
    return user;
}
function execOf(exec, dir) {
    const command = str(exec.command);
    if (command === undefined)
        return undefined;
    // A command with a path separator is a file relative to the kubeconfig; a bare name is looked up in PATH.
    const config = {
        command: command.includes('/') && !(0,node_path__WEBPACK_IMPORTED_MODULE_1__.isAbsolute)(command) ? (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(dir, command) : command,
    };
    if (typeof exec.apiVersion === 'string')
        config.apiVersion = exec.apiVersion;
    if (Array.isArray(exec.args))
        config.args = exec.args.map(String);
    if (Array.isArray(exec.env)) {
        config.env = exec.env
            .map(asRecord)
            .map((e) => ({ name: String(e.name ?? ''), value: String(e.value ?? '') }))
            .filter((e) => e.name !== '');
    }
    if (typeof exec.installHint === 'string')
        config.installHint = exec.installHint;
    if (exec.provideClusterInfo === true)
        config.provideClusterInfo = true;
    return config;
}


/***/ }),

/***/ 93324:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   io: () => (/* binding */ readBytes),
/* harmony export */   lv: () => (/* binding */ MiB),
/* harmony export */   ty: () => (/* binding */ KiB),
/* harmony export */   yR: () => (/* binding */ readText)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(52639);

const KiB = 1024;
const MiB = 1024 * KiB;
/**
 * Reads a server's answer into memory, but no more than `limit` bytes: a
 * server (hostile or broken) that sends more gets the read stopped and a
 * message naming it, instead of filling the runner's memory.
 */
async function readBytes(body, limit, what) {
    if (body === null || body === undefined)
        return Buffer.alloc(0);
    const chunks = [];
    let size = 0;
    for await (const chunk of body) {
        size += chunk.byteLength;
        if (size > limit) {
            // Leaving the loop cancels the stream, so the rest is never downloaded.
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`${what} sent more than ${formatLimit(limit)}; stopped reading`, {
                hint: 'check that the URL points at the server it should; an answer this large is not what this action expects',
            });
        }
        chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    }
    return Buffer.concat(chunks, size);
}
async function readText(body, limit, what) {
    return (await readBytes(body, limit, what)).toString('utf8');
}
function formatLimit(bytes) {
    return bytes >= MiB ? `${bytes / MiB} MiB` : `${bytes / KiB} KiB`;
}


/***/ }),

/***/ 72316:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   aU: () => (/* binding */ baseUrlFor),
/* harmony export */   hE: () => (/* binding */ tlsProblem),
/* harmony export */   jQ: () => (/* binding */ assertSafeUrl),
/* harmony export */   lU: () => (/* binding */ allowsPlainHttp),
/* harmony export */   tX: () => (/* binding */ httpFetch)
/* harmony export */ });
/* unused harmony exports closeHttpConnections, resetHttpDispatchers */
/* harmony import */ var undici__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(24371);
/* harmony import */ var _closers_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(33265);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(52639);
/* harmony import */ var _network_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(21084);




const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_IDLE_MS = 60_000;
const dispatchers = new Map();
function dispatcherFor(idleMs) {
    let dispatcher = dispatchers.get(idleMs);
    if (dispatcher === undefined) {
        const options = {
            headersTimeout: idleMs,
            bodyTimeout: idleMs,
            connect: { timeout: Math.min(idleMs, 30_000) },
            keepAliveTimeout: 10_000,
        };
        const hasProxy = process.env.HTTPS_PROXY ||
            process.env.https_proxy ||
            process.env.HTTP_PROXY ||
            process.env.http_proxy;
        // EnvHttpProxyAgent reads HTTP(S)_PROXY and NO_PROXY itself; plain Agent
        // avoids its per-request NO_PROXY matching when no proxy is configured.
        dispatcher = hasProxy ? new undici__WEBPACK_IMPORTED_MODULE_0__/* .EnvHttpProxyAgent */ .J2(options) : new undici__WEBPACK_IMPORTED_MODULE_0__/* .Agent */ .g6(options);
        if (dispatchers.size === 0)
            (0,_closers_js__WEBPACK_IMPORTED_MODULE_1__/* .addCloser */ .Y)(closeHttpConnections);
        dispatchers.set(idleMs, dispatcher);
    }
    return dispatcher;
}
/**
 * Ends the kept-alive connections once an action's work is done, so the
 * process exits at once instead of waiting for idle sockets to time out.
 */
async function closeHttpConnections() {
    const open = [...dispatchers.values()];
    dispatchers.clear();
    // close() lets requests still in flight (another run in the same process) finish;
    // a body nobody reads must not hold the exit, hence the bound.
    const closed = Promise.all(open.map((d) => d.close().catch(() => undefined)));
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
}
/** Test hook: the proxy environment is read when a dispatcher is first made. */
function resetHttpDispatchers() {
    for (const d of dispatchers.values())
        void d.close();
    dispatchers.clear();
}
async function httpFetch(url, init = {}) {
    const signals = [];
    if (init.signal)
        signals.push(init.signal);
    if (init.timeoutMs !== 0)
        signals.push(AbortSignal.timeout(init.timeoutMs ?? DEFAULT_TIMEOUT_MS));
    const body = init.body ?? undefined;
    const streaming = body !== undefined &&
        typeof body !== 'string' &&
        !(body instanceof Uint8Array) &&
        Symbol.asyncIterator in Object(body);
    return (0,undici__WEBPACK_IMPORTED_MODULE_0__/* .fetch */ .hd)(url, {
        method: init.method ?? 'GET',
        headers: init.headers,
        body: body,
        ...(streaming ? { duplex: 'half' } : {}),
        redirect: init.redirect ?? 'follow',
        signal: signals.length === 1 ? signals[0] : AbortSignal.any(signals),
        dispatcher: dispatcherFor(init.idleTimeoutMs ?? DEFAULT_IDLE_MS),
    }).catch((err) => {
        // The caller's own cancellation is not a network failure.
        if (init.signal?.aborted)
            throw err;
        // A NetworkError says which server, why and what to check; the retry helper
        // retries it only when another attempt may get through (not DNS "no such
        // host", not a refused certificate).
        throw ((0,_network_js__WEBPACK_IMPORTED_MODULE_3__/* .networkError */ .x6)(err, {
            host: (0,_network_js__WEBPACK_IMPORTED_MODULE_3__/* .hostOf */ .w4)(url),
            ...(init.server === undefined ? {} : { server: init.server }),
            ...(init.input === undefined ? {} : { input: init.input }),
            ...(init.timeoutMs !== 0 ? { timeoutMs: init.timeoutMs ?? DEFAULT_TIMEOUT_MS } : {}),
            idleTimeoutMs: init.idleTimeoutMs ?? DEFAULT_IDLE_MS,
        }) ?? err);
    });
}
/** `host` or `host:port`, lowercased, for comparing against the insecure list. */
function normaliseHost(host) {
    return host.trim().toLowerCase();
}
/**
 * Plain http is allowed only for loopback or a host the user listed; a listed
 * entry without a port matches every port of that host.
 */
function allowsPlainHttp(host, insecureHosts = []) {
    if ((0,_network_js__WEBPACK_IMPORTED_MODULE_3__/* .isLoopbackHost */ .cW)(host))
        return true;
    const wanted = normaliseHost(host);
    const bare = wanted.replace(/:\d+$/, '');
    return insecureHosts.some((entry) => {
        const listed = normaliseHost(entry);
        return listed === wanted || listed === bare;
    });
}
/** The base URL of a host: https unless plain http is allowed for it. */
function baseUrlFor(host, insecureHosts = []) {
    return `${allowsPlainHttp(host, insecureHosts) ? 'http' : 'https'}://${host}`;
}
/**
 * Refuses plain-http URLs a server points us to (a token realm, a redirect, an
 * upload Location) unless that host is allowed: credentials must not leak over
 * an unencrypted hop.
 */
function assertSafeUrl(url, insecureHosts = []) {
    const parsed = new URL(url);
    if (parsed.protocol === 'https:')
        return parsed;
    if (parsed.protocol === 'http:' && allowsPlainHttp(parsed.host, insecureHosts))
        return parsed;
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .yo(`refusing to send a request to ${parsed.origin}: it is not https`, {
        hint: `if this registry really has no TLS, list '${parsed.host}' in the insecure-registries input`,
    });
}

/**
 * When an error (or the cause undici wraps it in) is a refused server
 * certificate or a failed TLS handshake, says so in words with Node's code;
 * otherwise undefined.
 */
function tlsProblem(err) {
    const cause = (0,_network_js__WEBPACK_IMPORTED_MODULE_3__/* .networkCause */ .u6)(err);
    return cause?.kind === 'tls' || cause?.kind === 'not-tls' ? cause.words : undefined;
}


/***/ }),

/***/ 80272:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   F9: () => (/* binding */ HttpStatusError),
/* harmony export */   bD: () => (/* binding */ withRetry),
/* harmony export */   mu: () => (/* binding */ parseRetryAfter),
/* harmony export */   uY: () => (/* binding */ defaultClassify),
/* harmony export */   yy: () => (/* binding */ sleep)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(52639);
/* harmony import */ var _network_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(21084);


const TRANSIENT_CODES = new Set([
    'ECONNRESET',
    'ECONNREFUSED',
    'EPIPE',
    'ETIMEDOUT',
    'EAI_AGAIN',
    'UND_ERR_SOCKET',
    'UND_ERR_CONNECT_TIMEOUT',
    'UND_ERR_HEADERS_TIMEOUT',
    'UND_ERR_BODY_TIMEOUT',
    'UND_ERR_CLOSED',
]);
/** An HTTP failure that carries what retry decisions need. */
class HttpStatusError extends Error {
    status;
    retryAfterMs;
    url;
    constructor(status, url, message, retryAfter) {
        super(message);
        this.name = 'HttpStatusError';
        this.status = status;
        this.url = url;
        this.retryAfterMs = parseRetryAfter(retryAfter ?? null);
    }
}
/** `Retry-After` as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
function parseRetryAfter(value, now = Date.now()) {
    if (value === null || value.trim() === '')
        return undefined;
    const trimmed = value.trim();
    if (/^\d+$/.test(trimmed))
        return Number(trimmed) * 1000;
    const date = Date.parse(trimmed);
    if (Number.isNaN(date))
        return undefined;
    return Math.max(0, date - now);
}
function errorCode(err) {
    let current = err;
    for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
        const code = current.code;
        if (typeof code === 'string')
            return code;
        current = current.cause;
    }
    return undefined;
}
/**
 * Retries 429, 5xx, resets and timeouts; never 4xx such as 401/403/404, a
 * host name that does not resolve, or a refused certificate.
 */
function defaultClassify(err) {
    if (err instanceof HttpStatusError) {
        if (err.status === 429 || err.status === 408 || err.status >= 500) {
            return err.retryAfterMs === undefined
                ? { retry: true }
                : { retry: true, afterMs: err.retryAfterMs };
        }
        return { retry: false };
    }
    if (err instanceof _network_js__WEBPACK_IMPORTED_MODULE_1__/* .NetworkError */ .Dr)
        return err.transient ? { retry: true } : { retry: false };
    if (err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError')) {
        return { retry: true };
    }
    const code = errorCode(err);
    if (code !== undefined && TRANSIENT_CODES.has(code))
        return { retry: true };
    if (err instanceof TypeError &&
        /fetch failed|terminated|other side closed/i.test((0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err))) {
        return { retry: true };
    }
    return { retry: false };
}
function sleep(ms, signal) {
    return new Promise((resolve, reject) => {
        if (signal?.aborted) {
            reject(signal.reason);
            return;
        }
        const timer = setTimeout(() => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
        }, ms);
        const onAbort = () => {
            clearTimeout(timer);
            reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
    });
}
/**
 * Runs `task` until it succeeds, a failure is not retryable, or attempts run out.
 * Backoff is exponential with full jitter; a server's Retry-After wins when it is
 * longer (capped at maxDelayMs so a hostile header cannot stall a job for hours).
 */
async function withRetry(task, options = {}) {
    const attempts = options.attempts ?? 5;
    const base = options.baseDelayMs ?? 500;
    const max = options.maxDelayMs ?? 30_000;
    const classify = options.classify ?? defaultClassify;
    const wait = options.sleep ?? sleep;
    const random = options.random ?? Math.random;
    for (let attempt = 1;; attempt++) {
        try {
            return await task(attempt);
        }
        catch (error) {
            const verdict = classify(error);
            if (!verdict.retry || attempt >= attempts || options.signal?.aborted)
                throw error;
            const backoff = Math.min(max, base * 2 ** (attempt - 1)) * random();
            const delayMs = Math.min(max, Math.max(backoff, verdict.afterMs ?? 0));
            options.onRetry?.({ attempt, delayMs, error });
            await wait(delayMs, options.signal);
        }
    }
}


/***/ })

};
