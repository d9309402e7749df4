import type { KubeClient } from './client.ts';
import type { KubeObject } from './objects.ts';

interface ServicePort {
  port?: number;
}

/**
 * Where the release answers: the gateway host when there is one, the load
 * balancer's address once the cloud has given it, else the in-cluster DNS
 * name (which smoke-test reaches through the API server's service proxy).
 */
export async function releaseUrl(
  client: KubeClient,
  objects: KubeObject[],
  host: string | undefined,
): Promise<string | undefined> {
  if (host && objects.some((o) => o.kind === 'HTTPRoute' || o.kind === 'VirtualService')) {
    return `http://${host}`;
  }
  const service = objects.find((o) => o.kind === 'Service');
  if (!service) return undefined;
  const spec = service.spec as { type?: string; ports?: ServicePort[] } | undefined;
  const port = spec?.ports?.[0]?.port ?? 80;
  const namespace = service.metadata.namespace ?? 'default';
  if (spec?.type === 'LoadBalancer') {
    try {
      const live = await client.call(({ core }) =>
        core.readNamespacedService({ name: service.metadata.name, namespace }),
      );
      const ingress = live.status?.loadBalancer?.ingress?.[0];
      const address = ingress?.hostname ?? ingress?.ip;
      if (address) return `http://${address}${port === 80 ? '' : `:${port}`}`;
    } catch {
      // The in-cluster address below still identifies the endpoint.
    }
  }
  return `http://${service.metadata.name}.${namespace}.svc.cluster.local${port === 80 ? '' : `:${port}`}`;
}
