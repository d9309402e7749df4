import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { UserError } from '../../common/errors.ts';
import { httpFetch, type HttpResponse } from '../../common/http.ts';
import type { Logger } from '../../common/logger.ts';
import { HttpStatusError, withRetry } from '../../common/retry.ts';
import type { GoogleAuth } from 'google-auth-library';
import { googleAccessToken, googleAuth } from './credentials.ts';

/** Reads objects from one Cloud Storage bucket with Google application default credentials. */
export interface GcsObjectReader {
  exists(name: string): Promise<boolean>;
  open(name: string): Promise<Readable>;
  /** Every object whose name starts with `prefix`, with its size in bytes. */
  list(prefix: string): Promise<Array<{ key: string; size: number }>>;
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
  /** Application default credentials unless given. */
  auth?: GoogleAuth;
}

/** One bucket of the JSON API, and the token for it. */
interface Bucket {
  endpoint: string;
  name: string;
  bearer(): Promise<string>;
}

export function gcsObjectReader(options: GcsReaderOptions): GcsObjectReader {
  const env = options.env ?? process.env;
  const auth = options.auth ?? googleAuth();
  let token: Promise<string> | undefined;
  const bucket: Bucket = {
    endpoint: (
      options.endpoint ??
      env.MODEL_DEPLOY_GCS_ENDPOINT ??
      'https://storage.googleapis.com'
    ).replace(/\/+$/, ''),
    name: options.bucket,
    bearer: () => (token ??= googleAccessToken(auth, options.logger)),
  };
  return {
    async exists(name) {
      const response = await request(bucket, name, objectUrl(bucket, name, false));
      if (response.status === 404) {
        await response.body?.cancel();
        return false;
      }
      if (!response.ok) return refused(bucket, response, name);
      await response.body?.cancel();
      return true;
    },
    async open(name) {
      const response = await request(bucket, name, objectUrl(bucket, name, true));
      if (!response.ok || response.body === null) return refused(bucket, response, name);
      return Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    },
    list: (prefix) => listObjects(bucket, prefix),
  };
}

// The JSON API takes the whole object name as one path segment, slashes encoded.
function objectUrl(bucket: Bucket, name: string, media: boolean): string {
  return `${bucket.endpoint}/storage/v1/b/${encodeURIComponent(bucket.name)}/o/${encodeURIComponent(name)}${media ? '?alt=media' : ''}`;
}

function what(bucket: Bucket, name: string): string {
  return `gs://${bucket.name}/${name}`;
}

/** A GET of `target`, retried on 5xx and 429; other answers go back to the caller. */
async function request(bucket: Bucket, name: string, target: string): Promise<HttpResponse> {
  const authorization = `Bearer ${await bucket.bearer()}`;
  return withRetry(async (): Promise<HttpResponse> => {
    const response = await httpFetch(target, {
      headers: { authorization },
      // A model object may take long; only a stalled transfer is cut off.
      timeoutMs: 0,
      server: 'Google Cloud Storage API',
    });
    if (response.status >= 500 || response.status === 429) {
      await response.body?.cancel();
      throw new HttpStatusError(
        response.status,
        target,
        `Cloud Storage answered HTTP ${response.status} for ${what(bucket, name)}`,
        response.headers.get('retry-after'),
      );
    }
    return response;
  });
}

async function refused(bucket: Bucket, response: HttpResponse, name: string): Promise<never> {
  let reason = '';
  try {
    const body = (await response.json()) as { error?: { message?: string } };
    reason = body.error?.message ? `: ${body.error.message}` : '';
  } catch {
    // The status alone still says enough.
  }
  throw new UserError(
    `Cloud Storage refused reading ${what(bucket, name)} (${response.status})${reason}`,
    {
      hint:
        response.status === 401 || response.status === 403
          ? 'give the service account roles/storage.objectViewer on the bucket, and run google-github-actions/auth before this step'
          : 'check the bucket and path (the DVC remote url in .dvc/config, or the MLflow artifact location)',
    },
  );
}

/** Every object under `prefix`, page by page. */
async function listObjects(
  bucket: Bucket,
  prefix: string,
): Promise<Array<{ key: string; size: number }>> {
  const objects: Array<{ key: string; size: number }> = [];
  let pageToken: string | undefined;
  do {
    const query = new URLSearchParams({ prefix, ...(pageToken ? { pageToken } : {}) });
    const target = `${bucket.endpoint}/storage/v1/b/${encodeURIComponent(bucket.name)}/o?${query.toString()}`;
    const response = await request(bucket, prefix, target);
    if (!response.ok) return refused(bucket, response, prefix);
    const page = (await response.json()) as {
      items?: Array<{ name?: string; size?: string | number }>;
      nextPageToken?: string;
    };
    for (const item of page.items ?? []) {
      if (typeof item.name === 'string')
        objects.push({ key: item.name, size: Number(item.size ?? 0) });
    }
    pageToken = page.nextPageToken;
  } while (pageToken);
  return objects;
}
