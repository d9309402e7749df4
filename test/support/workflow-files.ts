import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Our own actions: a folder at the repository root holding action.yml. */
export const ownActions = ['package', 'push', 'deploy', 'smoke-test'] as const;

/** How workflows outside this repository reference it (a fork replaces the owner/repo). */
export const ownRepository = 'model-deploy/model-deploy';

export interface WorkflowFile {
  /** Path relative to the repository root, e.g. `.github/workflows/rollback.yml`. */
  path: string;
  text: string;
  // The workflow as plain YAML data; its shape is checked by the official parser separately.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  doc: any;
}

/** The example repositories under examples/ that hold workflows: `examples/<name>/.github/workflows`. */
export function exampleWorkflowDirs(): string[] {
  return readdirSync(join(repoRoot, 'examples'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => `examples/${d.name}/.github/workflows`)
    .filter((dir) => existsSync(join(repoRoot, dir)))
    .sort();
}

/** Every workflow in the repository: the reusable ones and CI, the starter workflows, and the examples'. */
export function workflowFiles(): WorkflowFile[] {
  const files: WorkflowFile[] = [];
  for (const dir of ['.github/workflows', 'workflows', ...exampleWorkflowDirs()]) {
    let names: string[];
    try {
      names = readdirSync(join(repoRoot, dir));
    } catch {
      continue;
    }
    for (const name of names.filter((n) => /\.ya?ml$/.test(n)).sort()) {
      const full = join(repoRoot, dir, name);
      const text = readFileSync(full, 'utf8');
      files.push({ path: relative(repoRoot, full), text, doc: parse(text) });
    }
  }
  return files;
}

export interface UsesSite {
  file: string;
  job: string;
  /** The step's id or name, or `(job)` for a job that calls a reusable workflow. */
  step: string;
  uses: string;
  with: Record<string, unknown>;
}

/** Every `uses:` in a workflow: steps' actions and jobs' reusable-workflow calls. */
export function usesSites(file: WorkflowFile): UsesSite[] {
  const sites: UsesSite[] = [];
  for (const [jobId, job] of Object.entries<Record<string, unknown>>(file.doc?.jobs ?? {})) {
    if (typeof job.uses === 'string') {
      sites.push({
        file: file.path,
        job: jobId,
        step: '(job)',
        uses: job.uses,
        with: (job.with as Record<string, unknown>) ?? {},
      });
    }
    const steps = (job.steps as Array<Record<string, unknown>>) ?? [];
    steps.forEach((step, index) => {
      if (typeof step.uses !== 'string') return;
      sites.push({
        file: file.path,
        job: jobId,
        step: String(step.id ?? step.name ?? `#${index + 1}`),
        uses: step.uses,
        with: (step.with as Record<string, unknown>) ?? {},
      });
    });
  }
  return sites;
}

export interface InputSpec {
  name: string;
  /** Must be given by the caller: required and without a default the runner would apply. */
  mustBeGiven: boolean;
}

/** The inputs an action.yml declares, read now (the action definitions change as the actions grow). */
export function actionInputs(action: string): InputSpec[] {
  const doc = parse(readFileSync(join(repoRoot, action, 'action.yml'), 'utf8'));
  return Object.entries<Record<string, unknown>>(doc?.inputs ?? {}).map(([name, spec]) => ({
    name,
    mustBeGiven: isTrue(spec?.required) && spec?.default === undefined,
  }));
}

/** The `workflow_call` inputs of one of this repository's reusable workflows. */
export function reusableWorkflowInputs(path: string): InputSpec[] {
  const doc = parse(readFileSync(join(repoRoot, path), 'utf8'));
  const inputs = doc?.on?.workflow_call?.inputs ?? {};
  return Object.entries<Record<string, unknown>>(inputs).map(([name, spec]) => ({
    name,
    mustBeGiven: isTrue(spec?.required) && spec?.default === undefined,
  }));
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}
