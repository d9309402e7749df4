import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testNames } from '../../support/test-names.ts';

/**
 * docs/reliability.md's security table says how many test cases play each
 * attack. Here those cases are counted in the test files themselves (from
 * their syntax, `it.each` rows included), so the page cannot claim a test
 * that was removed or renamed.
 */
const repo = fileURLToPath(new URL('../../../', import.meta.url));

interface Row {
  attack: string;
  references: string[];
  claimed: number | undefined;
}

function securityRows(): Row[] {
  const page = readFileSync(`${repo}docs/reliability.md`, 'utf8');
  const start = page.indexOf('## Security: attacks tried');
  const section = page.slice(start, page.indexOf('\n## ', start + 1));
  return section
    .split('\n')
    .filter(
      (line) => line.startsWith('| ') && !line.startsWith('| attack') && !line.startsWith('| ---'),
    )
    .map((line) => {
      const cells = line
        .slice(1, -1)
        .split(' | ')
        .map((c) => c.trim());
      const [attack = '', , where = '', tests = ''] = cells;
      return {
        attack,
        references: [...where.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string),
        claimed: tests === '' ? undefined : Number(tests),
      };
    });
}

describe("docs/reliability.md's security table", () => {
  const rows = securityRows();

  it('has the attacks of the review', () => {
    expect(rows.length).toBeGreaterThanOrEqual(15);
  });

  it.each(
    rows.filter((r) => r.claimed !== undefined).map((r) => [r.attack.slice(0, 70), r] as const),
  )('%s: the count is the number of test cases', (_attack, row) => {
    let counted = 0;
    for (const reference of row.references) {
      const [file = '', words] = reference.split(' › ');
      expect(existsSync(`${repo}${file}`), `${file} exists`).toBe(true);
      const names = testNames(`${repo}${file}`);
      const matching = words === undefined ? names : names.filter((n) => n.includes(words));
      expect(matching.length, `tests in ${reference}`).toBeGreaterThan(0);
      counted += matching.length;
    }
    expect(counted).toBe(row.claimed);
  });
});
