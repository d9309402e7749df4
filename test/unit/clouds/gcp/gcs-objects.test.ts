import { once } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';
import type { GoogleAuth } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gcsObjectReader } from '../../../../shared/clouds/gcp/gcs-objects.ts';
import { UserError } from '../../../../shared/common/errors.ts';
import { silentLogger } from '../../../../shared/common/logger.ts';

const TOKEN = 'ya29.test-token';
const auth = { getAccessToken: async () => TOKEN } as unknown as GoogleAuth;

const OBJECTS = new Map([
  ['models/a/model.onnx', 'weights'],
  ['models/a/labels.json', '{"labels": 3}'],
  ['models/b/other', 'x'],
]);

let endpoint = '';
let server: http.Server;
let unavailableOnce = false;
const seen: string[] = [];

/** The Cloud Storage JSON API for one bucket, `md-models`, listing one object per page. */
function answer(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  seen.push(`${req.method} ${url.pathname}${url.search}`);
  const json = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (req.headers.authorization !== `Bearer ${TOKEN}`) {
    return json(401, { error: { message: 'Invalid Credentials' } });
  }
  if (unavailableOnce) {
    unavailableOnce = false;
    return json(503, { error: { message: 'try again' } });
  }
  const match = /^\/storage\/v1\/b\/([^/]+)\/o(?:\/(.+))?$/.exec(url.pathname);
  if (match?.[1] === 'locked') return json(403, { error: { message: 'no access to locked' } });
  if (match?.[1] !== 'md-models') return json(404, { error: { message: 'no bucket' } });
  if (match[2] === undefined) {
    const prefix = url.searchParams.get('prefix') ?? '';
    const names = [...OBJECTS.keys()].filter((name) => name.startsWith(prefix));
    const at = Number(url.searchParams.get('pageToken') ?? 0);
    const name = names[at];
    return json(200, {
      items: name ? [{ name, size: String(OBJECTS.get(name)?.length) }] : [],
      ...(at + 1 < names.length ? { nextPageToken: String(at + 1) } : {}),
    });
  }
  const data = OBJECTS.get(decodeURIComponent(match[2]));
  if (data === undefined) return json(404, { error: { message: 'No such object' } });
  if (url.searchParams.get('alt') === 'media') {
    res.writeHead(200);
    res.end(data);
    return;
  }
  return json(200, { name: decodeURIComponent(match[2]), size: String(data.length) });
}

beforeAll(async () => {
  server = http.createServer(answer);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.close();
});

describe('the Cloud Storage reader', () => {
  it('tells which objects exist and reads one, its name as one encoded path segment', async () => {
    const reader = gcsObjectReader({ bucket: 'md-models', logger: silentLogger, endpoint, auth });
    await expect(reader.exists('models/a/model.onnx')).resolves.toBe(true);
    await expect(reader.exists('models/a/missing')).resolves.toBe(false);
    await expect(text(await reader.open('models/a/labels.json'))).resolves.toBe('{"labels": 3}');
    expect(seen).toContain('GET /storage/v1/b/md-models/o/models%2Fa%2Flabels.json?alt=media');
  });

  it('lists every page under a prefix, with sizes', async () => {
    const reader = gcsObjectReader({ bucket: 'md-models', logger: silentLogger, endpoint, auth });
    await expect(reader.list('models/a/')).resolves.toEqual([
      { key: 'models/a/model.onnx', size: 7 },
      { key: 'models/a/labels.json', size: 13 },
    ]);
  });

  it('retries a 503, and explains a refusal with the role to grant', async () => {
    const reader = gcsObjectReader({ bucket: 'md-models', logger: silentLogger, endpoint, auth });
    unavailableOnce = true;
    await expect(reader.exists('models/b/other')).resolves.toBe(true);
    const locked = gcsObjectReader({ bucket: 'locked', logger: silentLogger, endpoint, auth });
    const error = await locked.open('x').catch((err: unknown) => err);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(
      'Cloud Storage refused reading gs://locked/x (403): no access to locked',
    );
    expect((error as UserError).hint).toMatch(/roles\/storage\.objectViewer/);
  });
});
