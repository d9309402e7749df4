export const id = 6504;
export const ids = [6504];
export const modules = {

/***/ 97517:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ni: () => (/* binding */ explainAwsError),
/* harmony export */   Ue: () => (/* binding */ awsRegion),
/* harmony export */   cD: () => (/* binding */ awsCredentials)
/* harmony export */ });
/* harmony import */ var _aws_sdk_credential_providers__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(29719);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(52639);
/* harmony import */ var _common_network_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(21084);



/**
 * AWS credentials from the SDK's default chain: environment variables (what
 * aws-actions/configure-aws-credentials exports, OIDC included), web identity
 * files, shared config/profiles, container and instance metadata. Endpoints
 * follow AWS_ENDPOINT_URL_<SERVICE> / AWS_ENDPOINT_URL, which the SDK reads itself.
 */
function awsCredentials() {
    return (0,_aws_sdk_credential_providers__WEBPACK_IMPORTED_MODULE_2__/* .fromNodeProviderChain */ .br)();
}
/** The region from an ECR host, else AWS_REGION / AWS_DEFAULT_REGION. */
function awsRegion(fromHost, env = process.env) {
    const region = fromHost ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    if (!region) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo('no AWS region is known for this registry', {
            hint: 'use an ECR host (<account>.dkr.ecr.<region>.amazonaws.com) or set AWS_REGION (aws-actions/configure-aws-credentials does)',
        });
    }
    return region;
}
/** Turns the SDK's "no credentials", refusal and network failures into ones the user can act on. */
function explainAwsError(err, what) {
    const name = err.name ?? '';
    const message = err.message ?? String(err);
    if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
        return new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`${what}: no AWS credentials were found (${message})`, {
            hint: 'run aws-actions/configure-aws-credentials before this step (with role-to-assume for OIDC)',
        });
    }
    const network = (0,_common_network_js__WEBPACK_IMPORTED_MODULE_1__/* .networkError */ .x6)(err, {
        host: (0,_common_network_js__WEBPACK_IMPORTED_MODULE_1__/* .hostInError */ .Eu)(err) ?? 'its endpoint',
        server: 'AWS API',
    });
    if (network !== undefined) {
        return new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`${what}: ${network.message}`, {
            hint: `${network.hint ?? ''}; an endpoint set by AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_<SERVICE> must be reachable too`,
            cause: err,
        });
    }
    if (/AccessDenied|UnrecognizedClient|InvalidSignature|ExpiredToken/i.test(`${name} ${message}`)) {
        return new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`${what}: AWS refused the request (${name}: ${message})`, {
            hint: 'check the role or keys and that they allow this ECR action',
        });
    }
    return err;
}


/***/ }),

/***/ 16504:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ecrRegistryAccess: () => (/* binding */ ecrRegistryAccess)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(28249);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(52639);
/* harmony import */ var _credentials_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(97517);
/* harmony import */ var _hosts_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4844);




/**
 * ECR: GetAuthorizationToken gives a Basic `AWS:<password>` pair valid for 12
 * hours; repositories must exist before a push, so they are created with
 * scan-on-push and the requested tag mutability.
 */
function ecrRegistryAccess(options) {
    const match = _hosts_js__WEBPACK_IMPORTED_MODULE_2__/* .ECR_HOST */ .u.exec(options.host.replace(/:\d+$/, ''));
    const registryId = match?.[1];
    let client = options.client;
    const ecr = () => {
        client ??= new _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_3__/* .ECRClient */ .S70({ region: (0,_credentials_js__WEBPACK_IMPORTED_MODULE_1__/* .awsRegion */ .Ue)(match?.[2]), credentials: (0,_credentials_js__WEBPACK_IMPORTED_MODULE_1__/* .awsCredentials */ .cD)() });
        return client;
    };
    return {
        async credential() {
            const answer = await ecr()
                .send(new _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_3__/* .GetAuthorizationTokenCommand */ .Eu6(registryId ? { registryIds: [registryId] } : {}))
                .catch((err) => {
                throw (0,_credentials_js__WEBPACK_IMPORTED_MODULE_1__/* .explainAwsError */ .Ni)(err, `getting an ECR login for ${options.host}`);
            });
            const token = answer.authorizationData?.[0]?.authorizationToken;
            if (!token)
                throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`ECR returned no authorization token for ${options.host}`);
            options.logger.secret(token);
            const decoded = Buffer.from(token, 'base64').toString('utf8');
            const colon = decoded.indexOf(':');
            if (colon < 0)
                throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`the ECR authorization token for ${options.host} is not user:password`);
            const password = decoded.slice(colon + 1);
            options.logger.secret(password);
            return { kind: 'basic', username: decoded.slice(0, colon), password };
        },
        async ensureRepository(repository, { immutableTags }) {
            try {
                await ecr().send(new _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_3__/* .DescribeRepositoriesCommand */ .pE_({
                    repositoryNames: [repository],
                    ...(registryId ? { registryId } : {}),
                }));
                return;
            }
            catch (err) {
                if (!(err instanceof _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_3__/* .RepositoryNotFoundException */ .Da2) &&
                    err.name !== 'RepositoryNotFoundException') {
                    throw (0,_credentials_js__WEBPACK_IMPORTED_MODULE_1__/* .explainAwsError */ .Ni)(err, `checking ECR repository ${repository}`);
                }
            }
            options.logger.info(`creating ECR repository ${repository} (scan on push, tags ${immutableTags ? 'immutable' : 'mutable'})`);
            await ecr()
                .send(new _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_3__/* .CreateRepositoryCommand */ .WTe({
                repositoryName: repository,
                ...(registryId ? { registryId } : {}),
                imageScanningConfiguration: { scanOnPush: true },
                imageTagMutability: immutableTags ? 'IMMUTABLE' : 'MUTABLE',
            }))
                .catch((err) => {
                // Another job created it in the meantime: fine.
                if (err.name === 'RepositoryAlreadyExistsException')
                    return;
                throw (0,_credentials_js__WEBPACK_IMPORTED_MODULE_1__/* .explainAwsError */ .Ni)(err, `creating ECR repository ${repository}`);
            });
        },
    };
}


/***/ })

};
