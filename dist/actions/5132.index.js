export const id = 5132;
export const ids = [5132];
export const modules = {

/***/ 45132:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   blobLocation: () => (/* binding */ blobLocation)
/* harmony export */ });
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(52639);

/** `Key=Value;…` pairs of an Azure Storage connection string. */
function connectionStringPart(connection, name) {
    for (const part of (connection ?? '').split(';')) {
        const eq = part.indexOf('=');
        if (eq > 0 && part.slice(0, eq).trim().toLowerCase() === name.toLowerCase())
            return part.slice(eq + 1).trim();
    }
    return undefined;
}
/** The Blob service hosts of Azure's clouds (public, China, US Government), private links included. */
const AZURE_BLOB_HOST = /\.blob\.core\.(windows\.net|chinacloudapi\.cn|usgovcloudapi\.net)$/i;
/**
 * A BlobEndpoint written in the user's settings receives the job's Entra
 * token: only an https Azure storage host may, or the one endpoint the
 * runner itself names in MODEL_DEPLOY_AZURE_BLOB_ENDPOINT (a sovereign
 * cloud, an emulator).
 */
function checkBlobEndpoint(endpoint, location, env) {
    const trusted = env.MODEL_DEPLOY_AZURE_BLOB_ENDPOINT;
    if (trusted !== undefined && endpoint.replace(/\/+$/, '') === trusted.replace(/\/+$/, ''))
        return;
    let url;
    try {
        url = new URL(endpoint);
    }
    catch {
        url = undefined;
    }
    if (url?.protocol === 'https:' && AZURE_BLOB_HOST.test(url.hostname))
        return;
    throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`${location.source} sends its Azure token to BlobEndpoint=${(0,_common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .oneLine */ .TN)(endpoint).slice(0, 200)}, which is not an https Azure storage host (*.blob.core.windows.net and the other Azure clouds')`, {
        hint: `fix connection_string in ${location.settingsFile ?? 'the settings'}; for another Blob endpoint you trust (an emulator, a private cloud), set MODEL_DEPLOY_AZURE_BLOB_ENDPOINT to it in the job`,
    });
}
/**
 * `azure://<container>/<path>` (DVC) takes its account from the settings
 * (`account_name`, or the connection string's AccountName) or from
 * AZURE_STORAGE_ACCOUNT, as DVC does.
 */
function containerUrlLocation(location, url, env) {
    const connection = location.settings?.connection_string;
    const account = location.settings?.account_name ??
        connectionStringPart(connection, 'AccountName') ??
        env.AZURE_STORAGE_ACCOUNT;
    if (account === undefined || account === '') {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`${location.source} (${location.url}) names no storage account`, {
            ...(location.setCommand
                ? {
                    hint: `run \`${location.setCommand('account_name', '<account>')}\` and commit ${location.settingsFile ?? 'the settings'}`,
                }
                : {}),
        });
    }
    const endpoint = connectionStringPart(connection, 'BlobEndpoint');
    if (endpoint !== undefined)
        checkBlobEndpoint(endpoint, location, env);
    return { account, container: url.hostname, ...(endpoint ? { endpoint } : {}) };
}
/**
 * Where a location's blobs are: `azure://<container>/<path>`, or
 * `wasbs://<container>@<account>.blob.core.windows.net/<path>` (and wasb,
 * abfs, abfss with `.dfs.core.windows.net`), as MLflow writes them.
 */
function blobLocation(location, env = process.env) {
    const url = new URL(location.url);
    if (url.protocol === 'azure:')
        return containerUrlLocation(location, url, env);
    const account = url.hostname.split('.')[0] ?? '';
    const container = decodeURIComponent(url.username);
    if (container === '' || account === '') {
        const problem = `the artifact location ${location.url} names no container and account`;
        const hint = 'MLflow writes Azure locations as wasbs://<container>@<account>.blob.core.windows.net/<path>';
        throw location.refuse?.(problem, hint) ?? new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(problem, { hint });
    }
    return { account, container };
}


/***/ })

};
