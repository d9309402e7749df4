import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { evaluateCondition, evaluateExpression } from '../../support/expressions.ts';
import { runSteps, type JobState } from '../../support/local-runner.ts';

describe('local runner with the built dist bundles', () => {
  test.each([
    ['package', {}, 'model'],
    ['push', { layout: '/nonexistent' }, 'destinations'],
    ['deploy', { name: 'resnet50' }, 'image'],
  ] as const)('%s without a required input exits 1 naming it', async (action, inputs, missing) => {
    const result = await runSteps([{ id: 'step', uses: action, with: { ...inputs } }]);
    expect(result.exitCode).toBe(1);
    expect(result.steps[0]?.conclusion).toBe('failure');
    expect(result.log).toContain(`::error::model-deploy/${action} failed: input '${missing}'`);
  });

  test('smoke-test without url or service says which input to give', async () => {
    const result = await runSteps([{ id: 'smoke', uses: 'smoke-test' }]);
    expect(result.exitCode).toBe(1);
    expect(result.log).toMatch(/model-deploy\/smoke-test failed: input 'url'.*service/);
  });

  test('a failing step skips the steps after it', async () => {
    const result = await runSteps([
      { id: 'package', uses: 'package' },
      { id: 'push', uses: 'push', with: { layout: '${{ steps.package.outputs.layout }}' } },
    ]);
    expect(result.exitCode).toBe(1);
    expect(result.steps.map((s) => s.conclusion)).toEqual(['failure', 'skipped']);
    expect(result.log).not.toContain('model-deploy/push');
  });
});

/** A small JavaScript action written the way GitHub documents the file protocol, without @actions/core. */
function fakeAction(options: { postIf?: string; failMain?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'md-fake-action-'));
  writeFileSync(
    join(dir, 'action.yml'),
    [
      'name: fake',
      'description: exercises the runner file protocol',
      'inputs:',
      '  greeting: { description: d, required: true }',
      '  who: { description: d, default: world }',
      '  model-version: { description: d, required: false }',
      '  with space: { description: d, required: false }',
      '  secret: { description: d, required: false }',
      '  from-env: { description: d, default: "${{ env.JOB_LEVEL }}" }',
      'runs:',
      '  using: node24',
      '  pre: pre.js',
      '  main: main.js',
      '  post: post.js',
      ...(options.postIf ? [`  post-if: ${options.postIf}`] : []),
    ].join('\n'),
  );
  const append = `const fs = require('fs');
const add = (file, text) => fs.appendFileSync(process.env[file], text);`;
  writeFileSync(
    join(dir, 'pre.js'),
    `${append}
add('GITHUB_STATE', 'pre-ran=yes\\n');
console.log('pre of ' + process.env.GITHUB_ACTION);`,
  );
  writeFileSync(
    join(dir, 'main.js'),
    `${append}
const input = (name) => process.env['INPUT_' + name.replace(/ /g, '_').toUpperCase()];
const secret = input('secret');
// Escaped as @actions/core escapes command data, so a multi-line value stays one command.
const escape = (v) => v.replace(/%/g, '%25').replace(/\\r/g, '%0D').replace(/\\n/g, '%0A');
if (secret) console.log('::add-mask::' + escape(secret));
console.log('main of ' + process.env.GITHUB_ACTION + ' on node ' + process.version);
console.log('token is ' + secret);
console.log('pre state seen: ' + process.env['STATE_pre-ran']);
const message = input('greeting') + ', ' + input('who');
add('GITHUB_OUTPUT', 'message=' + message + '\\n');
add('GITHUB_OUTPUT', 'lines<<EOF_1\\nfirst\\nsecond\\nEOF_1\\n');
add('GITHUB_OUTPUT', 'version=' + (input('model-version') ?? '') + '|' + (input('with space') ?? '') + '\\n');
add('GITHUB_OUTPUT', 'context=' + [process.env.GITHUB_SHA, process.env.GITHUB_REPOSITORY, process.env.GITHUB_RUN_ID, process.env.GITHUB_ACTOR, process.env.GITHUB_WORKSPACE === process.cwd(), !!process.env.RUNNER_TEMP].join(',') + '\\n');
add('GITHUB_OUTPUT', 'seen-env=' + (process.env.SET_BY_EARLIER_STEP ?? '') + '|' + input('from-env') + '\\n');
add('GITHUB_OUTPUT', 'first-path=' + process.env.PATH.split(':')[0] + '\\n');
add('GITHUB_ENV', 'SET_BY_EARLIER_STEP=' + process.env.GITHUB_ACTION + '\\n');
add('GITHUB_PATH', '/opt/' + process.env.GITHUB_ACTION + '/bin\\n');
add('GITHUB_STATE', 'cleanup-for=' + process.env.GITHUB_ACTION + '\\n');
add('GITHUB_STEP_SUMMARY', '| ' + process.env.GITHUB_ACTION + ' | ' + message + ' |\\n');
${options.failMain ? "console.log('::error::main failed on purpose'); process.exit(3);" : ''}`,
  );
  writeFileSync(
    join(dir, 'post.js'),
    `${append}
console.log('post of ' + process.env.GITHUB_ACTION + ' cleaning ' + process.env['STATE_cleanup-for'] + ' pre=' + process.env['STATE_pre-ran']);
add('GITHUB_STEP_SUMMARY', 'post ' + process.env.GITHUB_ACTION + '\\n');`,
  );
  return dir;
}

describe('local runner file protocol (a fake action)', () => {
  test('inputs, defaults, outputs, env, path, state, post and summary behave as on GitHub', async () => {
    const action = fakeAction();
    const workspace = mkdtempSync(join(tmpdir(), 'md-ws-'));
    const result = await runSteps(
      [
        {
          id: 'first',
          uses: action,
          with: { greeting: 'hello', 'model-version': '3', 'with space': 'spaced' },
        },
        {
          id: 'second',
          uses: action,
          with: { greeting: '${{ steps.first.outputs.message }}!', who: 'again' },
        },
      ],
      {
        workspace,
        env: { JOB_LEVEL: 'job-env' },
        github: { sha: 'f'.repeat(40), repository: 'acme/models', runId: '42', actor: 'mona' },
      },
    );
    expect(result.exitCode).toBe(0);
    expect(result.steps.map((s) => [s.id, s.conclusion, s.preExitCode, s.postExitCode])).toEqual([
      ['first', 'success', 0, 0],
      ['second', 'success', 0, 0],
    ]);
    const first = result.outputs.first ?? {};
    const second = result.outputs.second ?? {};
    // The default for `who` came from action.yml; `-` stays in the variable name, a space becomes `_`.
    expect(first.message).toBe('hello, world');
    expect(first.version).toBe('3|spaced');
    expect(first.lines).toBe('first\nsecond');
    expect(first.context).toBe(`${'f'.repeat(40)},acme/models,42,mona,true,true`);
    expect(first['seen-env']).toBe('|job-env');
    expect(second.message).toBe('hello, world!, again');
    expect(second['seen-env']).toBe('first|job-env');
    expect(second['first-path']).toBe('/opt/first/bin');

    // pre stages first, then mains, then posts in reverse order, each post with its own state.
    const order = result.log
      .split('\n')
      .filter((l) => /^(pre|main|post) of/.test(l))
      .map((l) => l.split(' ').slice(0, 3).join(' '));
    expect(order).toEqual([
      'pre of first',
      'pre of second',
      'main of first',
      'main of second',
      'post of second',
      'post of first',
    ]);
    expect(result.log).toContain('post of second cleaning second pre=yes');
    expect(result.log).toContain('post of first cleaning first pre=yes');
    expect(result.log).toContain('pre state seen: yes');
    expect(result.log).toMatch(/main of first on node v24\./);
    expect(result.summary).toBe(
      '| first | hello, world |\n| second | hello, world!, again |\npost second\npost first\n',
    );
  });

  test('masked values never appear in the log', async () => {
    const secret = 'pa55-w0rd%with\nsecond-line';
    const result = await runSteps([
      { id: 'masked', uses: fakeAction(), with: { greeting: 'hi', secret } },
    ]);
    expect(result.exitCode).toBe(0);
    expect(result.log).not.toContain('pa55-w0rd');
    expect(result.log).not.toContain('second-line');
    expect(result.log).not.toContain('::add-mask::');
    expect(result.log).toContain('token is ***');
  });

  test('the live log view is masked too', async () => {
    const lines: string[] = [];
    const result = await runSteps(
      [{ id: 'live', uses: fakeAction(), with: { greeting: 'hi', secret: 's3cr3t-value' } }],
      { onLog: (line) => lines.push(line) },
    );
    expect(result.exitCode).toBe(0);
    expect(lines).toContain('token is ***');
    expect(lines.some((l) => /^main of live on node v24\./.test(l))).toBe(true);
    expect(lines.join('\n')).not.toContain('s3cr3t-value');
  });

  test('a failed main fails the job, skips later steps, runs always() steps and posts', async () => {
    const failing = fakeAction({ failMain: true });
    const onlyOnSuccess = fakeAction({ postIf: 'success()' });
    const result = await runSteps([
      { id: 'guarded', uses: onlyOnSuccess, with: { greeting: 'a' } },
      { id: 'broken', uses: failing, with: { greeting: 'b' } },
      { id: 'skipped', uses: failing, with: { greeting: 'c' } },
      { id: 'always', uses: onlyOnSuccess, with: { greeting: 'd' }, if: 'always()' },
    ]);
    expect(result.exitCode).toBe(3);
    expect(result.steps.map((s) => [s.id, s.conclusion, s.postExitCode])).toEqual([
      ['guarded', 'success', undefined],
      ['broken', 'failure', 0],
      ['skipped', 'skipped', undefined],
      ['always', 'success', undefined],
    ]);
    expect(result.log).toContain('::error::main failed on purpose');
    expect(result.log).toContain('post of broken');
    expect(result.log).not.toContain('post of guarded');
  });

  test('a required input left out is not invented, and an unknown one is warned about', async () => {
    const result = await runSteps([{ id: 'x', uses: fakeAction(), with: { gretting: 'typo' } }]);
    expect(result.log).toContain(
      "##[warning]Unexpected input(s) 'gretting', valid inputs are ['greeting', 'who', 'model-version', 'with space', 'secret', 'from-env']",
    );
    expect(result.outputs.x?.message).toBe('undefined, world');
  });
});

describe('local runner expressions hook (a fake action)', () => {
  const contexts = (state: JobState) => ({
    vars: { GREETING: 'hello' },
    steps: Object.fromEntries(
      Object.entries(state.steps).map(([id, step]) => [
        id,
        { outputs: step.outputs, outcome: step.outcome },
      ]),
    ),
  });
  const expressions = {
    value: (expression: string, state: JobState) =>
      evaluateExpression(expression, contexts(state), state).coerceString(),
    condition: (expression: string, state: JobState) =>
      evaluateCondition(expression, contexts(state), state),
  };

  test('what the runner does not evaluate goes to the hook, with the steps so far', async () => {
    const action = fakeAction();
    const result = await runSteps(
      [
        {
          id: 'first',
          uses: action,
          with: { greeting: '${{ vars.GREETING }}', who: "${{ format('{0}!', 'you') }}" },
        },
        {
          id: 'second',
          uses: action,
          if: "steps.first.outputs.message == 'hello, you!'",
          with: { greeting: "${{ steps.first.outcome == 'success' && 'again' || 'never' }}" },
        },
        {
          id: 'third',
          uses: action,
          if: "steps.second.outcome == 'failure'",
          with: { greeting: 'no' },
        },
      ],
      { expressions },
    );
    expect(result.exitCode).toBe(0);
    expect(result.steps.map((s) => s.conclusion)).toEqual(['success', 'success', 'skipped']);
    expect(result.outputs.first?.message).toBe('hello, you!');
    expect(result.outputs.second?.message).toBe('again, world');
  });

  test('without a hook, such an expression is refused rather than guessed', async () => {
    await expect(
      runSteps([{ id: 'x', uses: fakeAction(), with: { greeting: '${{ vars.GREETING }}' } }]),
    ).rejects.toThrow('the local runner cannot evaluate ${{ vars.GREETING }}');
  });
});
