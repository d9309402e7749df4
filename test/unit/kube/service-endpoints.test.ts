import { describe, expect, it } from 'vitest';
import type { KubeApis } from '../../../shared/kube/apis.ts';
import type { KubeClient } from '../../../shared/kube/client.ts';
import { KubeApiError } from '../../../shared/kube/http.ts';
import { waitForServiceEndpoints } from '../../../shared/kube/service-endpoints.ts';

/** A client whose EndpointSlices move to the new pods after `movesAfter` reads. */
function client(movesAfter: number, failWith?: Error) {
  let reads = 0;
  const asked: string[] = [];
  const endpoint = (name: string, ready = true) => ({
    conditions: { ready },
    targetRef: { kind: 'Pod', name },
  });
  const apis = {
    objects: {
      list: async (apiVersion: string, kind: string, options: { labelSelector?: string }) => {
        if (failWith) throw failWith;
        asked.push(`${apiVersion} ${kind} ${options.labelSelector}`);
        reads++;
        const endpoints =
          reads > movesAfter
            ? [endpoint('new-1'), endpoint('old-1', false)]
            : [endpoint('old-1'), endpoint('new-1')];
        return { items: [{ endpoints }] };
      },
    },
    core: {
      listNamespacedPod: async (p: { labelSelector: string }) => {
        asked.push(`pods ${p.labelSelector}`);
        return { items: [{ metadata: { name: 'new-1' } }] };
      },
    },
  } as unknown as KubeApis;
  const fake = {
    connection: { displayName: 'kubeconfig:test' },
    call: async <T>(body: (a: KubeApis) => Promise<T>) => body(apis),
  } as unknown as KubeClient;
  return { fake, asked };
}

const wait = {
  namespace: 'models',
  service: 'iris',
  selector: { app: 'iris', 'model-deploy.io/track': 'preview' },
  pollMs: 1,
};

describe('waitForServiceEndpoints', () => {
  it('waits until every ready endpoint is a pod the new selector picks', async () => {
    const { fake, asked } = client(2);
    await expect(waitForServiceEndpoints(fake, { ...wait, timeoutMs: 60_000 })).resolves.toBe(true);
    expect(asked.filter((a) => a.startsWith('discovery'))).toHaveLength(3);
    expect(asked[0]).toBe('discovery.k8s.io/v1 EndpointSlice kubernetes.io/service-name=iris');
    expect(asked[1]).toBe('pods app=iris,model-deploy.io/track=preview');
  });

  it('gives up at its deadline and says so, without throwing', async () => {
    const { fake } = client(Number.POSITIVE_INFINITY);
    await expect(waitForServiceEndpoints(fake, { ...wait, timeoutMs: 0 })).resolves.toBe(false);
  });

  it('names the Service when the endpoints cannot be read', async () => {
    const { fake } = client(0, new KubeApiError(403, 'GET', '/x', '{"message":"no"}', {}));
    await expect(waitForServiceEndpoints(fake, { ...wait, timeoutMs: 0 })).rejects.toThrow(
      /^reading the endpoints of Service models\/iris: forbidden|^reading the endpoints of Service models\/iris: the cluster kubeconfig:test refused it \(403\)/,
    );
  });
});
