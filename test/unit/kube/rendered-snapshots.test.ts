import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { renderServing } from '../../../shared/kube/manifests.ts';
import { labelForRelease } from '../../../shared/kube/objects.ts';
import {
  cloudProfile,
  PROFILE_NAMES,
  type LoadBalancerController,
  type ProfileName,
} from '../../../shared/kube/profiles.ts';
import { RUNTIME_NAMES, type RuntimeName } from '../../../shared/model/runtimes/serving.ts';
import {
  describeBudgets,
  planServing,
  type ServingRequest,
} from '../../../shared/kube/serving-plan.ts';

/**
 * The built-in manifests of every runtime on every cloud, as deploy applies
 * them, kept under snapshots/ as reviewed files: a change to what deploy
 * renders shows up as a diff there and must be accepted on purpose with
 * `npx vitest run test/unit/kube/rendered-snapshots.test.ts -u`.
 */
const IMAGE = `registry.example.com/models/model@sha256:${'a'.repeat(64)}`;

/** The GPU type each cloud names: an instance type for Triton, a GPU name for vLLM where the cloud has one. */
const GPU_TYPES: Record<ProfileName, { triton?: string; vllm?: string }> = {
  aws: { triton: 'g5.xlarge', vllm: 'l4' },
  azure: { triton: 'Standard_NC4as_T4_v3', vllm: 'Standard_NC24ads_A100_v4' },
  gcp: { triton: 'nvidia-tesla-t4', vllm: 'nvidia-l4' },
  none: { vllm: 'NVIDIA-L4' },
};

/** What a user typically asks of each runtime. */
function requestFor(runtime: RuntimeName, cloud: ProfileName): Partial<ServingRequest> {
  const gpuType = GPU_TYPES[cloud] ?? {};
  switch (runtime) {
    case 'triton':
      return { resources: { gpu: 1, ...(gpuType.triton ? { gpuType: gpuType.triton } : {}) } };
    case 'vllm':
      return { resources: { gpu: 2, ...(gpuType.vllm ? { gpuType: gpuType.vllm } : {}) } };
    case 'tfserving':
      return { resources: {}, autoscaling: { min: 2, max: 6, targetCpu: 70 } };
    case 'mlserver':
      return { resources: { cpu: '1', memory: '2Gi' }, expose: { mode: 'internal-load-balancer' } };
    default:
      return { resources: {} };
  }
}

function render(
  runtime: RuntimeName,
  cloud: ProfileName,
  loadBalancerController: LoadBalancerController = cloud === 'aws'
    ? 'aws-load-balancer-controller'
    : 'cloud',
): string {
  const plan = planServing({
    name: 'model',
    namespace: 'models',
    image: IMAGE,
    runtime,
    modelName: 'model',
    replicas: 2,
    resources: {},
    env: {},
    expose: { mode: 'load-balancer' },
    profile: cloudProfile(cloud),
    loadBalancerController,
    modelVersion: '3',
    ...requestFor(runtime, cloud),
  });
  const objects = labelForRelease(renderServing(plan.spec), 'model', 'models');
  const header = [
    `# ${runtime} on ${cloud}: rendered by test/unit/kube/rendered-snapshots.test.ts`,
    `# rolling update: ${plan.rollingUpdate.why}`,
    `# budgets: ${describeBudgets(plan.budgets)}`,
    ...plan.notes.filter((n) => !n.startsWith('rolling update:')).map((n) => `# note: ${n}`),
  ];
  return `${header.join('\n')}\n${objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n')}`;
}

describe('rendered manifests, runtime × cloud, against the reviewed snapshots', () => {
  for (const runtime of RUNTIME_NAMES) {
    for (const cloud of PROFILE_NAMES) {
      it(`${runtime} on ${cloud}`, async () => {
        await expect(render(runtime, cloud)).toMatchFileSnapshot(
          `./snapshots/${runtime}-${cloud}.yaml`,
        );
      });
    }
  }
  it('custom on aws without the AWS Load Balancer Controller (the in-tree NLB)', async () => {
    await expect(render('custom', 'aws', 'in-tree')).toMatchFileSnapshot(
      './snapshots/custom-aws-in-tree.yaml',
    );
  });
});
