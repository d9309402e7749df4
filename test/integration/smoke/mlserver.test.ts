import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../shared/common/logger.ts';
import { openApiDocument } from '../../../shared/model/openapi-document.ts';
import { mlserver as mlserverRuntime } from '../../../shared/model/runtimes/mlserver.ts';
import { parseExpectations } from '../../../shared/smoke/expectations.ts';
import { OpenApiValidator } from '../../../shared/smoke/openapi-conformance.ts';
import type { GrpcContents, ProtocolName } from '../../../shared/smoke/protocols/index.ts';
import { smokeTestEndpoint, type SmokeTestResult } from '../../../shared/smoke/smoke-test.ts';
import {
  IRIS_FEATURES,
  mlserverDefaults,
  readSettings,
  startMlserver,
  trainIrisModel,
  type LocalMlserver,
  type TrainedModel,
} from '../../support/mlserver.ts';

/**
 * The smoke test against a real third-party model server: MLServer from
 * PyPI serving a scikit-learn model over the Open Inference Protocol, REST
 * and gRPC, from a model repository laid out by our own mlserver profile.
 */

let work: string;
let trained: TrainedModel;
let server: LocalMlserver;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'md-mlserver-test-'));
  trained = await trainIrisModel(join(work, 'iris'));
  server = await startMlserver({ modelDir: trained.dir, name: 'iris', version: '1' });
  console.info(`MLServer ready in ${(server.startMs / 1000).toFixed(1)} s (pid ${server.pid})`);
}, 240_000);

afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** The REST form of an inference request for the setosa row, asking for class probabilities. */
const REQUEST = {
  inputs: [{ name: 'features', shape: [1, 4], datatype: 'FP64', data: [...IRIS_FEATURES.setosa] }],
  outputs: [{ name: 'predict_proba' }],
};

function expectations(probabilities: number[]) {
  return parseExpectations({
    outputs: { predict_proba: probabilities },
    'top-k': {
      output: 'predict_proba',
      label: 'setosa',
      labels: ['setosa', 'versicolor', 'virginica'],
    },
  });
}

async function smoke(
  protocol: ProtocolName,
  overrides: {
    model?: string;
    probabilities?: number[];
    contents?: GrpcContents;
    url?: string;
    waitReadyMs?: number;
    requests?: number;
    openapi?: OpenApiValidator;
  } = {},
): Promise<SmokeTestResult> {
  const url = overrides.url ?? (protocol === 'v2-grpc' ? server.grpcUrl : server.httpUrl);
  return smokeTestEndpoint({
    endpoint: { baseUrl: url, headers: {}, displayName: url },
    protocol,
    http: { method: 'POST', path: '/', readyPath: undefined },
    grpcContents: overrides.contents ?? 'typed',
    target: { model: overrides.model ?? 'iris', version: '1' },
    request: REQUEST,
    expect: expectations(overrides.probabilities ?? trained.probabilities.setosa),
    openapi: overrides.openapi,
    requests: overrides.requests ?? 20,
    concurrency: 2,
    warmup: 2,
    waitReadyMs: overrides.waitReadyMs ?? 20_000,
    timeoutMs: 10_000,
    slo: { p95Ms: undefined, errorRate: 0 },
    logger: silentLogger,
  });
}

describe('MLServer, the real Open Inference Protocol server', () => {
  it('serves what the mlserver runtime profile declares: ports, health paths, model-settings.json', async () => {
    const defaults = await mlserverDefaults();
    expect(defaults.version).toBe('1.7.1');
    const ports = Object.fromEntries(mlserverRuntime.ports.map((p) => [p.name, p.port]));
    expect(ports).toEqual({
      http: defaults.httpPort,
      grpc: defaults.grpcPort,
      metrics: defaults.metricsPort,
    });
    for (const path of [mlserverRuntime.health.live, mlserverRuntime.health.ready]) {
      const res = await fetch(`${server.httpUrl}${path}`);
      expect(res.status, path).toBe(200);
    }
    // The settings the profile generated are the ones MLServer loaded the model from.
    expect(readSettings(server.repository, 'iris')).toEqual({
      name: 'iris',
      implementation: 'mlserver_sklearn.SKLearnModel',
      parameters: { uri: './model.joblib', version: '1' },
    });
    const ready = await fetch(`${server.httpUrl}/v2/models/iris/versions/1/ready`);
    expect(ready.status).toBe(200);
  });

  it.each(['v2', 'v2-grpc'] as const)(
    'passes over %s with the golden output and latency',
    async (protocol) => {
      const result = await smoke(protocol);
      expect(result.failures).toEqual([]);
      expect(result.metadata?.name).toBe('iris');
      // MLServer lists dependency versions, not model versions: the version is confirmed by asking for it.
      expect(result.metadata?.versionServed).toBe(true);
      expect(result.inference?.outputs?.version).toBe('1');
      expect(result.inference?.compared.map((c) => c.ok)).toEqual([true, true, true]);
      expect(result.load?.requests).toBe(20);
      expect(result.load?.failed).toBe(0);
    },
  );

  it('answers over REST as the OpenAPI document package writes for the mlserver runtime says', async () => {
    const document = openApiDocument({ runtime: mlserverRuntime, name: 'iris', version: '1' });
    const result = await smoke('v2', { openapi: new OpenApiValidator(document), requests: 0 });
    expect(result.failures).toEqual([]);
    // Readiness, the versioned metadata and the inference.
    expect(result.validatedResponses).toBeGreaterThanOrEqual(3);
  });

  it('passes over v2-grpc with raw tensor contents, which MLServer answers raw', async () => {
    const result = await smoke('v2-grpc', { contents: 'raw', requests: 5 });
    expect(result.failures).toEqual([]);
    expect(result.inference?.outputs?.tensors[0]?.data).toHaveLength(3);
  });

  it.each(['v2', 'v2-grpc'] as const)('fails a wrong golden output over %s', async (protocol) => {
    const wrong = [...trained.probabilities.setosa].reverse();
    const result = await smoke(protocol, { probabilities: wrong, requests: 0 });
    expect(result.failures.map((f) => f.kind)).toEqual(['wrong-answer']);
    expect(result.failures[0]!.message).toMatch(
      /^output 'predict_proba' index 0: expected 0\.\d+, got 0\.\d+ \(off by 0\.\d+\); tolerance abs/,
    );
  });

  it.each(['v2', 'v2-grpc'] as const)(
    'fails an unknown model over %s, naming it',
    async (protocol) => {
      const result = await smoke(protocol, { model: 'nope', waitReadyMs: 1500, requests: 0 });
      expect(result.failures.map((f) => f.kind)).toEqual(['not-ready']);
      expect(result.failures[0]!.message).toMatch(
        /last answer: .*Model nope with version 1 not found/,
      );
    },
  );
});

describe('MLServer stopped', () => {
  it.each(['v2', 'v2-grpc'] as const)(
    'is unreachable over %s, naming the server',
    async (protocol) => {
      await server.stop();
      const url = protocol === 'v2-grpc' ? server.grpcUrl : server.httpUrl;
      const result = await smoke(protocol, { waitReadyMs: 1000, requests: 0 });
      expect(result.failures.map((f) => f.kind)).toEqual(['unreachable']);
      expect(result.failures[0]!.message).toMatch(
        /^no answer within 1s \(\d+ probes\); last error: /,
      );
      expect(result.failures[0]!.message).toContain(`ECONNREFUSED`);
      expect(result.failures[0]!.message).toContain(new URL(url).port);
    },
  );
});
