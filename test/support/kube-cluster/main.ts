import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { TestDoubleCluster } from './cluster.ts';
import { writeKubeconfigFile } from './kubeconfig.ts';

/**
 * Runs the Kubernetes API server test double as a process:
 *   node test/support/kube-cluster/main.ts --port 6443 --kubeconfig ./kubeconfig [--pods real] [--registry-host 127.0.0.1:5000]
 * Prints one JSON line {server, kubeconfig} when ready (the token is only in the
 * kubeconfig, mode 0600; without --kubeconfig one is written to a temp folder); SIGTERM/SIGINT stop it
 * (and remove its podman containers).
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    kubeconfig: { type: 'string' },
    namespace: { type: 'string' },
    pods: { type: 'string', default: 'simulated' },
    'registry-host': { type: 'string', multiple: true, default: [] },
    'container-prefix': { type: 'string' },
  },
});

if (values.pods !== 'simulated' && values.pods !== 'real') {
  process.stderr.write(`--pods must be simulated or real (got ${values.pods})\n`);
  process.exit(2);
}

const cluster = new TestDoubleCluster({
  port: values.port ? Number(values.port) : undefined,
  pods: values.pods,
  registryHosts: values['registry-host'],
  containerPrefix: values['container-prefix'],
});
await cluster.start();
// The token goes only into the kubeconfig (mode 0600), never to stdout where logs could keep it.
const kubeconfig =
  values.kubeconfig ?? join(mkdtempSync(join(tmpdir(), 'test-double-cluster-')), 'kubeconfig');
writeKubeconfigFile(
  kubeconfig,
  { server: cluster.url, token: cluster.token, caPem: cluster.caPem },
  values.namespace,
);
process.stdout.write(`${JSON.stringify({ server: cluster.url, kubeconfig })}\n`);

let stopping = false;
const shutdown = () => {
  if (stopping) return;
  stopping = true;
  void cluster.stop().then(() => process.exit(0));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
