import { afterEach, describe, expect, it } from 'vitest';
import { SmokeClient } from '../../../../shared/smoke/http-client.ts';
import { torchServe } from '../../../../shared/smoke/protocols/torchserve.ts';
import { ProtocolError, type ProtocolContext } from '../../../../shared/smoke/protocols/types.ts';
import { startModelServer, type ModelServer } from '../../../support/model-server-fixture.ts';

const client = (url: string) =>
  new SmokeClient(
    { baseUrl: url, headers: {}, displayName: url },
    { timeoutMs: 2_000, connections: 1 },
  );

let server: ModelServer | undefined;
let context: ProtocolContext | undefined;
afterEach(async () => {
  await context?.client.close();
  await context?.management?.close();
  context = undefined;
  await server?.stop();
  server = undefined;
});

describe('TorchServe', () => {
  it('is ready when /ping is Healthy, and a worker is READY when management is given', async () => {
    server = await startModelServer({ protocol: 'torchserve' });
    const target = { model: 'iris', version: undefined };
    context = { client: client(server.url), management: undefined, record: () => {} };
    expect(await torchServe.probe(context, target)).toEqual({
      ready: true,
      detail: 'GET /ping answered Healthy',
    });
    expect(await torchServe.metadata(context, target)).toBeUndefined();
    context = { ...context, management: client(server.managementUrl!) };
    const probe = await torchServe.probe(context, target);
    expect(probe.ready).toBe(true);
    expect(probe.detail).toMatch(/worker\(s\) READY/);
    const metadata = await torchServe.metadata(context, target);
    expect(metadata?.name).toBe('iris');
    expect(metadata?.versions.length).toBeGreaterThan(0);
  });

  it('is not ready while the model is not', async () => {
    server = await startModelServer({ protocol: 'torchserve', mode: 'never-ready' });
    context = { client: client(server.url), management: undefined, record: () => {} };
    const probe = await torchServe.probe(context, { model: 'iris', version: undefined });
    expect(probe.ready).toBe(false);
  });

  it('posts the request to the model (and version) predictions path, and requires one', () => {
    expect(
      torchServe.inferenceRequest({ model: 'iris', version: '2.0' }, { data: [1] }, undefined),
    ).toEqual({
      method: 'POST',
      path: '/predictions/iris/2.0',
      body: '{"data":[1]}',
    });
    expect(() =>
      torchServe.inferenceRequest({ model: 'iris', version: undefined }, undefined, undefined),
    ).toThrow(ProtocolError);
  });
});
