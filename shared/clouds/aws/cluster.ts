import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { UserError } from '../../common/errors.ts';
import type { CloudContext, ClusterConnection } from '../types.ts';
import { awsCredentials, explainAwsError } from './credentials.ts';

/**
 * An EKS connection: the endpoint and CA from DescribeCluster, and the token
 * that `aws eks get-token` makes: a presigned STS GetCallerIdentity URL with
 * the cluster name in the signed `x-k8s-aws-id` header. The API server's
 * authenticator accepts it for 15 minutes; we renew it well before that.
 */

export const TOKEN_PREFIX = 'k8s-aws-v1.';
/** Renew after this age, well inside the authenticator's 15-minute window. */
export const TOKEN_RENEW_AFTER_MS = 10 * 60_000;
const PRESIGN_EXPIRES_SECONDS = 60;

export interface EksTokenOptions {
  region: string;
  clusterName: string;
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  now?: Date;
}

export async function eksToken(options: EksTokenOptions): Promise<string> {
  const hostname = `sts.${options.region}.amazonaws.com`;
  const signer = new SignatureV4({
    service: 'sts',
    region: options.region,
    credentials: options.credentials,
    sha256: Sha256,
  });
  const signed = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname,
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: hostname, 'x-k8s-aws-id': options.clusterName },
    },
    { expiresIn: PRESIGN_EXPIRES_SECONDS, ...(options.now ? { signingDate: options.now } : {}) },
  );
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(signed.query ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) if (v !== null) query.append(key, v);
  }
  const url = `https://${hostname}/?${query.toString()}`;
  return TOKEN_PREFIX + Buffer.from(url, 'utf8').toString('base64url');
}

export async function eksConnection(
  spec: { region: string; name: string },
  context: CloudContext,
): Promise<ClusterConnection> {
  const credentials = awsCredentials();
  // The SDK honours AWS_ENDPOINT_URL_EKS / AWS_ENDPOINT_URL itself; an explicit endpoint wins.
  const endpoint = context.endpoints?.eks;
  const client = new EKSClient({
    region: spec.region,
    credentials,
    ...(endpoint ? { endpoint } : {}),
    maxAttempts: 5,
  });
  let cluster;
  try {
    const answer = await client.send(new DescribeClusterCommand({ name: spec.name }));
    cluster = answer.cluster;
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name === 'ResourceNotFoundException') {
      throw new UserError(`EKS cluster '${spec.name}' was not found in ${spec.region}`, {
        hint: 'check the cluster input (eks:<region>/<name>) and the AWS account this job uses',
        cause: err,
      });
    }
    const explained = explainAwsError(err, `describing EKS cluster '${spec.name}'`);
    if (explained !== err) throw explained;
    throw new UserError(
      `could not describe EKS cluster '${spec.name}' in ${spec.region}: ${(err as Error).message}`,
      { cause: err },
    );
  } finally {
    client.destroy();
  }
  if (!cluster?.endpoint) {
    throw new UserError(
      `EKS cluster '${spec.name}' has no API endpoint yet (status ${cluster?.status ?? 'unknown'})`,
      { hint: 'wait until the cluster is ACTIVE' },
    );
  }
  const caData = cluster.certificateAuthority?.data
    ? Buffer.from(cluster.certificateAuthority.data, 'base64').toString('utf8')
    : undefined;

  let token = '';
  let issuedAt = 0;
  const refresh = async (): Promise<string> => {
    if (token !== '' && Date.now() - issuedAt < TOKEN_RENEW_AFTER_MS) return token;
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
