import { UserError } from '../../common/errors.ts';
import { objectName, releaseLabels, type KubeObject } from '../objects.ts';

/**
 * The objects a progressive rollout works with: the release's one
 * Deployment and the Service in front of it, and the new version's own
 * Deployment and Service (`<name>-canary` or `<name>-preview`) beside them.
 */

export const TRACK_LABEL = 'model-deploy.io/track';
export const STRATEGY_MANAGER = 'model-deploy-strategy';

export interface ReleaseWorkload {
  deployment: KubeObject;
  service: KubeObject;
  /** The first of `routes`. */
  route?: KubeObject;
  /** Every route that sends traffic to the release: REST and gRPC. */
  routes: KubeObject[];
}

/** The kinds of the objects that route traffic to a release's Service. */
export const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'VirtualService', 'Mapping'];

type Labels = Record<string, string>;

interface DeploymentSpec {
  replicas?: number;
  selector: { matchLabels?: Labels };
  template: { metadata?: { labels?: Labels; annotations?: Labels } };
  [key: string]: unknown;
}

interface ServiceSpec {
  selector?: Labels;
  ports?: Array<{ port: number; name?: string }>;
  [key: string]: unknown;
}

export const deploymentSpec = (o: KubeObject) => o.spec as DeploymentSpec;
export const serviceSpec = (o: KubeObject) => o.spec as ServiceSpec;

function selects(selector: Labels | undefined, labels: Labels): boolean {
  const entries = Object.entries(selector ?? {});
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}

/** Finds the Deployment, its Service and the routes (HTTPRoute, GRPCRoute, VirtualService, Mapping) of a release. */
export function releaseWorkload(objects: KubeObject[], release: string): ReleaseWorkload {
  const deployments = objects.filter((o) => o.kind === 'Deployment');
  if (deployments.length !== 1) {
    throw new UserError(
      `a canary or blue-green rollout needs exactly one Deployment in the release; ${release} has ${deployments.length}${deployments.length ? ` (${deployments.map(objectName).join(', ')})` : ''}`,
      { hint: 'use strategy: rolling for this release, or render one Deployment per release' },
    );
  }
  const deployment = deployments[0] as KubeObject;
  const podLabels = deploymentSpec(deployment).template.metadata?.labels ?? {};
  const service = objects.find(
    (o) => o.kind === 'Service' && selects(serviceSpec(o).selector, podLabels),
  );
  if (!service) {
    throw new UserError(
      `a canary or blue-green rollout needs a Service selecting the pods of ${objectName(deployment)}; the release has none`,
      { hint: 'add a Service to the chart, or use the built-in manifests' },
    );
  }
  const routes = objects.filter((o) => ROUTE_KINDS.includes(o.kind));
  return { deployment, service, routes, ...(routes[0] ? { route: routes[0] } : {}) };
}

export function servicePort(service: KubeObject): number {
  return serviceSpec(service).ports?.[0]?.port ?? 80;
}

/** The FQDN Istio and in-cluster clients use for a Service. */
export function serviceHost(service: KubeObject, namespace: string): string {
  return `${service.metadata.name}.${service.metadata.namespace ?? namespace}.svc.cluster.local`;
}

function suffixed(value: string, suffix: string): string {
  const max = 63 - suffix.length - 1;
  return `${value.slice(0, max).replace(/[-_.]+$/, '')}-${suffix}`;
}

export interface SideBySide {
  deployment: KubeObject;
  service: KubeObject;
  /** The labels that pick out the new version's pods only. */
  podSelector: Labels;
}

/**
 * The new version's Deployment and Service beside the stable ones. With
 * `shareService` its pods also carry every label the main Service selects,
 * so they take a share of its traffic by their number (the replica-ratio
 * split); otherwise the selected labels get the suffix, so the main Service
 * never reaches them and only the router sends them traffic.
 */
export function sideBySide(
  workload: ReleaseWorkload,
  release: string,
  track: 'canary' | 'preview',
  options: { replicas: number; shareService: boolean },
): SideBySide {
  const deployment = structuredClone(workload.deployment);
  const spec = deploymentSpec(deployment);
  const mainSelector = serviceSpec(workload.service).selector ?? {};
  const relabel = (labels: Labels): Labels => {
    const out: Labels = { ...labels };
    if (!options.shareService) {
      for (const [key, value] of Object.entries(mainSelector)) {
        if (out[key] === value) out[key] = suffixed(value, track);
      }
    }
    out[TRACK_LABEL] = track;
    return out;
  };
  const templateLabels = relabel(spec.template.metadata?.labels ?? {});
  const matchLabels = relabel(spec.selector.matchLabels ?? {});
  const name = suffixed(workload.deployment.metadata.name, track);
  const ownLabels = { ...releaseLabels(release), [TRACK_LABEL]: track };
  deployment.metadata = {
    name,
    namespace: workload.deployment.metadata.namespace,
    labels: { ...workload.deployment.metadata.labels, ...ownLabels },
  };
  spec.selector = { matchLabels };
  spec.template.metadata = { ...spec.template.metadata, labels: templateLabels };
  spec.replicas = options.replicas;
  const serviceSelector: Labels = relabel(mainSelector);
  const service: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: suffixed(workload.service.metadata.name, track),
      namespace: workload.service.metadata.namespace,
      labels: { ...workload.service.metadata.labels, ...ownLabels },
    },
    spec: {
      type: 'ClusterIP',
      selector: serviceSelector,
      ports: serviceSpec(workload.service).ports,
    },
  };
  return { deployment, service, podSelector: serviceSelector };
}

/** How many replicas the release runs when nothing autoscales it. */
export function replicasOf(deployment: KubeObject): number {
  return deploymentSpec(deployment).replicas ?? 1;
}
