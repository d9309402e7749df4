import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseFileCommands } from '../../support/actions-env.ts';
import { startProcess } from '../../support/processes.ts';
import { workflowFiles } from './workflow-files.ts';

interface StepScript {
  run: string;
  /** The step's `env:` keys: GitHub sets each one, to '' when its expression is empty. */
  env: Record<string, string>;
}

/** The `run:` script of a step, found by job id and step id (or name). */
function script(path: string, job: string, step: string): StepScript {
  const file = workflowFiles().find((f) => f.path === path);
  const found = (file?.doc?.jobs?.[job]?.steps as Array<Record<string, unknown>> | undefined)?.find(
    (s) => s.id === step || s.name === step,
  );
  if (typeof found?.run !== 'string') throw new Error(`no run step ${job}.${step} in ${path}`);
  const env = Object.fromEntries(Object.keys(found.env ?? {}).map((k) => [k, '']));
  return { run: found.run, env };
}

interface ScriptRun {
  /** RUNNER_TEMP and the working directory of the script. */
  dir: string;
  code: number;
  log: string;
  outputs: Record<string, string>;
  summary: string;
}

/** Runs a step script as `shell: bash` does on GitHub: bash --noprofile --norc -eo pipefail <file>. */
async function runBash(
  step: StepScript,
  env: Record<string, string>,
  dir = mkdtempSync(join(tmpdir(), 'md-step-')),
): Promise<ScriptRun> {
  const files = { GITHUB_OUTPUT: join(dir, 'output'), GITHUB_STEP_SUMMARY: join(dir, 'summary') };
  for (const f of Object.values(files)) writeFileSync(f, '');
  writeFileSync(join(dir, 'step.sh'), step.run);
  const proc = startProcess(
    'step script',
    'bash',
    ['--noprofile', '--norc', '-eo', 'pipefail', join(dir, 'step.sh')],
    {
      env: { PATH: process.env.PATH, RUNNER_TEMP: dir, ...files, ...step.env, ...env },
      cwd: dir,
    },
  );
  const code = await new Promise<number>((done) => proc.child.once('close', (c) => done(c ?? 1)));
  return {
    dir,
    code,
    log: proc.output(),
    outputs: parseFileCommands(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
    summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
  };
}

const release = '.github/workflows/multi-cloud-release.yml';
const awsSettings = {
  AWS_REGISTRY: '123456789012.dkr.ecr.us-east-1.amazonaws.com/models/resnet50',
  AWS_CLUSTER: 'eks:us-east-1/prod',
  AWS_ROLE: 'arn:aws:iam::123456789012:role/deployer',
  AWS_REGION: 'us-east-1',
};
const gcpSettings = {
  GCP_REGISTRY: 'us-central1-docker.pkg.dev/proj/models/resnet50',
  GCP_CLUSTER: 'gke:proj/us-central1/prod',
  GCP_WORKLOAD_IDENTITY_PROVIDER:
    'projects/1/locations/global/workloadIdentityPools/gh/providers/gh',
  GCP_SERVICE_ACCOUNT: 'deployer@proj.iam.gserviceaccount.com',
};

describe('multi-cloud release: checking the settings', () => {
  const plan = script(release, 'image', 'plan');

  test('selected clouds with complete settings give the clouds and one destination each', async () => {
    const run = await runBash(plan, {
      CLOUDS: '["gcp","aws","aws"]',
      ...awsSettings,
      ...gcpSettings,
    });
    expect(run.code, run.log).toBe(0);
    expect(run.outputs.clouds).toBe('["aws","gcp"]');
    expect(run.outputs.aws).toBe('true');
    expect(run.outputs.gcp).toBe('true');
    expect(run.outputs.azure).toBeUndefined();
    expect(run.outputs.destinations?.split('\n')).toEqual([
      awsSettings.AWS_REGISTRY,
      gcpSettings.GCP_REGISTRY,
    ]);
  });

  test.each([['"aws"'], ['[]'], ['["aws","oracle"]'], ['not json']])(
    'clouds %s is refused naming the input',
    async (clouds) => {
      const run = await runBash(plan, { CLOUDS: clouds, ...awsSettings });
      expect(run.code).toBe(1);
      expect(run.log).toContain(
        "::error title=model-deploy multi-cloud release::input 'clouds' must be a JSON list",
      );
    },
  );

  test('every missing setting of a selected cloud is named, with its variable', async () => {
    const run = await runBash(plan, {
      CLOUDS: '["aws","azure"]',
      ...awsSettings,
      AWS_ROLE: '',
      AZURE_REGISTRY: 'reg.azurecr.io/models/resnet50',
      AZURE_CLUSTER: 'aks:sub/rg/prod',
    });
    expect(run.code).toBe(1);
    expect(run.log).toContain("input 'aws-role' (or vars.MODEL_DEPLOY_AWS_ROLE)");
    expect(run.log).toContain("input 'azure-client-id' (or vars.MODEL_DEPLOY_AZURE_CLIENT_ID)");
    expect(run.log).toContain("input 'azure-tenant-id'");
    expect(run.log).toContain("input 'azure-subscription-id'");
    expect(run.log).not.toContain('aws-registry');
    expect(run.outputs.clouds).toBeUndefined();
  });

  test('a registry with a tag is refused, because the image is addressed by digest', async () => {
    const run = await runBash(plan, {
      CLOUDS: '["aws"]',
      ...awsSettings,
      AWS_REGISTRY: `${awsSettings.AWS_REGISTRY}:v3`,
    });
    expect(run.code).toBe(1);
    expect(run.log).toContain("input 'aws-registry' must be a repository without tag or digest");
  });

  test('a registry with a port but no tag is accepted', async () => {
    const run = await runBash(plan, {
      CLOUDS: '["aws"]',
      ...awsSettings,
      AWS_REGISTRY: '127.0.0.1:5000/models/resnet50',
    });
    expect(run.code, run.log).toBe(0);
  });
});

describe('multi-cloud release: images, results and the report', () => {
  const digest = `sha256:${'a'.repeat(64)}`;

  test('each cloud gets its registry at the one pushed digest', async () => {
    const run = await runBash(script(release, 'image', 'images'), {
      CLOUDS: '["aws","gcp"]',
      DIGEST: digest,
      AWS_REGISTRY: awsSettings.AWS_REGISTRY,
      GCP_REGISTRY: gcpSettings.GCP_REGISTRY,
    });
    expect(run.code, run.log).toBe(0);
    expect(JSON.parse(run.outputs.json ?? '')).toEqual({
      aws: `${awsSettings.AWS_REGISTRY}@${digest}`,
      gcp: `${gcpSettings.GCP_REGISTRY}@${digest}`,
    });
  });

  const record = script(release, 'release', 'Record the result');

  test.each([
    [{ DEPLOY_OUTCOME: 'success', SMOKE_OUTCOME: 'success', SMOKE_PASSED: 'true' }, 'passed'],
    [{ DEPLOY_OUTCOME: 'success', SMOKE_OUTCOME: 'failure', SMOKE_PASSED: 'false' }, 'failed'],
    [
      { DEPLOY_OUTCOME: 'failure', DEPLOY_STATUS: 'rolled-back', SMOKE_OUTCOME: 'skipped' },
      'rolled-back',
    ],
    [{ DEPLOY_OUTCOME: 'skipped', SMOKE_OUTCOME: 'skipped' }, 'failed'],
  ])('a leg with %o records %s', async (outcomes, verdict) => {
    const env = {
      CLOUD: 'aws',
      IMAGE: `r@${digest}`,
      REVISION: '4',
      URL: 'https://m',
      P95_MS: '12.5',
      ...outcomes,
    };
    const run = await runBash(record, env);
    expect(run.code, run.log).toBe(0);
    const result = JSON.parse(
      readFileSync(join(run.dir, 'model-deploy-result', 'aws.json'), 'utf8'),
    );
    expect(result).toEqual({
      cloud: 'aws',
      image: `r@${digest}`,
      revision: '4',
      url: 'https://m',
      p95Ms: '12.5',
      verdict,
    });
  });

  /** Result files as download-artifact merges them into one folder. */
  function resultsDir(results: Array<Record<string, string>>): string {
    const dir = mkdtempSync(join(tmpdir(), 'md-results-'));
    mkdirSync(join(dir, 'results'));
    for (const r of results)
      writeFileSync(join(dir, 'results', `${r.cloud}.json`), JSON.stringify(r));
    return join(dir, 'results');
  }
  const passed = (cloud: string) => ({
    cloud,
    image: `${cloud}.example/m@${digest}`,
    revision: '2',
    url: `https://${cloud}.example`,
    p95Ms: '40',
    verdict: 'passed',
  });
  const summarise = script(release, 'report', 'table');
  const reportEnv = { DIGEST: digest, ENVIRONMENT: 'production', MODEL_NAME: 'resnet50' };

  test('every cloud passed: one table, the results as output, success', async () => {
    const run = await runBash(summarise, {
      ...reportEnv,
      IMAGE_RESULT: 'success',
      CLOUDS: '["aws","gcp"]',
      RESULTS_DIR: resultsDir([passed('gcp'), passed('aws')]),
    });
    expect(run.code, run.log).toBe(0);
    expect(JSON.parse(run.outputs.results ?? '')).toEqual([passed('aws'), passed('gcp')]);
    expect(run.summary).toContain('| cloud | image | revision | URL | p95 (ms) | verdict |');
    expect(run.summary).toContain(
      `| aws | \`aws.example/m@${digest}\` | 2 | https://aws.example | 40 | ✅ passed |`,
    );
    expect(run.summary).toContain(`Image digest: \`${digest}\``);
  });

  test('one failed cloud and one without a result fail the report, naming both', async () => {
    const run = await runBash(summarise, {
      ...reportEnv,
      IMAGE_RESULT: 'success',
      CLOUDS: '["aws","azure","gcp"]',
      RESULTS_DIR: resultsDir([passed('aws'), { ...passed('gcp'), verdict: 'rolled-back' }]),
    });
    expect(run.code).toBe(1);
    expect(run.log).toContain('the release failed on: azure, gcp');
    expect(run.summary).toContain('| azure | `` |  |  |  | ❌ no result |');
    expect(run.summary).toContain('❌ rolled-back');
    expect(JSON.parse(run.outputs.results ?? '')).toHaveLength(3);
  });

  test('a failed image job fails the report even with no results at all', async () => {
    const run = await runBash(summarise, {
      ...reportEnv,
      IMAGE_RESULT: 'failure',
      CLOUDS: '["aws"]',
      DIGEST: '',
      RESULTS_DIR: join(tmpdir(), 'md-no-such-results'),
    });
    expect(run.code).toBe(1);
    expect(run.summary).toContain('Packaging or pushing the image did not succeed (failure)');
    expect(run.log).toContain('the image job failure; no cloud was released');
  });
});

describe('rollback: checking the request', () => {
  const check = script('.github/workflows/rollback.yml', 'plan', 'check');
  const ok = { CLOUDS: '["azure"]', TO: 'previous', REASON: 'p95 regression' };

  test.each([['previous'], ['7'], [`sha256:${'b'.repeat(64)}`]])(
    'to %s is accepted',
    async (to) => {
      const run = await runBash(check, { ...ok, TO: to });
      expect(run.code, run.log).toBe(0);
      expect(run.outputs.clouds).toBe('["azure"]');
    },
  );

  test.each([['latest'], ['0'], ['-1'], ['sha256:abc'], ['']])('to %j is refused', async (to) => {
    const run = await runBash(check, { ...ok, TO: to });
    expect(run.code).toBe(1);
    expect(run.log).toContain("input 'to' must be previous, a revision number");
  });

  test('a blank reason is refused', async () => {
    const run = await runBash(check, { ...ok, REASON: '   ' });
    expect(run.code).toBe(1);
    expect(run.log).toContain("input 'reason' must say why");
  });
});
