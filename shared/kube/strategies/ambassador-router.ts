import { applyObjects } from '../apply.ts';
import type { KubeClient } from '../client.ts';
import { releaseLabels, type KubeObject } from '../objects.ts';
import type { TrafficRouter } from './traffic-router.ts';
import { TRACK_LABEL } from './workload.ts';

interface MappingSpec {
  service?: string;
  weight?: number;
  [key: string]: unknown;
}

/** `name`, `name.ns`, `name.ns:port` and their URL forms: the scheme, the Service name, the rest. */
function serviceParts(service: string): { scheme: string; name: string; rest: string } {
  const match = /^([a-z]+:\/\/)?([^.:/]*)(.*)$/.exec(service)!;
  return { scheme: match[1] ?? '', name: match[2]!, rest: match[3]! };
}

/**
 * Emissary-ingress: next to each Mapping that sends traffic to the stable
 * Service, a copy for the new version's Service with a `weight`. Emissary
 * gives a weighted Mapping that share of the requests its prefix and host
 * match, and the unweighted one the rest; the stable Mappings stay as they
 * are, so withdrawing the new version is deleting its copies.
 */
export function canaryMappings(
  mappings: KubeObject[],
  stableService: string,
  canaryService: string,
  release: string,
  weight: number,
): KubeObject[] {
  return mappings
    .filter((m) => m.kind === 'Mapping')
    .filter((m) => serviceParts((m.spec as MappingSpec).service ?? '').name === stableService)
    .map((m) => {
      const spec = structuredClone(m.spec) as MappingSpec;
      const target = serviceParts(spec.service as string);
      spec.service = `${target.scheme}${canaryService}${target.rest}`;
      spec.weight = weight;
      return {
        apiVersion: m.apiVersion,
        kind: 'Mapping',
        metadata: {
          name: `${m.metadata.name}-canary`,
          namespace: m.metadata.namespace,
          labels: { ...m.metadata.labels, ...releaseLabels(release), [TRACK_LABEL]: 'canary' },
        },
        spec,
      };
    });
}

export class AmbassadorRouter implements TrafficRouter {
  readonly name = 'ambassador' as const;
  readonly extraObjects: KubeObject[];
  private readonly client: KubeClient;
  private readonly mappings: KubeObject[];
  private readonly stableService: string;
  private readonly canaryService: string;
  private readonly release: string;

  constructor(
    client: KubeClient,
    mappings: KubeObject[],
    stableService: string,
    canaryService: string,
    release: string,
  ) {
    this.client = client;
    this.mappings = mappings;
    this.stableService = stableService;
    this.canaryService = canaryService;
    this.release = release;
    this.extraObjects = canaryMappings(mappings, stableService, canaryService, release, 0);
  }

  async setWeight(weight: number): Promise<number> {
    await applyObjects(
      this.client,
      canaryMappings(this.mappings, this.stableService, this.canaryService, this.release, weight),
    );
    return weight;
  }

  async reset(): Promise<void> {
    await applyObjects(
      this.client,
      canaryMappings(this.mappings, this.stableService, this.canaryService, this.release, 0),
    );
  }
}
