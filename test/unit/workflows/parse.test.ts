import {
  convertWorkflowTemplate,
  NoOperationTraceWriter,
  parseWorkflow,
} from '@actions/workflow-parser';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ownRepository, repoRoot, workflowFiles } from '../../support/workflow-files.ts';

type FileProvider = NonNullable<Parameters<typeof convertWorkflowTemplate>[2]>;

/**
 * Serves this repository's reusable workflows for `uses: model-deploy/model-deploy/...@v1`,
 * so the parser also checks each call against the called workflow's inputs.
 */
const ownWorkflows: FileProvider = {
  async getFileContent(ref) {
    if (!('owner' in ref) || `${ref.owner}/${ref.repository}` !== ownRepository) {
      throw new Error(`not a workflow of this repository: ${JSON.stringify(ref)}`);
    }
    return { name: ref.path, content: readFileSync(join(repoRoot, ref.path), 'utf8') };
  },
};

/** Every error the official parser reports: schema errors, then conversion errors (expressions, contexts, needs). */
async function parserErrors(name: string, content: string): Promise<string[]> {
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (parsed.value) {
    const template = await convertWorkflowTemplate(parsed.context, parsed.value, ownWorkflows, {
      fetchReusableWorkflowDepth: 1,
    });
    for (const e of template.errors ?? []) if (!errors.includes(e.Message)) errors.push(e.Message);
  } else if (errors.length === 0) {
    errors.push('the parser returned no workflow');
  }
  return errors;
}

describe('workflow files (official parser)', () => {
  const files = workflowFiles();

  test('the reusable, CI, starter and example workflows are all there', () => {
    expect(files.map((f) => f.path)).toEqual(
      expect.arrayContaining([
        '.github/workflows/multi-cloud-release.yml',
        '.github/workflows/rollback.yml',
        '.github/workflows/ci.yml',
        'workflows/release-on-tag.yml',
        'workflows/rollback.yml',
        'workflows/pull-request-dry-run.yml',
        'examples/resnet50-eks-triton/.github/workflows/release.yml',
        'examples/fraud-aks-mlserver/.github/workflows/release.yml',
        'examples/llm-gke-vllm/.github/workflows/release.yml',
      ]),
    );
  });

  test.each(files.map((f) => [f.path, f] as const))('%s parses with no errors', async (path, f) => {
    expect(await parserErrors(path, f.text)).toEqual([]);
  });

  // Proves the parser is really checking: each mistake must be reported with its message.
  test.each([
    [
      'an unknown job key',
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stpes: []\n',
      "Unexpected value 'stpes'",
    ],
    [
      'the steps context in a job-level if',
      'on: push\njobs:\n  a:\n    if: steps.x.outputs.y\n    runs-on: ubuntu-latest\n    steps:\n      - run: "true"\n',
      "Unrecognized named-value: 'steps'",
    ],
    [
      'needs of a job that does not exist',
      'on: push\njobs:\n  a:\n    needs: nope\n    runs-on: ubuntu-latest\n    steps:\n      - run: "true"\n',
      'at least one job with no dependencies',
    ],
    [
      'a bad permission level',
      'on: push\npermissions:\n  contents: admin\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: "true"\n',
      "Unexpected value 'admin'",
    ],
    [
      'a workflow_call input without a type',
      'on:\n  workflow_call:\n    inputs:\n      x:\n        required: true\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: "true"\n',
      'Required property is missing: type',
    ],
    [
      'an unknown expression function',
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: "${{ fromJsonx(1) }}"\n',
      "Unrecognized function: 'fromJsonx'",
    ],
    [
      'a call of the release workflow with an unknown input',
      `on: push\njobs:\n  a:\n    uses: ${ownRepository}/.github/workflows/multi-cloud-release.yml@v1\n    with:\n      model: m\n      name: n\n      cloud: aws\n`,
      'Invalid input, cloud is not defined in the referenced workflow.',
    ],
    [
      'a call of the rollback workflow without its required reason',
      `on: push\njobs:\n  a:\n    uses: ${ownRepository}/.github/workflows/rollback.yml@v1\n    with:\n      environment: prod\n      name: n\n`,
      'Input reason is required, but not provided while calling.',
    ],
  ])('the parser reports %s', async (_what, content, message) => {
    const errors = await parserErrors('broken.yml', content);
    expect(errors.join('\n')).toContain(message);
  });
});
