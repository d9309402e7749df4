import { readFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { freePort, type ManagedProcess } from '../processes.ts';
import { KubeApiError, type KubeApi } from './api-client.ts';
import { emissaryModuleDir, ensureEmissaryApiext } from './build.ts';

/**
 * Emissary-ingress's CRDs as its module ships them, and the conversion
 * webhook they name. The getambassador.io CRDs store v2 and convert every
 * other version (v3alpha1, what deploy writes) through the webhook at the
 * Service `emissary-apiext` in `emissary-system`, port 443: without it the
 * API server refuses every v3alpha1 object.
 *
 * The webhook is Emissary's own apiext server (modules/emissary), run as a
 * process of the cluster. It makes its CA, keeps it in a Secret and patches
 * the CRDs' caBundle itself. The API server reaches a webhook Service at its
 * ClusterIP, an address of this machine (local-network.ts): a relay listens
 * there on 443 and forwards to the webhook's port on 127.0.0.1.
 */

export const EMISSARY_NAMESPACE = 'emissary-system';
const SERVICE = 'emissary-apiext';

/**
 * The CustomResourceDefinition documents of the install manifest Emissary
 * ships (manifests/emissary/emissary-crds.yaml.in: the CRDs, then the apiext
 * Deployment whose image is the only template part), verbatim. The
 * controller-gen output under pkg/api is not it: the API server refuses
 * those schemas as not structural.
 */
export async function emissaryCrdDocuments(): Promise<string[]> {
  const dir = await emissaryModuleDir();
  const file = readFileSync(join(dir, 'manifests', 'emissary', 'emissary-crds.yaml.in'), 'utf8');
  return file.split(/^---$/m).filter((doc) => /^kind: CustomResourceDefinition$/m.test(doc));
}

export interface EmissaryWebhook {
  /** Closes the relay (the process is the cluster's, ended with it). */
  close(): Promise<void>;
}

type Start = (
  name: string,
  command: string,
  args: string[],
  env?: NodeJS.ProcessEnv,
) => ManagedProcess;

async function createIgnoringConflict(api: KubeApi, path: string, body: unknown): Promise<void> {
  try {
    await api.send('POST', path, body);
  } catch (err) {
    if (!(err instanceof KubeApiError && err.status === 409)) throw err;
  }
}

/**
 * Starts the webhook for CRDs already applied, and resolves once the API
 * server converts through it: a v3alpha1 Mapping is created and deleted.
 */
export async function startEmissaryWebhook(
  api: KubeApi,
  kubeconfigPath: string,
  start: Start,
): Promise<EmissaryWebhook> {
  const binary = await ensureEmissaryApiext();
  await createIgnoringConflict(api, '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: EMISSARY_NAMESPACE },
  });
  await createIgnoringConflict(api, `/api/v1/namespaces/${EMISSARY_NAMESPACE}/services`, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: SERVICE, namespace: EMISSARY_NAMESPACE },
    spec: { ports: [{ name: 'https', port: 443, protocol: 'TCP' }] },
  });
  const service = await api.get(`/api/v1/namespaces/${EMISSARY_NAMESPACE}/services/${SERVICE}`);
  const clusterIp = String(service.spec.clusterIP);
  const [httpsPort, healthPort] = await Promise.all([freePort(), freePort()]);
  const relay: Server = createServer((inbound) => {
    const outbound = connect(httpsPort, '127.0.0.1');
    inbound.pipe(outbound).pipe(inbound);
    const end = () => {
      inbound.destroy();
      outbound.destroy();
    };
    inbound.on('error', end);
    outbound.on('error', end);
  });
  await new Promise<void>((resolve, reject) => {
    relay.once('error', reject);
    relay.listen(443, clusterIp, () => resolve());
  });
  const close = () => new Promise<void>((resolve) => relay.close(() => resolve()));
  try {
    const webhook = start(
      'emissary-apiext',
      binary,
      [
        `--https-port=${httpsPort}`,
        `--health-port=${healthPort}`,
        `--service=${SERVICE}`,
        `--namespace=${EMISSARY_NAMESPACE}`,
      ],
      { ...process.env, KUBECONFIG: kubeconfigPath },
    );
    await convertsThroughWebhook(api, webhook);
    return { close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * Polls until a v3alpha1 object round-trips through the API server: the
 * webhook has made its CA, patched every CRD's caBundle, and serves.
 */
async function convertsThroughWebhook(api: KubeApi, webhook: ManagedProcess): Promise<void> {
  const path = `/apis/getambassador.io/v3alpha1/namespaces/${EMISSARY_NAMESPACE}/mappings`;
  const probe = {
    apiVersion: 'getambassador.io/v3alpha1',
    kind: 'Mapping',
    metadata: { name: 'conversion-probe', namespace: EMISSARY_NAMESPACE },
    spec: { hostname: 'probe.example.com', prefix: '/', service: 'probe:80' },
  };
  const deadline = Date.now() + 120_000;
  let last: unknown;
  for (;;) {
    if (webhook.child.exitCode !== null || webhook.child.signalCode !== null) {
      throw new Error(`emissary-apiext exited:\n${webhook.output().slice(-4000)}`);
    }
    try {
      await api.send('POST', path, probe);
      await api.send('DELETE', `${path}/conversion-probe`);
      return;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `the API server did not convert getambassador.io/v3alpha1 through emissary-apiext within 120 s: ${String(last)}\n${webhook.output().slice(-2000)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
