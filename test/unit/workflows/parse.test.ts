import {
  convertWorkflowTemplate,
  NoOperationTraceWriter,
  parseWorkflow,
} from '@actions/workflow-parser';
import { describe, expect, test } from 'vitest';
import { workflowFiles } from './workflow-files.ts';

/** Every error the official parser reports: schema errors, then conversion errors (expressions, contexts, needs). */
async function parserErrors(name: string, content: string): Promise<string[]> {
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (parsed.value) {
    const template = await convertWorkflowTemplate(parsed.context, parsed.value);
    for (const e of template.errors ?? []) if (!errors.includes(e.Message)) errors.push(e.Message);
  } else if (errors.length === 0) {
    errors.push('the parser returned no workflow');
  }
  return errors;
}

describe('workflow files (official parser)', () => {
  const files = workflowFiles();

  test('the reusable, CI and starter workflows are all there', () => {
    expect(files.map((f) => f.path)).toEqual(
      expect.arrayContaining([
        '.github/workflows/multi-cloud-release.yml',
        '.github/workflows/rollback.yml',
        '.github/workflows/ci.yml',
        'workflows/release-on-tag.yml',
        'workflows/rollback.yml',
        'workflows/pull-request-dry-run.yml',
      ]),
    );
  });

  test.each(files.map((f) => [f.path, f] as const))('%s parses with no errors', async (path, f) => {
    expect(await parserErrors(path, f.text)).toEqual([]);
  });

  // Proves the parser is really checking: each of these mistakes must be reported.
  test.each([
    ['unknown job key', 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stpes: []\n'],
    [
      'steps context in a job-level if',
      'on: push\njobs:\n  a:\n    if: steps.x.outputs.y\n    runs-on: ubuntu-latest\n    steps:\n      - run: "true"\n',
    ],
    [
      'needs a job that does not exist',
      'on: push\njobs:\n  a:\n    needs: nope\n    runs-on: ubuntu-latest\n    steps:\n      - run: "true"\n',
    ],
    [
      'bad permission level',
      'on: push\npermissions:\n  contents: admin\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: "true"\n',
    ],
    [
      'workflow_call input without a type',
      'on:\n  workflow_call:\n    inputs:\n      x:\n        required: true\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: "true"\n',
    ],
    [
      'unknown expression function',
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: "${{ fromJsonx(1) }}"\n',
    ],
  ])('the parser reports a workflow with an %s', async (_what, content) => {
    expect((await parserErrors('broken.yml', content)).length).toBeGreaterThan(0);
  });
});
