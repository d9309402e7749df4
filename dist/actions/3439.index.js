export const id = 3439;
export const ids = [3439];
export const modules = {

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


/***/ })

};
