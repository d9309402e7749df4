import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as runner from '../../../shared/action/runner.ts';
import { parseFileCommands } from '../../support/actions-env.ts';

let dir: string;
let written: string[];
const saved = { ...process.env };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'md-runner-'));
  written = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  process.exitCode = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('workflow commands', () => {
  it('encode what would end the line or split the properties', () => {
    expect(runner.escapeData('100% done\r\nnext')).toBe('100%25 done%0D%0Anext');
    expect(runner.escapeProperty('a: b, c%')).toBe('a%3A b%2C c%25');
    runner.warning('two\nlines', { title: 'T: x', file: 'a,b.yaml', startLine: 3 });
    runner.error('plain');
    runner.debug('50%');
    runner.setSecret('s3cr\net');
    runner.startGroup('phase');
    runner.endGroup();
    expect(written.join('')).toBe(
      [
        '::warning title=T%3A x,file=a%2Cb.yaml,line=3::two%0Alines',
        '::error::plain',
        '::debug::50%25',
        '::add-mask::s3cr%0Aet',
        '::group::phase',
        '::endgroup::',
        '',
      ].join('\n'),
    );
  });

  it('fail the step with exit code 1 and an error line', () => {
    runner.setFailed('it broke');
    expect(process.exitCode).toBe(1);
    expect(written).toEqual(['::error::it broke\n']);
  });

  it('read debug mode from RUNNER_DEBUG', () => {
    delete process.env.RUNNER_DEBUG;
    expect(runner.isDebug()).toBe(false);
    process.env.RUNNER_DEBUG = '1';
    expect(runner.isDebug()).toBe(true);
  });
});

describe('inputs', () => {
  it('come from INPUT_<NAME>, spaces as underscores, trimmed unless asked not to', () => {
    process.env['INPUT_MODEL PATH'] = 'wrong';
    process.env.INPUT_MODEL_PATH = '  ./model \n';
    expect(runner.getInput('model path')).toBe('./model');
    expect(runner.getInput('Model_Path', { trimWhitespace: false })).toBe('  ./model \n');
    expect(runner.getInput('missing')).toBe('');
  });
});

describe('environment files', () => {
  it('get name<<delimiter blocks that keep multi-line values whole', () => {
    const output = join(dir, 'output');
    const env = join(dir, 'env');
    const state = join(dir, 'state');
    for (const f of [output, env, state]) writeFileSync(f, '');
    Object.assign(process.env, { GITHUB_OUTPUT: output, GITHUB_ENV: env, GITHUB_STATE: state });
    runner.setOutput('digest', 'sha256:abc');
    runner.setOutput('report', 'line 1\nline 2');
    runner.exportVariable('MD_X', 'y');
    runner.saveState('isPost', 'true');
    expect(parseFileCommands(readFileSync(output, 'utf8'))).toEqual({
      digest: 'sha256:abc',
      report: 'line 1\nline 2',
    });
    expect(parseFileCommands(readFileSync(env, 'utf8'))).toEqual({ MD_X: 'y' });
    expect(process.env.MD_X).toBe('y');
    expect(parseFileCommands(readFileSync(state, 'utf8'))).toEqual({ isPost: 'true' });
    expect(readFileSync(output, 'utf8')).toMatch(/^digest<<ghadelimiter_[0-9a-f-]{36}\n/);
    expect(written).toEqual([]);
  });

  it('refuse a value that holds the delimiter, and use the command form outside a runner', () => {
    expect(runner.fileEntry('a', 'b', 'D1')).toBe('a<<D1\nb\nD1\n');
    expect(() => runner.fileEntry('a', 'x\nD1\nevil=1', 'D1')).toThrow(
      'the value of a contains the delimiter D1',
    );
    delete process.env.GITHUB_OUTPUT;
    runner.setOutput('n', 'v');
    expect(written.join('')).toBe('\n::set-output name=n::v\n');
  });

  it('read state from STATE_<name>', () => {
    process.env.STATE_lock = 'held';
    expect(runner.getState('lock')).toBe('held');
    expect(runner.getState('other')).toBe('');
  });

  it('append to the job summary, and write nothing outside a runner', () => {
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '## earlier\n');
    process.env.GITHUB_STEP_SUMMARY = summary;
    runner.appendSummary('## deploy');
    expect(readFileSync(summary, 'utf8')).toBe('## earlier\n## deploy\n');
    delete process.env.GITHUB_STEP_SUMMARY;
    expect(() => runner.appendSummary('x')).not.toThrow();
  });
});
