import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { UserError } from '../../common/errors.ts';
import { hostInError, networkError } from '../../common/network.ts';

/**
 * AWS credentials from the SDK's default chain: environment variables (what
 * aws-actions/configure-aws-credentials exports, OIDC included), web identity
 * files, shared config/profiles, container and instance metadata. Endpoints
 * follow AWS_ENDPOINT_URL_<SERVICE> / AWS_ENDPOINT_URL, which the SDK reads itself.
 */
export function awsCredentials(): AwsCredentialIdentityProvider {
  return fromNodeProviderChain();
}

/** The region from an ECR host, else AWS_REGION / AWS_DEFAULT_REGION. */
export function awsRegion(fromHost?: string, env: NodeJS.ProcessEnv = process.env): string {
  const region = fromHost ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) {
    throw new UserError('no AWS region is known for this registry', {
      hint: 'use an ECR host (<account>.dkr.ecr.<region>.amazonaws.com) or set AWS_REGION (aws-actions/configure-aws-credentials does)',
    });
  }
  return region;
}

/** Turns the SDK's "no credentials", refusal and network failures into ones the user can act on. */
export function explainAwsError(err: unknown, what: string): unknown {
  const name = (err as { name?: string }).name ?? '';
  const message = (err as Error).message ?? String(err);
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return new UserError(`${what}: no AWS credentials were found (${message})`, {
      hint: 'run aws-actions/configure-aws-credentials before this step (with role-to-assume for OIDC)',
    });
  }
  const network = networkError(err, {
    host: hostInError(err) ?? 'its endpoint',
    server: 'AWS API',
  });
  if (network !== undefined) {
    return new UserError(`${what}: ${network.message}`, {
      hint: `${network.hint ?? ''}; an endpoint set by AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_<SERVICE> must be reachable too`,
      cause: err,
    });
  }
  if (/AccessDenied|UnrecognizedClient|InvalidSignature|ExpiredToken/i.test(`${name} ${message}`)) {
    return new UserError(`${what}: AWS refused the request (${name}: ${message})`, {
      hint: 'check the role or keys and that they allow this ECR action',
    });
  }
  return err;
}
