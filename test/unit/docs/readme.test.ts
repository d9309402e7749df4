import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error a plain ES module script without types
import { renderReference, updateReadme } from '../../../scripts/readme-actions.mjs';
import { cloudProfile, type ProfileName } from '../../../shared/kube/profiles.ts';

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

  it.each([
    ['aws', 'AWS', ['g5.xlarge', 'a10g']],
    ['azure', 'Azure', ['Standard_NC6s_v3']],
    ['gcp', 'GCP', ['nvidia-l4']],
  ] as Array<[ProfileName, string, string[]]>)(
    "%s: the cloud's section names every node label and taint deploy places GPU pods by",
    (profile, heading, gpuTypes) => {
      const start = readme.indexOf(`\n### ${heading}\n`);
      expect(start).toBeGreaterThan(0);
      const section = readme.slice(start + 1, readme.indexOf('\n## ', start));
      for (const gpuType of gpuTypes) {
        const placement = cloudProfile(profile).gpuPlacement(gpuType);
        const keys = [
          ...Object.keys(placement.nodeSelector),
          ...(placement.nodeAffinityTerms ?? []).flat().map((t) => t.key),
          ...placement.tolerations.map((t) => t.key as string),
        ];
        for (const key of keys) expect(section, `${key} in ### ${heading}`).toContain(key);
      }
    },
  );
});
