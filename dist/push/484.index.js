export const id = 484;
export const ids = [484];
export const modules = {

/***/ 78484:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  ecrRegistryAccess: () => (/* binding */ ecrRegistryAccess)
});

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ecr/dist-cjs/index.js
var dist_cjs = __webpack_require__(28249);
// EXTERNAL MODULE: ./shared/common/errors.ts
var errors = __webpack_require__(52639);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/credential-providers/dist-cjs/index.js
var credential_providers_dist_cjs = __webpack_require__(29719);
// EXTERNAL MODULE: ./shared/common/network.ts
var common_network = __webpack_require__(21084);
;// CONCATENATED MODULE: ./shared/clouds/aws/credentials.ts



/**
 * AWS credentials from the SDK's default chain: environment variables (what
 * aws-actions/configure-aws-credentials exports, OIDC included), web identity
 * files, shared config/profiles, container and instance metadata. Endpoints
 * follow AWS_ENDPOINT_URL_<SERVICE> / AWS_ENDPOINT_URL, which the SDK reads itself.
 */
function awsCredentials() {
    return (0,credential_providers_dist_cjs/* fromNodeProviderChain */.br)();
}
/** The region from an ECR host, else AWS_REGION / AWS_DEFAULT_REGION. */
function awsRegion(fromHost, env = process.env) {
    const region = fromHost ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    if (!region) {
        throw new errors/* UserError */.yo('no AWS region is known for this registry', {
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
        return new errors/* UserError */.yo(`${what}: no AWS credentials were found (${message})`, {
            hint: 'run aws-actions/configure-aws-credentials before this step (with role-to-assume for OIDC)',
        });
    }
    const network = (0,common_network/* networkError */.x6)(err, {
        host: (0,common_network/* hostInError */.Eu)(err) ?? 'its endpoint',
        server: 'AWS API',
    });
    if (network !== undefined) {
        return new errors/* UserError */.yo(`${what}: ${network.message}`, {
            hint: `${network.hint ?? ''}; an endpoint set by AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_<SERVICE> must be reachable too`,
            cause: err,
        });
    }
    if (/AccessDenied|UnrecognizedClient|InvalidSignature|ExpiredToken/i.test(`${name} ${message}`)) {
        return new errors/* UserError */.yo(`${what}: AWS refused the request (${name}: ${message})`, {
            hint: 'check the role or keys and that they allow this ECR action',
        });
    }
    return err;
}

;// CONCATENATED MODULE: ./shared/clouds/aws/registry.ts



const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;
/**
 * ECR: GetAuthorizationToken gives a Basic `AWS:<password>` pair valid for 12
 * hours; repositories must exist before a push, so they are created with
 * scan-on-push and the requested tag mutability.
 */
function ecrRegistryAccess(options) {
    const match = ECR_HOST.exec(options.host.replace(/:\d+$/, ''));
    const registryId = match?.[1];
    let client = options.client;
    const ecr = () => {
        client ??= new dist_cjs/* ECRClient */.S70({ region: awsRegion(match?.[2]), credentials: awsCredentials() });
        return client;
    };
    return {
        async credential() {
            const answer = await ecr()
                .send(new dist_cjs/* GetAuthorizationTokenCommand */.Eu6(registryId ? { registryIds: [registryId] } : {}))
                .catch((err) => {
                throw explainAwsError(err, `getting an ECR login for ${options.host}`);
            });
            const token = answer.authorizationData?.[0]?.authorizationToken;
            if (!token)
                throw new errors/* UserError */.yo(`ECR returned no authorization token for ${options.host}`);
            options.logger.secret(token);
            const decoded = Buffer.from(token, 'base64').toString('utf8');
            const colon = decoded.indexOf(':');
            if (colon < 0)
                throw new errors/* UserError */.yo(`the ECR authorization token for ${options.host} is not user:password`);
            const password = decoded.slice(colon + 1);
            options.logger.secret(password);
            return { kind: 'basic', username: decoded.slice(0, colon), password };
        },
        async ensureRepository(repository, { immutableTags }) {
            try {
                await ecr().send(new dist_cjs/* DescribeRepositoriesCommand */.pE_({
                    repositoryNames: [repository],
                    ...(registryId ? { registryId } : {}),
                }));
                return;
            }
            catch (err) {
                if (!(err instanceof dist_cjs/* RepositoryNotFoundException */.Da2) &&
                    err.name !== 'RepositoryNotFoundException') {
                    throw explainAwsError(err, `checking ECR repository ${repository}`);
                }
            }
            options.logger.info(`creating ECR repository ${repository} (scan on push, tags ${immutableTags ? 'immutable' : 'mutable'})`);
            await ecr()
                .send(new dist_cjs/* CreateRepositoryCommand */.WTe({
                repositoryName: repository,
                ...(registryId ? { registryId } : {}),
                imageScanningConfiguration: { scanOnPush: true },
                imageTagMutability: immutableTags ? 'IMMUTABLE' : 'MUTABLE',
            }))
                .catch((err) => {
                // Another job created it in the meantime: fine.
                if (err.name === 'RepositoryAlreadyExistsException')
                    return;
                throw explainAwsError(err, `creating ECR repository ${repository}`);
            });
        },
    };
}


/***/ })

};
