import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  kubectlJson,
  restrictedNamespace,
  runDeploy,
  startWorld,
  type DeployWorld,
} from '../../support/deploy-fixture.ts';

/**
 * Where a release answers (url), who can reach it (reach) and how a runner
 * smoke-tests it (service), per expose; and a load balancer whose address
 * never comes, as on EKS without the AWS Load Balancer Controller.
 */
let cloud: DeployWorld;
let bare: DeployWorld;
beforeAll(async () => {
  // One cluster whose cloud gives load balancers addresses, one where nothing does.
  [cloud, bare] = await Promise.all([startWorld(), startWorld({ loadBalancers: 'none' })]);
}, 180_000);
afterAll(async () => {
  await Promise.all([cloud?.stop(), bare?.stop()]);
});

const inputs = (world: DeployWorld, namespace: string, extra: Record<string, string>) => ({
  cluster: `kubeconfig:${world.cluster.kubeconfigPath}`,
  namespace,
  name: 'echo',
  image: world.images.v1.digestRef,
  runtime: 'custom',
  'health-path': '/',
  timeout: '60s',
  ...extra,
});

describe('the endpoint deploy reports', () => {
  it('cluster-ip: the in-cluster address, reach cluster, and the Service for the proxy', async () => {
    const result = await runDeploy(inputs(cloud, 'ep-cluster', {}));
    expect(result.failure).toBe('');
    expect(result.outputs).toMatchObject({
      url: 'http://echo.ep-cluster.svc.cluster.local',
      reach: 'cluster',
      service: 'ep-cluster/echo:http',
    });
  });

  it('load-balancer: the address the cloud gave, reach public', async () => {
    const result = await runDeploy(inputs(cloud, 'ep-public', { expose: 'load-balancer' }));
    expect(result.failure).toBe('');
    const service = await kubectlJson(cloud.cluster.kubeconfigPath, [
      '-n',
      'ep-public',
      'get',
      'service',
      'echo',
    ]);
    const address = service.status.loadBalancer.ingress[0].ip as string;
    expect(address).toMatch(/^198\.19\.\d+\.\d+$/);
    expect(result.outputs).toMatchObject({
      url: `http://${address}`,
      reach: 'public',
      service: 'ep-public/echo:http',
      status: 'deployed',
    });
    // How long the rollout and the wait for the address took, in seconds.
    expect(Number(result.outputs['rollout-seconds'])).toBeGreaterThan(0);
    expect(result.outputs['address-seconds']).toMatch(/^\d+\.\d$/);
  });

  it('internal-load-balancer on AKS: the private address, reach private', async () => {
    const result = await runDeploy(
      inputs(cloud, 'ep-private', { expose: 'internal-load-balancer', 'cloud-profile': 'azure' }),
    );
    expect(result.failure).toBe('');
    expect(result.outputs.reach).toBe('private');
    expect(result.outputs.url).toMatch(/^http:\/\/198\.19\.\d+\.\d+$/);
  });

  it('a load balancer that never gets an address fails the step, naming the Service, with the model serving', async () => {
    const result = await runDeploy(
      inputs(bare, 'ep-none', { expose: 'load-balancer', 'address-timeout': '3s' }),
    );
    expect(result.ok).toBe(false);
    expect(result.failure).toContain(
      'Service ep-none/echo got no load balancer address within 3.0s: the model is serving, but not reachable as expose asked',
    );
    expect(result.failure).toContain('no controller has acted on it');
    expect(result.failure).toContain('AWS Load Balancer Controller');
    // Never an in-cluster name in its place.
    expect(result.outputs).toMatchObject({ status: 'deployed', revision: '1', url: '', reach: '' });
    const deployment = await kubectlJson(bare.cluster.kubeconfigPath, [
      '-n',
      'ep-none',
      'get',
      'deployment',
      'echo',
    ]);
    expect(deployment.status.availableReplicas).toBe(1);
  });

  it('EKS without the AWS Load Balancer Controller or Auto Mode: the in-tree NLB annotation, said so, and no address is not hidden', async () => {
    await restrictedNamespace(bare.cluster.kubeconfigPath, 'ep-eks');
    const result = await runDeploy(
      inputs(bare, 'ep-eks', {
        expose: 'load-balancer',
        'cloud-profile': 'aws',
        'address-timeout': '3s',
      }),
    );
    expect(result.log).toContain('EKS: no AWS Load Balancer Controller and no EKS Auto Mode found');
    expect(result.log).toContain("the Service gets the in-tree cloud provider's NLB annotation");
    const service = await kubectlJson(bare.cluster.kubeconfigPath, [
      '-n',
      'ep-eks',
      'get',
      'service',
      'echo',
    ]);
    expect(service.metadata.annotations).toEqual({
      'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb',
    });
    // Nothing serves load balancers in this cluster at all: the step fails, never a cluster-local URL.
    expect(result.ok).toBe(false);
    expect(result.failure).toContain(
      'Service ep-eks/echo got no load balancer address within 3.0s',
    );
    expect(result.outputs).toMatchObject({ status: 'deployed', url: '', reach: '' });
  });
});
