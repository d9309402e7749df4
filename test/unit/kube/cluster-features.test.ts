import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCluster, parseClusterSpec } from '../../../shared/clouds/cluster-access.ts';
import { UserError } from '../../../shared/common/errors.ts';
import { silentLogger, type Logger } from '../../../shared/common/logger.ts';
import { KubeClient } from '../../../shared/kube/client.ts';
import {
  clusterFacts,
  findLoadBalancerController,
  mutatingWebhookNames,
  servesKind,
  servesResourceMetrics,
} from '../../../shared/kube/cluster-features.ts';
import { startCluster, type KubeCluster } from '../../support/kube/cluster.ts';

/** Discovery and webhook lists as a real API server answers them, to an admin and to a namespaced deployer. */
let cluster: KubeCluster;
let admin: KubeClient;
let deployer: KubeClient;
/** A loopback port nothing listens on (bound once, then closed). */
let closed: string;

const connect = async (path: string) =>
  new KubeClient(
    await connectCluster(parseClusterSpec(`kubeconfig:${path}`), { logger: silentLogger }),
  );

beforeAll(async () => {
  cluster = await startCluster({ pods: 'simulated' });
  admin = await connect(cluster.kubeconfigPath);
  await cluster.kubectl(['create', 'namespace', 'features']);
  const { path } = await cluster.serviceAccountKubeconfig({
    namespace: 'features',
    name: 'deployer',
    rules: [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list'] }],
  });
  deployer = await connect(path);
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closed = `https://127.0.0.1:${(server.address() as { port: number }).port}`;
  await new Promise((resolve) => server.close(resolve));
}, 120_000);
afterAll(async () => {
  await cluster?.stop();
});

const LBC_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: targetgroupbindings.elbv2.k8s.aws
spec:
  group: elbv2.k8s.aws
  scope: Namespaced
  names: {kind: TargetGroupBinding, plural: targetgroupbindings, singular: targetgroupbinding, listKind: TargetGroupBindingList}
  versions:
  - name: v1beta1
    served: true
    storage: true
    schema:
      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
`;

// Matches nothing anyone creates, and is ignored when unreachable: registered, never called.
const LBC_WEBHOOK = `apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata:
  name: aws-load-balancer-webhook
webhooks:
- name: mpod.elbv2.k8s.aws
  admissionReviewVersions: [v1]
  sideEffects: None
  failurePolicy: Ignore
  clientConfig:
    service: {namespace: kube-system, name: aws-load-balancer-webhook-service, path: /mutate-v1-pod}
  rules:
  - {apiGroups: [example.invalid], apiVersions: [v1], operations: [CREATE], resources: [widgets]}
`;

const infoLines = () => {
  const info: string[] = [];
  const logger: Logger = { ...silentLogger, info: (m) => info.push(m) };
  return { logger, info };
};

describe('servesKind', () => {
  it('is true for a kind the server lists, false for an unserved group or an unknown kind', async () => {
    expect(await servesKind(admin, 'apps/v1', 'Deployment')).toBe(true);
    expect(await servesKind(admin, 'v1', 'ConfigMap')).toBe(true);
    expect(await servesKind(admin, 'apps/v1', 'NoSuchKind')).toBe(false);
    expect(await servesKind(admin, 'eks.amazonaws.com/v1', 'NodeClass')).toBe(false);
    expect(await servesResourceMetrics(admin)).toBe(false);
  });

  it('counts a list refused for want of permission as served', async () => {
    // The deployer may list deployments only in its namespace; a cluster-wide list is a 403.
    expect(await servesKind(deployer, 'v1', 'Secret')).toBe(true);
    expect(await servesKind(deployer, 'apps/v1', 'Deployment')).toBe(true);
    expect(await servesKind(deployer, 'apps/v1', 'NoSuchKind')).toBe(false);
  });

  it('names the cluster when it cannot be reached at all', async () => {
    const down = new KubeClient({
      ...admin.connection,
      server: closed,
      displayName: 'kubeconfig:down',
    });
    down.attempts = 1;
    const failure = await servesResourceMetrics(down).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(UserError);
    expect((failure as Error).message).toMatch(
      /^asking whether the cluster serves metrics\.k8s\.io: cannot reach the API server of kubeconfig:down at 127\.0\.0\.1:\d+: the connection was refused/,
    );
  });
});

describe('mutating webhooks and the load balancer controller', () => {
  it('finds the AWS Load Balancer Controller by its webhook, or by its API when webhooks may not be listed', async () => {
    // Before it is installed: only the in-tree controller, whoever asks.
    const before = await findLoadBalancerController('aws', admin, silentLogger);
    expect(before.controller).toBe('in-tree');
    expect(before.warning).toMatch(/^EKS: no AWS Load Balancer Controller and no EKS Auto Mode/);
    expect(await mutatingWebhookNames(deployer)).toBeUndefined();
    expect((await findLoadBalancerController('aws', deployer, silentLogger)).controller).toBe(
      'in-tree',
    );

    await cluster.apply(LBC_CRD);
    await cluster.kubectl([
      'wait',
      '--for=condition=Established',
      'crd/targetgroupbindings.elbv2.k8s.aws',
      '--timeout=60s',
    ]);
    await cluster.apply(LBC_WEBHOOK);

    expect(await mutatingWebhookNames(admin)).toEqual(
      expect.arrayContaining(['aws-load-balancer-webhook', 'mpod.elbv2.k8s.aws']),
    );
    expect(await findLoadBalancerController('aws', admin, silentLogger)).toEqual({
      controller: 'aws-load-balancer-controller',
      evidence: 'its webhook aws-load-balancer-webhook is registered',
    });
    const { logger, info } = infoLines();
    expect(await findLoadBalancerController('aws', deployer, logger)).toEqual({
      controller: 'aws-load-balancer-controller',
      evidence: 'the cluster serves its API, elbv2.k8s.aws',
    });
    expect(info.join('\n')).toContain('this identity may not list admission webhooks');
    // The facts the probe read are this client's.
    expect(
      await clusterFacts(deployer).servesKind('elbv2.k8s.aws/v1beta1', 'TargetGroupBinding'),
    ).toBe(true);
  });

  it('asks nothing of the cluster for a cloud with a single controller', async () => {
    const unreachable = new KubeClient({ ...admin.connection, server: closed });
    unreachable.attempts = 1;
    expect((await findLoadBalancerController('gcp', unreachable, silentLogger)).controller).toBe(
      'cloud',
    );
  });

  it('wraps a failed probe in a message naming the step', async () => {
    const down = new KubeClient({
      ...admin.connection,
      server: closed,
      displayName: 'kubeconfig:down',
    });
    down.attempts = 1;
    await expect(findLoadBalancerController('aws', down, silentLogger)).rejects.toThrow(
      /^looking for the load balancer controller: /,
    );
  });
});
