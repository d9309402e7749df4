export const id = 2836;
export const ids = [2836];
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

/***/ 52836:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   s3ObjectReader: () => (/* binding */ s3ObjectReader)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(53711);
/* harmony import */ var _credentials_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(97517);


function s3ObjectReader(options) {
    const client = new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_1__/* .S3Client */ .YxF({
        credentials: (0,_credentials_js__WEBPACK_IMPORTED_MODULE_0__/* .awsCredentials */ .cD)(),
        region: options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
        ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
    });
    const what = (key) => `reading s3://${options.bucket}/${key}`;
    return {
        async exists(key) {
            try {
                await client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_1__/* .HeadObjectCommand */ .l81({ Bucket: options.bucket, Key: key }));
                return true;
            }
            catch (err) {
                const status = err.$metadata
                    ?.httpStatusCode;
                if (status === 404 || err.name === 'NotFound')
                    return false;
                throw (0,_credentials_js__WEBPACK_IMPORTED_MODULE_0__/* .explainAwsError */ .Ni)(err, what(key));
            }
        },
        async open(key) {
            try {
                const response = await client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_1__/* .GetObjectCommand */ .jLs({ Bucket: options.bucket, Key: key }));
                return response.Body;
            }
            catch (err) {
                throw (0,_credentials_js__WEBPACK_IMPORTED_MODULE_0__/* .explainAwsError */ .Ni)(err, what(key));
            }
        },
        async list(prefix) {
            const objects = [];
            let token;
            do {
                let page;
                try {
                    page = await client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_1__/* .ListObjectsV2Command */ .u6x({
                        Bucket: options.bucket,
                        Prefix: prefix,
                        ...(token ? { ContinuationToken: token } : {}),
                    }));
                }
                catch (err) {
                    throw (0,_credentials_js__WEBPACK_IMPORTED_MODULE_0__/* .explainAwsError */ .Ni)(err, `listing s3://${options.bucket}/${prefix}`);
                }
                for (const object of page.Contents ?? []) {
                    if (object.Key !== undefined)
                        objects.push({ key: object.Key, size: object.Size ?? 0 });
                }
                token = page.IsTruncated ? page.NextContinuationToken : undefined;
            } while (token);
            return objects;
        },
    };
}


/***/ })

};
