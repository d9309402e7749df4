import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseExpectations } from '../../../shared/smoke/expectations.ts';
import {
  exampleWorkflowDirs,
  repoRoot,
  usesSites,
  workflowFiles,
} from '../../support/workflow-files.ts';

/**
 * The examples under examples/<name>/ are repositories a user copies: their
 * workflows (parsed and input-checked with the others), a README that names
 * every variable and secret the workflows read, and the files the workflows
 * point at.
 */
const examples = exampleWorkflowDirs().map((dir) => dir.split('/')[1] as string);
const FILE_INPUTS = new Set(['request', 'expect', 'openapi', 'chart', 'values-files']);

/** Variables and secrets the workflow texts read that the README does not name in backticks. */
function unlisted(texts: string[], readme: string): string[] {
  const names = new Set(
    texts.flatMap((t) => [...t.matchAll(/\b(?:vars|secrets)\.([A-Z0-9_]+)/g)].map((m) => m[1]!)),
  );
  return [...names].filter((n) => !readme.includes(`\`${n}\``));
}

describe('examples', () => {
  test('the three scenarios of issue 14 are there', () => {
    expect(examples).toEqual(
      expect.arrayContaining(['resnet50-eks-triton', 'fraud-aks-mlserver', 'llm-gke-vllm']),
    );
  });

  test.each(examples.map((e) => [e]))(
    '%s: the README names every variable and secret its workflows read',
    (example) => {
      const readme = readFileSync(join(repoRoot, 'examples', example, 'README.md'), 'utf8');
      const texts = workflowFiles()
        .filter((f) => f.path.startsWith(`examples/${example}/`))
        .map((f) => f.text);
      expect(texts.join('')).toMatch(/\bvars\./);
      expect(unlisted(texts, readme)).toEqual([]);
    },
  );

  test.each(examples.map((e) => [e]))(
    '%s: every file an action step names is in the example, and parses as the action reads it',
    (example) => {
      const sites = workflowFiles()
        .filter((f) => f.path.startsWith(`examples/${example}/`))
        .flatMap(usesSites);
      const files = sites.flatMap((s) =>
        Object.entries(s.with)
          .filter(([k, v]) => FILE_INPUTS.has(k) && typeof v === 'string' && !v.includes('${{'))
          .map(([input, path]) => ({ input, path: path as string })),
      );
      for (const { input, path } of files) {
        const full = join(repoRoot, 'examples', example, path);
        expect(existsSync(full), `${example}: ${input}: ${path}`).toBe(true);
        const parsed: unknown = JSON.parse(readFileSync(full, 'utf8'));
        if (input === 'expect') expect(() => parseExpectations(parsed)).not.toThrow();
      }
    },
  );

  test('the check finds a variable or secret the README leaves out', () => {
    const text = 'with: { cluster: ${{ vars.EKS_CLUSTER }}, token: ${{ secrets.X_TOKEN }} }';
    expect(unlisted([text], '| `EKS_CLUSTER` | eks:us-east-1/prod |')).toEqual(['X_TOKEN']);
  });
});
