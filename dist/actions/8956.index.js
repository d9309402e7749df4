export const id = 8956;
export const ids = [8956];
export const modules = {

/***/ 68956:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  genericRegistryAccess: () => (/* binding */ genericRegistryAccess)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./shared/common/errors.ts
var errors = __webpack_require__(52639);
;// CONCATENATED MODULE: ./shared/clouds/generic/credentials.ts




function dockerConfigPath(env = process.env) {
    return (0,external_node_path_.join)(env.DOCKER_CONFIG ?? (0,external_node_path_.join)((0,external_node_os_.homedir)(), '.docker'), 'config.json');
}
/** The keys a config may use for a host: `host`, `https://host`, `https://host/v1/`... */
function candidates(host) {
    const keys = [
        host,
        `https://${host}`,
        `http://${host}`,
        `https://${host}/v1/`,
        `https://${host}/v2/`,
    ];
    if (host === 'registry-1.docker.io' || host === 'docker.io') {
        keys.push('https://index.docker.io/v1/', 'index.docker.io', 'docker.io');
    }
    return keys;
}
function dockerConfigCredential(host, logger, path = dockerConfigPath()) {
    if (!(0,external_node_fs_.existsSync)(path))
        return undefined;
    let config;
    try {
        config = JSON.parse((0,external_node_fs_.readFileSync)(path, 'utf8'));
    }
    catch (err) {
        throw new errors/* UserError */.yo(`${path} is not valid JSON: ${err.message}`, {
            hint: 'fix or remove the Docker config file, or give username and password',
        });
    }
    const auths = config.auths ?? {};
    const key = candidates(host).find((k) => auths[k] !== undefined);
    if (key === undefined)
        return undefined;
    const entry = auths[key];
    if (entry.identitytoken) {
        logger.secret(entry.identitytoken);
        return { kind: 'refresh-token', refreshToken: entry.identitytoken };
    }
    let username = entry.username;
    let password = entry.password;
    if (entry.auth) {
        const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon < 0) {
            throw new errors/* UserError */.yo(`the auth entry for ${key} in ${path} is not base64 of user:password`);
        }
        username = decoded.slice(0, colon);
        password = decoded.slice(colon + 1);
        logger.secret(entry.auth);
    }
    if (username === undefined || password === undefined)
        return undefined;
    logger.secret(password);
    return { kind: 'basic', username, password };
}

;// CONCATENATED MODULE: ./shared/clouds/generic/registry.ts

/**
 * Any OCI registry: the username/password inputs, else what a login step
 * stored in the Docker config, else GITHUB_TOKEN for ghcr.io, else anonymous.
 */
function genericRegistryAccess(options) {
    const env = options.env ?? process.env;
    return {
        async credential() {
            const { host, username, password, logger } = options;
            if (password !== undefined && password !== '') {
                logger.secret(password);
                return { kind: 'basic', username: username ?? '', password };
            }
            const stored = dockerConfigCredential(host, logger);
            if (stored)
                return stored;
            if (host === 'ghcr.io' && env.GITHUB_TOKEN) {
                logger.secret(env.GITHUB_TOKEN);
                return {
                    kind: 'basic',
                    username: env.GITHUB_ACTOR || 'x-access-token',
                    password: env.GITHUB_TOKEN,
                };
            }
            return { kind: 'anonymous' };
        },
    };
}


/***/ })

};
