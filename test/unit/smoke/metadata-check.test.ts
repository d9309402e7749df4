import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger, type Logger } from '../../../shared/common/logger.ts';
import { parseExpectations } from '../../../shared/smoke/expectations.ts';
import { SmokeClient } from '../../../shared/smoke/http-client.ts';
import { checkMetadata, metadataFailures } from '../../../shared/smoke/metadata-check.ts';
import { protocolFor, type ProtocolContext } from '../../../shared/smoke/protocols/index.ts';
import { startModelServer, type ModelServer } from '../../support/model-server-fixture.ts';
import { freePort } from '../../support/processes.ts';

const served = {
  name: 'iris',
  versions: ['1'],
  inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 4] }],
  outputs: [{ name: 'probabilities', datatype: 'FP32', shape: [-1, 3] }],
};

describe('metadataFailures', () => {
  it('finds nothing wrong with the model expected', () => {
    expect(metadataFailures('v2', { model: 'iris', version: '1' }, served, undefined)).toEqual([]);
  });

  it('names another model and a version not served', () => {
    const failures = metadataFailures('v2', { model: 'resnet', version: '2' }, served, undefined);
    expect(failures.map((f) => f.kind)).toEqual(['wrong-metadata', 'wrong-version']);
    expect(failures[0]!.message).toContain("the server names it 'iris'");
    expect(failures[1]!.message).toContain('the server serves version 1');
  });

  it('takes a version the server answered for itself as served', () => {
    const versioned = { ...served, versions: [], versionServed: true };
    expect(metadataFailures('v2', { model: 'iris', version: '7' }, versioned, undefined)).toEqual(
      [],
    );
  });

  it('checks an OpenAI server by the model ids it lists', () => {
    const models = { name: undefined, versions: ['llama'], inputs: undefined, outputs: undefined };
    expect(
      metadataFailures('openai', { model: 'llama', version: undefined }, models, undefined),
    ).toEqual([]);
    expect(
      metadataFailures('openai', { model: 'mistral', version: undefined }, models, undefined)[0]!
        .kind,
    ).toBe('wrong-version');
  });

  it('compares the signature with expect, every problem in one failure', () => {
    const expect_ = parseExpectations({
      signature: {
        inputs: [{ name: 'input', datatype: 'INT64', shape: [-1, 4] }],
        outputs: [{ name: 'scores' }],
      },
    });
    const failures = metadataFailures('v2', { model: 'iris', version: undefined }, served, expect_);
    expect(failures).toHaveLength(1);
    expect(failures[0]!.message).toBe(
      "input 'input' is FP32, expected INT64; output 'scores' is not declared (declared: probabilities)",
    );
  });
});

describe('checkMetadata', () => {
  let server: ModelServer | undefined;
  afterEach(async () => {
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

  const settings = (logger: Logger = silentLogger) => ({
    protocol: 'v2' as const,
    target: { model: 'iris', version: '1' },
    expect: undefined,
    timeoutMs: 2_000,
    logger,
  });

  it('reads what a live server serves', async () => {
    server = await startModelServer({ protocol: 'v2' });
    const lines: string[] = [];
    const context = contextFor(server.url);
    const check = await checkMetadata(
      protocolFor('v2', { method: 'GET', path: '/', readyPath: undefined }),
      context,
      settings({ ...silentLogger, info: (m) => lines.push(m) }),
    );
    await context.client.close();
    expect(check.failures).toEqual([]);
    expect(check.metadata?.name).toBe('iris');
    expect(lines.join('\n')).toMatch(/serves 'iris'/);
  });

  it('turns a server that does not answer into a failure, not an exception', async () => {
    const context = contextFor(`http://127.0.0.1:${await freePort()}`);
    const check = await checkMetadata(
      protocolFor('v2', { method: 'GET', path: '/', readyPath: undefined }),
      context,
      settings(),
    );
    await context.client.close();
    expect(check.metadata).toBeUndefined();
    expect(check.failures).toHaveLength(1);
    expect(check.failures[0]!.kind).toBe('server-errors');
  });
});
