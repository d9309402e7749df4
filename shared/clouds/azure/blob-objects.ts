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

  const request = async (method: 'HEAD' | 'GET', blob: string): Promise<HttpResponse> => {
    const authorization = `Bearer ${await bearer()}`;
    return withRetry(async () => {
      const response = await httpFetch(url(blob), {
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
          url(blob),
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
            : 'check the DVC remote url and account_name in .dvc/config',
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
  };
}
