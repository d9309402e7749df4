export const id = 91;
export const ids = [91,875];
export const modules = {

/***/ 65091:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   azureBlobReader: () => (/* binding */ azureBlobReader)
/* harmony export */ });
/* unused harmony exports AZURE_STORAGE_SCOPE, parseBlobList */
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(57075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(52639);
/* harmony import */ var _common_http_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(72316);
/* harmony import */ var _common_retry_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(80272);
/* harmony import */ var _credentials_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(64875);





/** The Entra scope Azure Storage accepts for data-plane (blob) requests. */
const AZURE_STORAGE_SCOPE = 'https://storage.azure.com/.default';
/** A Blob service REST version that accepts Entra (OAuth) bearer tokens. */
const BLOB_API_VERSION = '2021-08-06';
function azureBlobReader(options) {
    const env = options.env ?? process.env;
    const credential = (0,_credentials_js__WEBPACK_IMPORTED_MODULE_4__.azureCredential)({ logger: options.logger, env });
    let token;
    const container = {
        endpoint: (options.endpoint ??
            env.MODEL_DEPLOY_AZURE_BLOB_ENDPOINT ??
            `https://${options.account}.blob.core.windows.net`).replace(/\/+$/, ''),
        account: options.account,
        name: options.container,
        bearer: () => (token ??= (0,_credentials_js__WEBPACK_IMPORTED_MODULE_4__/* .azureAccessToken */ .NL)(credential, AZURE_STORAGE_SCOPE, options.logger)),
    };
    return {
        async exists(blob) {
            const response = await request(container, 'HEAD', blob, blobUrl(container, blob));
            if (response.status === 404)
                return false;
            if (!response.ok)
                return refused(container, response, blob);
            return true;
        },
        async open(blob) {
            const response = await request(container, 'GET', blob, blobUrl(container, blob));
            if (!response.ok || response.body === null)
                return refused(container, response, blob);
            return node_stream__WEBPACK_IMPORTED_MODULE_0__.Readable.fromWeb(response.body);
        },
        list: (prefix) => listBlobs(container, prefix),
    };
}
function blobUrl(container, blob) {
    return `${container.endpoint}/${encodeURIComponent(container.name)}/${blob.split('/').map(encodeURIComponent).join('/')}`;
}
function what(container, blob) {
    return `azure://${container.name}/${blob}`;
}
/** A request for `target`, retried on 5xx and 429; other answers go back to the caller. */
async function request(container, method, blob, target) {
    const authorization = `Bearer ${await container.bearer()}`;
    return (0,_common_retry_js__WEBPACK_IMPORTED_MODULE_3__/* .withRetry */ .bD)(async () => {
        const response = await (0,_common_http_js__WEBPACK_IMPORTED_MODULE_2__/* .httpFetch */ .tX)(target, {
            method,
            headers: {
                authorization,
                'x-ms-version': BLOB_API_VERSION,
                'x-ms-date': new Date().toUTCString(),
            },
            // A model blob may take long; only a stalled transfer is cut off.
            timeoutMs: 0,
            server: 'Azure Blob Storage',
        });
        if (response.status >= 500 || response.status === 429) {
            await response.body?.cancel();
            throw new _common_retry_js__WEBPACK_IMPORTED_MODULE_3__/* .HttpStatusError */ .F9(response.status, target, `Azure Storage answered HTTP ${response.status} for ${what(container, blob)}`, response.headers.get('retry-after'));
        }
        return response;
    });
}
async function refused(container, response, blob) {
    const code = response.headers.get('x-ms-error-code') ?? '';
    await response.body?.cancel();
    throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo(`Azure Storage refused reading ${what(container, blob)} in account ${container.account} (${response.status}${code ? ` ${code}` : ''})`, {
        hint: response.status === 401 || response.status === 403
            ? 'give the signed-in identity the Storage Blob Data Reader role on the container, and run azure/login (or set azure-client-id/azure-tenant-id) before this step'
            : 'check the account, container and path (the DVC remote url and account_name in .dvc/config, or the MLflow artifact location)',
    });
}
/** Every blob under `prefix`, page by page. */
async function listBlobs(container, prefix) {
    const blobs = [];
    let marker = '';
    do {
        const query = new URLSearchParams({
            restype: 'container',
            comp: 'list',
            prefix,
            ...(marker ? { marker } : {}),
        });
        const target = `${container.endpoint}/${encodeURIComponent(container.name)}?${query.toString()}`;
        const response = await request(container, 'GET', prefix, target);
        if (!response.ok)
            return refused(container, response, prefix);
        const page = parseBlobList(await response.text());
        blobs.push(...page.blobs);
        marker = page.nextMarker;
    } while (marker);
    return blobs;
}
/**
 * The names and sizes in a List Blobs answer (`EnumerationResults` XML): each
 * `<Blob>` has a `<Name>` and `<Properties><Content-Length>`; `<NextMarker>`
 * continues the listing. Only these elements are read.
 */
function parseBlobList(xml) {
    const text = (element, body) => {
        const match = new RegExp(`<${element}>([^<]*)</${element}>`).exec(body);
        return match ? decodeXml(match[1]) : undefined;
    };
    const blobs = [];
    for (const match of xml.matchAll(/<Blob>([\s\S]*?)<\/Blob>/g)) {
        const body = match[1];
        // Names with characters XML cannot carry come URL-encoded, marked Encoded="true".
        const name = /<Name( Encoded="true")?>([^<]*)<\/Name>/.exec(body);
        if (name === null)
            continue;
        const raw = decodeXml(name[2]);
        const key = name[1] ? decodeURIComponent(raw) : raw;
        blobs.push({ key, size: Number(text('Content-Length', body) ?? 0) });
    }
    return { blobs, nextMarker: text('NextMarker', xml) ?? '' };
}
function decodeXml(value) {
    return value.replace(/&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos);/gi, (_, entity) => {
        const named = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
        if (entity[0] !== '#')
            return named[entity.toLowerCase()];
        const code = entity[1] === 'x' || entity[1] === 'X'
            ? parseInt(entity.slice(2), 16)
            : Number(entity.slice(1));
        return String.fromCodePoint(code);
    });
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


/***/ })

};
