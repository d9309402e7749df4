import { UserError } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import { kubeFailure, type KubeClient } from '../client.ts';
import type { KubeObject } from '../objects.ts';
import type { TrafficRouterName } from './types.ts';

/**
 * How a progressive rollout moves traffic between the stable version and the
 * new one. Every change is a server-side apply of a whole object the release
 * owns, so re-applying the release's own render always restores it.
 */
export interface TrafficRouter {
  readonly name: TrafficRouterName;
  /** Objects the router adds for the new version; removed with it. */
  readonly extraObjects: KubeObject[];
  /** Sends `weight` percent to the new version; returns the share it could give. */
  setWeight(weight: number): Promise<number>;
  /** All traffic back to the stable version. */
  reset(): Promise<void>;
}

const ROUTER_GROUPS: Partial<
  Record<TrafficRouterName, { group: string; what: string; kind: string }>
> = {
  gateway: { group: 'gateway.networking.k8s.io', what: 'the Gateway API', kind: 'HTTPRoute' },
  istio: { group: 'networking.istio.io', what: 'Istio', kind: 'VirtualService' },
  ambassador: { group: 'getambassador.io', what: 'Emissary-ingress', kind: 'Mapping' },
};

/** Asks discovery whether the cluster serves the router's API group (its CRDs are installed). */
export async function checkRouterApi(
  client: KubeClient,
  router: TrafficRouterName,
  logger: Logger,
): Promise<void> {
  const needed = ROUTER_GROUPS[router];
  if (!needed) return;
  const connection = client.connection;
  let groups: string[];
  try {
    groups = await client.call(({ discovery }) => discovery.apiGroups());
  } catch (err) {
    throw kubeFailure('listing the API groups', err, connection.displayName);
  }
  if (!groups.includes(needed.group)) {
    throw new UserError(
      `traffic-router ${router} needs ${needed.what} (${needed.group}), and the cluster ${connection.displayName} does not serve it: its CRDs are not installed`,
      {
        hint: `install ${needed.what} CRDs in the cluster, or use traffic-router: replicas for an approximate split by replica counts`,
      },
    );
  }
  logger.debug(`the cluster serves ${needed.group}`);
}

/** The route kind each router drives, for checking the release renders one. */
export function routeKindFor(router: TrafficRouterName): string | undefined {
  return ROUTER_GROUPS[router]?.kind;
}
