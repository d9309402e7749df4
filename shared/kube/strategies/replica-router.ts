import type { Logger } from '../../common/logger.ts';
import { applyObjects } from '../apply.ts';
import type { KubeClient } from '../client.ts';
import type { KubeObject } from '../objects.ts';
import type { TrafficRouter } from './traffic-router.ts';
import { deploymentSpec } from './workload.ts';

/**
 * Canary and stable replica counts whose ratio comes closest to `weight`
 * percent of `total`. Below 100% each side keeps at least one pod, so with a
 * single replica the canary comes as one extra pod (an even split).
 */
export function replicaSplit(total: number, weight: number): { canary: number; stable: number } {
  if (weight >= 100) return { canary: total, stable: 0 };
  if (weight <= 0) return { canary: 0, stable: total };
  const nearest = Math.max(1, Math.round((total * weight) / 100));
  const canary = total >= 2 ? Math.min(total - 1, nearest) : 1;
  return { canary, stable: Math.max(1, total - canary) };
}

/**
 * No traffic router: the new version's pods join the stable Service, which
 * spreads requests over all ready pods, so the split follows the replica
 * counts. Approximate by nature, and coarse with few replicas.
 */
export class ReplicaRouter implements TrafficRouter {
  readonly name = 'replicas' as const;
  readonly extraObjects: KubeObject[] = [];
  private readonly client: KubeClient;
  private readonly stable: KubeObject;
  private readonly canary: KubeObject;
  private readonly total: number;
  private readonly logger: Logger;
  private readonly waitReady: (deployment: KubeObject) => Promise<void>;

  constructor(options: {
    client: KubeClient;
    stable: KubeObject;
    canary: KubeObject;
    total: number;
    logger: Logger;
    waitReady: (deployment: KubeObject) => Promise<void>;
  }) {
    this.client = options.client;
    this.stable = options.stable;
    this.canary = options.canary;
    this.total = options.total;
    this.logger = options.logger;
    this.waitReady = options.waitReady;
  }

  private scaled(deployment: KubeObject, replicas: number): KubeObject {
    const copy = structuredClone(deployment);
    deploymentSpec(copy).replicas = replicas;
    return copy;
  }

  async setWeight(weight: number): Promise<number> {
    const split = replicaSplit(this.total, weight);
    const pods = split.canary + split.stable;
    const actual = Math.round((split.canary / pods) * 100);
    this.logger.info(
      `traffic-router replicas: the split is approximate, by replica counts: ${split.canary} new and ${split.stable} stable of ${pods} pods ≈ ${actual}% for ${weight}% asked` +
        (actual !== weight ? ' (more replicas give a finer split)' : ''),
    );
    // Grow the new version first and let it be ready, then shrink the stable one.
    const canary = this.scaled(this.canary, split.canary);
    await applyObjects(this.client, [canary]);
    await this.waitReady(canary);
    await applyObjects(this.client, [this.scaled(this.stable, split.stable)]);
    return actual;
  }

  async reset(): Promise<void> {
    await applyObjects(this.client, [this.stable]);
    await this.waitReady(this.stable);
  }
}
