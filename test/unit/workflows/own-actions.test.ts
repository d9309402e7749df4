import { describe, expect, test } from 'vitest';
import {
  actionInputs,
  ownActions,
  ownRepository,
  reusableWorkflowInputs,
  usesSites,
  workflowFiles,
  type InputSpec,
  type UsesSite,
} from '../../support/workflow-files.ts';

type Target = { kind: 'action'; name: string } | { kind: 'workflow'; path: string };

/** Which of our own actions or reusable workflows a `uses:` names, if any. */
function ownTarget(uses: string): Target | undefined {
  const [path] = uses.split('@') as [string];
  const local = path.startsWith('./') ? path.slice(2) : undefined;
  const remote = path.startsWith(`${ownRepository}/`)
    ? path.slice(ownRepository.length + 1)
    : undefined;
  const inRepo = local ?? remote;
  if (inRepo === undefined) return undefined;
  if ((ownActions as readonly string[]).includes(inRepo)) return { kind: 'action', name: inRepo };
  if (/^\.github\/workflows\/[^/]+\.ya?ml$/.test(inRepo)) return { kind: 'workflow', path: inRepo };
  return undefined;
}

/**
 * What the runner would object to: an input the action does not declare (the
 * runner only warns, and the value is silently lost), or a required input
 * without a default that the step leaves out.
 */
function inputProblems(site: UsesSite, declared: InputSpec[]): string[] {
  const where = `${site.file} job ${site.job} step ${site.step} (${site.uses})`;
  const known = new Map(declared.map((d) => [d.name.toLowerCase(), d]));
  const given = new Set(Object.keys(site.with).map((k) => k.toLowerCase()));
  const problems: string[] = [];
  for (const name of Object.keys(site.with)) {
    if (!known.has(name.toLowerCase())) problems.push(`${where}: gives unknown input '${name}'`);
  }
  for (const d of declared) {
    if (d.mustBeGiven && !given.has(d.name.toLowerCase())) {
      problems.push(`${where}: leaves out required input '${d.name}'`);
    }
  }
  return problems;
}

describe("uses of this repository's own actions and reusable workflows", () => {
  const sites = workflowFiles()
    .flatMap(usesSites)
    .map((site) => ({ site, target: ownTarget(site.uses) }))
    .filter((s): s is { site: UsesSite; target: Target } => s.target !== undefined);

  test('the workflows use every one of our actions', () => {
    const used = new Set(sites.flatMap((s) => (s.target.kind === 'action' ? [s.target.name] : [])));
    expect([...used].sort()).toEqual([...ownActions].sort());
  });

  test.each(ownActions.map((a) => [a]))(
    'every use of %s names only inputs its action.yml declares, and all it requires',
    (action) => {
      const declared = actionInputs(action);
      const problems = sites
        .filter((s) => s.target.kind === 'action' && s.target.name === action)
        .flatMap((s) => inputProblems(s.site, declared));
      expect(problems).toEqual([]);
    },
  );

  test('every call of a reusable workflow gives only its inputs, and all it requires', () => {
    const calls = sites.filter((s) => s.target.kind === 'workflow');
    expect(calls.length).toBeGreaterThan(0);
    const problems = calls.flatMap((s) =>
      s.target.kind === 'workflow'
        ? inputProblems(s.site, reusableWorkflowInputs(s.target.path))
        : [],
    );
    expect(problems).toEqual([]);
  });

  test('our actions are referenced by the published path and a version, never a local path', () => {
    // Callers do not check out this repository, so `./deploy` would not resolve for them.
    const wrong = sites
      .filter((s) => !s.site.uses.startsWith(`${ownRepository}/`) || !/@v\d+$/.test(s.site.uses))
      .map((s) => `${s.site.file} job ${s.site.job}: ${s.site.uses}`);
    expect(wrong).toEqual([]);
  });

  test('the check finds an unknown and a missing input', () => {
    const site: UsesSite = {
      file: 'x.yml',
      job: 'j',
      step: 's',
      uses: `${ownRepository}/push@v1`,
      with: { layout: '/tmp/l', destinaton: 'r' },
    };
    const problems = inputProblems(site, [
      { name: 'layout', mustBeGiven: true },
      { name: 'destinations', mustBeGiven: true },
    ]);
    expect(problems).toEqual([
      "x.yml job j step s (model-deploy/model-deploy/push@v1): gives unknown input 'destinaton'",
      "x.yml job j step s (model-deploy/model-deploy/push@v1): leaves out required input 'destinations'",
    ]);
  });
});
