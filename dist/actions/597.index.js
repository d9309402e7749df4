export const id = 597;
export const ids = [597];
export const modules = {

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
