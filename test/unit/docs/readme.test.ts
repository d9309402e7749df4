import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error a plain ES module script without types
import { renderReference, updateReadme } from '../../../scripts/readme-actions.mjs';

describe('README.md', () => {
  const readme = readFileSync('README.md', 'utf8');

  it('documents every input and output of every action as its action.yml declares them', () => {
    expect(updateReadme(readme, renderReference())).toBe(readme);
  });

  it('gives the two commands a newcomer needs, and .ci/run runs the same test command', () => {
    expect(readme).toContain('npm ci && npm run demo');
    expect(readme).toContain('npm ci && npm test');
    const ci = readFileSync('.ci/run', 'utf8');
    expect(ci).toMatch(/^npm ci\b/m);
    expect(ci).toMatch(/^npm test$/m);
  });
});
