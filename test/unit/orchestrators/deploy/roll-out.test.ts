import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../shared/common/logger.ts';
import {
  DEFAULT_TIMEOUT_MS,
  holderName,
  progressiveStrategy,
  releaseRequest,
  runUrl,
} from '../../../../shared/orchestrators/deploy/roll-out.ts';
import { deployRequest } from '../../../support/deploy-request.ts';

function withStrategy(strategy: 'rolling' | 'canary' | 'blue-green', extra = {}) {
  const request = deployRequest(extra);
  return { ...request, strategy: { ...request.strategy, strategy } };
}

describe('how a release rolls out', () => {
  it('runs the progressive strategy only for a new release that is not a dry run', () => {
    expect(progressiveStrategy(withStrategy('rolling'))).toBeUndefined();
    expect(progressiveStrategy(withStrategy('canary'))).toBe('canary');
    expect(progressiveStrategy(withStrategy('blue-green'))).toBe('blue-green');
    expect(progressiveStrategy(withStrategy('canary', { dryRun: true }))).toBeUndefined();
    expect(progressiveStrategy(withStrategy('canary', { rollbackTo: '2' }))).toBeUndefined();
  });

  it('names the run that holds the lock, else this machine and process', () => {
    expect(
      holderName({
        GITHUB_REPOSITORY: 'org/repo',
        GITHUB_RUN_ID: '42',
        GITHUB_RUN_ATTEMPT: '2',
        GITHUB_JOB: 'deploy',
      }),
    ).toBe('org/repo run 42.2 job deploy');
    expect(holderName({ GITHUB_REPOSITORY: 'org/repo', GITHUB_RUN_ID: '42' })).toBe(
      'org/repo run 42',
    );
    expect(holderName({})).toMatch(new RegExp(` pid ${process.pid}$`));
  });

  it('links the workflow run only when the runner says which', () => {
    const env = {
      GITHUB_SERVER_URL: 'https://github.example',
      GITHUB_REPOSITORY: 'org/repo',
      GITHUB_RUN_ID: '42',
    };
    expect(runUrl(env)).toBe('https://github.example/org/repo/actions/runs/42');
    expect(runUrl({ ...env, GITHUB_RUN_ID: undefined })).toBeUndefined();
  });

  it('asks the release for what the request says, with the watch tuning of the hooks', () => {
    const request = deployRequest({ modelVersion: '5', rollbackTo: 'previous', prune: false });
    const image = { reference: 'reg/iris@sha256:d', repository: 'reg/iris', digest: 'sha256:d' };
    const release = releaseRequest(request, image, [], DEFAULT_TIMEOUT_MS, {
      logger: silentLogger,
      pollMs: 50,
    });
    expect(release).toMatchObject({
      release: 'iris',
      namespace: 'models',
      image: 'reg/iris@sha256:d',
      imageDigest: 'sha256:d',
      modelVersion: '5',
      rollbackTo: 'previous',
      timeoutMs: 600_000,
      prune: false,
      rollbackOnFailure: true,
      historyLimit: 10,
      pollMs: 50,
    });
    expect(release).not.toHaveProperty('hopelessAfterMs');
  });
});
