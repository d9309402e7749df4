import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../shared/common/logger.ts';
import type {
  Protocol,
  ProtocolContext,
  Readiness,
} from '../../../shared/smoke/protocols/types.ts';
import { waitUntilReady } from '../../../shared/smoke/readiness.ts';

function protocolAnswering(answers: Array<Readiness | Error>): Protocol & { probes: number } {
  const protocol = {
    name: 'v2' as const,
    transport: 'http' as const,
    needsModel: true,
    probes: 0,
    async probe() {
      const answer = answers[Math.min(protocol.probes++, answers.length - 1)] as Readiness | Error;
      if (answer instanceof Error) throw answer;
      return answer;
    },
    metadata: async () => undefined,
    inferenceRequest: () => ({ method: 'GET' as const, path: '/' }),
    readOutputs: () => ({ tensors: [] }),
  };
  return protocol;
}

const context = {} as ProtocolContext;

describe('waiting for readiness', () => {
  it('probes with growing, capped backoff until ready', async () => {
    const delays: number[] = [];
    const protocol = protocolAnswering([
      new Error('connect ECONNREFUSED'),
      { ready: false, detail: 'loading' },
      { ready: false, detail: 'loading' },
      { ready: true, detail: 'ready now' },
    ]);
    const result = await waitUntilReady(
      protocol,
      context,
      { model: 'm', version: undefined },
      {
        waitReadyMs: 60_000,
        logger: silentLogger,
        sleep: async (ms) => {
          delays.push(ms);
        },
      },
    );
    expect(result).toMatchObject({ ready: true, attempts: 4, detail: 'ready now' });
    expect(delays).toHaveLength(3);
    delays.forEach((d, i) => expect(d).toBeLessThanOrEqual(Math.min(5000, 250 * 2 ** i)));
  });

  it('calls a server that never answered unreachable, with the last error', async () => {
    const result = await waitUntilReady(
      protocolAnswering([new Error('connect ECONNREFUSED 127.0.0.1:1')]),
      context,
      { model: 'm', version: undefined },
      {
        waitReadyMs: 300,
        logger: silentLogger,
      },
    );
    expect(result.ready).toBe(false);
    expect(result.failure?.kind).toBe('unreachable');
    expect(result.failure?.message).toMatch(
      /^no answer within 0\.3s \(\d+ probes\); last error: connect ECONNREFUSED 127\.0\.0\.1:1$/,
    );
  });

  it('calls a server that answered "not yet" not ready, with its last answer', async () => {
    const result = await waitUntilReady(
      protocolAnswering([new Error('reset'), { ready: false, detail: 'version 1 LOADING' }]),
      context,
      { model: 'm', version: undefined },
      { waitReadyMs: 300, logger: silentLogger },
    );
    expect(result.failure?.kind).toBe('not-ready');
    expect(result.failure?.message).toMatch(/last answer: version 1 LOADING$/);
  });
});
