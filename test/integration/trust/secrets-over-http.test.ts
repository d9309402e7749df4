import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as smokeRun } from '../../../actions/smoke-test/main.ts';
import { resetHttpDispatchers } from '../../../shared/common/http.ts';
import { startModelServer, type ModelServer } from '../../support/model-server-fixture.ts';
import { runWithInputs } from '../../support/bad-input-table.ts';
import { startNameMappingProxy, type NameMappingProxy } from '../../support/name-mapping-proxy.ts';

/**
 * A model server under a name that is not loopback, reached through a
 * forward proxy that maps every name to 127.0.0.1 (no DNS, nothing leaves
 * the machine): the token is not sent there over plain http unless the step
 * says so.
 */
let server: ModelServer;
let proxy: NameMappingProxy;
beforeAll(async () => {
  [server, proxy] = await Promise.all([
    startModelServer({ protocol: 'v2' }),
    startNameMappingProxy(),
  ]);
});
afterAll(async () => {
  await Promise.all([server?.stop(), proxy?.stop()]);
  resetHttpDispatchers();
});

const token = 'tok-1f0c9a7e-do-not-send-in-the-clear';
const inputs = () => ({
  url: `http://models.trust.test:${new URL(server.url).port}`,
  model: 'iris',
  token,
  requests: '2',
  warmup: '0',
  'wait-ready': '30s',
});

describe('a token over plain http to another machine', () => {
  it('is refused before anything is sent, naming url and the fix', async () => {
    const before = server.inferences();
    const outcome = await runWithInputs(smokeRun, inputs(), {
      HTTP_PROXY: proxy.url,
      http_proxy: proxy.url,
    });
    expect(outcome.ok).toBe(false);
    expect(outcome.failure).toContain("input 'url' is http:// to models.trust.test:");
    expect(outcome.failure).toContain('the token would cross the network unencrypted');
    expect(outcome.failure).toContain('allow-secrets-over-http: true');
    expect(server.inferences()).toBe(before);
    expect(proxy.requested).toEqual([]);
  });

  it('is sent when the step allows it, through the name the step gave', async () => {
    resetHttpDispatchers();
    const outcome = await runWithInputs(
      smokeRun,
      { ...inputs(), 'allow-secrets-over-http': 'true' },
      { HTTP_PROXY: proxy.url, http_proxy: proxy.url },
    );
    expect(outcome.failure).toBe('');
    expect(outcome.ok).toBe(true);
    expect(server.lastHeaders().authorization).toBe(`Bearer ${token}`);
    expect(proxy.requested.some((h) => h.startsWith('models.trust.test:'))).toBe(true);
  });
});
