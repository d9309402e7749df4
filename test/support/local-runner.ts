import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { inputEnvName, parseFileCommands } from './actions-env.ts';
import { startProcess } from './processes.ts';

/**
 * Runs JavaScript actions the way the GitHub runner does, as child processes:
 * the built `dist/<name>/index.js` of our actions, or any action folder with an
 * action.yml. Per step it applies the action.yml defaults, sets INPUT_*,
 * writes fresh GITHUB_OUTPUT / GITHUB_ENV / GITHUB_PATH / GITHUB_STATE /
 * GITHUB_STEP_SUMMARY files and reads them back afterwards; `pre` and `post`
 * run with the STATE_* the action saved; `::add-mask::` values are replaced by
 * *** in the log; and `${{ steps.<id>.outputs.<name> }}` passes outputs on.
 */

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
/** GitHub runs `using: node24` actions on Node 24, which comes from the devDependency. */
const node24 = join(repoRoot, 'node_modules', '.bin', 'node');
const ownActions = new Set(['package', 'push', 'deploy', 'smoke-test']);

export interface LocalStep {
  id: string;
  /** One of our actions (`package`, `push`, `deploy`, `smoke-test`) or an absolute path to an action folder. */
  uses: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
  /** `success()` (the default), `always()` or `failure()`. */
  if?: string;
}

export interface GitHubContext {
  repository: string;
  sha: string;
  ref: string;
  runId: string;
  runNumber: string;
  runAttempt: string;
  actor: string;
  workflow: string;
  job: string;
  eventName: string;
  event: unknown;
  serverUrl: string;
  apiUrl: string;
}

export interface RunOptions {
  /** GITHUB_WORKSPACE and the steps' working directory (default: a new temp folder). */
  workspace?: string;
  /** RUNNER_TEMP (default: a new temp folder). */
  runnerTemp?: string;
  /** Job-level environment, as `env:` on a job. */
  env?: Record<string, string>;
  github?: Partial<GitHubContext>;
  /** Per action stage (pre, main, post); the process group is ended after it. */
  timeoutMs?: number;
  /** Called with each log line as it arrives, masked with the values registered so far (for a live terminal view). */
  onLog?: (line: string) => void;
  /** Called before a step's main stage runs, and after it with its result (a live terminal view). */
  onStepStart?: (step: LocalStep) => void;
  onStepEnd?: (result: StepResult) => void;
  /**
   * Evaluates what the runner itself does not: a `${{ }}` expression beyond
   * `steps.<id>.outputs.<name>`, `env.*`, `github.*` and `runner.temp`, and a
   * step `if:` beyond a lone status function (e.g. with `vars`, `secrets`,
   * `fromJSON(…)`, comparisons), given the job so far.
   */
  expressions?: ExpressionHook;
}

/** What an expression hook sees of the job: the steps run so far and whether one failed. */
export interface JobState {
  steps: Record<string, { outputs: Record<string, string>; outcome: StepConclusion }>;
  env: Record<string, string>;
  failed: boolean;
}

export interface ExpressionHook {
  /** The value of one expression (without `${{ }}`) as the string put in its place. */
  value(expression: string, state: JobState): string;
  /** Whether a step's `if:` holds (GitHub's implicit `success() &&` is the hook's to apply). */
  condition(expression: string, state: JobState): boolean;
}

export type StepConclusion = 'success' | 'failure' | 'skipped';

export interface StepResult {
  id: string;
  conclusion: StepConclusion;
  /** Exit code of the main stage (undefined when skipped). */
  exitCode?: number;
  outputs: Record<string, string>;
  /** What the main stage wrote to GITHUB_STEP_SUMMARY ('' when skipped). */
  summary: string;
  /** Exit codes of the pre and post stages when they ran. */
  preExitCode?: number;
  postExitCode?: number;
}

export interface RunResult {
  /** 0 when every stage that ran succeeded, else the first failing stage's exit code. */
  exitCode: number;
  /** Step id → its outputs. */
  outputs: Record<string, Record<string, string>>;
  /** The job summary: every stage's GITHUB_STEP_SUMMARY in order. */
  summary: string;
  /** Everything the stages printed, with masked values replaced by ***. */
  log: string;
  steps: StepResult[];
}

interface ActionDefinition {
  dir: string;
  inputs: Record<string, { default?: string; required?: boolean }>;
  main: string;
  pre?: string;
  preIf: string;
  post?: string;
  postIf: string;
}

interface Job {
  context: GitHubContext;
  workspace: string;
  runnerTemp: string;
  eventPath: string;
  env: Record<string, string>;
  path: string[];
  secrets: Set<string>;
  log: string[];
  summary: string[];
  outputs: Record<string, Record<string, string>>;
  failed: boolean;
  exitCode: number;
  timeoutMs: number;
  stageCount: number;
  onLog?: (line: string) => void;
  expressions?: ExpressionHook;
  conclusions: Record<string, StepConclusion>;
}

export async function runSteps(steps: LocalStep[], options: RunOptions = {}): Promise<RunResult> {
  const seen = new Set<string>();
  for (const step of steps) {
    if (seen.has(step.id)) throw new Error(`two steps have the id '${step.id}'`);
    seen.add(step.id);
  }
  const job = newJob(options);
  const actions = steps.map((step) => loadAction(step.uses));
  const states = steps.map(() => ({}) as Record<string, string>);
  const results: StepResult[] = steps.map((step) => ({
    id: step.id,
    conclusion: 'skipped',
    outputs: {},
    summary: '',
  }));

  // The runner runs every pre stage at job start, before any main stage.
  for (const [i, step] of steps.entries()) {
    const action = actions[i] as ActionDefinition;
    if (!action.pre || !condition(action.preIf, job)) continue;
    const stage = await runStage(
      job,
      step,
      action,
      action.pre,
      states[i] as Record<string, string>,
    );
    (results[i] as StepResult).preExitCode = stage.exitCode;
    recordFailure(job, stage.exitCode);
  }

  const ranMain: number[] = [];
  for (const [i, step] of steps.entries()) {
    const result = results[i] as StepResult;
    if (!condition(step.if ?? 'success()', job)) {
      job.conclusions[step.id] = 'skipped';
      continue;
    }
    const action = actions[i] as ActionDefinition;
    options.onStepStart?.(step);
    const stage = await runStage(
      job,
      step,
      action,
      action.main,
      states[i] as Record<string, string>,
    );
    ranMain.push(i);
    result.exitCode = stage.exitCode;
    result.outputs = stage.outputs;
    result.summary = stage.summary;
    result.conclusion = stage.exitCode === 0 ? 'success' : 'failure';
    job.outputs[step.id] = stage.outputs;
    job.conclusions[step.id] = result.conclusion;
    recordFailure(job, stage.exitCode);
    options.onStepEnd?.(result);
  }

  // Post stages run in reverse order, for the steps whose main stage ran.
  for (const i of ranMain.reverse()) {
    const action = actions[i] as ActionDefinition;
    if (!action.post || !condition(action.postIf, job)) continue;
    const step = steps[i] as LocalStep;
    const stage = await runStage(
      job,
      step,
      action,
      action.post,
      states[i] as Record<string, string>,
    );
    (results[i] as StepResult).postExitCode = stage.exitCode;
    recordFailure(job, stage.exitCode);
  }

  return {
    exitCode: job.exitCode,
    outputs: job.outputs,
    summary: job.summary.join(''),
    log: mask(job.log.join(''), job.secrets),
    steps: results,
  };
}

function newJob(options: RunOptions): Job {
  const workspace = options.workspace ?? mkdtempSync(join(tmpdir(), 'md-workspace-'));
  const runnerTemp = options.runnerTemp ?? mkdtempSync(join(tmpdir(), 'md-runner-temp-'));
  const context: GitHubContext = {
    repository: 'model-deploy/example-models',
    sha: '0123456789abcdef0123456789abcdef01234567',
    ref: 'refs/heads/main',
    runId: '1000001',
    runNumber: '1',
    runAttempt: '1',
    actor: 'octocat',
    workflow: 'local',
    job: 'local',
    eventName: 'workflow_dispatch',
    event: {},
    serverUrl: 'https://github.com',
    apiUrl: 'https://api.github.com',
    ...options.github,
  };
  const eventPath = join(runnerTemp, '_github_event.json');
  writeFileSync(eventPath, JSON.stringify(context.event));
  return {
    context,
    workspace,
    runnerTemp,
    eventPath,
    env: { ...options.env },
    path: [],
    secrets: new Set(),
    log: [],
    summary: [],
    outputs: {},
    failed: false,
    exitCode: 0,
    timeoutMs: options.timeoutMs ?? 10 * 60_000,
    stageCount: 0,
    conclusions: {},
    ...(options.onLog ? { onLog: options.onLog } : {}),
    ...(options.expressions ? { expressions: options.expressions } : {}),
  };
}

function recordFailure(job: Job, exitCode: number): void {
  if (exitCode === 0) return;
  if (!job.failed) job.exitCode = exitCode;
  job.failed = true;
}

function loadAction(uses: string): ActionDefinition {
  let dir: string;
  if (ownActions.has(uses)) dir = join(repoRoot, uses);
  else if (isAbsolute(uses)) dir = uses;
  else
    throw new Error(`uses: '${uses}' is neither one of our actions nor an absolute action folder`);
  const file = ['action.yml', 'action.yaml'].map((f) => join(dir, f)).find((f) => existsSync(f));
  if (!file) throw new Error(`no action.yml in ${dir}`);
  const doc = parseYaml(readFileSync(file, 'utf8')) ?? {};
  const runs = doc.runs ?? {};
  if (runs.using !== 'node24') {
    throw new Error(`${file}: runs.using is '${runs.using}'; this runner runs node24 actions only`);
  }
  if (typeof runs.main !== 'string') throw new Error(`${file}: runs.main is missing`);
  const inputs: ActionDefinition['inputs'] = {};
  for (const [name, spec] of Object.entries<Record<string, unknown>>(doc.inputs ?? {})) {
    inputs[name] = {
      required: spec?.required === true || spec?.required === 'true',
      ...(spec?.default !== undefined ? { default: String(spec.default) } : {}),
    };
  }
  return {
    dir,
    inputs,
    main: resolve(dir, runs.main),
    ...(typeof runs.pre === 'string' ? { pre: resolve(dir, runs.pre) } : {}),
    preIf: typeof runs['pre-if'] === 'string' ? runs['pre-if'] : 'always()',
    ...(typeof runs.post === 'string' ? { post: resolve(dir, runs.post) } : {}),
    postIf: typeof runs['post-if'] === 'string' ? runs['post-if'] : 'always()',
  };
}

/** The status functions here; anything else goes to the expressions hook, or is refused, never guessed. */
function condition(expression: string, job: Job): boolean {
  const e = expression.trim().replace(/^\$\{\{\s*(.*?)\s*\}\}$/, '$1');
  if (e === 'always()') return true;
  if (e === 'success()') return !job.failed;
  if (e === 'failure()') return job.failed;
  if (e === 'cancelled()') return false;
  if (job.expressions) return job.expressions.condition(e, jobState(job, job.env));
  throw new Error(
    `the local runner evaluates only always(), success(), failure(), cancelled(): '${expression}'`,
  );
}

/** Replaces `${{ … }}` with values from the steps, env, github and runner contexts. */
function substitute(value: string, job: Job, env: Record<string, string>): string {
  // `}` may appear inside a quoted string, as in format('{0}', x): only `}}` outside quotes ends it.
  return value.replace(/\$\{\{((?:'(?:[^']|'')*'|[^'])*?)\}\}/g, (whole, inner: string) => {
    const expression = inner.trim();
    const step = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expression);
    if (step) return job.outputs[step[1] as string]?.[step[2] as string] ?? '';
    const envName = /^env\.(\w+)$/.exec(expression);
    if (envName) return env[envName[1] as string] ?? '';
    if (expression === 'runner.temp') return job.runnerTemp;
    if (expression === 'github.workspace') return job.workspace;
    const github = /^github\.(\w+)$/.exec(expression);
    if (github) {
      const value = githubEnv(job)[`GITHUB_${(github[1] as string).toUpperCase()}`];
      if (value !== undefined) return value;
      if (github[1] === 'token') return env.GITHUB_TOKEN ?? '';
    }
    if (job.expressions) return job.expressions.value(expression, jobState(job, env));
    throw new Error(`the local runner cannot evaluate ${whole}`);
  });
}

function jobState(job: Job, env: Record<string, string>): JobState {
  const steps: JobState['steps'] = {};
  for (const [id, outcome] of Object.entries(job.conclusions)) {
    steps[id] = { outputs: job.outputs[id] ?? {}, outcome };
  }
  return { steps, env, failed: job.failed };
}

function githubEnv(job: Job): Record<string, string> {
  const c = job.context;
  return {
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: job.workspace,
    GITHUB_REPOSITORY: c.repository,
    GITHUB_REPOSITORY_OWNER: c.repository.split('/')[0] as string,
    GITHUB_SHA: c.sha,
    GITHUB_REF: c.ref,
    GITHUB_REF_NAME: c.ref.replace(/^refs\/(heads|tags)\//, ''),
    GITHUB_RUN_ID: c.runId,
    GITHUB_RUN_NUMBER: c.runNumber,
    GITHUB_RUN_ATTEMPT: c.runAttempt,
    GITHUB_ACTOR: c.actor,
    GITHUB_WORKFLOW: c.workflow,
    GITHUB_JOB: c.job,
    GITHUB_EVENT_NAME: c.eventName,
    GITHUB_EVENT_PATH: job.eventPath,
    GITHUB_SERVER_URL: c.serverUrl,
    GITHUB_API_URL: c.apiUrl,
    GITHUB_GRAPHQL_URL: `${c.apiUrl}/graphql`,
    RUNNER_TEMP: job.runnerTemp,
    RUNNER_TOOL_CACHE: join(job.runnerTemp, '_tool'),
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'model-deploy-local',
  };
}

interface StageResult {
  exitCode: number;
  outputs: Record<string, string>;
  summary: string;
}

async function runStage(
  job: Job,
  step: LocalStep,
  action: ActionDefinition,
  script: string,
  state: Record<string, string>,
): Promise<StageResult> {
  const stageDir = join(job.runnerTemp, '_runner_file_commands', `${++job.stageCount}-${step.id}`);
  mkdirSync(stageDir, { recursive: true });
  const files = {
    GITHUB_OUTPUT: join(stageDir, 'output'),
    GITHUB_ENV: join(stageDir, 'env'),
    GITHUB_PATH: join(stageDir, 'path'),
    GITHUB_STATE: join(stageDir, 'state'),
    GITHUB_STEP_SUMMARY: join(stageDir, 'summary.md'),
  };
  for (const f of Object.values(files)) writeFileSync(f, '');

  // The process sees the runner's environment: no inputs, state or GitHub values of the test process itself.
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || /^(INPUT_|STATE_|GITHUB_|RUNNER_)/.test(k)) continue;
    base[k] = v;
  }
  const contextEnv = { ...base, ...githubEnv(job), ...job.env };
  const stepEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(step.env ?? {})) stepEnv[k] = substitute(v, job, contextEnv);
  const env: Record<string, string> = {
    ...contextEnv,
    ...stepEnv,
    ...files,
    GITHUB_ACTION: step.id,
    GITHUB_ACTION_PATH: action.dir,
    PATH: [...job.path, contextEnv.PATH ?? ''].join(delimiter),
  };
  const given = step.with ?? {};
  const unexpected = Object.keys(given).filter(
    (k) => !Object.keys(action.inputs).some((d) => d.toLowerCase() === k.toLowerCase()),
  );
  if (unexpected.length > 0) {
    logLine(
      job,
      `##[warning]Unexpected input(s) '${unexpected.join("', '")}', valid inputs are ['${Object.keys(action.inputs).join("', '")}']`,
    );
  }
  for (const [name, spec] of Object.entries(action.inputs)) {
    if (spec.default !== undefined) env[inputEnvName(name)] = substitute(spec.default, job, env);
  }
  for (const [name, value] of Object.entries(given)) {
    env[inputEnvName(name)] = substitute(value, job, env);
  }
  for (const [name, value] of Object.entries(state)) env[`STATE_${name}`] = value;

  const exitCode = await runNode(job, step.id, script, env);

  const outputs = parseFileCommands(readFileSync(files.GITHUB_OUTPUT, 'utf8'));
  Object.assign(state, parseFileCommands(readFileSync(files.GITHUB_STATE, 'utf8')));
  Object.assign(job.env, parseFileCommands(readFileSync(files.GITHUB_ENV, 'utf8')));
  const added = readFileSync(files.GITHUB_PATH, 'utf8').split('\n').filter(Boolean);
  job.path.unshift(...added.reverse());
  const summary = readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8');
  job.summary.push(summary);
  return { exitCode, outputs, summary };
}

async function runNode(
  job: Job,
  stepId: string,
  script: string,
  env: Record<string, string>,
): Promise<number> {
  const child = startProcess(`action ${stepId}`, node24, [script], { cwd: job.workspace, env });
  let pending = '';
  const onData = (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) logLine(job, line);
  };
  child.child.stdout?.on('data', onData);
  child.child.stderr?.on('data', onData);
  const closed = new Promise<number>((done) =>
    child.child.once('close', (code, signal) => done(code ?? (signal ? 128 : 1))),
  );
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void child.stop();
  }, job.timeoutMs);
  const code = await closed;
  clearTimeout(timer);
  if (pending !== '') logLine(job, pending);
  if (timedOut) {
    logLine(job, `##[error]step ${stepId} did not finish within ${job.timeoutMs} ms`);
    return 124;
  }
  return code;
}

/** Workflow commands the runner acts on; `::add-mask::` is consumed, not printed. */
function logLine(job: Job, line: string): void {
  const maskCommand = /^::add-mask::(.*)$/.exec(line.replace(/\r$/, ''));
  if (maskCommand) {
    const value = unescapeCommandData(maskCommand[1] as string);
    if (value.trim() !== '') job.secrets.add(value);
    return;
  }
  job.log.push(`${line}\n`);
  job.onLog?.(mask(line, job.secrets));
}

/** Command data has %, CR and LF escaped. */
function unescapeCommandData(data: string): string {
  return data.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

function mask(text: string, secrets: Set<string>): string {
  // Longest first, so a secret containing another is masked whole; each line of a multi-line secret too.
  const values = [...secrets].flatMap((s) => [
    s,
    ...s.split(/\r?\n/).filter((l) => l.trim() !== ''),
  ]);
  let masked = text;
  for (const value of [...new Set(values)].sort((a, b) => b.length - a.length)) {
    masked = masked.split(value).join('***');
  }
  return masked;
}
