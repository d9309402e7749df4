import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * docs/reliability.md's security table says how many test cases play each
 * attack. Here those cases are counted in the test files themselves (from
 * their syntax, `it.each` rows included), so the page cannot claim a test
 * that was removed or renamed.
 */
const repo = fileURLToPath(new URL('../../../', import.meta.url));

/** Full names (describe titles and the test's own) of every test case in a file. */
export function testNames(path: string): string[] {
  const source = ts.createSourceFile(
    path,
    readFileSync(path, 'utf8'),
    ts.ScriptTarget.Latest,
    true,
    ts.ScriptKind.TS,
  );
  const names: string[] = [];
  const title = (node: ts.Node | undefined): string =>
    node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))
      ? node.text
      : node && ts.isTemplateExpression(node)
        ? node.getText().slice(1, -1)
        : '';
  const visit = (node: ts.Node, stack: string[]): void => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      // describe('…', fn)
      if (ts.isIdentifier(callee) && callee.text === 'describe') {
        const inner = [...stack, title(node.arguments[0])];
        node.arguments.slice(1).forEach((a) => visit(a, inner));
        return;
      }
      // it('…', fn) / test('…', fn)
      if (ts.isIdentifier(callee) && (callee.text === 'it' || callee.text === 'test')) {
        names.push([...stack, title(node.arguments[0])].join(' › '));
        return;
      }
      // it.each([...])('…', fn): one case per row
      if (
        ts.isCallExpression(callee) &&
        ts.isPropertyAccessExpression(callee.expression) &&
        ts.isIdentifier(callee.expression.expression) &&
        ['it', 'test'].includes(callee.expression.expression.text) &&
        callee.expression.name.text === 'each'
      ) {
        let rows = callee.arguments[0];
        while (rows && (ts.isAsExpression(rows) || ts.isParenthesizedExpression(rows)))
          rows = rows.expression;
        const count = rows && ts.isArrayLiteralExpression(rows) ? rows.elements.length : 1;
        const name = [...stack, title(node.arguments[0])].join(' › ');
        for (let i = 0; i < count; i++) names.push(name);
        return;
      }
    }
    ts.forEachChild(node, (child) => visit(child, stack));
  };
  visit(source, []);
  return names;
}

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
