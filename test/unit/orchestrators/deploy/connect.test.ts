import { describe, expect, it } from 'vitest';
import { endpointOverrides } from '../../../../shared/orchestrators/deploy/connect.ts';

describe('control plane endpoints', () => {
  it('takes the ARM and GKE endpoints from the environment, and nothing else', () => {
    expect(endpointOverrides({})).toEqual({});
    expect(
      endpointOverrides({
        MODEL_DEPLOY_ARM_ENDPOINT: 'http://127.0.0.1:1',
        MODEL_DEPLOY_GKE_ENDPOINT: 'http://127.0.0.1:2',
        MODEL_DEPLOY_EKS_ENDPOINT: 'http://127.0.0.1:3',
      }),
    ).toEqual({ arm: 'http://127.0.0.1:1', gke: 'http://127.0.0.1:2' });
  });
});
