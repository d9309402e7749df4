import { describe, expect, it } from 'vitest';
import type { Logger } from '../../../../shared/common/logger.ts';
import { silentLogger } from '../../../../shared/common/logger.ts';
import {
  checkImage,
  completeFromImage,
  readFactsEarly,
  withAnalysisProtocol,
  withContract,
} from '../../../../shared/orchestrators/deploy/image.ts';
import { deployRequest } from '../../../support/deploy-request.ts';

const DIGEST = `sha256:${'c'.repeat(64)}`;

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { ...silentLogger, warnings, warning: (m) => void warnings.push(m) };
}

describe('the image to deploy', () => {
  it('is read into its repository, tag and digest', () => {
    const image = checkImage(
      deployRequest({ image: `ghcr.io/org/iris:1@${DIGEST}` }),
      silentLogger,
    );
    expect(image).toEqual({
      reference: `ghcr.io/org/iris:1@${DIGEST}`,
      repository: 'ghcr.io/org/iris',
      tag: '1',
      digest: DIGEST,
    });
  });

  it('warns about a tag without a digest, and refuses one with require-digest', () => {
    const logger = recordingLogger();
    expect(checkImage(deployRequest({ image: 'ghcr.io/org/iris:1' }), logger).digest).toBe(
      undefined,
    );
    expect(logger.warnings.join()).toMatch(/is not pinned by digest/);
    expect(() =>
      checkImage(deployRequest({ image: 'ghcr.io/org/iris:1', requireDigest: true }), logger),
    ).toThrow(/input 'image' 'ghcr.io\/org\/iris:1' has no digest, and require-digest is true/);
  });

  it('refuses a bare digest, which the cluster cannot pull', () => {
    expect(() => checkImage(deployRequest({ image: DIGEST }), silentLogger)).toThrow(
      /a digest without its repository/,
    );
  });

  it('is the recorded revision for a restore', () => {
    expect(checkImage(deployRequest({ image: '', rollbackTo: '3' }), silentLogger)).toEqual({
      reference: 'revision 3',
      repository: '',
    });
  });
});

describe('the request completed from the image', () => {
  it('takes the runtime, model name and version the image and inputs agree on', () => {
    const request = deployRequest();
    const completed = withContract(request, {
      runtime: 'mlserver',
      modelName: 'iris-v2',
      modelVersion: '4',
      taken: [],
    });
    expect(completed.runtime).toBe('mlserver');
    expect(completed.modelVersion).toBe('4');
    expect(completed.strategy.analysis.smoke.target).toEqual({ model: 'iris-v2', version: '4' });
    expect(request.runtime).toBeUndefined();
    expect(request.strategy.analysis.smoke.target).toEqual({ model: 'iris', version: undefined });
  });

  it('keeps an analysis version the inputs gave', () => {
    const request = deployRequest();
    const given = {
      ...request,
      strategy: {
        ...request.strategy,
        analysis: {
          ...request.strategy.analysis,
          smoke: {
            ...request.strategy.analysis.smoke,
            target: { model: 'iris', version: '1' },
          },
        },
      },
    };
    const completed = withContract(given, { runtime: 'custom', modelVersion: '4', taken: [] });
    expect(completed.strategy.analysis.smoke.target.version).toBe('1');
  });

  it("speaks the runtime's protocol unless the protocol input chose one", () => {
    const triton = withAnalysisProtocol(deployRequest({ runtime: 'triton' }));
    expect(triton.strategy.analysis.smoke.protocol).toBe('v2');
    expect(withAnalysisProtocol(deployRequest()).strategy.analysis.smoke.protocol).toBe('http');
    const request = deployRequest({ runtime: 'triton' });
    const chosen = { ...request, strategy: { ...request.strategy, protocolGiven: true } };
    expect(withAnalysisProtocol(chosen).strategy.analysis.smoke.protocol).toBe('http');
  });

  it('reads nothing for a chart, and sets the protocol all the same', async () => {
    const completed = await completeFromImage(
      deployRequest({ chart: './charts/model', runtime: 'tfserving' }),
      silentLogger,
    );
    expect(completed.facts).toBeUndefined();
    expect(completed.request.strategy.analysis.smoke.protocol).toBe('tfserving');
  });
});

describe('reading the image early', () => {
  it('reads nothing for a chart, a restore or no image', () => {
    expect(readFactsEarly(deployRequest({ chart: './c' }), silentLogger)).toBeUndefined();
    expect(readFactsEarly(deployRequest({ image: '' }), silentLogger)).toBeUndefined();
  });

  it('holds its log lines until the render settles it, and tells them there', async () => {
    // A registry nothing listens on: with the runtime given, deploy goes on with a warning.
    const request = deployRequest({
      image: `127.0.0.1:9/models/iris@${DIGEST}`,
      runtime: 'triton',
    });
    const early = readFactsEarly(request, silentLogger)!;
    const logger = recordingLogger();
    const completed = await completeFromImage(request, logger, early);
    expect(completed.facts).toBeUndefined();
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toMatch(
      /127\.0\.0\.1:9.*deploying as runtime triton without checking/,
    );
  });

  it('reports a failed read when the image had to decide', async () => {
    const request = deployRequest({ image: `127.0.0.1:9/models/iris@${DIGEST}` });
    const early = readFactsEarly(request, silentLogger)!;
    await expect(completeFromImage(request, silentLogger, early)).rejects.toThrow(/127\.0\.0\.1:9/);
  });
});
