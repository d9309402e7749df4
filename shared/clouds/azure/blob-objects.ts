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

export function azureBlobReader(options: AzureBlobReaderOptions): AzureBlobReader {
  const env = options.env ?? process.env;
  const endpoint = (
    options.endpoint ??
    env.MODEL_DEPLOY_AZURE_BLOB_ENDPOINT ??
    `https://${options.account}.blob.core.windows.net`
  ).replace(/\/+$/, '');
  const credential = azureCredential({ logger: options.logger, env });
  let token: Promise<string> | undefined;
  const bearer = () => {
    token ??= azureAccessToken(credential, AZURE_STORAGE_SCOPE, options.logger);
    return token;
  };
  const url = (blob: string) =>
    `${endpoint}/${encodeURIComponent(options.container)}/${blob.split('/').map(encodeURIComponent).join('/')}`;
  const what = (blob: string) => `azure://${options.container}/${blob}`;

  const request = async (method: 'HEAD' | 'GET', blob: string, target = url(blob)) => {
    const authorization = `Bearer ${await bearer()}`;
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
          `Azure Storage answered HTTP ${response.status} for ${what(blob)}`,
          response.headers.get('retry-after'),
        );
      }
      return response;
    });
  };

  const refused = async (response: HttpResponse, blob: string): Promise<never> => {
    const code = response.headers.get('x-ms-error-code') ?? '';
    await response.body?.cancel();
    throw new UserError(
      `Azure Storage refused reading ${what(blob)} in account ${options.account} (${response.status}${code ? ` ${code}` : ''})`,
      {
        hint:
          response.status === 401 || response.status === 403
            ? 'give the signed-in identity the Storage Blob Data Reader role on the container, and run azure/login (or set azure-client-id/azure-tenant-id) before this step'
            : 'check the account, container and path (the DVC remote url and account_name in .dvc/config, or the MLflow artifact location)',
      },
    );
  };

  return {
    async exists(blob) {
      const response = await request('HEAD', blob);
      if (response.status === 404) return false;
      if (!response.ok) return refused(response, blob);
      return true;
    },
    async open(blob) {
      const response = await request('GET', blob);
      if (!response.ok || response.body === null) return refused(response, blob);
      return Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    },
    async list(prefix) {
      const blobs: Array<{ key: string; size: number }> = [];
      let marker = '';
      do {
        const query = new URLSearchParams({
          restype: 'container',
          comp: 'list',
          prefix,
          ...(marker ? { marker } : {}),
        });
        const target = `${endpoint}/${encodeURIComponent(options.container)}?${query.toString()}`;
        const response = await request('GET', prefix, target);
        if (!response.ok) return refused(response, prefix);
        const page = parseBlobList(await response.text());
        blobs.push(...page.blobs);
        marker = page.nextMarker;
      } while (marker);
      return blobs;
    },
  };
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
