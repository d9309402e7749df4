import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { evaluateCondition, evaluateExpression, type Contexts } from '../expressions.ts';
import {
  runSteps,
  type GitHubContext,
  type JobState,
  type LocalStep,
  type RunResult,
} from '../local-runner.ts';

/**
 * Runs one job of an example workflow through the local runner, as GitHub
 * would, "as far as the stand-ins reach": our actions from their built
 * dist/ bundles with the workflow's own `with:`, `env:` and `if:`; `run:`
 * steps with bash; and each third-party step replaced by what the stand-ins
 * give (the environment a login action would leave, the workspace a checkout
 * would). The expressions are GitHub's, evaluated with `vars`, `secrets` and
 * `inputs` from the stand-in mapping.
 */

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const OWN_ACTION = /^model-deploy\/model-deploy\/(package|push|deploy|smoke-test)@v\d+$/;

/** How an example's cloud-specific values map to local stand-ins. */
export interface StandIns {
  /** `vars.*`: the repository variables the example's README asks for, pointed at the stand-ins. */
  vars: Record<string, string>;
  secrets?: Record<string, string>;
  /** `inputs.*` of a workflow_dispatch. */
  inputs?: Record<string, string>;
  github?: Partial<GitHubContext>;
  /**
   * Third-party steps by action (`owner/name`, no ref), each with why it can
   * be left out: its effect is in `env` or the workspace. A third-party step
   * not listed here fails the translation rather than being dropped.
   */
  replaced: Record<string, string>;
  /** The job's environment: what the replaced steps would have set, and the stand-ins' endpoints. */
  env: Record<string, string>;
  /** Inputs of a step (by id) replaced for the stand-ins, e.g. a base image on a local registry. */
  stepInputs?: Record<string, Record<string, string>>;
  /** Extra environment of a step (by id), e.g. the proxy that resolves a public host to a stand-in. */
  stepEnv?: Record<string, Record<string, string>>;
}

// The workflow as YAML data; its shape is checked by the workflow parser in the unit tests.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Yaml = any;

export interface ExampleJob {
  example: string;
  workflow: string;
  job: string;
  doc: Yaml;
}

export function exampleJob(example: string, job = 'release', workflow = 'release.yml'): ExampleJob {
  const path = join(repoRoot, 'examples', example, '.github', 'workflows', workflow);
  const doc = parse(readFileSync(path, 'utf8')) as Yaml;
  if (!doc?.jobs?.[job]) throw new Error(`${path} has no job ${job}`);
  return { example, workflow, job, doc };
}

/** The example's own files (request and expectation JSON, model configs) in a new workspace, as a checkout would leave them. */
export function exampleWorkspace(example: string): string {
  const workspace = mkdtempSync(join(tmpdir(), `md-example-${example}-`));
  cpSync(join(repoRoot, 'examples', example), workspace, {
    recursive: true,
    filter: (source) => !source.includes(`${join('examples', example)}/.github`),
  });
  return workspace;
}

/** A node24 action that runs a `run:` script as `shell: bash` does on GitHub. */
function bashAction(script: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'md-run-step-'));
  writeFileSync(join(dir, 'script.sh'), script);
  writeFileSync(
    join(dir, 'run.mjs'),
    [
      "import { spawnSync } from 'node:child_process';",
      "const script = new URL('./script.sh', import.meta.url).pathname;",
      "const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { stdio: 'inherit' });",
      'process.exit(r.status ?? 1);',
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'action.yml'), "runs:\n  using: 'node24'\n  main: 'run.mjs'\n");
  return dir;
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function textRecord(values: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(values ?? {}).map(([k, v]) => [k, asText(v)]));
}

export interface TranslatedJob {
  steps: LocalStep[];
  /** Third-party steps left out, with the reason from the mapping. */
  replaced: Array<{ step: string; uses: string; reason: string }>;
}

/** The job's steps as local-runner steps; fails on anything it would have to drop silently. */
export function translateJob(job: ExampleJob, standIns: StandIns): TranslatedJob {
  const steps: LocalStep[] = [];
  const replaced: TranslatedJob['replaced'] = [];
  const seen = new Set<string>();
  (job.doc.jobs[job.job].steps as Yaml[]).forEach((step, index) => {
    const id = String(step.id ?? `step-${index + 1}`);
    const label = String(step.name ?? step.id ?? step.uses ?? `#${index + 1}`);
    if (typeof step.uses === 'string') {
      const own = OWN_ACTION.exec(step.uses);
      if (own) {
        const given = textRecord(step.with);
        const override = standIns.stepInputs?.[id] ?? {};
        for (const name of Object.keys(override)) {
          if (!(name in given))
            throw new Error(
              `${label}: the mapping replaces input ${name}, which the step does not give`,
            );
        }
        steps.push({
          id,
          uses: own[1] as string,
          with: { ...given, ...override },
          env: { ...textRecord(step.env), ...standIns.stepEnv?.[id] },
          ...(step.if !== undefined ? { if: asText(step.if) } : {}),
        });
        seen.add(id);
        return;
      }
      const action = (step.uses as string).split('@')[0] as string;
      if (action === 'actions/checkout') {
        replaced.push({
          step: label,
          uses: action,
          reason: 'the workspace holds the example files and the model fixture',
        });
        return;
      }
      const reason = standIns.replaced[action];
      if (reason === undefined) {
        throw new Error(`${label}: third-party step ${step.uses} has no stand-in in the mapping`);
      }
      replaced.push({ step: label, uses: action, reason });
      return;
    }
    if (typeof step.run === 'string') {
      if (step.shell !== undefined && step.shell !== 'bash') {
        throw new Error(`${label}: only bash run steps are run here, not ${String(step.shell)}`);
      }
      steps.push({
        id,
        uses: bashAction(step.run as string),
        env: textRecord(step.env),
        ...(step.if !== undefined ? { if: asText(step.if) } : {}),
      });
      return;
    }
    throw new Error(`${label}: neither uses nor run`);
  });
  for (const id of [
    ...Object.keys(standIns.stepInputs ?? {}),
    ...Object.keys(standIns.stepEnv ?? {}),
  ]) {
    if (!seen.has(id))
      throw new Error(`the mapping names step ${id}, which is not one of our action steps`);
  }
  return { steps, replaced };
}

/** The contexts GitHub would give the job's expressions, from the mapping and the job so far. */
function contexts(standIns: StandIns, state: JobState, github: Record<string, unknown>): Contexts {
  return {
    vars: standIns.vars,
    secrets: standIns.secrets ?? {},
    inputs: standIns.inputs ?? {},
    github,
    env: state.env,
    steps: Object.fromEntries(
      Object.entries(state.steps).map(([id, s]) => [
        id,
        { outputs: s.outputs, outcome: s.outcome, conclusion: s.outcome },
      ]),
    ),
    runner: { os: 'Linux', arch: 'X64' },
    job: { status: state.failed ? 'failure' : 'success' },
    matrix: {},
  };
}

export interface ExampleRun extends RunResult {
  replaced: TranslatedJob['replaced'];
}

export async function runExampleJob(
  job: ExampleJob,
  standIns: StandIns,
  options: { workspace: string; timeoutMs?: number },
): Promise<ExampleRun> {
  const { steps, replaced } = translateJob(job, standIns);
  const ref = standIns.github?.ref ?? 'refs/heads/main';
  const github = {
    repository: 'model-deploy/example-models',
    ref,
    ref_name: ref.replace(/^refs\/(heads|tags)\//, ''),
    event_name: standIns.github?.eventName ?? 'push',
    ...standIns.github,
  };
  const runnerTemp = mkdtempSync(join(tmpdir(), `md-example-temp-`));
  mkdirSync(runnerTemp, { recursive: true });
  const result = await runSteps(steps, {
    workspace: options.workspace,
    runnerTemp,
    env: standIns.env,
    github: { workflow: job.doc.name, job: job.job, ...standIns.github },
    timeoutMs: options.timeoutMs ?? 4 * 60_000,
    expressions: {
      value: (expression, state) =>
        evaluateExpression(expression, contexts(standIns, state, github), state).coerceString(),
      condition: (expression, state) =>
        evaluateCondition(expression, contexts(standIns, state, github), state),
    },
  });
  return { ...result, replaced };
}
