import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  NAMESPACE,
  RELEASE,
  runScenario,
  startEnvironment,
  type DemoEnvironment,
  type PhaseResult,
} from '../../scripts/demo/scenario.ts';
import type { StepResult } from '../support/local-runner.ts';
import type { LocalRegistry } from '../support/registry.ts';
import { formatFindings, scanForSecrets } from '../support/secrets-scan.ts';

/**
 * The path `npm run demo` shows, run through the built dist/ bundles as
 * GitHub runs them, with every step's outputs checked: two releases, a broken
 * one rolled back by itself, a manual rollback, and no credential in anything
 * the run printed or wrote outside RUNNER_TEMP's private files.
 */
const execFileAsync = promisify(execFile);
const DIGEST = /^sha256:[0-9a-f]{64}$/;

let env: DemoEnvironment;
let results: PhaseResult[];
/** The Deployment's image after each phase. */
const serving: string[] = [];

beforeAll(async () => {
  env = await startEnvironment(() => undefined);
  results = await runScenario(env, {
    afterPhase: async () => {
      serving.push(await servingImage().catch((err: unknown) => `none: ${String(err)}`));
    },
  });
}, 300_000);

afterAll(async () => {
  await env?.stop();
});

function phase(index: number): PhaseResult {
  const result = results[index];
  if (!result) throw new Error(`phase ${index + 1} did not run`);
  return result;
}

function step(index: number, id: string): StepResult {
  const found = phase(index).run.steps.find((s) => s.id === id);
  if (!found) throw new Error(`phase ${index + 1} has no step ${id}`);
  return found;
}

/** A readable failure: the step's log when its conclusion is not the expected one. */
function expectConclusion(index: number, id: string, conclusion: StepResult['conclusion']): void {
  expect(step(index, id).conclusion, phase(index).run.log).toBe(conclusion);
}

async function manifestDigest(registry: LocalRegistry, digest: string): Promise<string | null> {
  const headers: Record<string, string> = {
    accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json',
  };
  if (registry.username) {
    headers.authorization = `Basic ${Buffer.from(`${registry.username}:${registry.password}`).toString('base64')}`;
  }
  const res = await fetch(`${registry.url}/v2/models/${RELEASE}/manifests/${digest}`, {
    method: 'HEAD',
    headers,
  });
  return res.status === 200 ? res.headers.get('docker-content-digest') : `HTTP ${res.status}`;
}

async function servingImage(): Promise<string> {
  const { stdout } = await execFileAsync('kubectl', [
    '--kubeconfig',
    env.cluster.kubeconfigPath,
    '-n',
    NAMESPACE,
    'get',
    'deployment',
    RELEASE,
    '-o',
    'jsonpath={.spec.template.spec.containers[0].image}',
  ]);
  return stdout.trim();
}

function expectRelease(index: number, version: string, revision: string, previous: string): void {
  for (const id of ['package', 'push', 'deploy', 'smoke-test'])
    expectConclusion(index, id, 'success');
  const packaged = step(index, 'package').outputs;
  expect(packaged.digest).toMatch(DIGEST);
  expect(existsSync(join(packaged.layout ?? '', 'index.json'))).toBe(true);
  expect(JSON.parse(packaged.annotations ?? '{}')).toMatchObject({
    'org.opencontainers.image.version': version,
    'dev.model-deploy.model.name': RELEASE,
  });

  const pushed = step(index, 'push').outputs;
  expect(pushed.digest).toBe(packaged.digest);
  const a = `${env.cloudA.host}/models/${RELEASE}`;
  const b = `${env.cloudB.host}/models/${RELEASE}`;
  expect(JSON.parse(pushed.images ?? '{}')).toEqual({
    [a]: `${a}@${packaged.digest}`,
    [b]: `${b}@${packaged.digest}`,
  });

  expect(step(index, 'deploy').outputs).toMatchObject({
    status: 'deployed',
    revision,
    'previous-revision': previous,
    url: `http://${RELEASE}.${NAMESPACE}.svc.cluster.local`,
  });

  const smoke = step(index, 'smoke-test').outputs;
  expect(smoke.passed).toBe('true');
  expect(smoke['error-rate']).toBe('0');
  for (const p of ['p50-ms', 'p95-ms', 'p99-ms']) {
    expect(Number(smoke[p]), p).toBeGreaterThan(0);
  }
  expect(Number(smoke['p95-ms'])).toBeGreaterThanOrEqual(Number(smoke['p50-ms']));
}

describe('the demo path through the dist bundles', () => {
  it('releases v1: one digest in both registries, revision 1, smoke test passed', async () => {
    expectRelease(0, '1', '1', '');
    expect(serving[0]).toBe(
      `${env.cloudA.host}/models/${RELEASE}@${step(0, 'push').outputs.digest}`,
    );
    const digest = step(0, 'push').outputs.digest as string;
    // Read back from each registry (the second one only with its password).
    expect(await manifestDigest(env.cloudA, digest)).toBe(digest);
    expect(await manifestDigest(env.cloudB, digest)).toBe(digest);
    expect(phase(0).run.summary).toContain('## model-deploy: push');
  });

  it('releases retrained v2 as revision 2, uploading little more than the model layer', () => {
    expectRelease(1, '2', '2', '1');
    expect(serving[1]).toBe(
      `${env.cloudA.host}/models/${RELEASE}@${step(1, 'push').outputs.digest}`,
    );
    const pushed = step(1, 'push').outputs;
    expect(pushed.digest).not.toBe(step(0, 'push').outputs.digest);
    expect(Number(pushed['bytes-skipped'])).toBeGreaterThan(Number(pushed['bytes-uploaded']) * 10);
  });

  it('rolls the broken v3 back by itself, with the reason, and v2 keeps answering', () => {
    expectConclusion(2, 'push', 'success');
    expectConclusion(2, 'deploy', 'failure');
    const deploy = step(2, 'deploy');
    expect(deploy.exitCode).toBe(1);
    expect(deploy.outputs).toMatchObject({
      status: 'rolled-back',
      revision: '2',
      'previous-revision': '2',
    });
    const log = phase(2).run.log;
    expect(log).toContain(
      `::error::model-deploy/deploy failed: rollout of ${RELEASE} failed: CrashLoopBackOff`,
    );
    expect(log).toContain('revision 2 was restored and is serving');
    // The server's own words reach the user: why the model could not load.
    expect(log).toContain(`cannot load model ${RELEASE} version 3`);
    expect(deploy.summary).toContain('Rollout failed: CrashLoopBackOff');

    expectConclusion(2, 'smoke-test-restored', 'success');
    expect(step(2, 'smoke-test-restored').outputs.passed).toBe('true');
    expect(serving[2]).toBe(
      `${env.cloudA.host}/models/${RELEASE}@${step(1, 'push').outputs.digest}`,
    );
  });

  it('restores revision 1 with rollback-to and v1 answers again', () => {
    expectConclusion(3, 'rollback', 'success');
    const rollback = step(3, 'rollback').outputs;
    expect(rollback.status).toBe('deployed');
    expect(rollback['previous-revision']).toBe('2');
    // A restore is recorded as a new revision after the failed one (3).
    expect(rollback.revision).toBe('4');
    expectConclusion(3, 'smoke-test', 'success');
    // The smoke test expected v1's probabilities and model_version "1".
    expect(step(3, 'smoke-test').outputs.passed).toBe('true');
    expect(serving[3]).toBe(
      `${env.cloudA.host}/models/${RELEASE}@${step(0, 'push').outputs.digest}`,
    );
  });

  it('shows no registry password or cluster token in logs, summaries, outputs, the workspace or readable temp files', () => {
    const streams: Record<string, string> = {};
    for (const [i, { run }] of results.entries()) {
      streams[`job ${i + 1} log`] = run.log;
      streams[`job ${i + 1} summary`] = run.summary;
      streams[`job ${i + 1} outputs`] = JSON.stringify(run.outputs);
    }
    const findings = scanForSecrets({ streams, files: [env.workspace], secrets: env.secrets });
    expect(findings, formatFindings(findings)).toEqual([]);
    // Under RUNNER_TEMP a credential may sit only in a file no one else can read.
    const runnerTemps = results.map((_, i) => join(env.work, `runner-temp-${i + 1}`));
    const readable = scanForSecrets({ files: runnerTemps, secrets: env.secrets }).filter(
      (f) => (statSync(f.source).mode & 0o077) !== 0,
    );
    expect(readable, formatFindings(readable)).toEqual([]);
    // The password really was handed to the push action and used (so the scan could have found it).
    expect(phase(0).phase.steps.find((s) => s.id === 'push')?.with?.password).toBe(
      env.cloudB.password,
    );
    expectConclusion(0, 'push', 'success');
  });
});
