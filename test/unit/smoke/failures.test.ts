import { describe, expect, it } from 'vitest';
import { networkError } from '../../../shared/common/network.ts';
import {
  describeFailure,
  noAnswer,
  SmokeTestFailed,
  type Failure,
} from '../../../shared/smoke/failures.ts';

describe('smoke-test failures', () => {
  it('describes a failure by its kind', () => {
    expect(describeFailure({ kind: 'slo-miss', message: 'p95 300 ms' })).toBe(
      'latency SLO missed: p95 300 ms',
    );
  });

  it('puts the first failure in front with its hint, the others after', () => {
    const failures: Failure[] = [
      { kind: 'wrong-answer', message: 'y[0] is 0.2' },
      { kind: 'server-errors', message: '3 of 10 failed', hint: 'read the log' },
    ];
    const err = new SmokeTestFailed(failures, "model 'iris' at http://127.0.0.1:1");
    expect(err.message).toBe(
      "model 'iris' at http://127.0.0.1:1: wrong answer: y[0] is 0.2\n  also server errors: 3 of 10 failed",
    );
    expect(err.hint).toMatch(/widen `abs`\/`rel`/);
    expect(new SmokeTestFailed([failures[1]!]).hint).toBe('read the log');
  });

  it('words a request with no answer: the error code and the timeout', () => {
    const timeout = Object.assign(new Error('fetch failed'), {
      cause: { code: 'UND_ERR_CONNECT_TIMEOUT' },
    });
    expect(noAnswer('GET /ready', timeout, 5000)).toEqual({
      kind: 'server-errors',
      message: 'GET /ready got no answer: UND_ERR_CONNECT_TIMEOUT: fetch failed (timeout 5000 ms)',
    });
    const refused = Object.assign(new Error('connect refused'), { code: 'ECONNREFUSED' });
    expect(noAnswer('GET /ready', refused, 5000).message).toBe(
      'GET /ready got no answer: ECONNREFUSED: connect refused',
    );
  });

  it('keeps what a NetworkError already says, and its hint', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const err = networkError(refused, { host: '127.0.0.1:1', server: 'model server' })!;
    expect(err.hint).toBeDefined();
    const failure = noAnswer('POST /infer', err, 1000);
    expect(failure.message).toBe(`POST /infer: ${err.message}`);
    expect(failure.hint).toBe(err.hint);
  });
});
