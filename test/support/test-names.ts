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
  // The rows of it.each: an array literal, or a const in the file bound to one.
  const constants = new Map<string, ts.Expression>();
  const collect = (node: ts.Node): void => {
    if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.initializer &&
      ts.isVariableDeclarationList(node.parent) &&
      (node.parent.flags & ts.NodeFlags.Const) !== 0
    ) {
      constants.set(node.name.text, node.initializer);
    }
    ts.forEachChild(node, collect);
  };
  collect(source);
  const arrayLiteral = (
    node: ts.Expression | undefined,
    seen = 0,
  ): ts.ArrayLiteralExpression | undefined => {
    while (
      node &&
      (ts.isAsExpression(node) ||
        ts.isParenthesizedExpression(node) ||
        ts.isSatisfiesExpression(node))
    )
      node = node.expression;
    if (node && ts.isIdentifier(node) && seen < 5)
      return arrayLiteral(constants.get(node.text), seen + 1);
    // rows(), where `const rows = () => [ … ]`
    if (node && ts.isCallExpression(node) && ts.isIdentifier(node.expression) && seen < 5) {
      const fn = constants.get(node.expression.text);
      if (fn && ts.isArrowFunction(fn) && !ts.isBlock(fn.body))
        return arrayLiteral(fn.body, seen + 1);
    }
    // rows.map((r) => …): as many rows as `rows`
    if (
      node &&
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'map' &&
      seen < 5
    )
      return arrayLiteral(node.expression.expression, seen + 1);
    return node &&
      ts.isArrayLiteralExpression(node) &&
      !node.elements.some((e) => ts.isSpreadElement(e))
      ? node
      : undefined;
  };
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
        const rows = arrayLiteral(callee.arguments[0]);
        const count = rows ? rows.elements.length : 1;
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
