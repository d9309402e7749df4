import type { V1Service } from '@kubernetes/client-node';
import { oneLine, UserError } from '../common/errors.ts';
import { formatDuration } from '../common/duration.ts';
import type { Logger } from '../common/logger.ts';
import { sleep } from '../common/retry.ts';
import { kubeFailure, type KubeClient } from './client.ts';
import { recentWarnings, type EventState } from './diagnose.ts';
import type { KubeObject } from './objects.ts';

/**
 * Who can reach a release's `url`: anyone (a public load balancer or a
 * gateway host), only the cloud network (an internal load balancer), or only
 * the cluster (a ClusterIP Service, reached from a runner through the API
 * server's service proxy).
 */
export type Reach = 'public' | 'private' | 'cluster';

export interface ReleaseEndpoint {
  /** Where the release answers: the gateway host, the load balancer, or the in-cluster address. */
  url: string;
  reach: Reach;
  /** `<namespace>/<service>:<port>`: smoke-test's `service` input, through the API server. */
  service?: string;
}

export interface EndpointOptions {
  /** The gateway or Istio host, when the release has one. */
  host?: string;
  /** How long to wait for a load balancer's address. */
  addressTimeoutMs: number;
  logger: Logger;
  /** The longest pause between two reads of the Service (tests lower it). */
  pollMs?: number;
}

/** Annotations that make a LoadBalancer Service internal on EKS, AKS and GKE. */
const INTERNAL_LOAD_BALANCER: Record<string, (value: string) => boolean> = {
  'service.beta.kubernetes.io/aws-load-balancer-scheme': (v) => v === 'internal',
  'service.beta.kubernetes.io/aws-load-balancer-internal': (v) => v === 'true' || v === '0.0.0.0/0',
  'service.beta.kubernetes.io/azure-load-balancer-internal': (v) => v === 'true',
  'networking.gke.io/load-balancer-type': (v) => v.toLowerCase() === 'internal',
  'cloud.google.com/load-balancer-type': (v) => v.toLowerCase() === 'internal',
};

function isInternal(annotations: Record<string, string> | undefined): boolean {
  return Object.entries(INTERNAL_LOAD_BALANCER).some(([key, test]) => {
    const value = annotations?.[key];
    return value !== undefined && test(value);
  });
}

interface ServiceShape {
  type?: string;
  ports?: Array<{ port?: number; name?: string }>;
}

/**
 * Where the release answers and who can reach it. A load balancer's address
 * is waited for (the cloud assigns it after the Service exists); when none
 * comes within the budget the release is not reachable as asked, and the
 * error says why from the Service's events instead of handing out an
 * in-cluster name that no runner can resolve.
 */
export async function releaseEndpoint(
  client: KubeClient,
  objects: KubeObject[],
  options: EndpointOptions,
): Promise<ReleaseEndpoint | undefined> {
  const service = objects.find((o) => o.kind === 'Service');
  const spec = service?.spec as ServiceShape | undefined;
  const namespace = service?.metadata.namespace ?? 'default';
  const first = spec?.ports?.[0];
  const port = first?.port ?? 80;
  const suffix = port === 80 ? '' : `:${port}`;
  const proxied = service
    ? { service: `${namespace}/${service.metadata.name}:${first?.name ?? port}` }
    : {};
  if (
    options.host &&
    objects.some((o) => ['HTTPRoute', 'VirtualService', 'Mapping'].includes(o.kind))
  ) {
    return { url: `http://${options.host}`, reach: 'public', ...proxied };
  }
  if (!service) return undefined;
  if (spec?.type !== 'LoadBalancer') {
    return {
      url: `http://${service.metadata.name}.${namespace}.svc.cluster.local${suffix}`,
      reach: 'cluster',
      ...proxied,
    };
  }
  const reach: Reach = isInternal(service.metadata.annotations) ? 'private' : 'public';
  const address = await waitForAddress(client, service.metadata.name, namespace, options);
  return { url: `http://${address}${suffix}`, reach, ...proxied };
}

async function waitForAddress(
  client: KubeClient,
  name: string,
  namespace: string,
  options: EndpointOptions,
): Promise<string> {
  const started = Date.now();
  const maxPause = options.pollMs ?? 5000;
  let pause = Math.min(500, maxPause);
  let told = false;
  for (;;) {
    let live: V1Service;
    try {
      live = await client.call(({ core }) => core.readNamespacedService({ name, namespace }));
    } catch (err) {
      throw kubeFailure(
        `reading Service ${namespace}/${name} for its load balancer address`,
        err,
        client.connection.displayName,
      );
    }
    const ingress = live.status?.loadBalancer?.ingress?.find((i) => i.hostname || i.ip);
    const address = ingress?.hostname ?? ingress?.ip;
    if (address) {
      if (told) {
        options.logger.info(
          `load balancer address ${address} after ${formatDuration(Date.now() - started)}`,
        );
      }
      return address;
    }
    const waited = Date.now() - started;
    if (waited >= options.addressTimeoutMs) break;
    if (!told) {
      options.logger.info(
        `waiting up to ${formatDuration(options.addressTimeoutMs)} for the cloud to give Service ${namespace}/${name} a load balancer address`,
      );
      told = true;
    }
    await sleep(Math.min(pause, options.addressTimeoutMs - waited));
    pause = Math.min(maxPause, pause * 2);
  }
  throw new UserError(
    `Service ${namespace}/${name} got no load balancer address within ${formatDuration(options.addressTimeoutMs)}: the model is serving, but not reachable as expose asked${await serviceEvents(client, name, namespace)}`,
    {
      hint: 'on EKS the AWS Load Balancer Controller (or EKS Auto Mode) must be installed for NLB annotations; check the cloud quota for load balancers and the events above, raise address-timeout for slow clouds, or use expose: cluster-ip and smoke-test through service',
    },
  );
}

/** The Service's warning events (SyncLoadBalancerFailed…), on one line each, for the error. */
async function serviceEvents(client: KubeClient, name: string, namespace: string): Promise<string> {
  try {
    const list = await client.call(({ core }) =>
      core.listNamespacedEvent({
        namespace,
        fieldSelector: `involvedObject.kind=Service,involvedObject.name=${name}`,
      }),
    );
    const warnings = recentWarnings(list.items as EventState[], [name], 3).map((w) =>
      oneLine(w).slice(0, 300),
    );
    if (warnings.length > 0) return `; events: ${warnings.join('; ')}`;
    return '; the Service has no warning events (no controller has acted on it)';
  } catch {
    return '';
  }
}
