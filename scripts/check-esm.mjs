// Fails when a bundle in dist/ uses a CommonJS-only name (__dirname,
// __filename, require, module, exports) that nothing in the ES module defines:
// GitHub runs the bundles as ES modules, where such a name throws a
// ReferenceError the moment its code runs. `typeof x` probes are allowed
// (they are how libraries detect the module system).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from 'eslint-scope';
import * as espree from 'espree';

const COMMONJS_ONLY = new Set(['__dirname', '__filename', 'require', 'module', 'exports']);

/** Free references to CommonJS-only names in one ES module's source, with their lines. */
export function commonJsReferences(source) {
  const ast = espree.parse(source, {
    ecmaVersion: 'latest',
    sourceType: 'module',
    loc: true,
    range: true,
  });
  const parents = new WeakMap();
  (function link(node) {
    for (const key of Object.keys(node)) {
      if (key === 'parent') continue;
      const value = node[key];
      for (const child of Array.isArray(value) ? value : [value]) {
        if (child && typeof child.type === 'string') {
          parents.set(child, node);
          link(child);
        }
      }
    }
  })(ast);
  const scopes = analyze(ast, { ecmaVersion: 2022, sourceType: 'module' });
  const found = [];
  for (const ref of scopes.globalScope.through) {
    const name = ref.identifier.name;
    if (!COMMONJS_ONLY.has(name)) continue;
    if (definedInScope(ref.from, name)) continue;
    if (guardedByTypeof(ref.identifier, name, parents)) continue;
    found.push({
      name,
      line: ref.identifier.loc.start.line,
      column: ref.identifier.loc.start.column,
    });
  }
  return found;
}

/**
 * A scope that declares the name (eslint-scope leaves references unresolved in
 * functions that call eval, so `module => { module.exports = … }` needs this).
 */
function definedInScope(scope, name) {
  for (let s = scope; s; s = s.upper) if (s.set.has(name)) return true;
  return false;
}

function probesTypeof(node, name) {
  if (!node || typeof node.type !== 'string') return false;
  if (node.type === 'UnaryExpression' && node.operator === 'typeof') {
    return node.argument.type === 'Identifier' && node.argument.name === name;
  }
  return Object.entries(node).some(
    ([key, value]) =>
      key !== 'parent' &&
      (Array.isArray(value) ? value.some((v) => probesTypeof(v, name)) : probesTypeof(value, name)),
  );
}

/** `typeof x`, or a use of x only where a `typeof x` test has let it through. */
function guardedByTypeof(identifier, name, parents) {
  let child = identifier;
  for (let node = parents.get(identifier); node; child = node, node = parents.get(node)) {
    if (node.type === 'UnaryExpression' && node.operator === 'typeof') return true;
    if (
      (node.type === 'ConditionalExpression' || node.type === 'IfStatement') &&
      child !== node.test
    ) {
      if (probesTypeof(node.test, name)) return true;
    }
    if (
      node.type === 'LogicalExpression' &&
      child === node.right &&
      probesTypeof(node.left, name)
    ) {
      return true;
    }
  }
  return false;
}

function bundleFiles(root) {
  const files = [];
  for (const action of readdirSync(root, { withFileTypes: true })) {
    if (!action.isDirectory() || action.name.startsWith('.')) continue;
    for (const entry of readdirSync(join(root, action.name), { withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.js'))
        files.push(join(root, action.name, entry.name));
    }
  }
  return files.sort();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = process.argv[2] ?? 'dist';
  const problems = [];
  for (const file of bundleFiles(root)) {
    const source = readFileSync(file, 'utf8');
    for (const ref of commonJsReferences(source)) {
      const line = source.split('\n')[ref.line - 1] ?? '';
      const excerpt = line.slice(Math.max(0, ref.column - 80), ref.column + 80);
      problems.push(
        `${file}:${ref.line}:${ref.column + 1}: ${ref.name} is not defined in an ES module\n    …${excerpt}…`,
      );
    }
  }
  if (problems.length > 0) {
    console.error(
      `${problems.length} CommonJS-only reference(s) in the ES module bundles; each throws when its code runs on the runner:\n${problems.join('\n')}`,
    );
    process.exit(1);
  }
  console.log(
    `dist/: no CommonJS-only names in ${bundleFiles(root).length} ES module bundle files`,
  );
}
