import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseFileCommands } from '../../support/actions-env.ts';
import { startProcess } from '../../support/processes.ts';
import { workflowFiles } from '../../support/workflow-files.ts';

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

describe('multi-cloud release: checking the image settings', () => {
  const plan = script(release, 'image', 'plan');
  const common = { RUNTIME: 'triton', SMOKE_TEST_VIA: 'auto' };

  test('selected clouds with complete settings give the clouds and one destination each', async () => {
    const run = await runBash(plan, {
      ...common,
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
    expect(run.log).not.toContain('::notice');
  });

  test.each([['"aws"'], ['[]'], ['["aws","oracle"]'], ['not json']])(
    'clouds %s is refused naming the input',
    async (clouds) => {
      const run = await runBash(plan, { ...common, CLOUDS: clouds, ...awsSettings });
      expect(run.code).toBe(1);
      expect(run.log).toContain(
        "::error title=model-deploy multi-cloud release::input 'clouds' must be a JSON list",
      );
    },
  );

  test('a setting with a line break can neither start a workflow command nor end the destinations output early', async () => {
    // Registry values that try to write a command line, and a second output.
    const refused = await runBash(plan, {
      ...common,
      CLOUDS: '["aws"]',
      ...awsSettings,
      AWS_REGISTRY: `${awsSettings.AWS_REGISTRY}:v1\n::warning::pwned`,
    });
    expect(refused.code).toBe(1);
    const lines = refused.log.split('\n');
    expect(lines.filter((l) => l.trimStart().startsWith('::warning'))).toEqual([]);
    expect(refused.log).toContain('%0A::warning::pwned');
    const injected = await runBash(plan, {
      ...common,
      CLOUDS: '["aws"]',
      ...awsSettings,
      AWS_REGISTRY: `${awsSettings.AWS_REGISTRY}\nMODEL_DEPLOY_EOF\nprotocol=evil`,
    });
    // Whatever the script makes of such a value, the protocol output is not the injected one.
    expect(injected.outputs.protocol).not.toBe('evil');
  });

  test('every missing setting this job uses is named, with its variable and what the job can see', async () => {
    const run = await runBash(plan, {
      ...common,
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
    expect(run.log).toContain(
      "this job reads repository and organisation variables only (this job has no environment; see input 'image-environment')",
    );
    expect(run.log).not.toContain('aws-registry');
    expect(run.outputs.clouds).toBeUndefined();
  });

  test('with image-environment, the message says that environment is read too', async () => {
    const run = await runBash(plan, {
      ...common,
      CLOUDS: '["gcp"]',
      ...gcpSettings,
      GCP_REGISTRY: '',
      IMAGE_ENVIRONMENT: 'production-build',
    });
    expect(run.code).toBe(1);
    expect(run.log).toContain(
      "input 'gcp-registry' (or vars.MODEL_DEPLOY_GCP_REGISTRY); this job reads the variables of environment production-build",
    );
  });

  test('a cluster this job cannot see is a notice, not a failure: the release job has its environment', async () => {
    const run = await runBash(plan, {
      ...common,
      CLOUDS: '["aws"]',
      ...awsSettings,
      AWS_CLUSTER: '',
    });
    expect(run.code, run.log).toBe(0);
    expect(run.log).toContain(
      "::notice title=model-deploy multi-cloud release::aws: no cluster is visible to this job; the release job looks again for input 'aws-cluster' or vars.MODEL_DEPLOY_AWS_CLUSTER",
    );
  });

  test('a registry with a tag is refused, because the image is addressed by digest', async () => {
    const run = await runBash(plan, {
      ...common,
      CLOUDS: '["aws"]',
      ...awsSettings,
      AWS_REGISTRY: `${awsSettings.AWS_REGISTRY}:v3`,
    });
    expect(run.code).toBe(1);
    expect(run.log).toContain("input 'aws-registry' must be a repository without tag or digest");
  });

  test('a registry with a port but no tag is accepted', async () => {
    const run = await runBash(plan, {
      ...common,
      CLOUDS: '["aws"]',
      ...awsSettings,
      AWS_REGISTRY: '127.0.0.1:5000/models/resnet50',
    });
    expect(run.code, run.log).toBe(0);
  });

  test.each([
    ['triton', '', 'v2'],
    ['mlserver', '', 'v2'],
    ['tfserving', '', 'tfserving'],
    ['torchserve', '', 'torchserve'],
    ['vllm', '', 'openai'],
    ['custom', '', 'http'],
    ['triton', 'http', 'http'],
  ])(
    'runtime %s with protocol %j smoke-tests and analyses with %s',
    async (runtime, protocol, expected) => {
      const run = await runBash(plan, {
        ...common,
        RUNTIME: runtime,
        PROTOCOL: protocol,
        CLOUDS: '["aws"]',
        ...awsSettings,
      });
      expect(run.code, run.log).toBe(0);
      expect(run.outputs.protocol).toBe(expected);
    },
  );

  test.each([
    [{ RUNTIME: 'onnx' }, "input 'runtime' must be triton, tfserving"],
    [{ PROTOCOL: 'grpc' }, "input 'protocol' must be v2, tfserving"],
    [{ SMOKE_TEST_VIA: 'proxy' }, "input 'smoke-test-via' must be auto, url or service"],
  ])('%o is refused naming the input', async (wrong, message) => {
    const run = await runBash(plan, { ...common, CLOUDS: '["aws"]', ...awsSettings, ...wrong });
    expect(run.code).toBe(1);
    expect(run.log).toContain(message);
  });
});

describe('multi-cloud release: checking the cluster settings in the release job', () => {
  const settings = script(release, 'release', 'settings');
  const scope = 'the variables of environment production, the repository and the organisation';

  test('gives the cloud its cluster and the identity its pods run as', async () => {
    const run = await runBash(settings, {
      CLOUD: 'aws',
      SCOPE: scope,
      ...awsSettings,
      AWS_SERVING_ROLE: 'arn:aws:iam::123456789012:role/resnet50-serving',
      GCP_CLUSTER: gcpSettings.GCP_CLUSTER,
    });
    expect(run.code, run.log).toBe(0);
    expect(run.outputs).toEqual({
      cluster: awsSettings.AWS_CLUSTER,
      'serving-identity': 'arn:aws:iam::123456789012:role/resnet50-serving',
    });
  });

  test('no serving identity is an empty one: the pods keep the namespace default', async () => {
    const run = await runBash(settings, { CLOUD: 'gcp', SCOPE: scope, ...gcpSettings });
    expect(run.code, run.log).toBe(0);
    expect(run.outputs['serving-identity']).toBe('');
  });

  test('a missing cluster or login is named with what this job can see (a dry run sees no environment)', async () => {
    const run = await runBash(settings, {
      CLOUD: 'azure',
      SCOPE: 'repository and organisation variables only (a dry run has no environment)',
      AZURE_CLIENT_ID: 'c',
      AZURE_TENANT_ID: 't',
    });
    expect(run.code).toBe(1);
    expect(run.log).toContain(
      "settings missing for azure: input 'azure-cluster' (or vars.MODEL_DEPLOY_AZURE_CLUSTER); input 'azure-subscription-id' (or vars.MODEL_DEPLOY_AZURE_SUBSCRIPTION_ID); this job reads repository and organisation variables only (a dry run has no environment)",
    );
  });
});

describe('multi-cloud release: how the smoke test reaches the release', () => {
  const target = script(release, 'release', 'target');
  const deployed = {
    VIA: 'auto',
    URL: 'http://10.0.0.7',
    SERVICE: 'models/resnet50:http',
    CLUSTER: 'aks:sub/rg/prod',
    CLOUD: 'azure',
    AZURE_CLIENT_ID: 'client',
    AZURE_TENANT_ID: 'tenant',
  };

  test('a public release is called at its url', async () => {
    const run = await runBash(target, {
      ...deployed,
      REACH: 'public',
      URL: 'http://20.1.2.3',
    });
    expect(run.code, run.log).toBe(0);
    expect(run.outputs).toEqual({ url: 'http://20.1.2.3' });
  });

  test('a public release on plain http with a token goes through the API server, so the token travels over TLS', async () => {
    const run = await runBash(target, {
      ...deployed,
      REACH: 'public',
      URL: 'http://20.1.2.3',
      HAS_SECRETS: 'true',
    });
    expect(run.code, run.log).toBe(0);
    expect(run.outputs.service).toBe('models/resnet50:http');
    expect(run.outputs.url).toBeUndefined();
    const https = await runBash(target, {
      ...deployed,
      REACH: 'public',
      URL: 'https://models.example.com',
      HAS_SECRETS: 'true',
    });
    expect(https.outputs).toEqual({ url: 'https://models.example.com' });
  });

  test.each([['private'], ['cluster'], ['']])(
    'reach %j goes through the API server, with the AKS sign-in',
    async (reach) => {
      const run = await runBash(target, { ...deployed, REACH: reach });
      expect(run.code, run.log).toBe(0);
      expect(run.outputs).toEqual({
        service: 'models/resnet50:http',
        cluster: 'aks:sub/rg/prod',
        'azure-client-id': 'client',
        'azure-tenant-id': 'tenant',
      });
    },
  );

  test('through the API server on another cloud, no Azure ids are passed', async () => {
    const run = await runBash(target, {
      ...deployed,
      REACH: 'cluster',
      CLOUD: 'gcp',
      CLUSTER: 'gke:p/l/c',
    });
    expect(run.code, run.log).toBe(0);
    expect(run.outputs).toEqual({ service: 'models/resnet50:http', cluster: 'gke:p/l/c' });
  });

  test('smoke-test-via url calls a private release at its url (a runner inside the network)', async () => {
    const run = await runBash(target, { ...deployed, REACH: 'private', VIA: 'url' });
    expect(run.code, run.log).toBe(0);
    expect(run.outputs).toEqual({ url: 'http://10.0.0.7' });
  });

  test('smoke-test-via service goes through the API server even when public', async () => {
    const run = await runBash(target, { ...deployed, REACH: 'public', VIA: 'service' });
    expect(run.code, run.log).toBe(0);
    expect(run.outputs.service).toBe('models/resnet50:http');
    expect(run.outputs.url).toBeUndefined();
  });

  test('nothing to reach is a failure, not a silent skip', async () => {
    const run = await runBash(target, { ...deployed, REACH: 'cluster', SERVICE: '' });
    expect(run.code).toBe(1);
    expect(run.log).toContain('deploy reported no Service to smoke-test through the API server');
  });
});

describe('multi-cloud release: images, results and the report', () => {
  const digest = `sha256:${'a'.repeat(64)}`;

  test('each cloud gets its registry at the one packaged digest', async () => {
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
    [{ DRY_RUN: 'true', DEPLOY_OUTCOME: 'success', SMOKE_OUTCOME: 'skipped' }, 'dry-run'],
    [{ DRY_RUN: 'true', DEPLOY_OUTCOME: 'failure', SMOKE_OUTCOME: 'skipped' }, 'failed'],
  ])('a leg with %o records %s', async (outcomes, verdict) => {
    const env = {
      CLOUD: 'aws',
      DRY_RUN: 'false',
      IMAGE: `r@${digest}`,
      REVISION: '4',
      URL: 'https://m',
      REACH: 'public',
      P95_MS: '12.5',
      ROLLOUT_SECONDS: '21.4',
      READY_SECONDS: '3.2',
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
      reach: 'public',
      p95Ms: '12.5',
      rolloutSeconds: '21.4',
      firstInferenceSeconds: '3.2',
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
    reach: 'public',
    p95Ms: '40',
    rolloutSeconds: '31.5',
    firstInferenceSeconds: '2.5',
    verdict: 'passed',
  });
  const summarise = script(release, 'report', 'table');
  const reportEnv = {
    DIGEST: digest,
    ENVIRONMENT: 'production',
    MODEL_NAME: 'resnet50',
    DRY_RUN: 'false',
  };

  test('every cloud passed: one table, the results as output, success', async () => {
    const run = await runBash(summarise, {
      ...reportEnv,
      IMAGE_RESULT: 'success',
      CLOUDS: '["aws","gcp"]',
      RESULTS_DIR: resultsDir([passed('gcp'), passed('aws')]),
    });
    expect(run.code, run.log).toBe(0);
    expect(JSON.parse(run.outputs.results ?? '')).toEqual([passed('aws'), passed('gcp')]);
    expect(run.summary).toContain('### model-deploy: resnet50 to production');
    expect(run.summary).toContain(
      '| cloud | image | revision | URL | reach | rollout (s) | first inference (s) | p95 (ms) | verdict |',
    );
    expect(run.summary).toContain(
      `| aws | \`aws.example/m@${digest}\` | 2 | https://aws.example | public | 31.5 | 2.5 | 40 | ✅ passed |`,
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
    expect(run.summary).toContain('| azure | `` |  |  |  |  |  |  | ❌ no result |');
    expect(run.summary).toContain('❌ rolled-back');
    expect(JSON.parse(run.outputs.results ?? '')).toHaveLength(3);
  });

  test('a dry run passes with dry-run verdicts, and a passed verdict there is not what it asked for', async () => {
    const dry = (cloud: string) => ({
      ...passed(cloud),
      revision: '',
      p95Ms: '',
      verdict: 'dry-run',
    });
    const ok = await runBash(summarise, {
      ...reportEnv,
      DRY_RUN: 'true',
      IMAGE_RESULT: 'success',
      CLOUDS: '["aws","gcp"]',
      RESULTS_DIR: resultsDir([dry('aws'), dry('gcp')]),
    });
    expect(ok.code, ok.log).toBe(0);
    expect(ok.summary).toContain(
      '### model-deploy: dry run of resnet50 for production (nothing pushed or applied)',
    );
    expect(ok.summary).toContain('| ✅ dry-run |');
    const failed = await runBash(summarise, {
      ...reportEnv,
      DRY_RUN: 'true',
      IMAGE_RESULT: 'success',
      CLOUDS: '["aws","gcp"]',
      RESULTS_DIR: resultsDir([dry('aws'), { ...dry('gcp'), verdict: 'failed' }]),
    });
    expect(failed.code).toBe(1);
    expect(failed.log).toContain('the dry run failed on: gcp');
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

describe('starter workflows: the version of a release', () => {
  const starters = ['workflows/release-on-tag.yml', 'workflows/pull-request-dry-run.yml'];
  const step = script(starters[0] as string, 'version', 'version');

  function workspaceWith(version: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'md-version-'));
    mkdirSync(join(dir, 'models', 'resnet50'), { recursive: true });
    writeFileSync(join(dir, 'models', 'resnet50', 'VERSION'), version);
    return dir;
  }
  const env = { VERSION_FILE: 'models/resnet50/VERSION', TAG_PREFIX: 'resnet50-v' };

  test('both starters read the version with the same step', () => {
    const [a, b] = starters.map((path) => script(path, 'version', 'version'));
    expect(b).toEqual(a);
  });

  test('a pull request takes the version file as it is', async () => {
    const run = await runBash(
      step,
      { ...env, GITHUB_REF_TYPE: 'branch', GITHUB_REF_NAME: '12/merge' },
      workspaceWith('4\n'),
    );
    expect(run.code, run.log).toBe(0);
    expect(run.outputs.version).toBe('4');
  });

  test('a tag must name the version of the file', async () => {
    const ok = await runBash(
      step,
      { ...env, GITHUB_REF_TYPE: 'tag', GITHUB_REF_NAME: 'resnet50-v4' },
      workspaceWith('4'),
    );
    expect(ok.code, ok.log).toBe(0);
    expect(ok.outputs.version).toBe('4');
    const wrong = await runBash(
      step,
      { ...env, GITHUB_REF_TYPE: 'tag', GITHUB_REF_NAME: 'resnet50-v5' },
      workspaceWith('4'),
    );
    expect(wrong.code).toBe(1);
    expect(wrong.log).toContain(
      'tag resnet50-v5 does not match models/resnet50/VERSION (4): tag resnet50-v4',
    );
  });

  test.each([[''], ['3 4'], ['3\n4'], ['v/3']])(
    'a version file holding %j is refused',
    async (content) => {
      const run = await runBash(
        step,
        { ...env, GITHUB_REF_TYPE: 'branch' },
        workspaceWith(content),
      );
      expect(run.code).toBe(1);
      expect(run.log).toContain('models/resnet50/VERSION must hold one version');
    },
  );
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
