import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error a plain ES module script without types
import * as generator from '../../../scripts/readme-bench.mjs';

const { readResults, renderPerformance, updatePerformance } = generator as {
  readResults(): unknown;
  renderPerformance(results: unknown): string;
  updatePerformance(text: string, section: string): string;
};

interface Results {
  cases: Array<{
    status: string;
    goals: Array<{ text: string; value: string; met: boolean }>;
  }>;
}

describe("README.md's performance figures", () => {
  const readme = readFileSync('README.md', 'utf8');
  const results = readResults() as Results;

  it('are the ones in bench/results.json, as npm run readme writes them', () => {
    expect(updatePerformance(readme, renderPerformance(results))).toBe(readme);
  });

  it('show every goal of the results with its figure, a missed one as missed', () => {
    const section = readme.slice(
      readme.indexOf('<!-- performance:begin'),
      readme.indexOf('<!-- performance:end'),
    );
    const goals = results.cases.flatMap((c) => c.goals);
    expect(goals.length).toBeGreaterThan(0);
    for (const goal of goals) {
      // In a table cell, `|` is escaped.
      const shown = `${goal.met ? '✅ met' : '❌ missed'}: ${goal.text} (${goal.value})`;
      expect(section).toContain(shown.replace(/\|/g, '\\|'));
    }
    expect(section).toContain(
      `Goals: ${goals.filter((g) => g.met).length} of ${goals.length} met.`,
    );
  });

  it('holds no figure outside the generated section', () => {
    const start = readme.indexOf('## Performance');
    const prose =
      readme.slice(start, readme.indexOf('<!-- performance:begin')) +
      readme.slice(readme.indexOf('<!-- performance:end'), readme.indexOf('\n## ', start + 1));
    expect(prose).not.toMatch(/\d+(\.\d+)?\s*(ms|s|MB\/s|req\/s|×)\b/);
  });

  it('renders a stale file differently (the check can fail)', () => {
    const changed = structuredClone(results);
    const goal = changed.cases.flatMap((c) => c.goals)[0]!;
    goal.met = !goal.met;
    expect(renderPerformance(changed)).not.toBe(renderPerformance(results));
  });
});
