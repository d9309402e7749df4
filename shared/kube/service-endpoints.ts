import { sleep } from '../common/retry.ts';
import { kubeFailure, type KubeClient } from './client.ts';

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
      labelSelector: Object.entries(wait.selector)
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
    });
    const serving = slices.items.flatMap((slice) =>
      (slice.endpoints ?? [])
        .filter((e) => e.conditions?.ready !== false && e.targetRef?.kind === 'Pod')
        .map((e) => e.targetRef?.name ?? ''),
    );
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
