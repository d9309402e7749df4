import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pushBusyboxImage } from '../../test/support/images.ts';
import { startCluster, type KubeCluster } from '../../test/support/kube/cluster.ts';
import { KUBERNETES } from '../../test/support/kube/components.ts';
import {
  runSteps,
  type LocalStep,
  type RunResult,
  type StepResult,
} from '../../test/support/local-runner.ts';
import { startRegistry, type LocalRegistry } from '../../test/support/registry.ts';
import type { Secret } from '../../test/support/secrets-scan.ts';
import { LABELS, prepareModelVersions, SAMPLE, type ModelVersion } from './model.ts';

/**
 * The release story the demo shows and the e2e test checks, run through the
 * built dist/ bundles exactly as GitHub runs them: two registries stand in
 * for two clouds (one anonymous, one with a password), and an upstream
 * Kubernetes control plane (test/support/kube) runs every pod as a real
 * container: its node is a kubelet with containerd and runc, pulling the
 * packaged image from cloud A's registry.
 */

export const NAMESPACE = 'models';
export const RELEASE = 'iris';

export interface DemoEnvironment {
  /** Anonymous, as a registry reached with a cloud identity would be to the cluster. */
  cloudA: LocalRegistry;
  /** Basic auth: the push action gets its password. */
  cloudB: LocalRegistry;
  cluster: KubeCluster;
  baseImage: string;
  work: string;
  workspace: string;
  versions: ReturnType<typeof prepareModelVersions>;
  /** Every credential of the run, for the leak scan. */
  secrets: Secret[];
  stop(): Promise<void>;
}

export async function startEnvironment(log: (line: string) => void): Promise<DemoEnvironment> {
  const work = mkdtempSync(join(tmpdir(), 'model-deploy-demo-'));
  const stoppers: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stoppers.reverse()) await s().catch(() => undefined);
    stoppers.length = 0;
    rmSync(work, { recursive: true, force: true });
  };
  try {
    const [cloudA, cloudB] = await Promise.all([startRegistry(), startRegistry({ auth: 'basic' })]);
    stoppers.push(
      () => cloudA.stop(),
      () => cloudB.stop(),
    );
    log(`registry "cloud A" at ${cloudA.url} (anonymous)`);
    log(`registry "cloud B" at ${cloudB.url} (basic auth, user ${cloudB.username})`);
    const base = await pushBusyboxImage(cloudA, 'base/busybox', '1');
    log(`base image ${base.ref} (busybox httpd and awk)`);
    const cluster = await startCluster({
      pods: 'real',
      registryHosts: [cloudA.host, cloudB.host],
    });
    stoppers.push(() => cluster.stop());
    log(
      `Kubernetes ${KUBERNETES.version} control plane at ${cluster.server}, ready in ` +
        `${(cluster.timings.totalMs / 1000).toFixed(1)}s; node ${cluster.kubeletNode} is a ` +
        `kubelet with containerd: the pods are real containers`,
    );
    const workspace = join(work, 'workspace');
    mkdirSync(workspace, { recursive: true });
    return {
      cloudA,
      cloudB,
      cluster,
      baseImage: base.ref,
      work,
      workspace,
      versions: prepareModelVersions(join(work, 'models')),
      secrets: [
        { label: 'registry password', value: cloudB.password! },
        { label: 'cluster token', value: cluster.token },
      ],
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

export interface Phase {
  title: string;
  description: string;
  steps: LocalStep[];
  /** What must happen, checked by the demo (the e2e test checks more). */
  expectFailure: boolean;
}

export interface PhaseResult {
  phase: Phase;
  run: RunResult;
}

function smokeExpectation(version: ModelVersion): string {
  return JSON.stringify({
    outputs: { probabilities: version.probabilities },
    abs: 1e-6,
    'top-k': { output: 'probabilities', k: 1, label: 'virginica', labels: [...LABELS] },
    schema: {
      type: 'object',
      required: ['model_version', 'probabilities'],
      properties: { model_version: { const: version.version } },
    },
  });
}

export function phases(env: DemoEnvironment): Phase[] {
  const { cloudA, cloudB, cluster, versions } = env;
  const clusterInput = `kubeconfig:${cluster.kubeconfigPath}`;
  const packageStep = (version: ModelVersion): LocalStep => ({
    id: 'package',
    uses: 'package',
    with: {
      model: version.dir,
      name: RELEASE,
      version: version.version,
      runtime: 'custom',
      'base-image': env.baseImage,
      cmd: `["sh", "/models/${RELEASE}/${version.version}/serve.sh"]`,
    },
  });
  const pushStep: LocalStep = {
    id: 'push',
    uses: 'push',
    with: {
      layout: '${{ steps.package.outputs.layout }}',
      destinations: `${cloudA.host}/models/${RELEASE}\n${cloudB.host}/models/${RELEASE}`,
      username: cloudB.username!,
      password: cloudB.password!,
      // The login is cloud B's; cloud A never gets the password.
      'credentials-for': cloudB.host,
    },
  };
  const deployInputs = {
    cluster: clusterInput,
    namespace: NAMESPACE,
    name: RELEASE,
    runtime: 'custom',
    timeout: '90s',
  };
  const deployStep = (version: ModelVersion): LocalStep => ({
    id: 'deploy',
    uses: 'deploy',
    with: {
      ...deployInputs,
      image: `${cloudA.host}/models/${RELEASE}@\${{ steps.push.outputs.digest }}`,
      'model-version': version.version,
    },
  });
  const smokeStep = (id: string, version: ModelVersion, condition?: string): LocalStep => ({
    id,
    uses: 'smoke-test',
    ...(condition ? { if: condition } : {}),
    with: {
      service: `${NAMESPACE}/${RELEASE}:http`,
      cluster: clusterInput,
      protocol: 'http',
      method: 'POST',
      path: '/cgi-bin/predict',
      'ready-path': '/health',
      request: JSON.stringify({ features: [...SAMPLE] }),
      expect: smokeExpectation(version),
      requests: '40',
      concurrency: '4',
      warmup: '4',
      'slo-p95-ms': '2000',
      'wait-ready': '60s',
    },
  });
  const release = (version: ModelVersion): LocalStep[] => [
    packageStep(version),
    pushStep,
    deployStep(version),
    smokeStep('smoke-test', version),
  ];
  return [
    {
      title: `Release v${versions.good.version}`,
      description: `package ${versions.good.description}, push to both registries, deploy, smoke-test`,
      steps: release(versions.good),
      expectFailure: false,
    },
    {
      title: `Release v${versions.retrained.version}`,
      description: `${versions.retrained.description}: only the model layer is new`,
      steps: release(versions.retrained),
      expectFailure: false,
    },
    {
      title: `Release v${versions.broken.version} (broken)`,
      description: `${versions.broken.description}; deploy must roll back by itself and v${versions.retrained.version} keep serving`,
      steps: [
        packageStep(versions.broken),
        pushStep,
        deployStep(versions.broken),
        // As a workflow would: on failure, prove the restored version answers correctly.
        smokeStep('smoke-test-restored', versions.retrained, 'failure()'),
      ],
      expectFailure: true,
    },
    {
      title: 'Manual rollback to revision 1',
      description: `what the rollback workflow does: rollback-to: 1, then smoke-test v${versions.good.version}`,
      steps: [
        { id: 'rollback', uses: 'deploy', with: { ...deployInputs, 'rollback-to': '1' } },
        smokeStep('smoke-test', versions.good),
      ],
      expectFailure: false,
    },
  ];
}

export interface RunHooks {
  onPhase?: (phase: Phase, index: number) => void;
  onLog?: (line: string) => void;
  onStepStart?: (step: LocalStep) => void;
  onStepEnd?: (result: StepResult) => void;
  /** Awaited after each phase, to look at the cluster before the next one changes it. */
  afterPhase?: (result: PhaseResult, index: number) => Promise<void>;
}

/** Runs every phase as its own job (a fresh RUNNER_TEMP each, as on GitHub). */
export async function runScenario(
  env: DemoEnvironment,
  hooks: RunHooks = {},
): Promise<PhaseResult[]> {
  const results: PhaseResult[] = [];
  for (const [index, phase] of phases(env).entries()) {
    hooks.onPhase?.(phase, index);
    const runnerTemp = join(env.work, `runner-temp-${index + 1}`);
    mkdirSync(runnerTemp, { recursive: true });
    const run = await runSteps(phase.steps, {
      workspace: env.workspace,
      runnerTemp,
      github: { runNumber: String(index + 1), runId: String(1000 + index + 1) },
      timeoutMs: 4 * 60_000,
      ...(hooks.onLog ? { onLog: hooks.onLog } : {}),
      ...(hooks.onStepStart ? { onStepStart: hooks.onStepStart } : {}),
      ...(hooks.onStepEnd ? { onStepEnd: hooks.onStepEnd } : {}),
    });
    results.push({ phase, run });
    await hooks.afterPhase?.({ phase, run }, index);
  }
  return results;
}
