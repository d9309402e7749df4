import { describe, expect, it } from 'vitest';
import { findEksLoadBalancerController } from '../../../../shared/clouds/aws/load-balancer.ts';
import { silentLogger } from '../../../../shared/common/logger.ts';
import type { KubeClient } from '../../../../shared/kube/client.ts';
import { clusterFacts } from '../../../../shared/kube/cluster-features.ts';

/** A client whose list calls answer from `answers` by apiVersion/kind; anything else is a 404. */
function clientAnswering(answers: Record<string, unknown>): KubeClient {
  const objects = {
    list: async (apiVersion: string, kind: string) => {
      const answer = answers[`${apiVersion}/${kind}`];
      if (answer instanceof Error) throw answer;
      if (answer === undefined) throw Object.assign(new Error('not found'), { code: 404 });
      return answer;
    },
  };
  return {
    connection: { displayName: 'eks:us-east-1/test' },
    call: async <T>(body: (apis: { objects: typeof objects }) => Promise<T>) => body({ objects }),
  } as unknown as KubeClient;
}

const forbidden = () => Object.assign(new Error('forbidden'), { code: 403 });

describe('the EKS load balancer controller probe', () => {
  it('finds the AWS Load Balancer Controller by its webhook', async () => {
    const client = clientAnswering({
      'admissionregistration.k8s.io/v1/MutatingWebhookConfiguration': {
        items: [{ metadata: { name: 'aws-load-balancer-webhook' }, webhooks: [] }],
      },
    });
    await expect(
      findEksLoadBalancerController(clusterFacts(client), silentLogger),
    ).resolves.toMatchObject({
      controller: 'aws-load-balancer-controller',
    });
  });

  it('finds it by its API when webhooks may not be listed', async () => {
    const client = clientAnswering({
      'admissionregistration.k8s.io/v1/MutatingWebhookConfiguration': forbidden(),
      'elbv2.k8s.aws/v1beta1/TargetGroupBinding': { items: [] },
    });
    await expect(
      findEksLoadBalancerController(clusterFacts(client), silentLogger),
    ).resolves.toEqual({
      controller: 'aws-load-balancer-controller',
      evidence: 'the cluster serves its API, elbv2.k8s.aws',
    });
  });

  it('finds EKS Auto Mode by its NodeClass, and else only the in-tree controller', async () => {
    const webhooks = {
      'admissionregistration.k8s.io/v1/MutatingWebhookConfiguration': { items: [] },
    };
    const autoMode = clientAnswering({
      ...webhooks,
      'eks.amazonaws.com/v1/NodeClass': { items: [] },
    });
    const found = await findEksLoadBalancerController(clusterFacts(autoMode), silentLogger);
    expect(found.controller).toBe('eks-auto-mode');
    expect(found.warning).toBeUndefined();
    const bare = clientAnswering(webhooks);
    await expect(
      findEksLoadBalancerController(clusterFacts(bare), silentLogger),
    ).resolves.toMatchObject({
      controller: 'in-tree',
      evidence: expect.stringMatching(/no aws-load-balancer-webhook is registered/),
      warning: expect.stringMatching(/gets the in-tree cloud provider's NLB annotation/),
    });
  });
});
