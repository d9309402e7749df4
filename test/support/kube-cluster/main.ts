import { parseArgs } from 'node:util';
import { TestDoubleCluster } from './cluster.ts';
import { writeKubeconfigFile } from './kubeconfig.ts';

/**
 * Runs the Kubernetes API server test double as a process:
 *   node test/support/kube-cluster/main.ts --port 6443 --kubeconfig ./kubeconfig [--pods real] [--registry-host 127.0.0.1:5000]
 * Prints one JSON line {server, token, caPem} when ready; SIGTERM/SIGINT stop it
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
if (values.kubeconfig) {
  writeKubeconfigFile(
    values.kubeconfig,
    { server: cluster.url, token: cluster.token, caPem: cluster.caPem },
    values.namespace,
  );
}
process.stdout.write(
  `${JSON.stringify({ server: cluster.url, token: cluster.token, caPem: cluster.caPem })}\n`,
);

let stopping = false;
const shutdown = () => {
  if (stopping) return;
  stopping = true;
  void cluster.stop().then(() => process.exit(0));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
