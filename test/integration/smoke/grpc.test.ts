import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../shared/common/logger.ts';
import type { Endpoint } from '../../../shared/smoke/endpoint.ts';
import { parseExpectations } from '../../../shared/smoke/expectations.ts';
import type { GrpcContents } from '../../../shared/smoke/protocols/index.ts';
import { smokeTestEndpoint, type SmokeTestResult } from '../../../shared/smoke/smoke-test.ts';
import {
  startGrpcModelServer,
  type GrpcModelServer,
  type GrpcModelServerOptions,
} from '../../support/grpc-model-server.ts';
import { classify, IRIS_LABELS, SAMPLES } from '../../support/model-server-fixture.ts';
import { freePort } from '../../support/processes.ts';
import { startNameMappingProxy } from '../../support/name-mapping-proxy.ts';

let server: GrpcModelServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const probabilities = classify(SAMPLES.setosa);
const topK = { label: 'setosa', labels: [...IRIS_LABELS], output: 'probabilities' };

/** For each gRPC protocol: the setosa sample and its correct answer, as the REST protocols take them. */
const CASES = [
  {
    protocol: 'v2-grpc' as const,
    request: {
      inputs: [{ name: 'input', shape: [1, 4], datatype: 'FP32', data: [...SAMPLES.setosa] }],
    },
    expect: {
      outputs: { probabilities },
      'top-k': topK,
      signature: { inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 4] }] },
    },
  },
  {
    protocol: 'tfserving-grpc' as const,
    request: { instances: [[...SAMPLES.setosa]] },
    expect: {
      outputs: { probabilities },
      'top-k': topK,
      signature: { inputs: [{ name: 'features', datatype: 'DT_FLOAT', shape: [-1, 4] }] },
    },
  },
];
type Case = (typeof CASES)[number];

async function smoke(
  testCase: Case,
  serverOptions: GrpcModelServerOptions,
  overrides: {
    requests?: number;
    sloP95Ms?: number;
    waitReadyMs?: number;
    contents?: GrpcContents;
    endpoint?: Partial<Endpoint>;
    request?: unknown;
  } = {},
): Promise<SmokeTestResult> {
  server = await startGrpcModelServer({ slowMs: 60, ...serverOptions });
  return smokeTestEndpoint({
    endpoint: {
      baseUrl: server.url,
      headers: {},
      displayName: server.url,
      ...(server.caPem === undefined ? {} : { tls: { ca: server.caPem } }),
      ...overrides.endpoint,
    },
    protocol: testCase.protocol,
    http: { method: 'POST', path: '/', readyPath: undefined },
    grpcContents: overrides.contents ?? 'typed',
    target: { model: 'iris', version: '1' },
    request: 'request' in overrides ? overrides.request : testCase.request,
    expect: parseExpectations(testCase.expect),
    openapi: undefined,
    requests: overrides.requests ?? 30,
    concurrency: 4,
    warmup: 2,
    waitReadyMs: overrides.waitReadyMs ?? 10_000,
    timeoutMs: 5000,
    slo: { p95Ms: overrides.sloP95Ms, errorRate: 0 },
    logger: silentLogger,
  });
}

function kinds(result: SmokeTestResult): string[] {
  return result.failures.map((f) => f.kind);
}

describe.each(CASES)('protocol $protocol against the gRPC model server', (testCase) => {
  it.each(['typed', 'raw'] as const)(
    'passes a good server with %s tensor contents, latency measured',
    async (contents) => {
      const result = await smoke(testCase, {}, { contents });
      expect(result.failures).toEqual([]);
      expect(result.inference?.statusText).toBe('OK');
      expect(result.inference?.call).toMatch(
        /^(inference|tensorflow\.serving)\.\w+\/(ModelInfer|Predict)$/,
      );
      expect(result.load?.requests).toBe(30);
      expect(result.load?.failed).toBe(0);
      expect(result.load?.histogram.count).toBe(30);
      expect(result.load!.latency.p99).toBeGreaterThanOrEqual(result.load!.latency.p50);
      // check + warm-up + load all reached the model
      expect(server!.inferences()).toBe(1 + 2 + 30);
      expect(result.inference?.compared.every((c) => c.ok)).toBe(true);
    },
  );

  it('builds the default request from the served signature', async () => {
    const result = await smoke(testCase, {}, { request: undefined, requests: 0 });
    expect(result.failures.filter((f) => f.kind !== 'wrong-answer')).toEqual([]);
    expect(result.inference?.statusText).toBe('OK');
    expect(result.inference?.outputs?.tensors[0]?.data).toEqual(classify([1, 1, 1, 1]));
  });

  it('fails a wrong answer with a diff', async () => {
    const result = await smoke(testCase, { mode: 'wrong-answer' }, { requests: 0 });
    expect(kinds(result)).toEqual(['wrong-answer']);
    expect(result.failures[0]!.message).toMatch(
      /output 'probabilities' index 0: expected 0\.\d+, got [\d.e-]+ \(off by [\d.e-]+\)/,
    );
    expect(result.failures[0]!.message).toMatch(/expected 'setosa' in the top 1, got 'virginica'/);
  });

  it('fails a slow server on the p95 SLO', async () => {
    const result = await smoke(testCase, { mode: 'slow' }, { requests: 12, sloP95Ms: 30 });
    expect(kinds(result)).toEqual(['slo-miss']);
    expect(result.failures[0]!.message).toMatch(/^p95 \d+\.\d ms > slo-p95-ms 30 /);
  });

  it('counts UNAVAILABLE answers as errors under load, by gRPC status', async () => {
    const result = await smoke(testCase, { mode: 'errors' }, { requests: 30 });
    expect(kinds(result)).toEqual(['server-errors']);
    expect(result.load?.failed).toBe(9);
    expect(result.failures[0]!.message).toContain('gRPC UNAVAILABLE ×9');
  });

  it('fails a wrong model version', async () => {
    const result = await smoke(testCase, { mode: 'wrong-version' }, { requests: 0 });
    expect(kinds(result)).toContain('wrong-version');
    expect(result.failures.find((f) => f.kind === 'wrong-version')!.message).toMatch(
      /expected version 1 of 'iris', the server serves version 2/,
    );
  });

  it('reports a model that never becomes ready, with its last answer', async () => {
    const result = await smoke(testCase, { mode: 'never-ready' }, { waitReadyMs: 1500 });
    expect(kinds(result)).toEqual(['not-ready']);
    expect(result.failures[0]!.message).toMatch(
      /^not ready after 1\.5s \(\d+ probes\); last answer: /,
    );
    expect(result.failures[0]!.message).toMatch(/ready: false|LOADING/);
  });

  it('sends the bearer token as authorization metadata, and fails plainly without it', async () => {
    const good = await smoke(
      testCase,
      { token: 's3cret' },
      {
        requests: 2,
        endpoint: { headers: { authorization: 'Bearer s3cret', 'X-Tenant': 'ml' } },
      },
    );
    expect(good.failures).toEqual([]);
    expect(server!.lastMetadata()).toMatchObject({
      authorization: 'Bearer s3cret',
      'x-tenant': 'ml',
    });
    await server!.stop();
    const refused = await smoke(testCase, { token: 's3cret' }, { requests: 0, waitReadyMs: 1000 });
    expect(kinds(refused)).toEqual(['not-ready']);
    expect(refused.failures[0]!.message).toContain(
      'UNAUTHENTICATED: missing or wrong bearer token',
    );
  });
});

describe('gRPC transport', () => {
  const v2 = CASES[0]!;

  it('verifies TLS against a private CA, and refuses an unknown certificate at once', async () => {
    const trusted = await smoke(v2, { tls: true }, { requests: 3 });
    expect(trusted.failures).toEqual([]);
    await server!.stop();
    // The first smoke test gave the CA through the endpoint; without it the certificate is refused.
    server = await startGrpcModelServer({ tls: true });
    const refused = await smokeTestEndpoint({
      endpoint: { baseUrl: server.url, headers: {}, displayName: server.url },
      protocol: 'v2-grpc',
      http: { method: 'POST', path: '/', readyPath: undefined },
      target: { model: 'iris', version: undefined },
      request: v2.request,
      expect: undefined,
      openapi: undefined,
      requests: 0,
      concurrency: 1,
      warmup: 0,
      waitReadyMs: 60_000,
      timeoutMs: 5000,
      slo: { p95Ms: undefined, errorRate: 0 },
      logger: silentLogger,
    });
    expect(kinds(refused)).toEqual(['unreachable']);
    expect(refused.failures[0]!.message).toMatch(
      /^grpcs:\/\/127\.0\.0\.1:\d+: the server's TLS certificate was not accepted: unable to verify the first certificate \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)$/,
    );
    // Not retried for the whole wait: a refused certificate stays refused.
    expect(refused.readiness.attempts).toBe(1);
  });

  it('says a stopped server is unreachable, naming it and the connection error', async () => {
    const port = await freePort();
    const result = await smokeTestEndpoint({
      endpoint: {
        baseUrl: `grpc://127.0.0.1:${port}`,
        headers: {},
        displayName: `grpc://127.0.0.1:${port}`,
      },
      protocol: 'tfserving-grpc',
      http: { method: 'POST', path: '/', readyPath: undefined },
      target: { model: 'iris', version: undefined },
      request: undefined,
      expect: undefined,
      openapi: undefined,
      requests: 0,
      concurrency: 1,
      warmup: 0,
      waitReadyMs: 1000,
      timeoutMs: 1000,
      slo: { p95Ms: undefined, errorRate: 0 },
      logger: silentLogger,
    });
    expect(kinds(result)).toEqual(['unreachable']);
    expect(result.failures[0]!.message).toMatch(
      new RegExp(
        `^no answer within 1s \\(\\d+ probes\\); last error: grpc://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`,
      ),
    );
  });

  it('goes through the proxy in HTTPS_PROXY, spelled in capitals as runners often do', async () => {
    const proxy = await startNameMappingProxy();
    const saved = { ...process.env };
    try {
      for (const name of ['https_proxy', 'http_proxy', 'no_proxy', 'grpc_proxy', 'no_grpc_proxy'])
        delete process.env[name];
      process.env.HTTPS_PROXY = proxy.url;
      process.env.NO_PROXY = '';
      server = await startGrpcModelServer();
      const port = new URL(server.url).port;
      // A name no resolver knows: only the proxy can reach it (it maps every host to 127.0.0.1).
      const result = await smokeTestEndpoint({
        endpoint: { baseUrl: `grpc://models.grpc.test:${port}`, headers: {}, displayName: 'x' },
        protocol: 'v2-grpc',
        http: { method: 'POST', path: '/', readyPath: undefined },
        target: { model: 'iris', version: '1' },
        request: CASES[0]!.request,
        expect: parseExpectations(CASES[0]!.expect),
        openapi: undefined,
        requests: 3,
        concurrency: 1,
        warmup: 0,
        waitReadyMs: 10_000,
        timeoutMs: 5000,
        slo: { p95Ms: undefined, errorRate: 0 },
        logger: silentLogger,
      });
      expect(result.failures).toEqual([]);
      expect(proxy.requested).toContain(`models.grpc.test:${port}`);
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
      await proxy.stop();
    }
  });

  it('refuses a request given as the message when it is not one, naming the message', async () => {
    await expect(
      smoke(
        CASES[0]!,
        {},
        {
          request: { inputs: [{ name: 'input', datatype: 'FP32', shape: [1], contents: 'oops' }] },
          requests: 0,
        },
      ),
    ).rejects.toThrow(
      /^the request is not a valid inference\.ModelInferRequest: .*contents: object expected/,
    );
  });

  it('refuses expect.status, an HTTP status, for a gRPC protocol', async () => {
    await expect(
      smokeTestEndpoint({
        endpoint: { baseUrl: 'grpc://127.0.0.1:9', headers: {}, displayName: 'x' },
        protocol: 'v2-grpc',
        http: { method: 'POST', path: '/', readyPath: undefined },
        target: { model: 'iris', version: undefined },
        request: undefined,
        expect: parseExpectations({ status: 200 }),
        openapi: undefined,
        requests: 0,
        concurrency: 1,
        warmup: 0,
        waitReadyMs: 1000,
        timeoutMs: 1000,
        slo: { p95Ms: undefined, errorRate: 0 },
        logger: silentLogger,
      }),
    ).rejects.toThrow('expect.status is an HTTP status, and protocol v2-grpc speaks gRPC');
  });
});
