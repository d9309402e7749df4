import { describe, expect, it } from 'vitest';
import {
  contradictionOf,
  reconcileWithImage,
  takenFromImage,
} from '../../../shared/kube/image-contract.ts';
import type { ImageFacts } from '../../../shared/model/image-facts.ts';

const packaged: ImageFacts = {
  runtime: 'mlserver',
  version: '7',
  modelName: 'iris',
  ports: [8080, 8081],
  health: { live: '/v2/health/live', ready: '/v2/health/ready' },
  sources: ['annotations', 'model card'],
};

describe('the image as the contract between package and deploy', () => {
  it('fills in what the inputs leave unset, and says so', () => {
    const contract = reconcileWithImage({}, packaged, 'reg/iris@sha256:x');
    expect(contract).toMatchObject({ runtime: 'mlserver', modelName: 'iris', modelVersion: '7' });
    expect(contract.taken).toEqual([
      'runtime: mlserver, as package recorded it in the image',
      "port: 8080, from the image's model card",
      "health paths: /v2/health/ready (ready), /v2/health/live (live), from the image's model card",
      'model name: iris, as package recorded it in the image',
      'model version: 7, as package recorded it in the image',
    ]);
  });

  it('keeps what the inputs give when the image agrees, and takes nothing for them', () => {
    const given = { runtime: 'mlserver' as const, port: 8080, model: 'iris', modelVersion: '7' };
    expect(contradictionOf(given, packaged)).toBeUndefined();
    expect(takenFromImage(given, packaged)).toEqual([
      "health paths: /v2/health/ready (ready), /v2/health/live (live), from the image's model card",
    ]);
  });

  it('is custom without a runtime from the inputs or the image', () => {
    expect(reconcileWithImage({}, undefined, 'busybox')).toEqual({ runtime: 'custom', taken: [] });
    expect(reconcileWithImage({ model: 'm' }, undefined, 'busybox').modelName).toBe('m');
  });

  it.each([
    [{ runtime: 'triton' as const }, 'runtime', /it was packaged for mlserver/],
    [{ port: 9000 }, 'port', /answers HTTP on port 8080/],
    [{ healthPath: '/ready' }, 'health-path', /reports ready at \/v2\/health\/ready/],
    [{ model: 'other' }, 'model', /serves the model 'iris'/],
    [{ modelVersion: '8' }, 'model-version', /holds version '7' of the model/],
  ])('refuses %j, which the image says otherwise about', (given, input, recorded) => {
    expect(contradictionOf(given, packaged)?.input).toBe(input);
    expect(() => reconcileWithImage(given, packaged, 'reg/iris:7')).toThrow(
      new RegExp(`input '${input}' is '[^']+', but reg/iris:7 says .*${recorded.source}`),
    );
  });

  it('reads a version annotation as the model version only in an image package built', () => {
    const foreign: ImageFacts = { version: '1.2', sources: ['annotations'] };
    expect(contradictionOf({ modelVersion: '9' }, foreign)).toBeUndefined();
  });
});
