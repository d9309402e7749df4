import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without type declarations
import { commonJsReferences } from '../../../scripts/check-esm.mjs';

type Found = { name: string; line: number }[];
const find = (source: string): Found => commonJsReferences(source) as Found;

describe('the ES module bundle check', () => {
  it('finds the top-level __dirname that broke the Artifact Registry push', () => {
    const found = find(
      "import path from 'node:path';\nconst protos = path.join(__dirname, '..', 'protos');\nexport { protos };",
    );
    expect(found).toEqual([expect.objectContaining({ name: '__dirname', line: 2 })]);
  });

  it('finds require, module, exports and __filename used as globals', () => {
    const names = find(
      "const a = require('x');\nmodule.exports = a;\nexports.b = 1;\nconsole.log(__filename);",
    ).map((f) => f.name);
    expect(names).toEqual(['require', 'module', 'exports', '__filename']);
  });

  it('accepts typeof probes and uses a typeof test lets through', () => {
    expect(
      find(
        [
          "const here = typeof __filename !== 'undefined' ? __filename : undefined;",
          "if (typeof require === 'function') require('optional');",
          "const dir = typeof __dirname === 'string' && __dirname;",
        ].join('\n'),
      ),
    ).toEqual([]);
  });

  it('accepts names the module itself declares, even beside eval', () => {
    expect(
      find(
        [
          "import { createRequire } from 'node:module';",
          'const require = createRequire(import.meta.url);',
          "const wrap = { 1: (module) => { module.exports = eval('require')('bufferutil'); } };",
          "export default [require('x'), wrap];",
        ].join('\n'),
      ),
    ).toEqual([]);
  });

  it('still finds a use outside the branch its typeof test guards', () => {
    const found = find("if (typeof __dirname === 'string') {}\nconst d = __dirname;");
    expect(found).toEqual([expect.objectContaining({ name: '__dirname', line: 2 })]);
  });
});
