import { KubeApi, targetFromEnv, type KubeJson } from './api-client.ts';

/**
 * A test double of a cloud's load-balancer controller (the part of EKS, AKS
 * and GKE that cannot run here), run as its own process by the cluster
 * helper: it gives every Service of type LoadBalancer an address in
 * `status.loadBalancer.ingress`, as a cloud does once its load balancer
 * exists, and records an event saying so. Addresses come from the cluster's
 * locally routed node range, so nothing sent there leaves the machine.
 *
 * Environment: MD_KUBE_SERVER/TOKEN/CA_PEM (see api-client.ts),
 * MD_LB_ADDRESS_PREFIX (e.g. `198.19.3.`; addresses from .100 on).
 */
const api = new KubeApi(targetFromEnv());
const prefix = process.env.MD_LB_ADDRESS_PREFIX ?? '198.19.0.';
const given = new Map<string, string>();
let next = 100;
const controller = new AbortController();

async function sync(service: KubeJson): Promise<void> {
  if (service.spec?.type !== 'LoadBalancer' || service.metadata.deletionTimestamp) return;
  if ((service.status?.loadBalancer?.ingress ?? []).length > 0) return;
  const key = String(service.metadata.uid);
  let address = given.get(key);
  if (address === undefined) {
    address = `${prefix}${next++}`;
    given.set(key, address);
  }
  const { namespace, name } = service.metadata;
  try {
    await api.mergePatch(`/api/v1/namespaces/${namespace}/services/${name}/status`, {
      status: { loadBalancer: { ingress: [{ ip: address, ipMode: 'VIP' }] } },
    });
    await api.send('POST', `/api/v1/namespaces/${namespace}/events`, {
      metadata: { generateName: `${name}.` },
      involvedObject: { kind: 'Service', namespace, name, uid: key, apiVersion: 'v1' },
      reason: 'EnsuredLoadBalancer',
      message: `Ensured load balancer (test double), address ${address}`,
      type: 'Normal',
      source: { component: 'service-controller' },
      firstTimestamp: new Date().toISOString(),
      lastTimestamp: new Date().toISOString(),
      count: 1,
    });
  } catch (err) {
    process.stderr.write(`load balancer for ${namespace}/${name}: ${(err as Error).message}\n`);
  }
}

process.on('SIGTERM', () => {
  controller.abort();
  void api.close().finally(() => process.exit(0));
});

await api.listAndWatch(
  '/api/v1/services',
  (type, service) => (type === 'DELETED' ? undefined : sync(service)),
  controller.signal,
);
