export const id = 6829;
export const ids = [6829];
export const modules = {

/***/ 66829:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   eksConnection: () => (/* binding */ eksConnection)
/* harmony export */ });
/* unused harmony exports TOKEN_PREFIX, TOKEN_RENEW_AFTER_MS, eksToken */
/* harmony import */ var _aws_sdk_client_eks__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(24524);
/* harmony import */ var _aws_crypto_sha256_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(23156);
/* harmony import */ var _aws_crypto_sha256_js__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(_aws_crypto_sha256_js__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _smithy_signature_v4__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(75118);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(52639);
/* harmony import */ var _credentials_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(97517);





/**
 * An EKS connection: the endpoint and CA from DescribeCluster, and the token
 * that `aws eks get-token` makes: a presigned STS GetCallerIdentity URL with
 * the cluster name in the signed `x-k8s-aws-id` header. The API server's
 * authenticator accepts it for 15 minutes; we renew it well before that.
 */
const TOKEN_PREFIX = 'k8s-aws-v1.';
/** Renew after this age, well inside the authenticator's 15-minute window. */
const TOKEN_RENEW_AFTER_MS = 10 * 60_000;
const PRESIGN_EXPIRES_SECONDS = 60;
async function eksToken(options) {
    const hostname = `sts.${options.region}.amazonaws.com`;
    const signer = new _smithy_signature_v4__WEBPACK_IMPORTED_MODULE_3__.SignatureV4({
        service: 'sts',
        region: options.region,
        credentials: options.credentials,
        sha256: _aws_crypto_sha256_js__WEBPACK_IMPORTED_MODULE_0__.Sha256,
    });
    const signed = await signer.presign({
        method: 'GET',
        protocol: 'https:',
        hostname,
        path: '/',
        query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
        headers: { host: hostname, 'x-k8s-aws-id': options.clusterName },
    }, { expiresIn: PRESIGN_EXPIRES_SECONDS, ...(options.now ? { signingDate: options.now } : {}) });
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(signed.query ?? {})) {
        for (const v of Array.isArray(value) ? value : [value])
            if (v !== null)
                query.append(key, v);
    }
    const url = `https://${hostname}/?${query.toString()}`;
    return TOKEN_PREFIX + Buffer.from(url, 'utf8').toString('base64url');
}
async function eksConnection(spec, context) {
    const credentials = (0,_credentials_js__WEBPACK_IMPORTED_MODULE_2__/* .awsCredentials */ .cD)();
    // The SDK honours AWS_ENDPOINT_URL_EKS / AWS_ENDPOINT_URL itself; an explicit endpoint wins.
    const endpoint = context.endpoints?.eks;
    const client = new _aws_sdk_client_eks__WEBPACK_IMPORTED_MODULE_4__/* .EKSClient */ .JQJ({
        region: spec.region,
        credentials,
        ...(endpoint ? { endpoint } : {}),
        maxAttempts: 5,
    });
    let cluster;
    try {
        const answer = await client.send(new _aws_sdk_client_eks__WEBPACK_IMPORTED_MODULE_4__/* .DescribeClusterCommand */ .hV5({ name: spec.name }));
        cluster = answer.cluster;
    }
    catch (err) {
        const name = err.name;
        if (name === 'ResourceNotFoundException') {
            throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo(`EKS cluster '${spec.name}' was not found in ${spec.region}`, {
                hint: 'check the cluster input (eks:<region>/<name>) and the AWS account this job uses',
                cause: err,
            });
        }
        const explained = (0,_credentials_js__WEBPACK_IMPORTED_MODULE_2__/* .explainAwsError */ .Ni)(err, `describing EKS cluster '${spec.name}'`);
        if (explained !== err)
            throw explained;
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo(`could not describe EKS cluster '${spec.name}' in ${spec.region}: ${err.message}`, { cause: err });
    }
    finally {
        client.destroy();
    }
    if (!cluster?.endpoint) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo(`EKS cluster '${spec.name}' has no API endpoint yet (status ${cluster?.status ?? 'unknown'})`, { hint: 'wait until the cluster is ACTIVE' });
    }
    const caData = cluster.certificateAuthority?.data
        ? Buffer.from(cluster.certificateAuthority.data, 'base64').toString('utf8')
        : undefined;
    let token = '';
    let issuedAt = 0;
    const refresh = async () => {
        if (token !== '' && Date.now() - issuedAt < TOKEN_RENEW_AFTER_MS)
            return token;
        token = await eksToken({ region: spec.region, clusterName: spec.name, credentials });
        issuedAt = Date.now();
        context.logger.secret(token);
        return token;
    };
    await refresh();
    return {
        server: cluster.endpoint,
        ...(caData ? { caData } : {}),
        token,
        refresh,
        cloud: 'aws',
        displayName: `eks:${spec.region}/${spec.name}`,
    };
}


/***/ }),

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


/***/ })

};
