import { createHash } from 'node:crypto';
import http from 'node:http';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, fetch as undiciFetch } from 'undici';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy.ts';
import { waitFor } from '../../support/processes.ts';
import { makeLoopbackCertificates, type TestCertificates } from '../../support/certificates.ts';
import {
  patternChunk,
  patternSha256,
  startUpstream,
  type Upstream,
} from '../../support/upstream.ts';

const MB = 1024 * 1024;

/** A request body of the test pattern, produced on demand rather than held in memory. */
function patternStream(total: number): Readable {
  let offset = 0;
  return new Readable({
    read() {
      if (offset >= total) {
        this.push(null);
        return;
      }
      const length = Math.min(256 * 1024, total - offset);
      this.push(patternChunk(offset, length));
      offset += length;
    },
  });
}

async function sha256OfBody(
  body: ReadableStream<Uint8Array>,
): Promise<{ hex: string; length: number }> {
  const hash = createHash('sha256');
  let length = 0;
  for await (const chunk of body) {
    hash.update(chunk);
    length += chunk.length;
  }
  return { hex: hash.digest('hex'), length };
}

describe('fault proxy: streaming', () => {
  let upstream: Upstream;
  let proxy: FaultProxy;
  beforeAll(async () => {
    upstream = await startUpstream();
    proxy = await startFaultProxy({ upstream: upstream.url });
  });
  afterAll(async () => {
    await proxy.stop();
    await upstream.stop();
  });

  it('passes a 50 MB download through byte-exact, with and without Content-Length', async () => {
    const size = 50 * MB;
    const expected = patternSha256(size);
    for (const chunked of ['0', '1']) {
      const response = await fetch(`${proxy.url}/generate?size=${size}&chunked=${chunked}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-length')).toBe(chunked === '1' ? null : String(size));
      const got = await sha256OfBody(response.body!);
      expect(got).toEqual({ hex: expected, length: size });
    }
  });

  it('passes a 50 MB streamed upload through byte-exact', async () => {
    const size = 50 * MB;
    const result = await new Promise<{ sha256: string; length: number }>((resolve, reject) => {
      const request = http.request(`${proxy.url}/upload`, { method: 'PUT' }, (response) => {
        const parts: Buffer[] = [];
        response.on('data', (chunk: Buffer) => parts.push(chunk));
        response.on('end', () => resolve(JSON.parse(Buffer.concat(parts).toString())));
        response.on('error', reject);
      });
      request.on('error', reject);
      patternStream(size).pipe(request);
    });
    expect(result).toEqual({ sha256: patternSha256(size), length: size });
  });

  it('applies backpressure: a paused reader stops upstream instead of the proxy buffering', async () => {
    const size = 256 * MB;
    const produced = upstream.produced();
    const response = await fetch(`${proxy.url}/generate?size=${size}`);
    const reader = response.body!.getReader();
    let consumed = 0;
    while (consumed < MB) consumed += (await reader.read()).value?.length ?? 0;
    // Paused: upstream keeps writing only until every buffer on the way is full.
    let last = -1;
    await waitFor(
      'upstream to stop producing while the reader is paused',
      async () => {
        const now = upstream.produced();
        const settled = now === last;
        last = now;
        return settled;
      },
      20_000,
      200,
    );
    const ahead = upstream.produced() - produced - consumed;
    // Socket buffers on two loopback hops plus stream high-water marks: a few MB,
    // far from the 255 MB a buffering proxy would have pulled.
    expect(ahead).toBeLessThan(48 * MB);
    await reader.cancel();
  });
});

describe('fault proxy: TLS', () => {
  let certificates: TestCertificates;
  let upstream: Upstream;
  beforeAll(async () => {
    certificates = await makeLoopbackCertificates();
    upstream = await startUpstream({ key: certificates.key, cert: certificates.cert });
  });
  afterAll(async () => {
    await upstream.stop();
  });

  it('forwards to an HTTPS upstream verified with the given CA, serving plain HTTP', async () => {
    const proxy = await startFaultProxy({ upstream: upstream.url, upstreamCa: certificates.ca });
    try {
      expect(proxy.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const response = await fetch(`${proxy.url}/hello`);
      expect(await response.text()).toBe('hello from upstream\n');
      proxy.rules.add({ path: '/hello', times: 2, fault: { kind: 'status', status: 502 } });
      const statuses = [];
      for (let i = 0; i < 3; i++) {
        const r = await fetch(`${proxy.url}/hello`);
        await r.arrayBuffer();
        statuses.push(r.status);
      }
      expect(statuses).toEqual([502, 502, 200]);
    } finally {
      await proxy.stop();
    }
  });

  it('refuses an HTTPS upstream whose certificate the CA does not vouch for', async () => {
    const proxy = await startFaultProxy({ upstream: upstream.url });
    try {
      const response = await fetch(`${proxy.url}/hello`);
      expect(response.status).toBe(502);
      expect(await response.text()).toMatch(/self-signed|unable to verify|certificate/i);
    } finally {
      await proxy.stop();
    }
  });

  it('serves HTTPS with the provided certificate, and injects faults over it', async () => {
    const proxy = await startFaultProxy({
      upstream: upstream.url,
      upstreamCa: certificates.ca,
      tls: { key: certificates.key, cert: certificates.cert },
    });
    const dispatcher = new Agent({ connect: { ca: certificates.ca } });
    try {
      expect(proxy.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const ok = await undiciFetch(`${proxy.url}/generate?size=${3 * MB}`, { dispatcher });
      const got = await sha256OfBody(ok.body as ReadableStream<Uint8Array>);
      expect(got).toEqual({ hex: patternSha256(3 * MB), length: 3 * MB });

      proxy.rules.add({
        path: '/generate',
        times: 1,
        fault: { kind: 'reset-response', afterBytes: 1000 },
      });
      const broken = await undiciFetch(`${proxy.url}/generate?size=${MB}`, { dispatcher });
      const error = await sha256OfBody(broken.body as ReadableStream<Uint8Array>).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TypeError);

      const untrusted = await fetch(`${proxy.url}/hello`).catch((e: unknown) => e);
      expect(String((untrusted as Error).cause)).toMatch(/certificate/i);

      // A refusal window over TLS ends even with kept-alive connections open.
      const window = proxy.refuseFor(300);
      const refused = await undiciFetch(`${proxy.url}/hello`, { dispatcher }).catch(
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(TypeError);
      await window;
      const back = await undiciFetch(`${proxy.url}/hello`, { dispatcher });
      expect(await back.text()).toBe('hello from upstream\n');
    } finally {
      await dispatcher.close();
      await proxy.stop();
    }
  });
});
