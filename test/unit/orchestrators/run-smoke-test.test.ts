import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger, type Logger } from '../../../shared/common/logger.ts';
import { parseExpectations } from '../../../shared/smoke/expectations.ts';
import {
  resolveEndpoint,
  runSmokeTest,
  type SmokeTestRequest,
} from '../../../shared/orchestrators/run-smoke-test.ts';
import {
  classify,
  startModelServer,
  type ModelServer,
} from '../../support/model-server-fixture.ts';

function request(overrides: Partial<SmokeTestRequest> = {}): SmokeTestRequest {
  return {
    url: undefined,
    service: undefined,
    cluster: undefined,
    azure: {},
    insecureSkipTlsVerify: false,
    headers: {},
    managementUrl: undefined,
    protocol: 'v2',
    http: { method: 'GET', path: '/', readyPath: undefined },
    target: { model: 'iris', version: undefined },
    request: undefined,
    expect: undefined,
    openapi: undefined,
    requests: 0,
    concurrency: 1,
    warmup: 0,
    waitReadyMs: 5_000,
    timeoutMs: 5_000,
    slo: { p95Ms: undefined, errorRate: 0 },
    ...overrides,
  };
}

let server: ModelServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe('runSmokeTest', () => {
  it('tests the model at a URL, each stage under its own group', async () => {
    server = await startModelServer({ protocol: 'v2' });
    const groups: string[] = [];
    const outcome = await runSmokeTest(
      request({
        url: server.url,
        requests: 4,
        expect: parseExpectations({ outputs: { probabilities: classify([1, 1, 1, 1]) } }),
      }),
      {
        logger: silentLogger,
        group: (title, body) => {
          groups.push(title);
          return body();
        },
      },
    );
    expect(outcome.result.failures).toEqual([]);
    expect(outcome.result.passed).toBe(true);
    expect(outcome.result.load?.requests).toBe(4);
    expect(outcome.endpoint.baseUrl).toBe(server.url);
    expect(groups).toEqual(['Connect', `Smoke test ${outcome.endpoint.displayName}`]);
  });

  it('fails the verdict, not the call, when the model answers wrongly', async () => {
    server = await startModelServer({ protocol: 'v2', mode: 'wrong-answer' });
    const outcome = await runSmokeTest(
      request({
        url: server.url,
        expect: parseExpectations({ outputs: { probabilities: classify([1, 1, 1, 1]) } }),
      }),
      { logger: silentLogger },
    );
    expect(outcome.result.passed).toBe(false);
    expect(outcome.result.failures.map((f) => f.kind)).toContain('wrong-answer');
  });

  it('sends the headers given to the model server', async () => {
    server = await startModelServer({ protocol: 'v2' });
    await runSmokeTest(request({ url: server.url, headers: { 'x-tenant': 'ml-platform' } }), {
      logger: silentLogger,
    });
    expect(server.lastHeaders()['x-tenant']).toBe('ml-platform');
  });
});

describe('resolveEndpoint', () => {
  it('names a REST endpoint by origin and path, a gRPC one by host', async () => {
    const rest = await resolveEndpoint(
      request({ url: 'http://127.0.0.1:9/prefix/' }),
      silentLogger,
    );
    expect(rest.displayName).toBe('http://127.0.0.1:9/prefix');
    expect(rest.input).toBe('url');
    const grpc = await resolveEndpoint(
      request({ url: 'grpc://127.0.0.1:9', protocol: 'v2-grpc' }),
      silentLogger,
    );
    expect(grpc.displayName).toBe('grpc://127.0.0.1:9');
  });

  it('reaches a Service through the cluster of a kubeconfig, warning that the token is replaced', async () => {
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warning: (m) => warnings.push(m) };
    await expect(
      resolveEndpoint(
        request({
          service: { namespace: 'models', name: 'iris', port: '8000' },
          cluster: 'kubeconfig:/nonexistent/kubeconfig',
          headers: { authorization: 'Bearer abc' },
        }),
        logger,
      ),
    ).rejects.toThrow(/kubeconfig/);
    expect(warnings.join('\n')).toMatch(/replaced by the cluster credentials/);
  });
});
