import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_DOCUMENT_BYTES, readDocumentInput } from '../../../shared/common/document-input.ts';
import { InputError } from '../../../shared/common/errors.ts';

const JSON_ONLY = { yaml: false, example: 'request: {"inputs": []}' };
const YAML_TOO = { yaml: true, example: 'expect: {outputs: {}}' };

describe('readDocumentInput', () => {
  let workspace: string;
  let saved: string | undefined;
  beforeEach(() => {
    workspace = mkdtempSync(join(tmpdir(), 'md-document-'));
    saved = process.env.GITHUB_WORKSPACE;
    process.env.GITHUB_WORKSPACE = workspace;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.GITHUB_WORKSPACE;
    else process.env.GITHUB_WORKSPACE = saved;
    rmSync(workspace, { recursive: true, force: true });
  });

  it('is nothing when the input is empty', () => {
    expect(readDocumentInput('request', undefined, JSON_ONLY)).toBeUndefined();
    expect(readDocumentInput('request', '  ', JSON_ONLY)).toBeUndefined();
  });

  it('reads inline JSON, and inline YAML where allowed', () => {
    expect(readDocumentInput('request', '{"inputs": [1]}', JSON_ONLY)).toEqual({ inputs: [1] });
    expect(readDocumentInput('expect', 'outputs:\n  y: [1, 2]', YAML_TOO)).toEqual({
      outputs: { y: [1, 2] },
    });
    expect(readDocumentInput('expect', '{outputs: {y: [1]}}', YAML_TOO)).toEqual({
      outputs: { y: [1] },
    });
  });

  it('reads a file relative to the workspace', () => {
    writeFileSync(join(workspace, 'request.json'), '{"inputs": [2]}');
    writeFileSync(join(workspace, 'expect.yaml'), 'status: 200\n');
    expect(readDocumentInput('request', 'request.json', JSON_ONLY)).toEqual({ inputs: [2] });
    expect(readDocumentInput('expect', 'expect.yaml', YAML_TOO)).toEqual({ status: 200 });
  });

  it('names the input, the file and where it looked', () => {
    expect(() => readDocumentInput('request', 'missing.json', JSON_ONLY)).toThrow(
      `input 'request' names the file 'missing.json', which does not exist (looked in ${workspace})`,
    );
    writeFileSync(join(workspace, 'bad.json'), '{"inputs": [');
    const err = (() => {
      try {
        readDocumentInput('request', 'bad.json', JSON_ONLY);
      } catch (e) {
        return e as InputError;
      }
    })();
    expect(err).toBeInstanceOf(InputError);
    expect(err?.message).toMatch(/\(file 'bad.json'\) is not valid JSON/);
  });

  it('refuses a file larger than a smoke-test document may be', () => {
    writeFileSync(join(workspace, 'big.json'), Buffer.alloc(MAX_DOCUMENT_BYTES + 1, 0x20));
    expect(() => readDocumentInput('request', 'big.json', JSON_ONLY)).toThrow(/more than the/);
  });
});
