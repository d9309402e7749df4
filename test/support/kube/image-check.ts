import { parseImageReference } from './image-reference.ts';
import { credentialsFromPullSecrets, lookupImage } from './image-lookup.ts';
import { KubeApi, targetFromEnv, type KubeJson } from './api-client.ts';

/**
 * The image pull of the kwok nodes, run as its own process by the cluster
 * helper: kwok simulates containers but pulls nothing, so this looks every
 * image of a pod bound to a kwok node up in the test registry (HEAD on the
 * manifest with the pod's imagePullSecrets, as containerd would resolve it)
 * and annotates the pod `stage.model-deploy.test/image: pulled|failed`; the
 * kwok Stages (kwok-pod-stages.yaml) take it from there. A failed pod is
 * looked up again every few seconds, as the kubelet retries a pull.
 *
 * Environment: MD_KUBE_SERVER/TOKEN/CA_PEM (see api-client.ts),
 * MD_REGISTRY_HOSTS (comma-separated host:port reached over plain HTTP; with
 * none, every image counts as pulled), MD_KWOK_NODE_PREFIX.
 */
export const IMAGE_ANNOTATION = 'stage.model-deploy.test/image';
export const IMAGE_MESSAGE_ANNOTATION = 'stage.model-deploy.test/image-message';
const RETRY_MS = 3000;

const api = new KubeApi(targetFromEnv());
const registryHosts = (process.env.MD_REGISTRY_HOSTS ?? '').split(',').filter(Boolean);
const nodePrefix = process.env.MD_KWOK_NODE_PREFIX ?? 'kwok-';
const inFlight = new Set<string>();
const retries = new Map<string, NodeJS.Timeout>();
const controller = new AbortController();

async function check(pod: KubeJson): Promise<{ pulled: boolean; message: string }> {
  if (registryHosts.length === 0) return { pulled: true, message: '' };
  const namespace = String(pod.metadata.namespace);
  const secrets: Array<Record<string, unknown>> = [];
  for (const ref of pod.spec.imagePullSecrets ?? []) {
    try {
      secrets.push(await api.get(`/api/v1/namespaces/${namespace}/secrets/${ref.name}`));
    } catch {
      // a missing pull secret is ignored, as the kubelet does
    }
  }
  for (const container of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
    const ref = parseImageReference(String(container.image));
    if (!registryHosts.includes(ref.host)) {
      return {
        pulled: false,
        message: `rpc error: code = Unavailable desc = failed to pull and unpack image "${ref.full}": failed to resolve reference "${ref.full}": registry ${ref.host} is not reachable from this cluster (reachable registries: ${registryHosts.join(', ')})`,
      };
    }
    const result = await lookupImage(ref, credentialsFromPullSecrets(secrets, ref.host));
    if (!result.found) return { pulled: false, message: result.message };
  }
  return { pulled: true, message: '' };
}

async function sync(pod: KubeJson): Promise<void> {
  const uid = String(pod.metadata.uid);
  const node = String(pod.spec?.nodeName ?? '');
  if (!node.startsWith(nodePrefix) || pod.metadata.deletionTimestamp) return;
  const state = pod.metadata.annotations?.[IMAGE_ANNOTATION];
  if (state === 'pulled' || inFlight.has(uid) || retries.has(uid)) return;
  inFlight.add(uid);
  try {
    const result = await check(pod);
    const next = result.pulled ? 'pulled' : 'failed';
    if (
      next !== state ||
      (!result.pulled && pod.metadata.annotations?.[IMAGE_MESSAGE_ANNOTATION] !== result.message)
    ) {
      await api.mergePatch(
        `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}`,
        {
          metadata: {
            annotations: {
              [IMAGE_ANNOTATION]: next,
              [IMAGE_MESSAGE_ANNOTATION]: result.pulled ? null : result.message,
            },
          },
        },
      );
    }
    if (!result.pulled) {
      retries.set(
        uid,
        setTimeout(() => {
          retries.delete(uid);
          api
            .get(`/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}`)
            .then((fresh: KubeJson) => (fresh.metadata.uid === uid ? sync(fresh) : undefined))
            .catch(() => undefined);
        }, RETRY_MS),
      );
    }
  } catch (err) {
    process.stderr.write(
      `image check of ${pod.metadata.namespace}/${pod.metadata.name}: ${(err as Error).message}\n`,
    );
  } finally {
    inFlight.delete(uid);
  }
}

process.on('SIGTERM', () => {
  controller.abort();
  for (const timer of retries.values()) clearTimeout(timer);
  void api.close().finally(() => process.exit(0));
});

await api.listAndWatch(
  '/api/v1/pods',
  (type, pod) => {
    if (type === 'DELETED') {
      const uid = String(pod.metadata.uid);
      clearTimeout(retries.get(uid));
      retries.delete(uid);
      return;
    }
    // Not awaited: one slow registry lookup must not hold up the other pods.
    void sync(pod);
  },
  controller.signal,
);
