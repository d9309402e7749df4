import { applyObjects } from '../apply.ts';
import type { KubeClient } from '../client.ts';
import type { KubeObject } from '../objects.ts';
import type { TrafficRouter } from './traffic-router.ts';

interface BackendRef {
  name: string;
  kind?: string;
  group?: string;
  weight?: number;
  [key: string]: unknown;
}

/**
 * Gateway API: each rule of the HTTPRoute (or GRPCRoute: its rules have the
 * same backendRefs) that sends traffic to the stable Service gets a second
 * weighted backendRef to the new version's Service.
 */
export function weightedHttpRoute(
  route: KubeObject,
  stableService: string,
  canaryService: string,
  weight: number,
): KubeObject {
  const copy = structuredClone(route);
  const rules = ((copy.spec as { rules?: Array<{ backendRefs?: BackendRef[] }> }).rules ??= []);
  for (const rule of rules) {
    const refs = rule.backendRefs ?? [];
    const stable = refs.find(
      (r) => r.name === stableService && (r.kind ?? 'Service') === 'Service',
    );
    if (!stable) continue;
    const others = refs.filter((r) => r !== stable && r.name !== canaryService);
    rule.backendRefs = [
      ...others,
      { ...stable, weight: 100 - weight },
      { ...stable, name: canaryService, weight },
    ];
  }
  return copy;
}

export function routesTo(route: KubeObject, service: string): boolean {
  const rules = (route.spec as { rules?: Array<{ backendRefs?: BackendRef[] }> }).rules ?? [];
  return rules.some((rule) => (rule.backendRefs ?? []).some((r) => r.name === service));
}

/** Moves the weights of every route of the release: the HTTPRoute and, for gRPC, the GRPCRoute. */
export class GatewayRouter implements TrafficRouter {
  readonly name = 'gateway' as const;
  readonly extraObjects: KubeObject[] = [];
  private readonly client: KubeClient;
  private readonly routes: KubeObject[];
  private readonly stableService: string;
  private readonly canaryService: string;

  constructor(
    client: KubeClient,
    routes: KubeObject[],
    stableService: string,
    canaryService: string,
  ) {
    this.client = client;
    this.routes = routes;
    this.stableService = stableService;
    this.canaryService = canaryService;
  }

  async setWeight(weight: number): Promise<number> {
    await applyObjects(
      this.client,
      this.routes.map((route) =>
        weightedHttpRoute(route, this.stableService, this.canaryService, weight),
      ),
    );
    return weight;
  }

  async reset(): Promise<void> {
    await applyObjects(this.client, this.routes);
  }
}
