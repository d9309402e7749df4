import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { actionInputs, ownActions, ownRepository, repoRoot } from '../../support/workflow-files.ts';

/**
 * The YAML in the documentation is what a new user copies: one repository
 * name in every `uses:`, only inputs the action declares, and only outputs
 * it writes.
 */
function markdownFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (['node_modules', '.git', 'dist', '.cache'].includes(entry.name)) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.md')) found.push(relative(repoRoot, full));
    }
  };
  walk(repoRoot);
  return found.sort();
}

function yamlBlocks(text: string): string[] {
  return [...text.matchAll(/```ya?ml\n([\s\S]*?)```/g)].map((m) => m[1] as string);
}

function actionOutputs(action: string): string[] {
  const doc = parse(readFileSync(join(repoRoot, action, 'action.yml'), 'utf8'));
  return Object.keys(doc?.outputs ?? {});
}

interface DocStep {
  id?: string;
  action: string;
  with: Record<string, unknown>;
}

/** Every mapping with a `uses:` of our actions, wherever it sits in the snippet. */
function ownSteps(node: unknown, found: DocStep[] = []): DocStep[] {
  if (Array.isArray(node)) for (const item of node) ownSteps(item, found);
  else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    const uses = typeof record.uses === 'string' ? record.uses : undefined;
    const own = uses && /^[\w.-]+\/model-deploy\/(package|push|deploy|smoke-test)@/.exec(uses);
    if (own) {
      found.push({
        ...(typeof record.id === 'string' ? { id: record.id } : {}),
        action: own[1] as string,
        with: (record.with as Record<string, unknown>) ?? {},
      });
    }
    for (const value of Object.values(record)) ownSteps(value, found);
  }
  return found;
}

/** What is wrong with one snippet: unknown or missing inputs, and outputs no action writes. */
export function snippetProblems(block: string): string[] {
  let doc: unknown;
  try {
    doc = parse(block);
  } catch {
    return [];
  }
  const problems: string[] = [];
  const steps = ownSteps(doc);
  for (const step of steps) {
    const declared = actionInputs(step.action);
    const names = new Set(declared.map((i) => i.name));
    for (const input of Object.keys(step.with)) {
      if (!names.has(input)) problems.push(`${step.action} has no input '${input}'`);
    }
    for (const input of declared.filter((i) => i.mustBeGiven)) {
      if (!(input.name in step.with)) problems.push(`${step.action} needs input '${input.name}'`);
    }
  }
  // steps.<id>.outputs.<name>: the step of that id in the snippet, else the action of that name.
  const byId = new Map(steps.filter((s) => s.id).map((s) => [s.id as string, s.action]));
  for (const [, id, output] of block.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
    const action =
      byId.get(id as string) ??
      ((ownActions as readonly string[]).includes(id as string) ? id : undefined);
    if (action && !actionOutputs(action).includes(output as string)) {
      problems.push(`steps.${id}.outputs.${output}: ${action} has no output '${output}'`);
    }
  }
  return problems;
}

const files = markdownFiles();

describe('documentation snippets', () => {
  test('the docs are found', () => {
    expect(files).toEqual(
      expect.arrayContaining(['README.md', 'deploy/README.md', 'examples/llm-gke-vllm/README.md']),
    );
  });

  test('every reference to our actions and workflows names one repository', () => {
    const wrong = files.flatMap((file) =>
      [
        ...readFileSync(join(repoRoot, file), 'utf8').matchAll(
          /([\w.-]+\/[\w.-]+)\/(package|push|deploy|smoke-test|\.github\/workflows\/[\w.-]+)@/g,
        ),
      ]
        .filter((m) => m[1] !== ownRepository && /model-deploy/.test(m[1] as string))
        .map((m) => `${file}: ${m[0]}`),
    );
    expect(wrong).toEqual([]);
  });

  test.each(files.map((f) => [f]))(
    '%s: snippets give the inputs an action declares and requires, and read outputs it writes',
    (file) => {
      const problems = yamlBlocks(readFileSync(join(repoRoot, file), 'utf8')).flatMap(
        snippetProblems,
      );
      expect(problems).toEqual([]);
    },
  );

  test('the check finds an unknown input and an output that does not exist', () => {
    const block = [
      '- id: pkg',
      `  uses: ${ownRepository}/package@v1`,
      '  with: { model: m, runtme: triton }',
      `- uses: ${ownRepository}/deploy@v1`,
      '  with:',
      '    image: ${{ steps.pkg.outputs.image }}',
      '    name: ${{ steps.push.outputs.imgs }}',
    ].join('\n');
    expect(snippetProblems(block)).toEqual([
      "package has no input 'runtme'",
      "package needs input 'name'",
      "steps.pkg.outputs.image: package has no output 'image'",
      "steps.push.outputs.imgs: push has no output 'imgs'",
    ]);
  });
});
