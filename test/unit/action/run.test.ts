import { afterEach, describe, expect, it, vi } from 'vitest';
import { runAction, setOutput, group } from '../../../shared/action/run.ts';
import { JobSummary } from '../../../shared/action/summary.ts';
import { UserError } from '../../../shared/common/errors.ts';
import { withActionEnv, type ActionEnv } from '../../support/actions-env.ts';

let env: ActionEnv | undefined;
afterEach(() => {
  env?.restore();
  vi.restoreAllMocks();
});

function captureStdout(): { text: () => string } {
  const chunks: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    chunks.push(String(chunk));
    return true;
  });
  return { text: () => chunks.join('') };
}

describe('error boundary, outputs and summary', () => {
  it('reports a UserError plainly and sets exit code 1', async () => {
    env = withActionEnv({});
    const out = captureStdout();
    const ok = await runAction('deploy', async () => {
      throw new UserError('rollout of resnet50 failed: ImagePullBackOff', {
        hint: 'check the image',
      });
    });
    expect(ok).toBe(false);
    expect(process.exitCode).toBe(1);
    expect(out.text()).toContain(
      '::error::model-deploy/deploy failed: rollout of resnet50 failed: ImagePullBackOff',
    );
    expect(out.text()).toContain('how to fix: check the image');
    expect(out.text()).not.toContain('at ');
  });

  it('reports anything else as a bug, with its stack', async () => {
    env = withActionEnv({});
    const out = captureStdout();
    await runAction('push', async () => {
      throw new TypeError('cannot read x of undefined');
    });
    expect(out.text()).toContain('model-deploy/push failed: cannot read x of undefined');
    expect(out.text()).toMatch(/TypeError: cannot read x of undefined%0A\s+at /);
    expect(out.text()).toContain('bug in model-deploy');
  });

  it('reports a network failure no caller named as one, not as a bug', async () => {
    env = withActionEnv({});
    const out = captureStdout();
    await runAction('push', async () => {
      throw new TypeError('terminated', {
        cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
      });
    });
    expect(out.text()).toContain(
      'model-deploy/push failed: terminated: a network failure, not a bug: the connection was closed by the server or something in between (UND_ERR_SOCKET)',
    );
    expect(out.text()).toContain('how to fix:');
    expect(out.text()).not.toContain('bug in model-deploy');
  });

  it('writes outputs, closes groups on failure and appends the summary', async () => {
    env = withActionEnv({});
    const out = captureStdout();
    const ok = await runAction('package', async () => {
      setOutput('digest', 'sha256:abc');
      setOutput('images', { a: 'r/x@sha256:abc' });
      await group('step', async () => {
        throw new UserError('bad');
      });
    });
    expect(ok).toBe(false);
    expect(out.text()).toContain('::group::step');
    expect(out.text()).toContain('::endgroup::');
    expect(env.outputs()).toEqual({ digest: 'sha256:abc', images: '{"a":"r/x@sha256:abc"}' });
    await new JobSummary('Package')
      .facts([
        ['digest', 'sha256:abc'],
        ['skipped', undefined],
      ])
      .table(['a', 'b'], [['x|y', 1]])
      .write();
    const summary = env.summary();
    expect(summary).toContain('## Package');
    expect(summary).toContain('| digest | sha256:abc |');
    expect(summary).not.toContain('skipped');
    expect(summary).toContain('| x\\|y | 1 |');
  });
});

describe('masking', () => {
  it('masks a multi-line secret whole and line by line, but not its PEM armour', async () => {
    const { actionsLogger } = await import('../../../shared/action/run.ts');
    const out = captureStdout();
    const body = ['MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', 'BKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj'];
    actionsLogger.secret(
      ['-----BEGIN PRIVATE KEY-----', ...body, '-----END PRIVATE KEY-----', ''].join('\n'),
    );
    const masks = out
      .text()
      .split('\n')
      .filter((l) => l.startsWith('::add-mask::'))
      .map((l) => l.slice('::add-mask::'.length));
    expect(masks).toHaveLength(3);
    expect(masks.slice(1)).toEqual(body);
    expect(masks[0]).toContain('%0A');
  });
});

describe('remote text in the log', () => {
  it('can start no workflow command, in any line of any info message', async () => {
    const { actionsLogger } = await import('../../../shared/action/run.ts');
    const out = captureStdout();
    const hostile = [
      'registry said: denied',
      '::set-output name=passed::true',
      '   ::add-mask::nothing',
      '::warning file=x::pwned',
      'text before ##[set-env name=X;]bad',
      '##[error]fake',
    ].join('\n');
    actionsLogger.info(hostile);
    const lines = out.text().split('\n');
    // The runner reads `::` after leading spaces, and `##[` anywhere in a line.
    expect(lines.filter((l) => l.trimStart().startsWith('::'))).toEqual([]);
    expect(lines.filter((l) => l.includes('##['))).toEqual([]);
    // The words are all still there for a person to read.
    expect(out.text().replace(/\u2060/g, '')).toContain(hostile);
  });
});
