import { applyObjects } from '../apply.ts';
import type { KubeClient } from '../client.ts';
import { releaseLabels, type KubeObject } from '../objects.ts';
import type { TrafficRouter } from './traffic-router.ts';
import { TRACK_LABEL } from './workload.ts';

interface RouteDestination {
  destination: { host: string; subset?: string; port?: { number: number } };
  weight?: number;
  [key: string]: unknown;
}

export const CANARY_SUBSET = 'canary';

/** `name`, `name.ns`, `name.ns.svc` and the FQDN all name the same Service to Istio. */
function sameHost(host: string, fqdn: string): boolean {
  return fqdn === host || fqdn.startsWith(`${host}.`);
}

/**
 * Istio: each HTTP route of the VirtualService that goes to the stable
 * Service is split into two weighted destinations; the new version's goes to
 * the `canary` subset its DestinationRule defines, so only its pods answer.
 */
export function weightedVirtualService(
  virtualService: KubeObject,
  stableHost: string,
  canaryHost: string,
  weight: number,
): KubeObject {
  const copy = structuredClone(virtualService);
  const http = ((copy.spec as { http?: Array<{ route?: RouteDestination[] }> }).http ??= []);
  for (const entry of http) {
    const routes = entry.route ?? [];
    const stable = routes.find((r) => sameHost(r.destination.host, stableHost));
    if (!stable) continue;
    entry.route = [
      { ...stable, weight: 100 - weight },
      {
        ...stable,
        destination: { ...stable.destination, host: canaryHost, subset: CANARY_SUBSET },
        weight,
      },
    ];
  }
  return copy;
}

export function canaryDestinationRule(
  name: string,
  namespace: string,
  release: string,
  canaryHost: string,
  podSelector: Record<string, string>,
): KubeObject {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: {
      name,
      namespace,
      labels: { ...releaseLabels(release), [TRACK_LABEL]: 'canary' },
    },
    spec: {
      host: canaryHost,
      subsets: [{ name: CANARY_SUBSET, labels: podSelector }],
    },
  };
}

export class IstioRouter implements TrafficRouter {
  readonly name = 'istio' as const;
  readonly extraObjects: KubeObject[];
  private readonly client: KubeClient;
  private readonly virtualService: KubeObject;
  private readonly stableHost: string;
  private readonly canaryHost: string;
  private ruleApplied = false;

  constructor(
    client: KubeClient,
    virtualService: KubeObject,
    stableHost: string,
    canaryHost: string,
    destinationRule: KubeObject,
  ) {
    this.client = client;
    this.virtualService = virtualService;
    this.stableHost = stableHost;
    this.canaryHost = canaryHost;
    this.extraObjects = [destinationRule];
  }

  async setWeight(weight: number): Promise<number> {
    // The subset must exist before a route names it, or Istio answers 503 for that share.
    if (!this.ruleApplied) {
      await applyObjects(this.client, this.extraObjects);
      this.ruleApplied = true;
    }
    await applyObjects(this.client, [
      weightedVirtualService(this.virtualService, this.stableHost, this.canaryHost, weight),
    ]);
    return weight;
  }

  async reset(): Promise<void> {
    await applyObjects(this.client, [this.virtualService]);
  }
}
