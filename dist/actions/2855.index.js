export const id = 2855;
export const ids = [2855];
export const modules = {

/***/ 82855:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   authProviderConnection: () => (/* binding */ authProviderConnection)
/* harmony export */ });
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(52639);

/**
 * A kubeconfig user with a legacy auth-provider block (oidc with a refresh
 * token, the old gcp and azure providers). These are rare now and their
 * token refresh is the upstream client library's, so only this path loads it.
 */
async function authProviderConnection(files, displayName, context, withToken) {
    const { KubeConfig } = await Promise.all(/* import() */[__webpack_require__.e(6752), __webpack_require__.e(2830), __webpack_require__.e(6118), __webpack_require__.e(2583)]).then(__webpack_require__.bind(__webpack_require__, 22583));
    const kc = new KubeConfig();
    if (files.length === 1)
        kc.loadFromFile(files[0]);
    else
        kc.loadFromDefault();
    const refresh = async () => {
        const options = { headers: {} };
        await kc.applyToHTTPSOptions(options);
        const header = options.headers?.Authorization ?? options.headers?.authorization ?? '';
        const token = header.replace(/^Bearer\s+/i, '');
        if (token === '') {
            throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`the auth-provider of ${displayName} gave no token`, {
                hint: 'sign in again where the kubeconfig was written, or use an exec credential plugin',
            });
        }
        context.logger.secret(token);
        return token;
    };
    const connection = withToken(await refresh());
    connection.refresh = refresh;
    return connection;
}


/***/ })

};
