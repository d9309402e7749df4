import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUNTIME_NAMES } from '../../../shared/model/runtimes/serving.ts';
import {
  KUBECTL,
  kubectlJson,
  restrictedNamespace,
  runDeploy,
  startWorld,
  type DeployWorld,
  type KubeJson,
} from '../../support/deploy-fixture.ts';

/**
 * The defaults that decide whether a first deploy works on a real EKS, AKS
 * or GKE cluster, on an upstream control plane whose kwok nodes are labelled
 * and tainted as each cloud labels its GPU nodes (with `nvidia.com/gpu`
 * capacity, as the device plugin reports it), every namespace enforcing Pod
 * Security "restricted".
 */
const NVIDIA_TAINT = { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' as const };

let world: DeployWorld;
beforeAll(async () => {
  world = await startWorld({
    shapedKwokNodes: [
      {
        // An AKS GPU pool: AKS labels the accelerator and the VM size; the pool was created with sku=gpu.
        name: 'aks-gpu',
        labels: {
          'kubernetes.azure.com/accelerator': 'nvidia',
          'node.kubernetes.io/instance-type': 'Standard_NC4as_T4_v3',
          'kubernetes.azure.com/agentpool': 'gpunp',
        },
        capacity: { 'nvidia.com/gpu': '1' },
        taints: [{ key: 'sku', value: 'gpu', effect: 'NoSchedule' }],
      },
      {
        // GKE labels a GPU node with its accelerator and taints it.
        name: 'gke-t4',
        labels: { 'cloud.google.com/gke-accelerator': 'nvidia-tesla-t4' },
        capacity: { 'nvidia.com/gpu': '1' },
        taints: [NVIDIA_TAINT],
      },
      {
        // A fixed pool of two L4 GPUs: no spare GPU for a surge.
        name: 'gke-l4',
        labels: { 'cloud.google.com/gke-accelerator': 'nvidia-l4' },
        capacity: { 'nvidia.com/gpu': '2' },
        taints: [NVIDIA_TAINT],
      },
      {
        // An EKS managed node group: the kubelet's instance type; Karpenter adds the GPU name.
        name: 'eks-g5',
        labels: {
          'node.kubernetes.io/instance-type': 'g5.xlarge',
          'karpenter.k8s.aws/instance-gpu-name': 'a10g',
        },
        capacity: { 'nvidia.com/gpu': '1' },
        taints: [{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }],
      },
      {
        // An EKS Auto Mode node: its own key for the GPU name.
        name: 'eks-auto-l4',
        labels: {
          'node.kubernetes.io/instance-type': 'g6.48xlarge',
          'eks.amazonaws.com/instance-gpu-name': 'l4',
          'eks.amazonaws.com/compute-type': 'auto',
        },
        capacity: { 'nvidia.com/gpu': '8' },
        taints: [{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }],
      },
    ],
  });
}, 180_000);
afterAll(async () => {
  await world?.stop();
});

const kubeconfig = () => world.cluster.kubeconfigPath;

async function deployIn(namespace: string, inputs: Record<string, string>) {
  await restrictedNamespace(kubeconfig(), namespace);
  return runDeploy({
    cluster: `kubeconfig:${kubeconfig()}`,
    namespace,
    name: 'model',
    image: world.images.v1.digestRef,
    // kwok pods are ready in seconds; a rollout that does not finish in 30 s is stuck.
    timeout: '30s',
    ...inputs,
  });
}

/** kubectl with a JSON document on stdin, as admin. */
function kubectlInput(args: string[], document: unknown): Promise<{ ok: boolean; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(KUBECTL, ['--kubeconfig', kubeconfig(), ...args], (err, _out, stderr) =>
      resolve({ ok: err === null, stderr }),
    );
    child.stdin?.end(JSON.stringify(document));
  });
}

async function pods(namespace: string): Promise<KubeJson[]> {
  return (await kubectlJson(kubeconfig(), ['-n', namespace, 'get', 'pods'])).items;
}

async function deployment(namespace: string): Promise<KubeJson> {
  return kubectlJson(kubeconfig(), ['-n', namespace, 'get', 'deployment', 'model']);
}

describe('GPU placement from the labels each cloud puts on its GPU nodes', () => {
  it.each([
    ['azure', 'Standard_NC4as_T4_v3', 'kwok-aks-gpu'],
    ['gcp', 'nvidia-tesla-t4', 'kwok-gke-t4'],
    ['aws', 'g5.xlarge', 'kwok-eks-g5'],
  ])('%s: gpu-type %s lands on %s', async (cloud, gpuType, node) => {
    const namespace = `gpu-${cloud}`;
    const result = await deployIn(namespace, {
      runtime: 'triton',
      'cloud-profile': cloud,
      resources: `{gpu: 1, gpu-type: ${gpuType}}`,
    });
    expect(result.failure).toBe('');
    const [pod] = await pods(namespace);
    expect(pod.spec.nodeName).toBe(node);
    expect(pod.spec.containers[0].resources.limits['nvidia.com/gpu']).toBe('1');
  });

  it('aws with a GPU name: Karpenter or EKS Auto Mode nodes; vLLM splits over its GPUs with /dev/shm in memory', async () => {
    const result = await deployIn('gpu-vllm', {
      runtime: 'vllm',
      'cloud-profile': 'aws',
      resources: '{gpu: 2, gpu-type: l4}',
    });
    expect(result.failure).toBe('');
    const [pod] = await pods('gpu-vllm');
    expect(pod.spec.nodeName).toBe('kwok-eks-auto-l4');
    const container = pod.spec.containers[0];
    expect(container.args.slice(-2)).toEqual(['--tensor-parallel-size', '2']);
    expect(container.env).toContainEqual({ name: 'HOME', value: '/home/model-server' });
    expect(pod.spec.volumes).toContainEqual({
      name: 'dshm',
      emptyDir: { medium: 'Memory', sizeLimit: '2Gi' },
    });
    expect(result.log).toContain(
      'vLLM splits the model over the 2 GPUs (--tensor-parallel-size 2)',
    );
  });

  it('no node with the GPU asked for: the failure gives the scheduler’s reason, and the pod’s selector shows the labels it needs', async () => {
    const result = await deployIn('gpu-missing', {
      runtime: 'triton',
      'cloud-profile': 'azure',
      resources: '{gpu: 1, gpu-type: Standard_ND96asr_v4}',
      // The pod can never be scheduled: the step's timeout decides when deploy stops waiting.
      timeout: '5s',
    });
    expect(result.ok).toBe(false);
    expect(result.failure).toContain('Unschedulable');
    expect(result.failure).toContain("didn't match Pod's node affinity/selector");
    expect(result.failure).toContain(
      'no node can take the pod: it asks for 1 nvidia.com/gpu on nodes labelled kubernetes.azure.com/accelerator=nvidia, node.kubernetes.io/instance-type=Standard_ND96asr_v4 (the azure cloud profile); check that such a GPU node pool exists',
    );
    const [pod] = await pods('gpu-missing');
    expect(pod.spec.nodeSelector).toEqual({
      'kubernetes.azure.com/accelerator': 'nvidia',
      'node.kubernetes.io/instance-type': 'Standard_ND96asr_v4',
    });
  });

  it('refuses vLLM without a GPU, and a GKE GPU without its accelerator, before applying anything', async () => {
    const vllm = await deployIn('gpu-none', { runtime: 'vllm' });
    expect(vllm.ok).toBe(false);
    expect(vllm.failure).toContain(
      "input 'resources' has no gpu, and the vllm runtime serves on NVIDIA GPUs only",
    );
    const gke = await deployIn('gpu-untyped', {
      runtime: 'triton',
      'cloud-profile': 'gcp',
      resources: '{gpu: 1}',
    });
    expect(gke.failure).toContain('without gpu-type, which the gcp cloud profile needs');
    expect(gke.failure).toContain('gpu-type: nvidia-l4');
    for (const namespace of ['gpu-none', 'gpu-untyped']) {
      expect(
        (await kubectlJson(kubeconfig(), ['-n', namespace, 'get', 'deployments'])).items,
      ).toEqual([]);
    }
  });
});

describe('rolling updates, drain, requests and spread', () => {
  it('a second release on a full GPU pool replaces one pod at a time instead of waiting for a spare GPU', async () => {
    const inputs = {
      runtime: 'triton',
      'cloud-profile': 'gcp',
      resources: '{gpu: 1, gpu-type: nvidia-l4}',
      replicas: '2',
    };
    const first = await deployIn('gpu-rolling', inputs);
    expect(first.failure).toBe('');
    // Both GPUs of the pool are taken.
    expect((await pods('gpu-rolling')).map((p) => p.spec.nodeName)).toEqual([
      'kwok-gke-l4',
      'kwok-gke-l4',
    ]);
    const second = await runDeploy({
      cluster: `kubeconfig:${kubeconfig()}`,
      namespace: 'gpu-rolling',
      name: 'model',
      image: world.images.v2.digestRef,
      timeout: '30s',
      ...inputs,
    });
    expect(second.failure).toBe('');
    expect(second.outputs).toMatchObject({ status: 'deployed', revision: '2' });
    const live = await deployment('gpu-rolling');
    expect(live.spec.strategy.rollingUpdate).toEqual({ maxSurge: 0, maxUnavailable: 1 });
    expect(second.summary).toContain('one pod at a time gives its GPU to its replacement');
  });

  it('drains before stopping, requests what the runtime needs, spreads replicas, and warns that no metrics-server means no autoscaling', async () => {
    const result = await deployIn('serving-shape', {
      runtime: 'tfserving',
      expose: 'load-balancer',
      autoscaling: '{min: 2, max: 4}',
    });
    expect(result.failure).toBe('');
    const pod = (await deployment('serving-shape')).spec.template.spec;
    const container = pod.containers[0];
    expect(container.lifecycle.preStop).toEqual({ sleep: { seconds: 30 } });
    expect(pod.terminationGracePeriodSeconds).toBe(60);
    expect(container.resources).toEqual({ requests: { cpu: '500m', memory: '1Gi' } });
    expect(
      pod.topologySpreadConstraints.map((c: { topologyKey: string }) => c.topologyKey),
    ).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
    const hpa = await kubectlJson(kubeconfig(), ['-n', 'serving-shape', 'get', 'hpa', 'model']);
    expect(hpa.spec.metrics[0].resource.name).toBe('cpu');
    expect(result.log).toContain(
      'autoscaling: the cluster does not serve the resource metrics API (metrics.k8s.io)',
    );
    expect(result.log).toContain('autoscaling on CPU at 70% of the 500m CPU request');
  });

  it('says nothing about metrics-server when the cluster serves the resource metrics API', async () => {
    // metrics.k8s.io served by the API server itself (a definition of the group's
    // PodMetrics, as metrics-server's APIService would serve it): deploy only asks
    // whether the API answers, never for figures.
    const definition = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: {
        name: 'pods.metrics.k8s.io',
        annotations: { 'api-approved.kubernetes.io': 'unapproved, a stand-in in a test cluster' },
      },
      spec: {
        group: 'metrics.k8s.io',
        scope: 'Namespaced',
        names: { plural: 'pods', singular: 'pod', kind: 'PodMetrics', listKind: 'PodMetricsList' },
        versions: [
          {
            name: 'v1beta1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            },
          },
        ],
      },
    };
    expect((await kubectlInput(['apply', '-f', '-'], definition)).stderr).toBe('');
    try {
      expect(
        (
          await kubectlInput(
            ['wait', '--for=condition=Established', 'crd/pods.metrics.k8s.io', '--timeout=60s'],
            {},
          )
        ).stderr,
      ).toBe('');
      const result = await deployIn('hpa-metrics', {
        runtime: 'mlserver',
        autoscaling: '{min: 1, max: 3, target-cpu: 60}',
      });
      expect(result.failure).toBe('');
      expect(result.log).toContain('autoscaling on CPU at 60% of the');
      expect(result.log).not.toContain('metrics.k8s.io');
      const hpa = await kubectlJson(kubeconfig(), ['-n', 'hpa-metrics', 'get', 'hpa', 'model']);
      expect(hpa.spec.metrics[0].resource.target.averageUtilization).toBe(60);
      const pod = (await deployment('hpa-metrics')).spec.template.spec;
      // Without a CPU request the autoscaler cannot compute utilisation: one is always set.
      expect(pod.containers[0].resources.requests.cpu).toBeDefined();
    } finally {
      await kubectlInput(['delete', 'crd', 'pods.metrics.k8s.io', '--wait=true'], {});
    }
  });
});

describe('rollout budgets', () => {
  it('the progress deadline covers the start and the pull; a short timeout says it was the one that ran out', async () => {
    const result = await deployIn('budget-timeout', {
      runtime: 'custom',
      'health-path': '/',
      timeout: '5s',
      'pod-annotations': 'stage.model-deploy.test/ready-after=never',
    });
    expect(result.ok).toBe(false);
    expect(result.log).toContain(
      'timeout 5.0s is shorter than the time the custom runtime may take to load a model (2m',
    );
    expect(result.failure).toContain(
      "the step's timeout ran out: 5.0s (the timeout input) passed before every new pod was ready, sooner than the Deployment's progress deadline of 5m",
    );
    expect((await deployment('budget-timeout')).spec.progressDeadlineSeconds).toBe(120 + 180);
  });
});

describe('Pod Security "restricted"', () => {
  it('refuses a root pod in these namespaces (the admission is on)', async () => {
    await restrictedNamespace(kubeconfig(), 'psa-check');
    const refused = await kubectlInput(
      ['-n', 'psa-check', 'apply', '--dry-run=server', '-f', '-'],
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'root' },
        spec: { containers: [{ name: 'c', image: world.images.v1.digestRef }] },
      },
    );
    expect(refused.ok).toBe(false);
    expect(refused.stderr).toContain('violates PodSecurity "restricted:latest"');
  });

  it.each(RUNTIME_NAMES)('%s: every pod admitted and ready', async (runtime) => {
    const namespace = `psa-${runtime}`;
    const result = await deployIn(namespace, {
      runtime,
      'health-path': '/',
      ...(runtime === 'vllm'
        ? { 'cloud-profile': 'aws', resources: '{gpu: 1, gpu-type: l4}' }
        : {}),
    });
    expect(result.failure).toBe('');
    expect(result.outputs.status).toBe('deployed');
    const [pod] = await pods(namespace);
    expect(pod.spec.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(pod.spec.securityContext.runAsUser).toBeGreaterThan(0);
    expect(pod.status.conditions).toContainEqual(
      expect.objectContaining({ type: 'Ready', status: 'True' }),
    );
  });
});

describe('load balancers on EKS', () => {
  it('with the AWS Load Balancer Controller registered, the Service gets its NLB annotations', async () => {
    // The controller's webhook as its chart registers it; it can run nowhere here, so it selects no object.
    const webhook = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: 'aws-load-balancer-webhook' },
      webhooks: [
        {
          name: 'mservice.elbv2.k8s.aws',
          admissionReviewVersions: ['v1'],
          sideEffects: 'None',
          failurePolicy: 'Ignore',
          timeoutSeconds: 1,
          clientConfig: { url: 'https://127.0.0.1:9/mutate-v1-service' },
          objectSelector: { matchLabels: { 'model-deploy.test/never': 'true' } },
          rules: [
            {
              apiGroups: [''],
              apiVersions: ['v1'],
              operations: ['CREATE'],
              resources: ['services'],
            },
          ],
        },
      ],
    };
    expect((await kubectlInput(['apply', '-f', '-'], webhook)).stderr).toBe('');
    const result = await deployIn('lb-controller', {
      runtime: 'custom',
      'health-path': '/',
      'cloud-profile': 'aws',
      expose: 'load-balancer',
    });
    expect(result.failure).toBe('');
    expect(result.log).toContain(
      'load balancer: aws-load-balancer-controller (its webhook aws-load-balancer-webhook is registered)',
    );
    const service = await kubectlJson(kubeconfig(), [
      '-n',
      'lb-controller',
      'get',
      'service',
      'model',
    ]);
    expect(service.metadata.annotations).toMatchObject({
      'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
      'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
    });
    expect(result.outputs.reach).toBe('public');
  });
});
