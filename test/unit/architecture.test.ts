import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The rules of the layout, checked on the source: thin action entries, short
 * functions, layers that import only downwards, clouds as plug-ins, and a
 * unit test beside every module with logic.
 */

const root = resolve(import.meta.dirname, '..', '..');

/** Lowest first: a layer may import only from layers before it here. */
const LAYERS = [
  'common',
  'oci',
  'registry',
  'clouds',
  'model',
  'smoke',
  'kube',
  'orchestrators',
  'action',
];
const CLOUD_WORDS = ['aws', 'azure', 'gcp', 'generic', 'eks', 'aks', 'gke', 'ecr', 'acr'];
const MAX_FUNCTION_LINES = 80;
const MAX_ENTRY_LINES = 150;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts')) out.push(path);
  }
  return out.sort();
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(
    file,
    readFileSync(join(root, file), 'utf8'),
    ts.ScriptTarget.Latest,
    true,
  );
}

function walk(node: ts.Node, visit: (n: ts.Node) => void): void {
  visit(node);
  ts.forEachChild(node, (child) => walk(child, visit));
}

/** Relative import targets (static and dynamic), resolved to repository paths. */
function importsOf(file: string): string[] {
  const targets: string[] = [];
  walk(parse(file), (n) => {
    let spec: ts.Expression | undefined;
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier) {
      spec = n.moduleSpecifier;
    } else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) {
      spec = n.arguments[0];
    }
    if (spec && ts.isStringLiteral(spec) && spec.text.startsWith('.')) {
      targets.push(relative(root, resolve(root, dirname(file), spec.text)));
    }
  });
  return targets;
}

function isFunctionLike(n: ts.Node): n is ts.FunctionLikeDeclaration {
  return (
    ts.isFunctionDeclaration(n) ||
    ts.isMethodDeclaration(n) ||
    ts.isArrowFunction(n) ||
    ts.isFunctionExpression(n) ||
    ts.isConstructorDeclaration(n) ||
    ts.isGetAccessorDeclaration(n) ||
    ts.isSetAccessorDeclaration(n)
  );
}

const productFiles = [...sourceFiles('actions'), ...sourceFiles('shared')];

describe('the layout', () => {
  it('keeps every action entry thin', () => {
    const fat = readdirSync(join(root, 'actions'))
      .map((action) => `actions/${action}/main.ts`)
      .filter((file) => existsSync(join(root, file)))
      .map((file) => ({ file, lines: readFileSync(join(root, file), 'utf8').split('\n').length }))
      .filter((entry) => entry.lines > MAX_ENTRY_LINES);
    expect(fat).toEqual([]);
  });

  it('has no action folder importing another', () => {
    // actions/index.ts, the one bundle's entry, is the only file that names every action.
    const inFolders = sourceFiles('actions').filter((file) => file.split('/').length > 2);
    const crossings = inFolders.flatMap((file) => {
      const own = file.split('/')[1];
      return importsOf(file)
        .filter((target) => target.startsWith('actions/') && target.split('/')[1] !== own)
        .map((target) => `${file} → ${target}`);
    });
    expect(crossings).toEqual([]);
  });

  it('imports only downwards between the layers of shared/', () => {
    const upward = sourceFiles('shared').flatMap((file) => {
      const layer = LAYERS.indexOf(file.split('/')[1]!);
      expect(layer, `${file} is in no known layer`).toBeGreaterThanOrEqual(0);
      return importsOf(file)
        .filter((target) => target.startsWith('shared/'))
        .filter((target) => LAYERS.indexOf(target.split('/')[1]!) > layer)
        .map((target) => `${file} → ${target}`);
    });
    expect(upward).toEqual([]);
  });

  it(`has no function over ${MAX_FUNCTION_LINES} lines in actions/ and shared/`, () => {
    const long: string[] = [];
    for (const file of productFiles) {
      const source = parse(file);
      walk(source, (n) => {
        if (!isFunctionLike(n) || !n.body) return;
        const first = source.getLineAndCharacterOfPosition(n.getStart()).line;
        const last = source.getLineAndCharacterOfPosition(n.end).line;
        if (last - first + 1 > MAX_FUNCTION_LINES)
          long.push(`${file}:${first + 1} (${last - first + 1} lines)`);
      });
    }
    expect(long).toEqual([]);
  });

  it('switches on a cloud name only inside that cloud’s folder', () => {
    const inCloudFolder = /^shared\/clouds\/[^/]+\//;
    const sites: string[] = [];
    for (const file of productFiles.filter((f) => !inCloudFolder.test(f))) {
      const source = parse(file);
      walk(source, (n) => {
        const literal =
          ts.isCaseClause(n) && ts.isStringLiteral(n.expression)
            ? n.expression
            : ts.isBinaryExpression(n) &&
                [
                  ts.SyntaxKind.EqualsEqualsEqualsToken,
                  ts.SyntaxKind.ExclamationEqualsEqualsToken,
                  ts.SyntaxKind.EqualsEqualsToken,
                  ts.SyntaxKind.ExclamationEqualsToken,
                ].includes(n.operatorToken.kind)
              ? [n.left, n.right].find(ts.isStringLiteral)
              : undefined;
        if (literal && CLOUD_WORDS.includes(literal.text.toLowerCase())) {
          const line = source.getLineAndCharacterOfPosition(n.getStart()).line + 1;
          sites.push(`${file}:${line} ('${literal.text}')`);
        }
      });
    }
    expect(sites).toEqual([]);
  });

  it('lists every cloud folder as a plug-in', () => {
    const folders = readdirSync(join(root, 'shared/clouds'), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    expect(folders.length).toBeGreaterThanOrEqual(4);
    for (const cloud of folders) {
      expect(existsSync(join(root, 'shared/clouds', cloud, 'index.ts')), cloud).toBe(true);
    }
  });

  it('has a unit test at the mirrored path for every shared module with logic', () => {
    const missing = sourceFiles('shared')
      .filter((file) => {
        let logic = false;
        walk(parse(file), (n) => {
          if ((isFunctionLike(n) && n.body) || ts.isClassDeclaration(n)) logic = true;
        });
        return logic;
      })
      .map((file) => `test/unit/${file.slice('shared/'.length, -'.ts'.length)}.test.ts`)
      .filter((test) => !existsSync(join(root, test)));
    expect(missing).toEqual([]);
  });
});
