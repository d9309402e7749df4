export const id = 930;
export const ids = [930,875];
export const modules = {

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

/***/ 17930:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   acrRegistryAccess: () => (/* binding */ acrRegistryAccess)
/* harmony export */ });
/* unused harmony export ACR_SCOPE */
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(52639);
/* harmony import */ var _common_http_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(72316);
/* harmony import */ var _common_retry_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(80272);
/* harmony import */ var _credentials_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(64875);
/* harmony import */ var _common_bounded_body_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(93324);





/** The Entra scope ACR accepts for its token exchange. */
const ACR_SCOPE = 'https://containerregistry.azure.net/.default';
/**
 * ACR: an Entra access token is exchanged at `POST /oauth2/exchange` for an
 * ACR refresh token; the registry client then trades that at `/oauth2/token`
 * for an access token per repository scope when the registry challenges it.
 */
function acrRegistryAccess(options) {
    return {
        async credential() {
            const { host, logger } = options;
            const credential = options.credential ??
                (0,_credentials_js__WEBPACK_IMPORTED_MODULE_3__.azureCredential)({ clientId: options.clientId, tenantId: options.tenantId, logger });
            const aadToken = await (0,_credentials_js__WEBPACK_IMPORTED_MODULE_3__/* .azureAccessToken */ .NL)(credential, ACR_SCOPE, logger);
            const form = new URLSearchParams({
                grant_type: 'access_token',
                service: host,
                access_token: aadToken,
            });
            if (options.tenantId)
                form.set('tenant', options.tenantId);
            const url = `${(0,_common_http_js__WEBPACK_IMPORTED_MODULE_1__/* .baseUrlFor */ .aU)(host, options.insecureHosts)}/oauth2/exchange`;
            const body = await (0,_common_retry_js__WEBPACK_IMPORTED_MODULE_2__/* .withRetry */ .bD)(async () => {
                const response = await (0,_common_http_js__WEBPACK_IMPORTED_MODULE_1__/* .httpFetch */ .tX)(url, {
                    method: 'POST',
                    headers: { 'content-type': 'application/x-www-form-urlencoded' },
                    body: form.toString(),
                    timeoutMs: 30_000,
                    server: 'ACR token service',
                });
                if (response.status === 401 || response.status === 403) {
                    const text = await (0,_common_bounded_body_js__WEBPACK_IMPORTED_MODULE_4__/* .readText */ .yR)(response.body, 64 * _common_bounded_body_js__WEBPACK_IMPORTED_MODULE_4__/* .KiB */ .ty, `registry ${host}`)
                        .then(_common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .oneLine */ .TN)
                        .catch(() => '');
                    throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`registry ${host} refused the Entra token at /oauth2/exchange (HTTP ${response.status}) ${(0,_common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .oneLine */ .TN)(text).slice(0, 200)}`, { hint: 'give the identity the AcrPush role on this registry' });
                }
                if (!response.ok) {
                    throw new _common_retry_js__WEBPACK_IMPORTED_MODULE_2__/* .HttpStatusError */ .F9(response.status, url, `the ACR token exchange at ${host} answered HTTP ${response.status}`, response.headers.get('retry-after'));
                }
                try {
                    return JSON.parse(await (0,_common_bounded_body_js__WEBPACK_IMPORTED_MODULE_4__/* .readText */ .yR)(response.body, _common_bounded_body_js__WEBPACK_IMPORTED_MODULE_4__/* .MiB */ .lv, `the ACR token exchange at ${host}`));
                }
                catch (err) {
                    if (err instanceof _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo)
                        throw err;
                    throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`the ACR token exchange at ${host} answered without JSON`, {
                        cause: err,
                    });
                }
            });
            if (!body.refresh_token)
                throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`the ACR token exchange at ${host} returned no refresh token`);
            logger.secret(body.refresh_token);
            return { kind: 'refresh-token', refreshToken: body.refresh_token };
        },
    };
}


/***/ })

};
