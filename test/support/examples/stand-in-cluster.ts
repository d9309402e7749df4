import { readFileSync } from 'node:fs';
import { randomInt } from 'node:crypto';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { startLocalEks, type LocalEks } from '../eks-cluster.ts';
import { startCluster, type CrdSet } from '../kube/cluster.ts';
import type { KwokNodeShape } from '../kube/kwok.ts';
import type { LocalMoto } from '../moto.ts';
import { waitFor } from '../processes.ts';

/**
 * The one place the example tests touch the local Kubernetes cluster: an
 * upstream control plane (test/support/kube) with kwok nodes. The examples'
 * clouds hand this cluster out: the ARM double as an AKS cluster with local
 * accounts, the GKE double as a GKE cluster; the EKS example signs in to its
 * own (`startStandInEks`).
 */
export interface StandInCluster {
  /** https://127.0.0.1:PORT */
  server: string;
  caPem: string;
  /** The bearer token the API server accepts (an admin's). */
  token: string;
  /** A kubeconfig for kubectl in assertions. */
  kubeconfigPath: string;
  /**
   * Where the pods of a Service answer: the pods do not run the model server,
   * so the service proxy sends the Service's traffic to this local stand-in.
   * Per pod: a Service whose pods are another Service's too answers the same.
   */
  serveService(namespace: string, service: string, port: number, url: string): Promise<void>;
  stop(): Promise<void>;
}

/** A node pool of one GPU node, as a cloud labels and taints it. */
export interface GpuNodePool {
  labels: Record<string, string>;
  gpus: number;
}

export interface StandInOptions {
  /** CRDs the example's manifests need (an HTTPRoute needs the Gateway API's). */
  crds?: CrdSet[];
  /** A GPU node besides the plain one. */
  gpuNode?: GpuNodePool;
}

/**
 * A kwok node with `nvidia.com/gpu` capacity (what the device plugin reports)
 * and the `nvidia.com/gpu=present:NoSchedule` taint GKE, EKS's GPU AMIs and the
 * GPU operator put on GPU nodes.
 */
function gpuNodeShape(pool: GpuNodePool): KwokNodeShape {
  return {
    name: 'gpu-0',
    labels: pool.labels,
    capacity: { 'nvidia.com/gpu': String(pool.gpus) },
    taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }],
  };
}

export async function startStandInCluster(options: StandInOptions = {}): Promise<StandInCluster> {
  // No registryHosts: the simulated nodes do not pull, as nodes with pull rights on the
  // registry would succeed (the per-cloud pull rights are a documented prerequisite).
  const cluster = await startCluster({
    pods: 'simulated',
    ...(options.crds ? { crds: options.crds } : {}),
    ...(options.gpuNode ? { shapedKwokNodes: [gpuNodeShape(options.gpuNode)] } : {}),
  });
  return {
    server: cluster.server,
    caPem: cluster.caPem,
    token: cluster.token,
    kubeconfigPath: cluster.kubeconfigPath,
    serveService: (namespace, service, port, url) =>
      cluster.registerServiceBackend(namespace, service, port, url),
    stop: () => cluster.stop(),
  };
}

/**
 * An EKS cluster for the EKS example, on the upstream control plane (see
 * test/support/eks-cluster.ts): moto knows it, DescribeCluster gives its
 * endpoint and CA, its API server signs deploy's `k8s-aws-v1.` token in
 * through the aws-iam-authenticator test double, and the access entry's
 * group is bound to exactly the documented role (docs/rbac/deployer-role.yaml)
 * in `namespace`, as README's prerequisites say. Its one node stands in for
 * a GPU node group (`gpuNode`).
 *
 * Its load balancers: the stand-in plays the cloud's service controller for
 * LoadBalancer Services of `namespace`. For each it first listens on a
 * loopback address of its own (127.x, the Service's ports), relaying to
 * `loadBalancerTarget`, and only then writes that address to the Service's
 * status, as a cloud publishes an NLB's address once it answers.
 */
export interface StandInEks {
  eks: LocalEks;
  /** An admin kubeconfig, for kubectl in assertions. */
  kubeconfigPath: string;
  /** The addresses given, by `namespace/name` of the Service. */
  loadBalancers: Map<string, string>;
  stop(): Promise<void>;
}

export async function startStandInEks(options: {
  moto: LocalMoto;
  name: string;
  namespace: string;
  /** The role the workflow assumes, and the group its access entry maps it to. */
  roleArn: string;
  group: string;
  /** Access key → secret of the role's session, for STS's signature check. */
  secrets: Record<string, string>;
  gpuNode: GpuNodePool;
  /** Where the load balancers send their traffic (the pods run no model here). */
  loadBalancerTarget: string;
}): Promise<StandInEks> {
  const eks = await startLocalEks({
    moto: options.moto,
    name: options.name,
    accessEntries: [{ principalArn: options.roleArn, kubernetesGroups: [options.group] }],
    secrets: options.secrets,
    cluster: {
      pods: 'simulated',
      kwokNodes: 0,
      shapedKwokNodes: [gpuNodeShape(options.gpuNode)],
      loadBalancers: 'none',
    },
  });
  const relays: net.Server[] = [];
  const loadBalancers = new Map<string, string>();
  const watch = new AbortController();
  let watching: Promise<void> = Promise.resolve();
  const stop = async () => {
    watch.abort();
    await watching;
    await Promise.all(relays.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    await eks.stop();
  };
  try {
    const { cluster } = eks;
    await cluster.apply(readFileSync(DEPLOYER_ROLE, 'utf8'));
    // The AWS Load Balancer Controller's API, as its chart installs it: deploy, whose documented
    // role may not list admission webhooks, tells the controller is there by this group being
    // served. (Its schema is left open: this stand-in is the controller, and nothing creates one.)
    await cluster.apply(TARGET_GROUP_BINDING_CRD);
    await waitFor('elbv2.k8s.aws to be served', async () => {
      const list = await cluster.api.get('/apis/elbv2.k8s.aws/v1beta1').catch(() => undefined);
      return Boolean(list?.resources?.length);
    });
    await cluster.kubectl(['create', 'namespace', options.namespace]);
    await cluster.kubectl([
      'create',
      'rolebinding',
      'model-deploy',
      '-n',
      options.namespace,
      '--clusterrole',
      'model-deploy',
      '--group',
      options.group,
    ]);
    const target = new URL(options.loadBalancerTarget);
    const provision = async (service: KubeServiceShape) => {
      const key = `${service.metadata.namespace}/${service.metadata.name}`;
      if (service.spec?.type !== 'LoadBalancer' || loadBalancers.has(key)) return;
      const ports = (service.spec.ports ?? []).map((p) => p.port);
      const address = await listenOnFreeLoopback(ports, target, relays);
      loadBalancers.set(key, address);
      await cluster.api.mergePatch(
        `/api/v1/namespaces/${service.metadata.namespace}/services/${service.metadata.name}/status`,
        { status: { loadBalancer: { ingress: [{ ip: address, ipMode: 'VIP' }] } } },
      );
    };
    watching = cluster.api
      .listAndWatch(
        `/api/v1/namespaces/${options.namespace}/services`,
        (type: string, service: KubeServiceShape) =>
          type === 'DELETED' ? undefined : provision(service),
        watch.signal,
      )
      .catch((err: Error) => {
        if (!watch.signal.aborted) {
          process.stderr.write(`load balancer stand-in: ${err.message}\n`);
        }
      });
    return { eks, kubeconfigPath: cluster.kubeconfigPath, loadBalancers, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Listens on `ports` of one loopback address no other listener holds
 * (127.0.0.0/8 is all this machine's), relaying each connection to `target`.
 */
async function listenOnFreeLoopback(
  ports: number[],
  target: URL,
  relays: net.Server[],
): Promise<string> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const address = `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
    const opened: net.Server[] = [];
    try {
      for (const port of ports) {
        const server = net.createServer((socket) => {
          const upstream = net.connect(Number(target.port), target.hostname);
          socket.pipe(upstream).pipe(socket);
          const end = () => {
            socket.destroy();
            upstream.destroy();
          };
          socket.on('error', end).on('close', end);
          upstream.on('error', end).on('close', end);
        });
        opened.push(server);
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(port, address, () => resolve());
        });
      }
      relays.push(...opened);
      return address;
    } catch (err) {
      await Promise.all(
        opened.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
      );
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    }
  }
  throw new Error(`no free loopback address for ports ${ports.join(', ')}`);
}

interface KubeServiceShape {
  metadata: { namespace: string; name: string };
  spec?: { type?: string; ports?: Array<{ port: number }> };
}

const DEPLOYER_ROLE = fileURLToPath(
  new URL('../../../docs/rbac/deployer-role.yaml', import.meta.url),
);

const TARGET_GROUP_BINDING_CRD = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: targetgroupbindings.elbv2.k8s.aws
spec:
  group: elbv2.k8s.aws
  scope: Namespaced
  names:
    kind: TargetGroupBinding
    listKind: TargetGroupBindingList
    plural: targetgroupbindings
    singular: targetgroupbinding
  versions:
    - name: v1beta1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          x-kubernetes-preserve-unknown-fields: true
`;
