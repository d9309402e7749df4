import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KiB, readBytes, readText } from '../../../shared/common/bounded-body.ts';
import { UserError } from '../../../shared/common/errors.ts';
import { httpFetch } from '../../../shared/common/http.ts';
import { silentLogger } from '../../../shared/common/logger.ts';
import { RegistryClient } from '../../../shared/registry/client.ts';

/** A server that never stops sending, counting what it managed to write. */
let server: http.Server;
let url: string;
let sent = 0;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    res.writeHead(200, {
      'content-type': req.url?.includes('/manifests/')
        ? 'application/vnd.oci.image.manifest.v1+json'
        : 'application/json',
    });
    const chunk = Buffer.alloc(64 * KiB, 0x20);
    const pump = () => {
      while (!res.destroyed && res.write(chunk)) sent += chunk.length;
    };
    res.on('drain', pump);
    pump();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
});

describe('bounded reads of a server answer', () => {
  it('returns an answer within the limit whole', async () => {
    const small = (async function* () {
      yield Buffer.from('{"a":');
      yield Buffer.from('1}');
    })();
    expect(await readText(small, 16, 'a server')).toBe('{"a":1}');
    expect((await readBytes(undefined, 16, 'a server')).length).toBe(0);
  });

  it('stops an endless answer at the limit, naming the server, and stops downloading it', async () => {
    const response = await httpFetch(`${url}/endless`, { timeoutMs: 10_000 });
    const error = await readText(response.body, 256 * KiB, 'the test server').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(
      'the test server sent more than 256 KiB; stopped reading',
    );
    const after = sent;
    await new Promise((done) => setTimeout(done, 200));
    // The connection was dropped: the server could not push megabytes more.
    expect(sent - after).toBeLessThan(4 * 1024 * KiB);
  });

  it('a registry whose manifest never ends fails at 4 MiB, naming the registry', async () => {
    const client = new RegistryClient({
      registry: new URL(url).host,
      logger: silentLogger,
      retry: { attempts: 1 },
    });
    await expect(client.getManifest('models/m', 'latest')).rejects.toThrow(
      `registry ${new URL(url).host} sent more than 4 MiB; stopped reading`,
    );
  });
});
