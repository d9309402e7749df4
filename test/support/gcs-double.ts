import { createHash } from 'node:crypto';
import { once } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { sendJson } from './entra-double.ts';

/**
 * A test double for the Cloud Storage JSON API (objects.get), following the
 * documented shapes:
 *
 * - `GET /storage/v1/b/<bucket>/o/<url-encoded object name>` → the object
 *   resource (`kind: storage#object`, `name`, `bucket`, `size`, `md5Hash`);
 *   with `?alt=media` → the bytes;
 * - `Authorization: Bearer <token>` must be one `acceptToken` accepts, else 401
 *   with Google's JSON error body;
 * - a missing bucket or object answers 404 with the JSON error body.
 */
export interface GcsDouble {
  /** http://127.0.0.1:PORT, for MODEL_DEPLOY_GCS_ENDPOINT. */
  endpoint: string;
  put(bucket: string, name: string, data: Buffer | string): void;
  requests: Array<{ path: string; media: boolean; authorization?: string }>;
  stop(): Promise<void>;
}

function googleError(res: ServerResponse, status: number, message: string, reason: string): void {
  sendJson(res, status, {
    error: { code: status, message, errors: [{ message, domain: 'global', reason }] },
  });
}

export async function startGcsDouble(options: {
  acceptToken: (token: string) => boolean;
}): Promise<GcsDouble> {
  const buckets = new Map<string, Map<string, Buffer>>();
  const requests: GcsDouble['requests'] = [];

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const media = url.searchParams.get('alt') === 'media';
    const authorization = req.headers.authorization;
    // The raw path keeps %2F, so an object name with slashes stays one segment.
    const rawPath = (req.url ?? '/').split('?')[0] as string;
    requests.push({ path: rawPath, media, ...(authorization ? { authorization } : {}) });
    const bearer = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    if (bearer === undefined || !options.acceptToken(bearer)) {
      return googleError(res, 401, 'Invalid Credentials', 'authError');
    }
    const match = /^\/storage\/v1\/b\/([^/]+)\/o\/([^/]+)$/.exec(rawPath);
    if (req.method !== 'GET' || match === null) {
      return googleError(res, 404, 'Not Found', 'notFound');
    }
    const bucketName = decodeURIComponent(match[1] as string);
    const name = decodeURIComponent(match[2] as string);
    const objects = buckets.get(bucketName);
    if (objects === undefined) {
      return googleError(res, 404, 'The specified bucket does not exist.', 'notFound');
    }
    const data = objects.get(name);
    if (data === undefined) {
      return googleError(res, 404, `No such object: ${bucketName}/${name}`, 'notFound');
    }
    if (media) {
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': data.length,
        'x-goog-hash': `md5=${createHash('md5').update(data).digest('base64')}`,
      });
      res.end(data);
      return;
    }
    sendJson(res, 200, {
      kind: 'storage#object',
      id: `${bucketName}/${name}/1`,
      name,
      bucket: bucketName,
      size: String(data.length),
      md5Hash: createHash('md5').update(data).digest('base64'),
      contentType: 'application/octet-stream',
    });
  };

  const server = http.createServer(handle);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    put(bucket, name, data) {
      let objects = buckets.get(bucket);
      if (objects === undefined) buckets.set(bucket, (objects = new Map()));
      objects.set(name, Buffer.from(data));
    },
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
