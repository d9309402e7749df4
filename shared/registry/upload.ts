import { UserError } from '../common/errors.ts';
import { defaultClassify, HttpStatusError, withRetry, type RetryVerdict } from '../common/retry.ts';
import type { Digest } from '../oci/digest.ts';
import { ChunkReader } from './byte-streams.ts';
import type { RegistryClient } from './client.ts';
import { DigestMismatchError, StaleTokenError } from './errors.ts';
import type { UploadPolicy } from './policy.ts';
import { UploadProgress } from './progress.ts';

/** Where a blob's bytes come from; `open` gives a fresh stream from an offset (for resuming). */
export interface BlobSource {
  digest: Digest;
  size: number;
  open(offset: number): Promise<AsyncIterable<Uint8Array>>;
}

export interface UploadOptions {
  policy: UploadPolicy;
  /** The first attempt reads this (one branch of a shared read); retries reopen the source. */
  stream?: AsyncIterable<Uint8Array>;
  /** Told about bytes the registry acknowledged, for progress and totals. */
  onBytes?: (bytes: number) => void;
  label?: string;
  attempts?: number;
}

export type MountResult = { mounted: true } | { mounted: false; location: string };

const OCTET = 'application/octet-stream';

/** Statuses that mean "this request body is too large for me": switch to (smaller) chunks. */
const TOO_LARGE = new Set([413]);
/** Statuses that mean "no PATCH here": send one monolithic PUT. */
const CHUNKS_REFUSED = new Set([405, 501]);

function withDigest(location: string, digest: Digest): string {
  return `${location}${location.includes('?') ? '&' : '?'}digest=${encodeURIComponent(digest)}`;
}

/** The end offset from a `Range: 0-<last>` header, as the next byte to send. */
export function nextOffsetFromRange(range: string | null): number | undefined {
  if (range === null) return undefined;
  const match = /^(?:bytes=)?0-(\d+)$/.exec(range.trim());
  if (!match) return undefined;
  const last = Number(match[1]);
  // Distribution reports an empty upload as `0-0`; both mean "send from here".
  return last === 0 ? 0 : last + 1;
}

/**
 * Starts an upload session, first asking to mount the blob from `from` (a
 * repository on the same registry): 201 means done with no bytes sent.
 */
export async function startUpload(
  client: RegistryClient,
  repository: string,
  options: { mount?: { digest: Digest; from: string } } = {},
): Promise<MountResult> {
  const scopes = [client.scope(repository, ['pull', 'push'])];
  let url = `/v2/${repository}/blobs/uploads/`;
  if (options.mount) {
    scopes.push(client.scope(options.mount.from, ['pull']));
    url += `?mount=${encodeURIComponent(options.mount.digest)}&from=${encodeURIComponent(options.mount.from)}`;
  }
  const response = await client.send({
    method: 'POST',
    url,
    scopes,
    headers: { 'content-length': '0' },
    expect: [201, 202],
    what: options.mount
      ? `mounting a blob into ${repository}`
      : `starting an upload to ${repository}`,
  });
  await response.body?.cancel();
  if (response.status === 201 && options.mount) return { mounted: true };
  const location = response.headers.get('location');
  if (!location) {
    throw new UserError(`registry ${client.registry} started an upload without a Location header`);
  }
  return { mounted: false, location: new URL(location, client.baseUrl + '/').toString() };
}

/** One blob's upload as it goes: what each attempt starts from and what the registry has. */
interface Upload {
  client: RegistryClient;
  repository: string;
  source: BlobSource;
  label: string;
  policy: UploadPolicy;
  session: string;
  /** Bytes the registry has acknowledged. */
  acknowledged: number;
  /** The stream the first attempt reads; later attempts reopen the source. */
  firstStream: AsyncIterable<Uint8Array> | undefined;
  /**
   * Where the last fresh token was asked for: a second 401 there means the
   * registry refuses the credentials, and asking again would only loop.
   */
  renewedTokenAt: number | undefined;
}

/** Where an attempt starts: the first at 0; a later one where the registry stands, or over. */
async function startingOffset(upload: Upload, attemptNumber: number): Promise<number> {
  if (attemptNumber === 1) return 0;
  const { client, repository, source } = upload;
  const resumed = await resumePoint(client, repository, upload.session);
  if (resumed === undefined || !chunked(upload.policy, source.size)) {
    // The session is gone, or a monolithic PUT cannot continue: start over.
    upload.session = ((await startUpload(client, repository)) as { location: string }).location;
    return 0;
  }
  upload.session = resumed.location;
  if (resumed.offset > 0)
    client.logger.info(`${upload.label}: resuming at byte ${resumed.offset} of ${source.size}`);
  return resumed.offset;
}

/** Sends the bytes from `offset` on, in one PUT or in chunks, telling `report` what was acknowledged. */
async function sendBytes(
  upload: Upload,
  reader: ChunkReader,
  from: number,
  report: (offset: number) => void,
): Promise<void> {
  const { client, repository, source, policy } = upload;
  if (!chunked(policy, source.size)) {
    await putMonolithic(client, repository, source, upload.session, reader);
    report(source.size);
    return;
  }
  let offset = from;
  while (offset < source.size) {
    const length = Math.min(policy.chunkBytes, source.size - offset);
    const answer = await patchChunk(client, repository, upload.session, reader, offset, length);
    upload.session = answer.location;
    offset = answer.offset ?? offset + length;
    report(offset);
  }
  await finishUpload(client, repository, upload.session, source.digest);
}

/**
 * What a failed attempt teaches: a second 401 after a fresh token is refused
 * credentials; a refused PATCH means one PUT; a body too large means smaller
 * chunks. Returns the error to throw, which the retry helper judges.
 */
function afterFailure(upload: Upload, err: unknown): unknown {
  const { client, source, label, policy } = upload;
  // The blob's own bytes failed their check while streaming: sending them again cannot help.
  const changed = digestMismatchIn(err);
  if (changed !== undefined) return changed;
  if (err instanceof StaleTokenError) {
    if (upload.renewedTokenAt === upload.acknowledged) {
      return new UserError(
        `registry ${client.registry} refused the credentials for ${label} (HTTP 401 after a fresh token)`,
        {
          hint: 'check the credentials for this registry and that they may push to this repository',
        },
      );
    }
    upload.renewedTokenAt = upload.acknowledged;
  }
  if (
    err instanceof HttpStatusError &&
    CHUNKS_REFUSED.has(err.status) &&
    chunked(policy, source.size)
  ) {
    client.logger.info(`${label}: registry refuses chunked uploads; sending one PUT instead`);
    upload.policy = { ...policy, monolithicMaxBytes: Infinity };
    return new PolicyChanged(err);
  }
  if (err instanceof HttpStatusError && TOO_LARGE.has(err.status)) {
    const smaller = Math.max(
      policy.minChunkBytes,
      Math.floor(Math.min(policy.chunkBytes, source.size) / 2),
    );
    if (smaller < 64 * 1024 || (chunked(policy, source.size) && smaller === policy.chunkBytes)) {
      return new UserError(
        `registry ${client.registry} refuses request bodies even in small chunks (HTTP 413)`,
      );
    }
    client.logger.info(
      `${label}: registry refused a ${chunked(policy, source.size) ? 'chunk' : 'monolithic body'} as too large; using ${smaller}-byte chunks`,
    );
    upload.policy = { ...policy, monolithicMaxBytes: 0, chunkBytes: smaller };
    return new PolicyChanged(err);
  }
  return err;
}

/** A DigestMismatchError the HTTP client wrapped (a request body that failed as it streamed). */
function digestMismatchIn(err: unknown): DigestMismatchError | undefined {
  let current = err;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current instanceof DigestMismatchError) return current;
    current = current.cause;
  }
  return undefined;
}

/** One attempt: from where the registry stands to the end of the blob. */
async function attemptUpload(
  upload: Upload,
  attemptNumber: number,
  report: (offset: number) => void,
): Promise<void> {
  const offset = await startingOffset(upload, attemptNumber);
  const stream = upload.firstStream ?? (await upload.source.open(offset));
  upload.firstStream = undefined;
  const reader = new ChunkReader(stream);
  try {
    await sendBytes(upload, reader, offset, report);
  } catch (err) {
    throw afterFailure(upload, err);
  } finally {
    await reader.close();
  }
}

/**
 * Uploads one blob into a session, monolithic or chunked per policy, resuming
 * a broken chunked upload from the offset the registry reports. Retries with
 * the shared helper; every attempt after the first reads the source again from
 * where the registry stands.
 */
export async function uploadBlob(
  client: RegistryClient,
  repository: string,
  source: BlobSource,
  location: string,
  options: UploadOptions,
): Promise<void> {
  const label = options.label ?? `${client.registry}/${repository}@${source.digest.slice(0, 19)}`;
  const progress = new UploadProgress(client.logger, label, source.size);
  const upload: Upload = {
    client,
    repository,
    source,
    label,
    policy: { ...options.policy },
    session: location,
    acknowledged: 0,
    firstStream: options.stream,
    renewedTokenAt: undefined,
  };
  const report = (offset: number) => {
    if (offset > upload.acknowledged) {
      options.onBytes?.(offset - upload.acknowledged);
      upload.acknowledged = offset;
      progress.update(offset);
    }
  };
  await withRetry((n) => attemptUpload(upload, n, report), {
    attempts: options.attempts ?? 6,
    baseDelayMs: 250,
    classify: classifyUploadError,
    onRetry: ({ attempt: n, delayMs, error }) =>
      client.logger.info(
        `${label}: upload attempt ${n} failed (${(error as Error).message}); retrying in ${(delayMs / 1000).toFixed(1)}s`,
      ),
  });
  progress.finish(source.size);
}

/** The registry refused a body as too large; the next attempt uses smaller chunks. */
class PolicyChanged extends Error {
  constructor(cause: unknown) {
    super('the registry refused the request body as too large', { cause });
    this.name = 'PolicyChanged';
  }
}

function classifyUploadError(err: unknown): RetryVerdict {
  if (err instanceof PolicyChanged) return { retry: true, afterMs: 0 };
  if (err instanceof StaleTokenError) return { retry: true, afterMs: 0 };
  return defaultClassify(err);
}

function chunked(policy: UploadPolicy, size: number): boolean {
  return size > policy.monolithicMaxBytes;
}

async function putMonolithic(
  client: RegistryClient,
  repository: string,
  source: BlobSource,
  session: string,
  reader: ChunkReader,
): Promise<void> {
  const response = await client
    .send({
      method: 'PUT',
      url: withDigest(session, source.digest),
      scopes: [client.scope(repository, ['pull', 'push'])],
      headers: { 'content-type': OCTET, 'content-length': String(source.size) },
      body: () => reader.take(source.size),
      expect: [201],
      retry: false,
      what: `uploading blob ${source.digest.slice(0, 19)} to ${repository}`,
      timeoutMs: 0,
      idleTimeoutMs: 120_000,
    })
    .catch(digestProblem(client, source.digest));
  await response.body?.cancel();
}

async function patchChunk(
  client: RegistryClient,
  repository: string,
  session: string,
  reader: ChunkReader,
  offset: number,
  length: number,
): Promise<{ location: string; offset: number | undefined }> {
  const response = await client.send({
    method: 'PATCH',
    url: session,
    scopes: [client.scope(repository, ['pull', 'push'])],
    headers: {
      'content-type': OCTET,
      'content-length': String(length),
      'content-range': `${offset}-${offset + length - 1}`,
    },
    body: () => reader.take(length),
    // ECR answers a chunk with 201.
    expect: [202, 201, 204],
    retry: false,
    what: `uploading bytes ${offset}-${offset + length - 1} to ${repository}`,
    timeoutMs: 0,
    idleTimeoutMs: 120_000,
  });
  await response.body?.cancel();
  const location = response.headers.get('location');
  let next = nextOffsetFromRange(response.headers.get('range'));
  // `0-0` is how Distribution reports both 0 and 1 byte; after a chunk it means 1.
  if (next === 0) next = offset + length;
  if (next !== undefined && next !== offset + length) {
    throw new UserError(
      `registry ${client.registry} acknowledged up to byte ${next} after a chunk ending at ${offset + length}`,
    );
  }
  return {
    location: location ? new URL(location, client.baseUrl + '/').toString() : session,
    offset: next,
  };
}

async function finishUpload(
  client: RegistryClient,
  repository: string,
  session: string,
  digest: Digest,
): Promise<void> {
  const response = await client
    .send({
      method: 'PUT',
      url: withDigest(session, digest),
      scopes: [client.scope(repository, ['pull', 'push'])],
      headers: { 'content-type': OCTET, 'content-length': '0' },
      expect: [201],
      retry: false,
      what: `completing blob ${digest.slice(0, 19)} in ${repository}`,
    })
    .catch(digestProblem(client, digest));
  await response.body?.cancel();
}

/** Where an interrupted upload stands: GET on the session answers 204 with `Range`. */
async function resumePoint(
  client: RegistryClient,
  repository: string,
  session: string,
): Promise<{ location: string; offset: number } | undefined> {
  const response = await client.send({
    method: 'GET',
    url: session,
    scopes: [client.scope(repository, ['pull', 'push'])],
    expect: [204, 200, 404, 400],
    what: `checking an interrupted upload to ${repository}`,
  });
  await response.body?.cancel();
  if (response.status === 404 || response.status === 400) return undefined;
  const offset = nextOffsetFromRange(response.headers.get('range'));
  if (offset === undefined) return undefined;
  const location = response.headers.get('location');
  return {
    location: location ? new URL(location, client.baseUrl + '/').toString() : session,
    offset,
  };
}

function digestProblem(client: RegistryClient, digest: Digest) {
  return (err: unknown): never => {
    if (
      err instanceof HttpStatusError &&
      err.status === 400 &&
      /DIGEST_INVALID/i.test(err.message)
    ) {
      throw new DigestMismatchError(
        `registry ${client.registry} received bytes that do not hash to ${digest}: ${err.message}`,
      );
    }
    throw err;
  };
}
