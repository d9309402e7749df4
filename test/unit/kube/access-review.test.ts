import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCluster, parseClusterSpec } from '../../../shared/clouds/cluster-access.ts';
import { UserError } from '../../../shared/common/errors.ts';
import { silentLogger, type Logger } from '../../../shared/common/logger.ts';
import { requireAccess, type AccessNeed } from '../../../shared/kube/access-review.ts';
import { KubeClient } from '../../../shared/kube/client.ts';
import { startCluster, type KubeCluster } from '../../support/kube/cluster.ts';

/** Against a real API server: SelfSubjectAccessReview is answered by its RBAC authorizer. */
let cluster: KubeCluster;
let admin: KubeClient;
let deployer: KubeClient;

const connect = async (path: string) =>
  new KubeClient(
    await connectCluster(parseClusterSpec(`kubeconfig:${path}`), { logger: silentLogger }),
  );

beforeAll(async () => {
  cluster = await startCluster({ pods: 'simulated' });
  admin = await connect(cluster.kubeconfigPath);
  await cluster.kubectl(['create', 'namespace', 'review']);
  const { path } = await cluster.serviceAccountKubeconfig({
    namespace: 'review',
    name: 'deployer',
    rules: [
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'patch'] },
      { apiGroups: [''], resources: ['services/proxy'], verbs: ['get'] },
    ],
  });
  deployer = await connect(path);
}, 120_000);
afterAll(async () => {
  await cluster?.stop();
});

const need = (verb: string, group: string, resource: string, namespace = 'review'): AccessNeed => ({
  verb,
  group,
  resource,
  namespace,
});

const recording = () => {
  const debug: string[] = [];
  const logger: Logger = { ...silentLogger, debug: (m) => debug.push(m) };
  return { logger, debug };
};

describe('requireAccess against the cluster’s authorizer', () => {
  it('lets through what the Role grants, subresources included', async () => {
    await expect(
      requireAccess(
        deployer,
        'analysing the canary',
        [need('patch', 'apps', 'deployments'), need('get', '', 'services/proxy')],
        silentLogger,
      ),
    ).resolves.toBeUndefined();
    // system:masters may do anything anywhere.
    await expect(
      requireAccess(admin, 'x', [need('delete', '', 'namespaces', 'other')], silentLogger),
    ).resolves.toBeUndefined();
  });

  it('names the first need denied, the identity the server knows, and the rule to grant', async () => {
    const failure = await requireAccess(
      deployer,
      'analysing the canary',
      [
        need('get', '', 'services/proxy'),
        // Granted get on services/proxy, not create: the subresource is checked as such.
        need('create', '', 'services/proxy'),
        need('delete', 'apps', 'deployments'),
      ],
      silentLogger,
    ).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(UserError);
    const user = 'system:serviceaccount:review:deployer';
    expect((failure as UserError).message).toBe(
      `analysing the canary: forbidden by the cluster: ${user} may not create services/proxy in the core API group in namespace review`,
    );
    expect((failure as UserError).hint).toContain(
      `kubectl auth can-i create services --subresource=proxy -n review --as ${user}`,
    );
  });

  it('checks the namespace: a Role in one namespace grants nothing in another', async () => {
    await expect(
      requireAccess(
        deployer,
        'rolling out',
        [need('get', 'apps', 'deployments', 'other')],
        silentLogger,
      ),
    ).rejects.toThrow(
      /^rolling out: forbidden by the cluster: system:serviceaccount:review:deployer may not get deployments in API group "apps" in namespace other$/,
    );
  });

  it('lets the step go on when the review itself cannot be asked', async () => {
    // A token the API server does not know: the review is refused (401), so the call itself will tell.
    const stranger = new KubeClient({ ...admin.connection, token: 'not-a-token' });
    stranger.attempts = 1;
    const { logger, debug } = recording();
    await expect(
      requireAccess(stranger, 'analysing the canary', [need('get', '', 'pods')], logger),
    ).resolves.toBeUndefined();
    expect(debug).toHaveLength(1);
    expect(debug[0]).toMatch(/^could not review access for analysing the canary: /);
  });
});
