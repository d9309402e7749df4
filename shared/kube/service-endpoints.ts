import { errorMessage } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import { sleep } from '../common/retry.ts';
import { changeSignal, type ChangeSignal } from './change-signal.ts';
import { kubeFailure, type KubeClient } from './client.ts';
import type { KubeObject } from './objects.ts';

/**
 * After a Service's selector changes, the endpoints controller moves its
 * EndpointSlices to the newly selected pods a moment later; until then the
 * Service still sends traffic to the old ones. This waits for that moment,
 * so what follows (an analysis of the new version) sees the new version.
 */

interface Slice {
  endpoints?: Array<{
    conditions?: { ready?: boolean };
    targetRef?: { kind?: string; name?: string };
  }>;
}

/** The pods a slice's ready endpoints name (a missing `ready` counts as ready, as the API says). */
function readyPods(slices: Slice[]): string[] {
  return slices.flatMap((slice) =>
    (slice.endpoints ?? [])
      .filter((e) => e.conditions?.ready !== false && e.targetRef?.kind === 'Pod')
      .map((e) => e.targetRef?.name ?? ''),
  );
}

function labelSelector(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export interface EndpointsWait {
  namespace: string;
  service: string;
  /** The labels of the pods the Service now selects. */
  selector: Record<string, string>;
  timeoutMs: number;
  pollMs?: number;
}

/** The pods behind the Service's ready endpoints, and the pods its selector picks. */
async function observe(client: KubeClient, wait: EndpointsWait) {
  return client.call(async ({ core, objects }) => {
    const slices = await objects.list<Slice>('discovery.k8s.io/v1', 'EndpointSlice', {
      namespace: wait.namespace,
      labelSelector: `kubernetes.io/service-name=${wait.service}`,
    });
    const pods = await core.listNamespacedPod({
      namespace: wait.namespace,
      labelSelector: labelSelector(wait.selector),
    });
    const serving = readyPods(slices.items);
    return { serving, selected: new Set(pods.items.map((p) => p.metadata?.name ?? '')) };
  });
}

/** True once every ready endpoint is a selected pod (and there is one); false at the deadline. */
export async function waitForServiceEndpoints(
  client: KubeClient,
  wait: EndpointsWait,
): Promise<boolean> {
  const deadline = Date.now() + wait.timeoutMs;
  for (;;) {
    let seen: Awaited<ReturnType<typeof observe>>;
    try {
      seen = await observe(client, wait);
    } catch (err) {
      throw kubeFailure(
        `reading the endpoints of Service ${wait.namespace}/${wait.service}`,
        err,
        client.connection.displayName,
      );
    }
    if (seen.serving.length > 0 && seen.serving.every((name) => seen.selected.has(name))) {
      return true;
    }
    if (Date.now() >= deadline) return false;
    await sleep(wait.pollMs ?? 200);
  }
}

/**
 * A rolling update is complete once the old pods are told to stop, but the
 * endpoints controller drops them from the Service a moment later, and a
 * request sent in between can still reach a pod that is shutting down.
 * Deploy therefore ends only when the Services of the Deployment send
 * traffic to the pods of the new ReplicaSet alone.
 */
export interface RevisionTraffic {
  namespace: string;
  deployment: string;
  /** pod-template-hash of the ReplicaSet the rollout ended on. */
  hash: string;
  /** The Services that select the Deployment's pods, with their selectors. */
  services: Array<{ name: string; selector: Record<string, string> }>;
  /** The new ReplicaSet has replicas: each Service must have one of them ready. */
  expectServing: boolean;
  timeoutMs: number;
  pollMs?: number;
}

interface PodSummary {
  metadata?: {
    name?: string;
    labels?: Record<string, string>;
    deletionTimestamp?: unknown;
    ownerReferences?: Array<{ kind?: string; name?: string }>;
  };
}

/** A pod a Service should no longer send to: shutting down, or of an older ReplicaSet of the Deployment. */
function isLeaving(pod: PodSummary, wait: RevisionTraffic): boolean {
  const meta = pod.metadata ?? {};
  if (meta.deletionTimestamp) return true;
  const hash = meta.labels?.['pod-template-hash'];
  const ours = (meta.ownerReferences ?? []).some(
    (o) => o.kind === 'ReplicaSet' && o.name === `${wait.deployment}-${hash ?? ''}`,
  );
  return ours && hash !== wait.hash;
}

/** What still keeps each Service off the new pods; empty once traffic is on them alone. */
async function trafficProblems(client: KubeClient, wait: RevisionTraffic): Promise<string[]> {
  const { slices, podLists } = await client.call(async ({ core, objects }) => {
    const [slices, ...podLists] = await Promise.all([
      objects.list<Slice & { metadata?: { labels?: Record<string, string> } }>(
        'discovery.k8s.io/v1',
        'EndpointSlice',
        {
          namespace: wait.namespace,
          labelSelector: serviceSelector(wait),
        },
      ),
      ...wait.services.map((service) =>
        core.listNamespacedPod({
          namespace: wait.namespace,
          labelSelector: labelSelector(service.selector),
        }),
      ),
    ]);
    return { slices: slices.items, podLists: podLists.map((l) => l.items as PodSummary[]) };
  });
  return wait.services.flatMap((service, i) => {
    const pods = new Map((podLists[i] ?? []).map((p) => [p.metadata?.name ?? '', p]));
    const ready = readyPods(
      slices.filter((s) => s.metadata?.labels?.['kubernetes.io/service-name'] === service.name),
    );
    // A pod already gone, or leaving, still listed as ready: its requests fail.
    const old = ready.filter((name) => {
      const pod = pods.get(name);
      return pod === undefined || isLeaving(pod, wait);
    });
    if (old.length > 0) {
      return [`Service ${service.name} still sends traffic to ${old.join(', ')}`];
    }
    const serving = ready.some((name) => {
      const pod = pods.get(name);
      return pod?.metadata?.labels?.['pod-template-hash'] === wait.hash;
    });
    if (wait.expectServing && !serving) {
      return [`Service ${service.name} has no ready endpoint on the new pods`];
    }
    return [];
  });
}

/** Waits until traffic is on the new pods alone; the problems left at the deadline, if any. */
export async function waitForRevisionTraffic(
  client: KubeClient,
  wait: RevisionTraffic,
): Promise<string[]> {
  const deadline = Date.now() + wait.timeoutMs;
  // Started only when the first look is not settled: a watch on the
  // EndpointSlices wakes the next look as soon as the controller writes them.
  let changes: ChangeSignal | undefined;
  try {
    for (;;) {
      let problems: string[];
      try {
        problems = await trafficProblems(client, wait);
      } catch (err) {
        throw kubeFailure(
          `reading the endpoints of ${wait.services.map((s) => `Service ${wait.namespace}/${s.name}`).join(', ')}`,
          err,
          client.connection.displayName,
        );
      }
      const left = deadline - Date.now();
      if (problems.length === 0 || left <= 0) return problems;
      changes ??= changeSignal(
        client,
        `/apis/discovery.k8s.io/v1/namespaces/${encodeURIComponent(wait.namespace)}/endpointslices`,
        { labelSelector: serviceSelector(wait), timeoutSeconds: 60 },
      );
      await changes.wait(Math.min(wait.pollMs ?? 250, left));
    }
  } finally {
    changes?.stop();
  }
}

function serviceSelector(wait: RevisionTraffic): string {
  return `kubernetes.io/service-name in (${wait.services.map((s) => s.name).join(',')})`;
}

interface DeploymentSpec {
  template?: { metadata?: { labels?: Record<string, string> } };
}

/**
 * After a Deployment's rollout: waits until the release's Services that
 * select its pods send traffic to the new ReplicaSet alone. Never fails the
 * release (the new version is serving): what it cannot confirm, it warns.
 */
export async function confirmRevisionTraffic(
  client: KubeClient,
  objects: KubeObject[],
  deployment: KubeObject,
  outcome: { podTemplateHash?: string; readyReplicas: number },
  options: { namespace: string; logger: Logger; timeoutMs: number },
): Promise<void> {
  const namespace = deployment.metadata.namespace ?? options.namespace;
  const spec = deployment.spec as DeploymentSpec | undefined;
  const labels = spec?.template?.metadata?.labels ?? {};
  const services = objects
    .filter(
      (o) => o.kind === 'Service' && (o.metadata.namespace ?? options.namespace) === namespace,
    )
    .map((o) => ({
      name: o.metadata.name,
      selector: (o.spec as { selector?: Record<string, string> } | undefined)?.selector ?? {},
    }))
    .filter(({ selector }) => {
      const entries = Object.entries(selector);
      return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
    });
  const hash = outcome.podTemplateHash;
  if (!hash || services.length === 0) return;
  const started = Date.now();
  try {
    const problems = await waitForRevisionTraffic(client, {
      namespace,
      deployment: deployment.metadata.name,
      hash,
      services,
      expectServing: outcome.readyReplicas > 0,
      timeoutMs: options.timeoutMs,
    });
    const waited = `${((Date.now() - started) / 1000).toFixed(1)}s`;
    if (problems.length > 0) {
      options.logger.warning(
        `after ${waited}, ${problems.join('; ')}: requests sent right after this deploy may still reach the previous version`,
        { title: 'deploy: traffic not yet on the new pods' },
      );
    } else if (Date.now() - started >= 1000) {
      options.logger.info(
        `${services.map((s) => `Service ${s.name}`).join(', ')}: traffic on the new pods alone after ${waited}`,
      );
    }
  } catch (err) {
    options.logger.warning(
      `${errorMessage(err)}; deploy could not confirm that traffic left the previous pods (it lists endpointslices in discovery.k8s.io)`,
      { title: 'deploy: traffic not confirmed' },
    );
  }
}
