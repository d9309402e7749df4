import { readFileSync } from 'node:fs';
import ts from 'typescript';

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
