import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countTests, repo, summaryRows } from '../../../scripts/reliability-counts.ts';

/**
 * docs/reliability.md's summary counts are the test cases of the files each
 * row names (scripts/reliability-counts.ts writes them): a test removed,
 * added or renamed makes this fail until the page is regenerated.
 */
describe("docs/reliability.md's summary counts", () => {
  const rows = summaryRows(readFileSync(`${repo}docs/reliability.md`, 'utf8'));
  const counted = rows.filter((r) => /^\d+$/.test(r.tried));

  it('has the areas of the suite, most of them counted', () => {
    expect(rows.length).toBeGreaterThanOrEqual(20);
    expect(counted.length).toBeGreaterThanOrEqual(20);
  });

  it.each(counted.map((r) => [r.area.slice(0, 70), r] as const))(
    '%s: tried is the number of test cases, passed no more than that',
    (_area, row) => {
      expect(countTests(row)).toBe(Number(row.tried));
      if (row.passed !== '') expect(Number(row.passed)).toBeLessThanOrEqual(Number(row.tried));
    },
  );

  it('leaves a row without a test file uncounted rather than typed in', () => {
    for (const row of rows.filter((r) => r.references.length === 0)) {
      expect(row.tried).not.toMatch(/^\d+$/);
    }
  });
});
