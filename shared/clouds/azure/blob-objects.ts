import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { UserError } from '../../common/errors.ts';
import { httpFetch, type HttpResponse } from '../../common/http.ts';
import type { Logger } from '../../common/logger.ts';
import { HttpStatusError, withRetry } from '../../common/retry.ts';
import { azureAccessToken, azureCredential } from './credentials.ts';

/** The Entra scope Azure Storage accepts for data-plane (blob) requests. */
export const AZURE_STORAGE_SCOPE = 'https://storage.azure.com/.default';
/** A Blob service REST version that accepts Entra (OAuth) bearer tokens. */
const BLOB_API_VERSION = '2021-08-06';

/** Reads blobs from one Azure Storage container with the runner's Entra credentials. */
export interface AzureBlobReader {
  exists(blob: string): Promise<boolean>;
  open(blob: string): Promise<Readable>;
  /** Every blob whose name starts with `prefix`, with its size in bytes. */
  list(prefix: string): Promise<Array<{ key: string; size: number }>>;
}

export interface AzureBlobReaderOptions {
  account: string;
  container: string;
  logger: Logger;
  /**
   * The Blob service endpoint; defaults to `https://<account>.blob.core.windows.net`.
   * MODEL_DEPLOY_AZURE_BLOB_ENDPOINT overrides it (sovereign clouds, Azurite, tests).
   */
  endpoint?: string;
  env?: NodeJS.ProcessEnv;
}

/** One container of the Blob service, and the token for it. */
interface Container {
  endpoint: string;
  account: string;
  name: string;
  bearer(): Promise<string>;
}

export function azureBlobReader(options: AzureBlobReaderOptions): AzureBlobReader {
  const env = options.env ?? process.env;
  const credential = azureCredential({ logger: options.logger, env });
  let token: Promise<string> | undefined;
  const container: Container = {
    endpoint: (
      options.endpoint ??
      env.MODEL_DEPLOY_AZURE_BLOB_ENDPOINT ??
      `https://${options.account}.blob.core.windows.net`
    ).replace(/\/+$/, ''),
    account: options.account,
    name: options.container,
    bearer: () => (token ??= azureAccessToken(credential, AZURE_STORAGE_SCOPE, options.logger)),
  };
  return {
    async exists(blob) {
      const response = await request(container, 'HEAD', blob, blobUrl(container, blob));
      if (response.status === 404) return false;
      if (!response.ok) return refused(container, response, blob);
      return true;
    },
    async open(blob) {
      const response = await request(container, 'GET', blob, blobUrl(container, blob));
      if (!response.ok || response.body === null) return refused(container, response, blob);
      return Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    },
    list: (prefix) => listBlobs(container, prefix),
  };
}

function blobUrl(container: Container, blob: string): string {
  return `${container.endpoint}/${encodeURIComponent(container.name)}/${blob.split('/').map(encodeURIComponent).join('/')}`;
}

function what(container: Container, blob: string): string {
  return `azure://${container.name}/${blob}`;
}

/** A request for `target`, retried on 5xx and 429; other answers go back to the caller. */
async function request(
  container: Container,
  method: 'HEAD' | 'GET',
  blob: string,
  target: string,
): Promise<HttpResponse> {
  const authorization = `Bearer ${await container.bearer()}`;
  return withRetry(async (): Promise<HttpResponse> => {
    const response = await httpFetch(target, {
      method,
      headers: {
        authorization,
        'x-ms-version': BLOB_API_VERSION,
        'x-ms-date': new Date().toUTCString(),
      },
      // A model blob may take long; only a stalled transfer is cut off.
      timeoutMs: 0,
      server: 'Azure Blob Storage',
    });
    if (response.status >= 500 || response.status === 429) {
      await response.body?.cancel();
      throw new HttpStatusError(
        response.status,
        target,
        `Azure Storage answered HTTP ${response.status} for ${what(container, blob)}`,
        response.headers.get('retry-after'),
      );
    }
    return response;
  });
}

async function refused(container: Container, response: HttpResponse, blob: string): Promise<never> {
  const code = response.headers.get('x-ms-error-code') ?? '';
  await response.body?.cancel();
  throw new UserError(
    `Azure Storage refused reading ${what(container, blob)} in account ${container.account} (${response.status}${code ? ` ${code}` : ''})`,
    {
      hint:
        response.status === 401 || response.status === 403
          ? 'give the signed-in identity the Storage Blob Data Reader role on the container, and run azure/login (or set azure-client-id/azure-tenant-id) before this step'
          : 'check the account, container and path (the DVC remote url and account_name in .dvc/config, or the MLflow artifact location)',
    },
  );
}

/** Every blob under `prefix`, page by page. */
async function listBlobs(
  container: Container,
  prefix: string,
): Promise<Array<{ key: string; size: number }>> {
  const blobs: Array<{ key: string; size: number }> = [];
  let marker = '';
  do {
    const query = new URLSearchParams({
      restype: 'container',
      comp: 'list',
      prefix,
      ...(marker ? { marker } : {}),
    });
    const target = `${container.endpoint}/${encodeURIComponent(container.name)}?${query.toString()}`;
    const response = await request(container, 'GET', prefix, target);
    if (!response.ok) return refused(container, response, prefix);
    const page = parseBlobList(await response.text());
    blobs.push(...page.blobs);
    marker = page.nextMarker;
  } while (marker);
  return blobs;
}

/**
 * The names and sizes in a List Blobs answer (`EnumerationResults` XML): each
 * `<Blob>` has a `<Name>` and `<Properties><Content-Length>`; `<NextMarker>`
 * continues the listing. Only these elements are read.
 */
export function parseBlobList(xml: string): {
  blobs: Array<{ key: string; size: number }>;
  nextMarker: string;
} {
  const text = (element: string, body: string) => {
    const match = new RegExp(`<${element}>([^<]*)</${element}>`).exec(body);
    return match ? decodeXml(match[1] as string) : undefined;
  };
  const blobs: Array<{ key: string; size: number }> = [];
  for (const match of xml.matchAll(/<Blob>([\s\S]*?)<\/Blob>/g)) {
    const body = match[1] as string;
    // Names with characters XML cannot carry come URL-encoded, marked Encoded="true".
    const name = /<Name( Encoded="true")?>([^<]*)<\/Name>/.exec(body);
    if (name === null) continue;
    const raw = decodeXml(name[2] as string);
    const key = name[1] ? decodeURIComponent(raw) : raw;
    blobs.push({ key, size: Number(text('Content-Length', body) ?? 0) });
  }
  return { blobs, nextMarker: text('NextMarker', xml) ?? '' };
}

function decodeXml(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos);/gi, (_, entity: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (entity[0] !== '#') return named[entity.toLowerCase()] as string;
    const code =
      entity[1] === 'x' || entity[1] === 'X'
        ? parseInt(entity.slice(2), 16)
        : Number(entity.slice(1));
    return String.fromCodePoint(code);
  });
}
