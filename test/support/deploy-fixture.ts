import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { vi } from 'vitest';
import { run } from '../../actions/deploy/main.ts';
import type { Logger } from '../../shared/common/logger.ts';
import { actionsLogger } from '../../shared/action/run.ts';
import { withActionEnv, type ActionEnv } from './actions-env.ts';
import { pushBusyboxImage, type PushedImage } from './images.ts';
import { startCluster, type CrdSet, type KubeCluster } from './kube/cluster.ts';
import type { KwokNodeShape } from './kube/kwok.ts';
import { startRegistry, type LocalRegistry } from './registry.ts';

const execFileAsync = promisify(execFile);

/** kubectl's JSON, read deep by assertions; typing every level would only restate the API. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type KubeJson = any;

/** The real kubectl, reading what deploy left in the cluster. */
export const KUBECTL = '/usr/bin/kubectl';

export async function kubectlJson(kubeconfig: string, args: string[]): Promise<KubeJson> {
  const { stdout } = await execFileAsync(
    KUBECTL,
    ['--kubeconfig', kubeconfig, ...args, '-o', 'json'],
    {
      maxBuffer: 32 * 1024 * 1024,
    },
  );
  return JSON.parse(stdout);
}

/** `kubectl get --raw`: a plain GET through the API server (e.g. its service proxy). */
export async function kubectlRaw(kubeconfig: string, path: string): Promise<string> {
  const { stdout } = await execFileAsync(KUBECTL, [
    '--kubeconfig',
    kubeconfig,
    'get',
    '--raw',
    path,
  ]);
  return stdout;
}

/** kubectl get that returns undefined for NotFound. */
export async function kubectlMaybe(kubeconfig: string, args: string[]): Promise<KubeJson> {
  try {
    return await kubectlJson(kubeconfig, args);
  } catch (err) {
    if (/NotFound|not found/.test(String((err as { stderr?: string }).stderr ?? err)))
      return undefined;
    throw err;
  }
}

const summaryFile = join(mkdtempSync(join(tmpdir(), 'md-deploy-summary-')), 'summary.md');

export interface DeployRun {
  ok: boolean;
  outputs: Record<string, string>;
  summary: string;
  log: string;
  failure: string;
}

/** The action's own logger (annotations reach stdout as on a runner), also keeping the lines. */
export function recordingLogger(onLine?: (line: string) => void): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => {
      lines.push(m);
      onLine?.(m);
      actionsLogger.info(m);
    },
    debug: (m) => actionsLogger.debug(m),
    warning: (m, p) => {
      lines.push(`warning: ${m}`);
      actionsLogger.warning(m, p);
    },
    error: (m, p) => {
      lines.push(`error: ${m}`);
      actionsLogger.error(m, p);
    },
    secret: (v) => actionsLogger.secret(v),
  };
}

/**
 * Drives the deploy action in-process through the runner's file protocol,
 * capturing stdout (where the runner commands ::error:: and groups go).
 */
export async function runDeploy(
  inputs: Record<string, string>,
  env: Record<string, string> = {},
  /** Told each info line as the action logs it, to act on what it is doing. */
  onLine?: (line: string) => void,
): Promise<DeployRun> {
  // Every run in a test process writes to one summary file, emptied before each run.
  writeFileSync(summaryFile, '');
  const actionEnv: ActionEnv = withActionEnv(inputs, { GITHUB_STEP_SUMMARY: summaryFile, ...env });
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    chunks.push(String(chunk));
    return true;
  });
  const logger = recordingLogger(onLine);
  try {
    const ok = await run({ logger, pollMs: 200, hopelessAfterMs: 1500 });
    const stdout = chunks.join('');
    const failure = /::error::(.*)/.exec(stdout)?.[1]?.replace(/%0A/g, '\n') ?? '';
    return {
      ok,
      outputs: actionEnv.outputs(),
      summary: readFileSync(summaryFile, 'utf8'),
      log: `${logger.lines.join('\n')}\n${stdout}`,
      failure,
    };
  } finally {
    spy.mockRestore();
    actionEnv.restore();
  }
}

export interface DeployWorld {
  cluster: KubeCluster;
  registry: LocalRegistry;
  images: { v1: PushedImage; v2: PushedImage };
  workspace: string;
  stop(): Promise<void>;
}

/**
 * A registry with two busybox images and an upstream Kubernetes cluster
 * (test/support/kube) whose kwok pods' images are looked up there, or whose
 * kubelet pulls them (pods: 'real').
 */
export async function startWorld(
  options: {
    pods?: 'simulated' | 'real';
    crds?: CrdSet[];
    /** Whether a cloud load-balancer controller (a test double) gives LoadBalancer Services an address. */
    loadBalancers?: 'assign' | 'none';
    /** kwok nodes shaped as a cloud's (GPU pools), besides the plain one. */
    shapedKwokNodes?: KwokNodeShape[];
    /** See StartClusterOptions.endpointsBatchPeriod. */
    endpointsBatchPeriod?: string;
  } = {},
): Promise<DeployWorld> {
  const registry = await startRegistry();
  try {
    const v1 = await pushBusyboxImage(registry, 'models/echo', 'v1', {
      cmd: ['httpd', '-f', '-p', '8080', '-h', '/'],
      exposedPorts: ['8080/tcp'],
    });
    const v2 = await pushBusyboxImage(registry, 'models/echo', 'v2', {
      cmd: ['httpd', '-f', '-p', '8080', '-h', '/'],
      env: ['MODEL_VERSION=2'],
      exposedPorts: ['8080/tcp'],
    });
    const cluster = await startCluster({
      pods: options.pods ?? 'simulated',
      registryHosts: [registry.host],
      ...(options.crds ? { crds: options.crds } : {}),
      ...(options.loadBalancers ? { loadBalancers: options.loadBalancers } : {}),
      ...(options.shapedKwokNodes ? { shapedKwokNodes: options.shapedKwokNodes } : {}),
      ...(options.endpointsBatchPeriod
        ? { endpointsBatchPeriod: options.endpointsBatchPeriod }
        : {}),
    });
    const workspace = mkdtempSync(join(tmpdir(), 'md-deploy-ws-'));
    return {
      cluster,
      registry,
      images: { v1, v2 },
      workspace,
      async stop() {
        await cluster.stop();
        await registry.stop();
      },
    };
  } catch (err) {
    await registry.stop();
    throw err;
  }
}

/**
 * A namespace where Pod Security admission (built into the API server)
 * enforces the "restricted" profile: a pod that may run as root, escalate,
 * keep capabilities or skip seccomp is refused, as on a hardened cluster.
 */
export async function restrictedNamespace(kubeconfig: string, name: string): Promise<void> {
  await execFileAsync(KUBECTL, ['--kubeconfig', kubeconfig, 'create', 'namespace', name]);
  await execFileAsync(KUBECTL, [
    '--kubeconfig',
    kubeconfig,
    'label',
    'namespace',
    name,
    'pod-security.kubernetes.io/enforce=restricted',
    'pod-security.kubernetes.io/enforce-version=latest',
  ]);
}
