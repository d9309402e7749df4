import { describe, expect, test } from 'vitest';
import { evaluateCondition, evaluateValue, type Contexts } from '../../support/expressions.ts';
import { workflowFiles, type WorkflowFile } from '../../support/workflow-files.ts';

/**
 * The pull-request dry run is the release workflow itself with `dry-run: true`.
 * Its expressions are evaluated here by GitHub's expression library for both
 * modes, to show that the dry run renders what the release would (the same
 * deploy inputs), pushes and smoke-tests nothing, runs without an environment
 * and does not queue behind releases.
 */
const files = workflowFiles();
function file(path: string): WorkflowFile {
  const found = files.find((f) => f.path === path);
  if (!found) throw new Error(`no workflow ${path}`);
  return found;
}
const release = file('.github/workflows/multi-cloud-release.yml');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Step = Record<string, any>;
function step(job: string, id: string): Step {
  const found = (release.doc.jobs[job].steps as Step[]).find((s) => s.id === id);
  if (!found) throw new Error(`no step ${id} in job ${job}`);
  return found;
}

/** The contexts a release job sees, with the same caller inputs in both modes. */
function contexts(dryRun: boolean): Contexts {
  const inputs: Record<string, unknown> = { 'dry-run': dryRun };
  for (const [name, spec] of Object.entries<Record<string, unknown>>(
    release.doc.on.workflow_call.inputs,
  )) {
    if (name !== 'dry-run') inputs[name] = spec.default ?? '';
  }
  Object.assign(inputs, {
    model: 'models/resnet50',
    name: 'resnet50',
    version: '4',
    environment: 'production',
    'image-environment': 'production-build',
    strategy: 'canary',
    'smoke-test-request': 'models/resnet50/smoke/request.json',
  });
  return {
    inputs,
    vars: { MODEL_DEPLOY_AWS_CLUSTER: 'eks:us-east-1/prod' },
    secrets: {},
    github: { ref: 'refs/pull/12/merge', repository: 'acme/models' },
    matrix: { cloud: 'aws' },
    needs: {
      image: {
        outputs: {
          clouds: '["aws"]',
          protocol: 'v2',
          version: '4',
          digest: `sha256:${'a'.repeat(64)}`,
          images: JSON.stringify({ aws: `reg.example/m@sha256:${'a'.repeat(64)}` }),
        },
      },
    },
    steps: {
      settings: { outputs: { cluster: 'eks:us-east-1/prod', 'serving-identity': '' } },
      package: { outputs: { digest: `sha256:${'a'.repeat(64)}`, layout: '/tmp/layout' } },
      plan: { outputs: { destinations: 'reg.example/m\n', clouds: '["aws"]' } },
      deploy: { outputs: { url: '', reach: '', service: '' } },
    },
    runner: { temp: '/tmp' },
  };
}

function evaluateAll(values: Record<string, unknown>, dryRun: boolean): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, evaluateValue(v, contexts(dryRun))]),
  );
}

describe('the dry run is the release workflow in dry-run mode', () => {
  test('the deploy step gets the same inputs in both modes, but for dry-run itself', () => {
    const deploy = step('release', 'deploy');
    const asRelease = evaluateAll(deploy.with, false);
    const asDryRun = evaluateAll(deploy.with, true);
    expect(asRelease['dry-run']).toBe(false);
    expect(asDryRun['dry-run']).toBe(true);
    delete asRelease['dry-run'];
    delete asDryRun['dry-run'];
    expect(asDryRun).toEqual(asRelease);
    // The image named is the packaged digest at the cloud's registry, known before any push.
    expect(asDryRun.image).toBe(`reg.example/m@sha256:${'a'.repeat(64)}`);
    expect(asDryRun['model-version']).toBe('4');
  });

  test('package gets the same inputs, and the images are named from its digest, not from push', () => {
    const pkg = step('image', 'package');
    expect(evaluateAll(pkg.with, true)).toEqual(evaluateAll(pkg.with, false));
    expect(step('image', 'images').env.DIGEST).toBe('${{ steps.package.outputs.digest }}');
  });

  test.each([
    ['image', 'push'],
    ['release', 'target'],
    ['release', 'smoke'],
  ])('job %s step %s runs in a release and not in a dry run', (job, id) => {
    const condition = step(job, id).if;
    expect(evaluateCondition(condition, contexts(false), { failed: false })).toBe(true);
    expect(evaluateCondition(condition, contexts(true), { failed: false })).toBe(false);
  });

  test('no job of a dry run has an environment; a release has the ones asked for', () => {
    const environments = (dryRun: boolean) =>
      Object.fromEntries(
        Object.entries<Record<string, unknown>>(release.doc.jobs)
          .filter(([, job]) => job.environment !== undefined)
          .map(([id, job]) => {
            const env = job.environment as string | { name: string };
            const name = typeof env === 'string' ? env : env.name;
            return [id, evaluateValue(name, contexts(dryRun))];
          }),
      );
    expect(environments(true)).toEqual({ image: '', release: '' });
    expect(environments(false)).toEqual({ image: 'production-build', release: 'production' });
  });

  test('a dry run neither queues behind releases nor holds them up; a newer one replaces an older', () => {
    const group = (dryRun: boolean) =>
      evaluateValue(release.doc.concurrency.group, contexts(dryRun));
    const cancel = (dryRun: boolean) =>
      evaluateValue(release.doc.concurrency['cancel-in-progress'], contexts(dryRun));
    expect(group(false)).toBe('model-deploy-release-production');
    expect(cancel(false)).toBe(false);
    expect(group(true)).toBe('model-deploy-dry-run-production-refs/pull/12/merge');
    expect(cancel(true)).toBe(true);
    // Rollbacks queue apart: a pending rollback is never replaced by a queued release
    // (the cluster Lease serialises the two when they overlap).
    const rollback = file('.github/workflows/rollback.yml');
    expect(evaluateValue(rollback.doc.concurrency.group, contexts(false))).toBe(
      'model-deploy-rollback-production',
    );
    expect(evaluateValue(rollback.doc.concurrency['cancel-in-progress'], contexts(false))).toBe(
      false,
    );
  });
});

describe('the starter workflows', () => {
  const tag = file('workflows/release-on-tag.yml');
  const pr = file('workflows/pull-request-dry-run.yml');

  test('the pull request calls the release workflow with the same inputs as the tag, plus dry-run', () => {
    const { 'dry-run': dryRun, ...rest } = pr.doc.jobs['dry-run'].with;
    expect(dryRun).toBe(true);
    expect(rest).toEqual(tag.doc.jobs.release.with);
    expect(pr.doc.jobs['dry-run'].uses).toBe(tag.doc.jobs.release.uses);
    expect(pr.doc.jobs['dry-run'].secrets).toEqual(tag.doc.jobs.release.secrets);
    expect(pr.doc.jobs.version.steps).toEqual(tag.doc.jobs.version.steps);
  });

  test('pull requests from forks are skipped: GitHub gives them no OIDC token', () => {
    const condition = pr.doc.jobs.version.if;
    const event = (head: string) => ({
      github: {
        repository: 'acme/models',
        event: { pull_request: { head: { repo: { full_name: head } } } },
      },
    });
    expect(evaluateCondition(condition, event('acme/models'), { failed: false })).toBe(true);
    expect(evaluateCondition(condition, event('someone/models'), { failed: false })).toBe(false);
  });
});

describe('identities: push-only for the image job, read-only for a dry run', () => {
  const loginStep = (job: string, uses: string): Step => {
    const found = (release.doc.jobs[job].steps as Step[]).find((s) =>
      String(s.uses ?? '').startsWith(uses),
    );
    if (!found) throw new Error(`no ${uses} step in job ${job}`);
    return found;
  };
  const identities = (dryRun: boolean, vars: Record<string, string>) => {
    const ctx = { ...contexts(dryRun), vars };
    return {
      image: {
        aws: evaluateValue(loginStep('image', 'aws-actions/').with['role-to-assume'], ctx),
        azure: evaluateValue(loginStep('image', 'azure/login').with['client-id'], ctx),
        gcp: evaluateValue(loginStep('image', 'google-github-actions/').with.service_account, ctx),
      },
      release: {
        aws: evaluateValue(loginStep('release', 'aws-actions/').with['role-to-assume'], ctx),
        azure: evaluateValue(loginStep('release', 'azure/login').with['client-id'], ctx),
        gcp: evaluateValue(
          loginStep('release', 'google-github-actions/').with.service_account,
          ctx,
        ),
      },
    };
  };
  const all = {
    MODEL_DEPLOY_AWS_ROLE: 'deploy-role',
    MODEL_DEPLOY_AWS_PUSH_ROLE: 'push-role',
    MODEL_DEPLOY_AWS_READ_ROLE: 'read-role',
    MODEL_DEPLOY_AZURE_CLIENT_ID: 'deploy-app',
    MODEL_DEPLOY_AZURE_PUSH_CLIENT_ID: 'push-app',
    MODEL_DEPLOY_AZURE_READ_CLIENT_ID: 'read-app',
    MODEL_DEPLOY_GCP_SERVICE_ACCOUNT: 'deploy@p.iam',
    MODEL_DEPLOY_GCP_PUSH_SERVICE_ACCOUNT: 'push@p.iam',
    MODEL_DEPLOY_GCP_READ_SERVICE_ACCOUNT: 'read@p.iam',
  };

  test('a release pushes as the push identity and deploys as the deploy identity', () => {
    expect(identities(false, all)).toEqual({
      image: { aws: 'push-role', azure: 'push-app', gcp: 'push@p.iam' },
      release: { aws: 'deploy-role', azure: 'deploy-app', gcp: 'deploy@p.iam' },
    });
  });

  test('a dry run uses the read identity in both jobs, never the push or deploy one', () => {
    expect(identities(true, all)).toEqual({
      image: { aws: 'read-role', azure: 'read-app', gcp: 'read@p.iam' },
      release: { aws: 'read-role', azure: 'read-app', gcp: 'read@p.iam' },
    });
  });

  test('without separate identities, the one deployer identity does everything', () => {
    const one = {
      MODEL_DEPLOY_AWS_ROLE: 'deploy-role',
      MODEL_DEPLOY_AZURE_CLIENT_ID: 'deploy-app',
      MODEL_DEPLOY_GCP_SERVICE_ACCOUNT: 'deploy@p.iam',
    };
    for (const dryRun of [false, true]) {
      expect(identities(dryRun, one)).toEqual({
        image: { aws: 'deploy-role', azure: 'deploy-app', gcp: 'deploy@p.iam' },
        release: { aws: 'deploy-role', azure: 'deploy-app', gcp: 'deploy@p.iam' },
      });
    }
  });
});
