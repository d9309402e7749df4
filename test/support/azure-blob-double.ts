import { createHash } from 'node:crypto';
import { once } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * A test double for the Azure Blob service data plane, following the documented
 * REST shapes (Get Blob / Get Blob Properties) with Entra (OAuth) authorization:
 *
 * - `GET|HEAD /<account>/<container>/<blob>` (path-style, as Azurite and the
 *   storage emulator address accounts) → the bytes, with `Content-Length`,
 *   `Content-MD5`, `ETag`, `x-ms-blob-type: BlockBlob`, `x-ms-version`;
 * - every request must carry `x-ms-version` (400 `MissingRequiredHeader`) and
 *   `Authorization: Bearer <token>` that `acceptToken` accepts
 *   (401 `InvalidAuthenticationInfo` with a `WWW-Authenticate` challenge);
 * - an unknown container or blob answers 404 `ContainerNotFound` / `BlobNotFound`.
 */
export interface AzureBlobDouble {
  /** http://127.0.0.1:PORT/<account>: the account's blob endpoint. */
  endpoint: string;
  account: string;
  put(container: string, blob: string, data: Buffer | string): void;
  requests: Array<{ method: string; path: string; authorization?: string; version?: string }>;
  stop(): Promise<void>;
}

function storageError(
  res: ServerResponse,
  method: string,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  const body = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  res.writeHead(status, {
    'content-type': 'application/xml',
    'x-ms-error-code': code,
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(method === 'HEAD' ? undefined : body);
}

export async function startAzureBlobDouble(options: {
  account?: string;
  /** The Entra authority that issues tokens, for the 401 challenge. */
  authority?: string;
  acceptToken: (token: string) => boolean;
}): Promise<AzureBlobDouble> {
  const account = options.account ?? 'mdmodels';
  const containers = new Map<string, Map<string, Buffer>>();
  const requests: AzureBlobDouble['requests'] = [];

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const authorization = req.headers.authorization;
    const version = req.headers['x-ms-version'] as string | undefined;
    requests.push({
      method,
      path: url.pathname,
      ...(authorization !== undefined ? { authorization } : {}),
      ...(version !== undefined ? { version } : {}),
    });
    if (method !== 'GET' && method !== 'HEAD') {
      return storageError(res, method, 405, 'UnsupportedHttpVerb', 'Only reads are served.');
    }
    if (version === undefined) {
      return storageError(
        res,
        method,
        400,
        'MissingRequiredHeader',
        'An HTTP header that is mandatory for this request is not specified.',
      );
    }
    const bearer = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    if (bearer === undefined || !options.acceptToken(bearer)) {
      return storageError(
        res,
        method,
        401,
        'InvalidAuthenticationInfo',
        'Server failed to authenticate the request.',
        {
          'www-authenticate': `Bearer authorization_uri=${options.authority ?? 'https://login.microsoftonline.com/common'}/oauth2/authorize resource_id=https://storage.azure.com`,
        },
      );
    }
    const segments = url.pathname.split('/').slice(1).map(decodeURIComponent);
    const [accountName, container, ...blobParts] = segments;
    if (accountName !== account) {
      return storageError(
        res,
        method,
        400,
        'InvalidUri',
        'The requested URI does not represent any resource on the server.',
      );
    }
    const blobs = containers.get(container ?? '');
    if (blobs === undefined) {
      return storageError(
        res,
        method,
        404,
        'ContainerNotFound',
        'The specified container does not exist.',
      );
    }
    const data = blobs.get(blobParts.join('/'));
    if (data === undefined) {
      return storageError(res, method, 404, 'BlobNotFound', 'The specified blob does not exist.');
    }
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': data.length,
      'content-md5': createHash('md5').update(data).digest('base64'),
      etag: `"0x${createHash('sha1').update(data).digest('hex').slice(0, 16).toUpperCase()}"`,
      'x-ms-blob-type': 'BlockBlob',
      'x-ms-version': version,
    });
    res.end(method === 'HEAD' ? undefined : data);
  };

  const server = http.createServer(handle);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    endpoint: `http://127.0.0.1:${address.port}/${account}`,
    account,
    put(container, blob, data) {
      let blobs = containers.get(container);
      if (blobs === undefined) containers.set(container, (blobs = new Map()));
      blobs.set(blob, Buffer.from(data));
    },
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
