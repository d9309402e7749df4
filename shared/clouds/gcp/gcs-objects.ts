import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { UserError } from '../../common/errors.ts';
import { httpFetch, type HttpResponse } from '../../common/http.ts';
import type { Logger } from '../../common/logger.ts';
import { HttpStatusError, withRetry } from '../../common/retry.ts';
import { googleAccessToken, googleAuth } from './credentials.ts';

/** Reads objects from one Cloud Storage bucket with Google application default credentials. */
export interface GcsObjectReader {
  exists(name: string): Promise<boolean>;
  open(name: string): Promise<Readable>;
}

export interface GcsReaderOptions {
  bucket: string;
  logger: Logger;
  /**
   * The JSON API root; defaults to `https://storage.googleapis.com`.
   * MODEL_DEPLOY_GCS_ENDPOINT overrides it (private endpoints, tests).
   */
  endpoint?: string;
  env?: NodeJS.ProcessEnv;
}

export function gcsObjectReader(options: GcsReaderOptions): GcsObjectReader {
  const env = options.env ?? process.env;
  const endpoint = (
    options.endpoint ??
    env.MODEL_DEPLOY_GCS_ENDPOINT ??
    'https://storage.googleapis.com'
  ).replace(/\/+$/, '');
  const auth = googleAuth();
  let token: Promise<string> | undefined;
  const bearer = () => {
    token ??= googleAccessToken(auth, options.logger);
    return token;
  };
  // The JSON API takes the whole object name as one path segment, slashes encoded.
  const url = (name: string, media: boolean) =>
    `${endpoint}/storage/v1/b/${encodeURIComponent(options.bucket)}/o/${encodeURIComponent(name)}${media ? '?alt=media' : ''}`;
  const what = (name: string) => `gs://${options.bucket}/${name}`;

  const request = async (name: string, media: boolean): Promise<HttpResponse> => {
    const authorization = `Bearer ${await bearer()}`;
    return withRetry(async () => {
      const response = await httpFetch(url(name, media), {
        headers: { authorization },
        // A model object may take long; only a stalled transfer is cut off.
        timeoutMs: 0,
        server: 'Google Cloud Storage API',
      });
      if (response.status >= 500 || response.status === 429) {
        await response.body?.cancel();
        throw new HttpStatusError(
          response.status,
          url(name, media),
          `Cloud Storage answered HTTP ${response.status} for ${what(name)}`,
          response.headers.get('retry-after'),
        );
      }
      return response;
    });
  };

  const refused = async (response: HttpResponse, name: string): Promise<never> => {
    let reason = '';
    try {
      const body = (await response.json()) as { error?: { message?: string } };
      reason = body.error?.message ? `: ${body.error.message}` : '';
    } catch {
      // The status alone still says enough.
    }
    throw new UserError(
      `Cloud Storage refused reading ${what(name)} (${response.status})${reason}`,
      {
        hint:
          response.status === 401 || response.status === 403
            ? 'give the service account roles/storage.objectViewer on the bucket, and run google-github-actions/auth before this step'
            : 'check the DVC remote url in .dvc/config',
      },
    );
  };

  return {
    async exists(name) {
      const response = await request(name, false);
      if (response.status === 404) {
        await response.body?.cancel();
        return false;
      }
      if (!response.ok) return refused(response, name);
      await response.body?.cancel();
      return true;
    },
    async open(name) {
      const response = await request(name, true);
      if (!response.ok || response.body === null) return refused(response, name);
      return Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    },
  };
}
