import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../shared/common/logger.ts';
import { parseExpectations } from '../../../shared/smoke/expectations.ts';
import { SmokeClient, type HttpRequest } from '../../../shared/smoke/http-client.ts';
import { checkInference } from '../../../shared/smoke/inference-check.ts';
import { protocolFor, type ProtocolContext } from '../../../shared/smoke/protocols/index.ts';
import {
  classify,
  SAMPLES,
  startModelServer,
  type ModelServer,
} from '../../support/model-server-fixture.ts';
import { freePort } from '../../support/processes.ts';

const HTTP = { method: 'GET' as const, path: '/', readyPath: undefined };
let server: ModelServer | undefined;
let context: ProtocolContext | undefined;
afterEach(async () => {
  await context?.client.close();
  context = undefined;
  await server?.stop();
  server = undefined;
});

function contextFor(url: string): ProtocolContext {
  const client = new SmokeClient(
    { baseUrl: url, headers: {}, displayName: url },
    { timeoutMs: 2_000, connections: 1 },
  );
  return { client, management: undefined, record: () => {} };
}

function inferRequest(features: readonly number[]): HttpRequest {
  return {
    method: 'POST',
    path: '/v2/models/iris/infer',
    body: JSON.stringify({
      inputs: [{ name: 'input', shape: [1, 4], datatype: 'FP32', data: [...features] }],
    }),
  };
}

const settings = (expect_: unknown) => ({
  protocol: 'v2' as const,
  target: { model: 'iris', version: undefined },
  request: undefined,
  expect: expect_ === undefined ? undefined : parseExpectations(expect_),
  timeoutMs: 2_000,
  logger: silentLogger,
  metadata: undefined,
});

describe('checkInference', () => {
  it('reads the outputs and compares them with expect', async () => {
    server = await startModelServer({ protocol: 'v2' });
    context = contextFor(server.url);
    const request = inferRequest(SAMPLES.setosa);
    const check = await checkInference(
      protocolFor('v2', HTTP),
      context,
      request,
      settings({ outputs: { probabilities: classify(SAMPLES.setosa) } }),
    );
    expect(check.failures).toEqual([]);
    expect(check.request).toBe(request);
    expect(check.inference?.call).toBe('POST /v2/models/iris/infer');
    expect(check.inference?.compared.length).toBe(3);
    expect(check.inference?.compared.every((c) => c.ok)).toBe(true);
  });

  it('reports a wrong answer with the values compared', async () => {
    server = await startModelServer({ protocol: 'v2', mode: 'wrong-answer' });
    context = contextFor(server.url);
    const check = await checkInference(
      protocolFor('v2', HTTP),
      context,
      inferRequest(SAMPLES.setosa),
      settings({ outputs: { probabilities: classify(SAMPLES.setosa) } }),
    );
    expect(check.failures.map((f) => f.kind)).toEqual(['wrong-answer']);
    expect(check.inference?.compared.some((c) => !c.ok)).toBe(true);
  });

  it('reports a status other than the one expected', async () => {
    server = await startModelServer({ protocol: 'v2' });
    context = contextFor(server.url);
    const check = await checkInference(
      protocolFor('v2', HTTP),
      context,
      { ...inferRequest(SAMPLES.setosa), path: '/v2/models/other/infer' },
      settings(undefined),
    );
    expect(check.failures).toHaveLength(1);
    expect(check.failures[0]!.kind).toBe('bad-status');
    expect(check.failures[0]!.message).toMatch(/expected 2xx/);
  });

  it('turns no answer into a failure and keeps the request for the load', async () => {
    context = contextFor(`http://127.0.0.1:${await freePort()}`);
    const request = inferRequest(SAMPLES.setosa);
    const check = await checkInference(
      protocolFor('v2', HTTP),
      context,
      request,
      settings(undefined),
    );
    expect(check.inference).toBeUndefined();
    expect(check.request).toBe(request);
    expect(check.failures[0]!.kind).toBe('server-errors');
  });
});
