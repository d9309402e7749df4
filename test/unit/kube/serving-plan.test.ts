import { describe, expect, it } from 'vitest';
import { reconcileWithImage } from '../../../shared/kube/image-contract.ts';
import { cloudProfile, type ProfileName } from '../../../shared/kube/profiles.ts';
import {
  explainBudget,
  explainPlacement,
  planServing,
  type ServingRequest,
} from '../../../shared/kube/serving-plan.ts';
import type { ImageFacts } from '../../../shared/model/image-facts.ts';

const IMAGE = 'registry.example.com/models/resnet@sha256:' + 'b'.repeat(64);

function request(
  overrides: Partial<ServingRequest> = {},
  cloud: ProfileName = 'none',
): ServingRequest {
  return {
    name: 'resnet',
    namespace: 'models',
    image: IMAGE,
    runtime: 'triton',
    modelName: 'resnet',
    replicas: 1,
    resources: {},
    env: {},
    expose: { mode: 'cluster-ip' },
    profile: cloudProfile(cloud),
    ...overrides,
  };
}

const tritonImage: ImageFacts = {
  runtime: 'triton',
  modelName: 'resnet',
  version: '7',
  ports: [8000, 8001, 8002],
  health: { live: '/v2/health/live', ready: '/v2/health/ready' },
  sources: ['annotations', 'model card'],
};

describe('the image contract', () => {
  it('takes what the inputs leave open from the image', () => {
    const contract = reconcileWithImage({}, tritonImage, IMAGE);
    expect(contract).toMatchObject({ runtime: 'triton', modelName: 'resnet', modelVersion: '7' });
    expect(contract.taken).toContain("port: 8000, from the image's model card");
  });

  it.each([
    [
      'runtime',
      { runtime: 'custom' as const },
      "input 'runtime' is 'custom', but",
      'it was packaged for triton',
    ],
    ['port', { port: 9000 }, "input 'port' is '9000', but", 'the server answers HTTP on port 8000'],
    [
      'health-path',
      { healthPath: '/healthz' },
      "input 'health-path' is '/healthz'",
      'reports ready at /v2/health/ready',
    ],
    ['model', { model: 'resnet50' }, "input 'model' is 'resnet50'", "it serves the model 'resnet'"],
    [
      'model-version',
      { modelVersion: '8' },
      "input 'model-version' is '8'",
      "it holds version '7'",
    ],
  ])(
    'refuses a %s that contradicts the image, naming both values',
    (_name, given, first, second) => {
      expect(() => reconcileWithImage(given, tritonImage, IMAGE)).toThrow(first);
      expect(() => reconcileWithImage(given, tritonImage, IMAGE)).toThrow(second);
    },
  );

  it('an input that agrees with the image, or an image package did not build, is fine', () => {
    expect(reconcileWithImage({ runtime: 'triton', port: 8000 }, tritonImage, IMAGE).runtime).toBe(
      'triton',
    );
    const plain: ImageFacts = { version: '1.2.3', sources: [] };
    expect(
      reconcileWithImage({ runtime: 'tfserving', modelVersion: '9' }, plain, IMAGE),
    ).toMatchObject({
      runtime: 'tfserving',
      modelVersion: '9',
    });
  });
});

describe('the serving plan', () => {
  it("vLLM needs a GPU; GKE needs the accelerator; a GPU type must be the cloud's", () => {
    expect(() => planServing(request({ runtime: 'vllm' }))).toThrow(
      "input 'resources' has no gpu, and the vllm runtime serves on NVIDIA GPUs only",
    );
    expect(() => planServing(request({ resources: { gpu: 1 } }, 'gcp'))).toThrow(
      'without gpu-type, which the gcp cloud profile needs: GKE Autopilot',
    );
    expect(() => planServing(request({ resources: { gpu: 1, gpuType: 'NC6' } }, 'azure'))).toThrow(
      "has gpu-type 'NC6', which is not an Azure VM size",
    );
    expect(() => planServing(request({ resources: { gpu: 1, gpuType: 'A10G!' } }, 'aws'))).toThrow(
      'is neither an EC2 instance type',
    );
  });

  it('tensor parallelism follows the GPU count, and a command that says otherwise is refused', () => {
    const plan = planServing(
      request({ runtime: 'vllm', resources: { gpu: 4 }, facts: { cmd: ['--model', '/models/m'] } }),
    );
    expect(plan.spec.runtime.args).toEqual(['--model', '/models/m', '--tensor-parallel-size', '4']);
    expect(() =>
      planServing(
        request({
          runtime: 'vllm',
          resources: { gpu: 4 },
          facts: { cmd: ['--model', '/models/m', '--tensor-parallel-size', '2'] },
        }),
      ),
    ).toThrow("has gpu: 4, but the image's command runs vLLM with --tensor-parallel-size 2");
    expect(
      planServing(request({ runtime: 'vllm', resources: { gpu: 1 } })).spec.runtime.args,
    ).toBeUndefined();
  });

  it('GPU rolling update: one at a time from two replicas, a surge of one for a single replica', () => {
    expect(planServing(request({ resources: { gpu: 1 }, replicas: 2 })).spec.rollingUpdate).toEqual(
      {
        maxSurge: 0,
        maxUnavailable: 1,
      },
    );
    const single = planServing(request({ resources: { gpu: 1 } }));
    expect(single.spec.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 });
    expect(single.rollingUpdate.why).toContain('needs a spare GPU');
    expect(planServing(request()).spec.rollingUpdate).toEqual({
      maxSurge: '25%',
      maxUnavailable: 0,
    });
  });

  it('budgets add up: the progress deadline covers start, pull and a GPU node; the timeout every round', () => {
    const cpu = planServing(request({ replicas: 4 }));
    expect(cpu.budgets).toMatchObject({
      startSeconds: 600,
      pullSeconds: 600,
      nodeSeconds: 0,
      waves: 4,
    });
    expect(cpu.spec.progressDeadlineSeconds).toBe(1200);
    expect(cpu.budgets.timeoutMs).toBe((1200 + 3 * 600 + 60) * 1000);
    const gpu = planServing(request({ resources: { gpu: 1 }, overrides: { startSeconds: 60 } }));
    expect(gpu.spec.progressDeadlineSeconds).toBe(60 + 600 + 600);
    const short = planServing(request({ timeoutMs: 60_000 }));
    expect(short.budgets.timeoutFrom).toBe('input');
    expect(short.warnings[0]).toContain(
      'timeout 1m is shorter than the time the triton runtime may take to load a model (10m',
    );
  });

  it('says which budget ran out', () => {
    const { budgets } = planServing(request({ overrides: { startSeconds: 30 } }));
    expect(
      explainBudget(
        {
          reason: 'CrashLoopBackOff',
          diagnosis:
            'event: Pod/x: Unhealthy: Startup probe failed: HTTP probe failed with statuscode: 404',
        },
        budgets,
        '/ready',
      ),
    ).toContain(
      'the start budget ran out: the startup probe gives the model server 30.0s (start-timeout) to answer /ready',
    );
    expect(
      explainBudget({ reason: 'ProgressDeadlineExceeded (Unschedulable)', diagnosis: '' }, budgets),
    ).toContain(
      "the Deployment's progress deadline ran out: no new pod became ready within 10m30s (start 30.0s from start-timeout + image pull 10m)",
    );
    expect(explainBudget({ reason: 'Timeout', diagnosis: '' }, budgets)).toContain(
      "the step's timeout ran out",
    );
    expect(explainBudget({ reason: 'ImagePullBackOff', diagnosis: '' }, budgets)).toBeUndefined();
  });

  it('says which node labels an unschedulable GPU pod needs, or that the GPUs are taken', () => {
    const unmatched = {
      diagnosis:
        "Unschedulable: pod m-1: 0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.",
    };
    const karpenter = planServing(request({ resources: { gpu: 2, gpuType: 'a10g' } }, 'aws')).spec;
    expect(explainPlacement(unmatched, karpenter)).toContain(
      'it asks for 2 nvidia.com/gpu on nodes labelled karpenter.k8s.aws/instance-gpu-name=a10g or eks.amazonaws.com/instance-gpu-name=a10g (the aws cloud profile); check that such a GPU node pool exists',
    );
    const untyped = planServing(request({ resources: { gpu: 1 } }, 'aws')).spec;
    expect(
      explainPlacement(
        { diagnosis: '0/2 nodes are available: 2 Insufficient nvidia.com/gpu.' },
        untyped,
      ),
    ).toContain('on GPU nodes (the aws cloud profile); every such node has its GPUs taken');
    // Not a GPU pod, or not a scheduling problem: nothing to add.
    expect(explainPlacement(unmatched, planServing(request()).spec)).toBeUndefined();
    expect(explainPlacement({ diagnosis: 'ImagePullBackOff' }, karpenter)).toBeUndefined();
  });

  it('a custom image runs as its own non-root uid, else as 1000 with HOME on an emptyDir', () => {
    const own = planServing(request({ runtime: 'custom', facts: { user: '65532:65532' } }));
    expect(own.spec.runtime.runAsUser).toBe(65532);
    expect(own.spec.runtime.env?.HOME).toBeUndefined();
    const root = planServing(request({ runtime: 'custom', facts: {} }));
    expect(root.spec.runtime.runAsUser).toBe(1000);
    expect(root.spec.runtime.env?.HOME).toBe('/home/model-server');
    expect(root.spec.runtime.readOnlyRootFilesystem).toBe(false);
    const named = planServing(request({ runtime: 'custom', facts: { user: 'app' } }));
    expect(named.warnings[0]).toContain(
      "the image runs as user 'app', a name whose uid deploy cannot read",
    );
    const given = planServing(
      request({ runtime: 'custom', overrides: { runAsUser: 4242, readOnlyRootFilesystem: true } }),
    );
    expect(given.spec.runtime).toMatchObject({ runAsUser: 4242, readOnlyRootFilesystem: true });
  });
});
