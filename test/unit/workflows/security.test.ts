import { describe, expect, test } from 'vitest';
import {
  ownRepository,
  usesSites,
  workflowFiles,
  type WorkflowFile,
} from '../../support/workflow-files.ts';

/** The only scopes a workflow here may write: OIDC tokens for the clouds, and GitHub Deployments. */
const writableScopes = new Set(['id-token', 'deployments']);
const levels = new Set(['read', 'write', 'none']);

function permissionProblems(file: WorkflowFile): string[] {
  const problems: string[] = [];
  const check = (where: string, permissions: unknown) => {
    if (permissions === undefined || permissions === null) {
      problems.push(`${where}: no permissions block (the token would get the repository default)`);
      return;
    }
    if (typeof permissions === 'string') {
      problems.push(`${where}: permissions '${permissions}' grants every scope; list the scopes`);
      return;
    }
    for (const [scope, level] of Object.entries(permissions as Record<string, unknown>)) {
      if (!levels.has(String(level))) problems.push(`${where}: ${scope}: '${String(level)}'`);
      if (level === 'write' && !writableScopes.has(scope)) {
        problems.push(`${where}: ${scope}: write is more than this workflow needs`);
      }
    }
  };
  const jobs = Object.entries<Record<string, unknown>>(file.doc?.jobs ?? {});
  if (file.doc?.permissions !== undefined) check(`${file.path} (top level)`, file.doc.permissions);
  for (const [id, job] of jobs) {
    // A job without its own block inherits the top-level one, which must then exist.
    check(`${file.path} job ${id}`, job.permissions ?? file.doc?.permissions);
  }
  return problems;
}

/** Third-party actions and workflows must be pinned to a full commit SHA, with the release named in a comment. */
function pinningProblems(file: WorkflowFile): string[] {
  const problems: string[] = [];
  const lines = file.text.split('\n');
  for (const site of usesSites(file)) {
    const ref = site.uses;
    if (ref.startsWith('./') || ref.startsWith(`${ownRepository}/`)) continue;
    const where = `${file.path} job ${site.job} step ${site.step}`;
    if (ref.startsWith('docker://')) {
      if (!/@sha256:[0-9a-f]{64}$/.test(ref))
        problems.push(`${where}: ${ref} is not pinned by digest`);
      continue;
    }
    if (!/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/.test(ref)) {
      problems.push(`${where}: ${ref} is not pinned to a 40-hex commit SHA`);
      continue;
    }
    const line = lines.find((l) => l.includes(`uses: ${ref}`));
    if (!line || !/#\s*v\d+\.\d+\.\d+\s*$/.test(line)) {
      problems.push(`${where}: ${ref} has no '# vX.Y.Z' comment naming the pinned release`);
    }
  }
  return problems;
}

/** `${{ }}` inside a script is pasted into the shell before it runs: a branch or input value could inject commands. */
function scriptInjectionProblems(file: WorkflowFile): string[] {
  const problems: string[] = [];
  for (const [id, job] of Object.entries<Record<string, unknown>>(file.doc?.jobs ?? {})) {
    ((job.steps as Array<Record<string, unknown>>) ?? []).forEach((step, index) => {
      if (typeof step.run === 'string' && step.run.includes('${{')) {
        const name = String(step.id ?? step.name ?? `#${index + 1}`);
        problems.push(`${file.path} job ${id} step ${name}: pass values through env`);
      }
    });
  }
  return problems;
}

describe('workflow security', () => {
  const files = workflowFiles();

  test.each(files.map((f) => [f.path, f] as const))(
    '%s gives every job an explicit least-privilege token',
    (_path, f) => {
      expect(permissionProblems(f)).toEqual([]);
    },
  );

  test.each(files.map((f) => [f.path, f] as const))(
    '%s pins every third-party action to a commit SHA',
    (_path, f) => {
      expect(pinningProblems(f)).toEqual([]);
    },
  );

  test('each third-party action is pinned to the same commit everywhere', () => {
    const pins = new Map<string, Set<string>>();
    for (const site of files.flatMap(usesSites)) {
      const [action, ref] = site.uses.split('@') as [string, string];
      if (action.startsWith('./') || action.startsWith(`${ownRepository}/`)) continue;
      pins.set(action, (pins.get(action) ?? new Set()).add(ref));
    }
    const split = [...pins].filter(([, refs]) => refs.size > 1).map(([a, r]) => `${a}: ${[...r]}`);
    expect(split).toEqual([]);
    expect(pins.size).toBeGreaterThan(0);
  });

  test.each(files.map((f) => [f.path, f] as const))(
    '%s passes no expression straight into a shell script',
    (_path, f) => {
      expect(scriptInjectionProblems(f)).toEqual([]);
    },
  );

  test('the checks catch a broad token, a tag-pinned action and an injected expression', () => {
    const text = [
      'on: push',
      'permissions: write-all',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: actions/checkout@v4',
      '      - run: echo "${{ github.head_ref }}"',
      '  b:',
      '    runs-on: ubuntu-latest',
      '    permissions:',
      '      contents: write',
      '    steps:',
      '      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1',
    ].join('\n');
    const bad: WorkflowFile = {
      path: 'bad.yml',
      text,
      doc: {
        permissions: 'write-all',
        jobs: {
          a: {
            steps: [{ uses: 'actions/checkout@v4' }, { run: 'echo "${{ github.head_ref }}"' }],
          },
          b: {
            permissions: { contents: 'write' },
            steps: [{ uses: 'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1' }],
          },
        },
      },
    };
    expect(permissionProblems(bad)).toEqual([
      "bad.yml (top level): permissions 'write-all' grants every scope; list the scopes",
      "bad.yml job a: permissions 'write-all' grants every scope; list the scopes",
      'bad.yml job b: contents: write is more than this workflow needs',
    ]);
    expect(pinningProblems(bad)).toEqual([
      'bad.yml job a step #1: actions/checkout@v4 is not pinned to a 40-hex commit SHA',
      "bad.yml job b step #1: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 has no '# vX.Y.Z' comment naming the pinned release",
    ]);
    expect(scriptInjectionProblems(bad)).toEqual([
      'bad.yml job a step #2: pass values through env',
    ]);
  });
});
