import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { parse } from 'yaml';
import { TestDoubleCluster } from './cluster.ts';
import { writeKubeconfigFile } from './kubeconfig.ts';
import { startProcess, waitFor, type ManagedProcess } from '../processes.ts';
import { TEST_CONTAINER_PREFIX, testRunId } from '../podman.ts';
import { randomBytes } from 'node:crypto';

/**
 * A local Kubernetes API server test double: HTTPS with a generated CA and a
 * bearer token, the core/apps/... resources this project deploys, the
 * controllers that turn a Deployment into ready pods, and the service proxy.
 * See README.md in this folder for what it covers and the annotations that
 * inject failures.
 */
export interface LocalCluster {
  /** https://127.0.0.1:PORT */
  server: string;
  token: string;
  caPem: string;
  /** A kubeconfig for this cluster (written at start, in a private temp folder). */
  kubeconfigPath: string;
  writeKubeconfig(path: string, options?: { namespace?: string }): void;
  /**
   * Simulated pods: where the service proxy sends requests for this Service port
   * (a ready endpoint is still required). Immediate in-process; in child-process
   * mode await the promise before the first proxied request.
   */
  registerServiceBackend(
    namespace: string,
    service: string,
    port: number,
    target: string,
  ): Promise<void>;
  /** The in-process cluster, when started in-process (for white-box assertions). */
  inProcess?: TestDoubleCluster;
  /** The child process, when started as one. */
  process?: ManagedProcess;
  /** Prefix of the podman containers real-mode pods run in. */
  containerPrefix: string;
  stop(): Promise<void>;
}

export interface StartClusterOptions {
  pods?: 'simulated' | 'real';
  /** Registries (host:port) reached over plain HTTP for image lookups and podman pulls. */
  registryHosts?: string[];
  /** Default true: fastest. false runs main.ts as a child process (what the demo does). */
  inProcess?: boolean;
  port?: number;
  /** API groups the cluster does not serve, as without their CRDs (in-process only). */
  absentGroups?: string[];
}

const here = dirname(fileURLToPath(import.meta.url));

export async function startCluster(options: StartClusterOptions = {}): Promise<LocalCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'test-double-cluster-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  // Named like every test container (md-test-<run>-...), so the suite's teardown also finds leftovers.
  const containerPrefix = `${TEST_CONTAINER_PREFIX}${testRunId()}-cluster-${randomBytes(3).toString('hex')}`;
  if (options.inProcess ?? true) {
    const cluster = new TestDoubleCluster({
      pods: options.pods,
      registryHosts: options.registryHosts,
      port: options.port,
      containerPrefix,
      absentGroups: options.absentGroups,
    });
    await cluster.start();
    const target = { server: cluster.url, token: cluster.token, caPem: cluster.caPem };
    writeKubeconfigFile(kubeconfigPath, target);
    return {
      ...target,
      kubeconfigPath,
      containerPrefix,
      inProcess: cluster,
      writeKubeconfig: (path, o) => writeKubeconfigFile(path, target, o?.namespace),
      registerServiceBackend: async (ns, svc, port, url) =>
        cluster.registerServiceBackend(ns, svc, port, url),
      stop: once(async () => {
        await cluster.stop();
        rmSync(dir, { recursive: true, force: true });
      }),
    };
  }

  const args = [
    join(here, 'main.ts'),
    '--kubeconfig',
    kubeconfigPath,
    '--container-prefix',
    containerPrefix,
  ];
  if (options.port) args.push('--port', String(options.port));
  if (options.pods) args.push('--pods', options.pods);
  for (const host of options.registryHosts ?? []) args.push('--registry-host', host);
  const child = startProcess('test-double-cluster', process.execPath, args);
  let ready = false;
  await waitFor(
    'the test double cluster to start',
    async () => {
      if (child.child.exitCode !== null)
        throw new Error(`test double cluster exited: ${child.output()}`);
      ready = child
        .output()
        .split('\n')
        .some((l) => l.startsWith('{"server"'));
      return ready;
    },
    30_000,
    50,
  );
  const target = readKubeconfigTarget(kubeconfigPath);
  const dispatcher = new Agent({ connect: { ca: target.caPem } });
  return {
    ...target,
    kubeconfigPath,
    containerPrefix,
    process: child,
    writeKubeconfig: (path, o) => writeKubeconfigFile(path, target, o?.namespace),
    registerServiceBackend: async (namespace, service, port, url) => {
      const res = await request(`${target.server}/test-double/v1/service-backends`, {
        method: 'POST',
        dispatcher,
        headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ namespace, service, port, target: url }),
      });
      const text = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`registering a service backend failed: ${text}`);
    },
    stop: once(async () => {
      await child.stop();
      await dispatcher.close();
      rmSync(dir, { recursive: true, force: true });
    }),
  };
}

function once(action: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= action());
}

/** server, token and CA back from a kubeconfig the test double wrote. */
export function readKubeconfigTarget(path: string): {
  server: string;
  token: string;
  caPem: string;
} {
  const config = parse(readFileSync(path, 'utf8')) as {
    clusters: Array<{ cluster: { server: string; 'certificate-authority-data': string } }>;
    users: Array<{ user: { token: string } }>;
  };
  const cluster = config.clusters[0]!.cluster;
  return {
    server: cluster.server,
    token: config.users[0]!.user.token,
    caPem: Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8'),
  };
}
