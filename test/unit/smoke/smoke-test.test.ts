import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../shared/common/errors.ts';
import { silentLogger } from '../../../shared/common/logger.ts';
import { parseExpectations } from '../../../shared/smoke/expectations.ts';
import { OpenApiValidator } from '../../../shared/smoke/openapi-conformance.ts';
import { smokeTestEndpoint, type SmokeTestOptions } from '../../../shared/smoke/smoke-test.ts';
import {
  classify,
  startModelServer,
  type ModelServer,
} from '../../support/model-server-fixture.ts';
import { freePort } from '../../support/processes.ts';

let server: ModelServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

function options(url: string, more: Partial<SmokeTestOptions> = {}): SmokeTestOptions {
  return {
    endpoint: { baseUrl: url, headers: {}, displayName: url },
    protocol: 'v2',
    http: { method: 'GET', path: '/', readyPath: undefined },
    target: { model: 'iris', version: undefined },
    request: undefined,
    expect: undefined,
    openapi: undefined,
    requests: 0,
    concurrency: 2,
    warmup: 0,
    waitReadyMs: 3_000,
    timeoutMs: 2_000,
    slo: { p95Ms: undefined, errorRate: 0 },
    logger: silentLogger,
    ...more,
  };
}

describe('smokeTestEndpoint', () => {
  it('passes a good server: ready, metadata, the answer expected, the load within its SLO', async () => {
    server = await startModelServer({ protocol: 'v2' });
    const result = await smokeTestEndpoint(
      options(server.url, {
        expect: parseExpectations({ outputs: { probabilities: classify([1, 1, 1, 1]) } }),
        requests: 6,
        slo: { p95Ms: 5_000, errorRate: 0 },
      }),
    );
    expect(result.failures).toEqual([]);
    expect(result.passed).toBe(true);
    expect(result.readiness.ready).toBe(true);
    expect(result.metadata?.name).toBe('iris');
    expect(result.inference?.statusText).toBe('200');
    expect(result.load?.requests).toBe(6);
    expect(result.firstCorrectMs).toBeGreaterThanOrEqual(0);
    // One inference check and six load requests reached the model.
    expect(server.inferences()).toBe(7);
  });

  it('lists every failure of a server that answers with the wrong version', async () => {
    server = await startModelServer({ protocol: 'v2', mode: 'wrong-version', version: '1' });
    const result = await smokeTestEndpoint(
      options(server.url, { target: { model: 'iris', version: '1' } }),
    );
    expect(result.passed).toBe(false);
    expect(result.failures.map((f) => f.kind)).toContain('wrong-version');
    expect(result.firstCorrectMs).toBeUndefined();
  });

  it('stops early when the server never answers', async () => {
    const result = await smokeTestEndpoint(
      options(`http://127.0.0.1:${await freePort()}`, { waitReadyMs: 300 }),
    );
    expect(result.passed).toBe(false);
    expect(result.failures.map((f) => f.kind)).toEqual(['unreachable']);
    expect(result.inference).toBeUndefined();
    expect(result.metadata).toBeUndefined();
  });

  it('validates the answers the OpenAPI document describes', async () => {
    server = await startModelServer({ protocol: 'v2' });
    const document = {
      openapi: '3.1.0',
      info: { title: 'v2', version: '1' },
      paths: {
        '/v2/models/{name}/infer': {
          post: {
            responses: {
              '200': {
                content: {
                  'application/json': { schema: { type: 'object', required: ['no_such_field'] } },
                },
              },
            },
          },
        },
      },
    };
    const result = await smokeTestEndpoint(
      options(server.url, { openapi: new OpenApiValidator(document) }),
    );
    expect(result.validatedResponses).toBe(1);
    expect(result.failures.map((f) => f.kind)).toEqual(['schema-violation']);
  });

  it('refuses an HTTP status expected of a gRPC protocol before connecting', async () => {
    await expect(
      smokeTestEndpoint(
        options('grpc://127.0.0.1:1', {
          protocol: 'v2-grpc',
          expect: parseExpectations({ status: 200 }),
        }),
      ),
    ).rejects.toBeInstanceOf(UserError);
  });
});
