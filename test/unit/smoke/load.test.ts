import { afterEach, describe, expect, it } from 'vitest';
import { SmokeClient } from '../../../shared/smoke/http-client.ts';
import { runLoad } from '../../../shared/smoke/load.ts';
import { SAMPLES, startModelServer, type ModelServer } from '../../support/model-server-fixture.ts';

let server: ModelServer | undefined;
let client: SmokeClient | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
  await server?.stop();
  server = undefined;
});

const request = {
  method: 'POST' as const,
  path: '/v2/models/iris/infer',
  body: JSON.stringify({
    inputs: [{ name: 'input', shape: [1, 4], datatype: 'FP32', data: [...SAMPLES.setosa] }],
  }),
};

describe('runLoad', () => {
  it('sends the warm-up, then the measured requests, and counts them', async () => {
    server = await startModelServer({ protocol: 'v2' });
    client = new SmokeClient(
      { baseUrl: server.url, headers: {}, displayName: server.url },
      { timeoutMs: 5_000, connections: 3 },
    );
    const load = await runLoad(client, { requests: 12, concurrency: 3, warmup: 4, request });
    expect(server.inferences()).toBe(16);
    expect(load.requests).toBe(12);
    expect(load.failed).toBe(0);
    expect(load.errorRate).toBe(0);
    expect(load.statuses).toEqual({ '200': 12 });
    expect(load.histogram.count).toBe(12);
    expect(load.latency.p50).toBeLessThanOrEqual(load.latency.p99);
  });

  it('counts server errors as failures, with an example', async () => {
    server = await startModelServer({ protocol: 'v2', mode: 'errors' });
    client = new SmokeClient(
      { baseUrl: server.url, headers: {}, displayName: server.url },
      { timeoutMs: 5_000, connections: 2 },
    );
    const load = await runLoad(client, { requests: 20, concurrency: 2, warmup: 0, request });
    expect(load.failed).toBeGreaterThan(0);
    expect(load.errorRate).toBe(load.failed / 20);
    expect(load.examples.length).toBeGreaterThan(0);
    // A status that is a success by the caller's rule is not a failure.
    const lenient = await runLoad(client, {
      requests: 10,
      concurrency: 2,
      warmup: 0,
      request,
      isSuccess: () => true,
    });
    expect(lenient.failed).toBe(0);
  });
});
