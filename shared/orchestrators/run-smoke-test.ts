import type { ClusterIdentity } from '../clouds/cluster-access.ts';
import { InputError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import type { Endpoint } from '../smoke/endpoint.ts';
import { isGrpcProtocol } from '../smoke/protocols/types.ts';
import { serviceProxyEndpoint, type ServiceRef } from '../smoke/service-proxy.ts';
import { smokeTestEndpoint, type SmokeChecks, type SmokeTestResult } from '../smoke/smoke-test.ts';
import { ungrouped, type LogGroup } from './log-group.ts';

/** A smoke test: where the server is (a URL, or a Service reached through its cluster) and the checks. */
export interface SmokeTestRequest extends SmokeChecks {
  url: string | undefined;
  service: ServiceRef | undefined;
  /** The cluster of `service`, as the `cluster` input names it. */
  cluster: string | undefined;
  /** AKS through GitHub OIDC federated to Entra, as deploy connects. */
  azure: NonNullable<ClusterIdentity['azure']>;
  /** Accept a kubeconfig with insecure-skip-tls-verify. */
  insecureSkipTlsVerify: boolean;
  headers: Record<string, string>;
  /** TorchServe's management API. */
  managementUrl: string | undefined;
}

export interface SmokeTestOutcome {
  endpoint: Endpoint;
  result: SmokeTestResult;
}

export interface SmokeTestSettings {
  logger: Logger;
  group?: LogGroup;
}

function urlEndpoint(request: SmokeTestRequest, url: string): Endpoint {
  const shown = new URL(url);
  return {
    baseUrl: url,
    headers: request.headers,
    displayName: isGrpcProtocol(request.protocol)
      ? `${shown.protocol}//${shown.host}`
      : shown.origin + shown.pathname.replace(/\/$/, ''),
    server: 'model server',
    input: 'url',
  };
}

/**
 * The Service through the API server's service proxy. The cluster code (and
 * with it a cloud SDK or the Kubernetes client) is loaded only here, so a
 * smoke test of a URL never loads it.
 */
async function serviceEndpoint(
  request: SmokeTestRequest,
  service: ServiceRef,
  logger: Logger,
): Promise<Endpoint> {
  if (Object.keys(request.headers).some((h) => h.toLowerCase() === 'authorization')) {
    // The API server takes Authorization for itself, so the model server never sees this one.
    logger.warning(
      'token / Authorization header is replaced by the cluster credentials when going through the service proxy',
    );
  }
  const { connectCluster, describeClusterSpec, parseClusterSpec } =
    await import('../clouds/cluster-access.ts');
  const spec = parseClusterSpec(request.cluster);
  logger.info(
    `connecting to ${describeClusterSpec(spec)} to reach the service through the API server proxy`,
  );
  const connection = await connectCluster(
    spec,
    { logger, allowInsecureKubeconfig: request.insecureSkipTlsVerify },
    { azure: request.azure },
  );
  const endpoint = await serviceProxyEndpoint(service, connection);
  const token = endpoint.headers.authorization?.replace(/^Bearer /, '');
  if (token) logger.secret(token);
  // The user's own headers go to the model server too (the proxy forwards them).
  return { ...endpoint, headers: { ...request.headers, ...endpoint.headers } };
}

/** Where the model server answers: the URL given, or the Service through its cluster. */
export function resolveEndpoint(request: SmokeTestRequest, logger: Logger): Promise<Endpoint> {
  if (request.url !== undefined) return Promise.resolve(urlEndpoint(request, request.url));
  if (request.service === undefined) {
    throw new InputError(
      'url',
      'is required unless service is given',
      'https://models.example.com or service: default/resnet50:8000',
    );
  }
  return serviceEndpoint(request, request.service, logger);
}

function managementEndpoint(request: SmokeTestRequest): Endpoint | undefined {
  if (request.managementUrl === undefined) return undefined;
  return {
    baseUrl: request.managementUrl,
    headers: request.headers,
    displayName: request.managementUrl,
    server: 'TorchServe management API',
    input: 'management-url',
  };
}

/**
 * The smoke test of a served model: its endpoint resolved (a URL, or a
 * Service through the cluster's API server), then readiness, metadata, one
 * checked inference and the load against the SLOs.
 */
export async function runSmokeTest(
  request: SmokeTestRequest,
  settings: SmokeTestSettings,
): Promise<SmokeTestOutcome> {
  const { logger, group = ungrouped } = settings;
  const endpoint = await group('Connect', () => resolveEndpoint(request, logger));
  const result = await group(`Smoke test ${endpoint.displayName}`, () =>
    smokeTestEndpoint({ ...request, endpoint, management: managementEndpoint(request), logger }),
  );
  return { endpoint, result };
}
