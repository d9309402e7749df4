import { describe, expect, it } from 'vitest';
import type { Logger } from '../../../../shared/common/logger.ts';
import { silentLogger } from '../../../../shared/common/logger.ts';
import type { KubeClient } from '../../../../shared/kube/client.ts';
import { plan } from '../../../../shared/orchestrators/deploy/serving.ts';
import { deployRequest } from '../../../support/deploy-request.ts';

/** A release exposed in the cluster only, without autoscaling, asks the cluster nothing. */
const untouched = new Proxy({} as KubeClient, {
  get: (_target, key) => {
    throw new Error(`the plan asked the cluster (${String(key)})`);
  },
});

const image = { reference: 'reg.example/iris@sha256:1', repository: 'reg.example/iris' };

function context(profileName: 'aws' | 'none', logger: Logger = silentLogger) {
  return { image, profileName, facts: undefined, client: untouched, logger };
}

describe('the serving plan of a release', () => {
  it("puts the inputs over the runtime's defaults and logs its budgets", async () => {
    const infos: string[] = [];
    const logger = { ...silentLogger, info: (m: string) => void infos.push(m) };
    const request = deployRequest({
      runtime: 'mlserver',
      port: 9000,
      startTimeoutMs: 90_500,
      replicas: 3,
      modelVersion: '2',
    });
    const servingPlan = await plan(request, context('none', logger));
    expect(servingPlan.spec).toMatchObject({
      name: 'iris',
      namespace: 'models',
      image: image.reference,
      replicas: 3,
      modelVersion: '2',
    });
    expect(servingPlan.spec.runtime.port).toBe(9000);
    expect(servingPlan.budgets.startSeconds).toBe(91);
    expect(infos.some((line) => line.startsWith('rollout budgets: '))).toBe(true);
  });

  it('serves the model under the analysis target name', async () => {
    const request = deployRequest({ runtime: 'tfserving' });
    const renamed = {
      ...request,
      strategy: {
        ...request.strategy,
        analysis: {
          ...request.strategy.analysis,
          smoke: {
            ...request.strategy.analysis.smoke,
            target: { model: 'resnet', version: undefined },
          },
        },
      },
    };
    const servingPlan = await plan(renamed, context('none'));
    expect(servingPlan.spec.runtime.readinessPath).toBe('/v1/models/resnet');
  });

  it('checks a workload identity against the cloud profile', async () => {
    await expect(
      plan(deployRequest({ serviceAccount: 'arn:aws:iam::1:role/x' }), context('none')),
    ).rejects.toThrow(/input 'service-account' needs a cloud profile \(aws, azure or gcp\)/);
    await expect(
      plan(deployRequest({ serviceAccount: 'not-a-role' }), context('aws')),
    ).rejects.toThrow(/input 'service-account' 'not-a-role' .* for aws/);
  });
});
