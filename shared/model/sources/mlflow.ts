import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InputError, oneLine, UserError } from '../../common/errors.ts';
import { httpFetch } from '../../common/http.ts';
import type { Logger } from '../../common/logger.ts';
import { HttpStatusError, withRetry } from '../../common/retry.ts';
import { objectStoreFor, objectStoreSchemes } from '../../clouds/registry.ts';

/**
 * Resolves MLflow model URIs through a tracking server's REST API and
 * downloads the model's files from wherever the server says they are: the
 * server's artifact proxy (`mlflow-artifacts:`, `mlflow server
 * --serve-artifacts`), or the artifact store itself (`s3://`, `gs://`,
 * `wasbs://`, `abfss://`) with the cloud credentials already on the runner.
 *
 * - `models:/<name>/<version>` and `models:/<name>@<alias>`: a registered version;
 * - `models:/m-<id>`: an MLflow 3 logged model;
 * - `runs:/<run-id>/<path>`: a run's artifacts, or the model the run logged under that name.
 */

export type MlflowModelUri =
  | { kind: 'version'; name: string; version: string }
  | { kind: 'alias'; name: string; alias: string }
  | { kind: 'logged-model'; modelId: string }
  | { kind: 'run'; runId: string; path: string };

export interface MlflowAuth {
  token?: string;
  username?: string;
  password?: string;
}

/** A resolved model: where its files are, and what to record about it. */
export interface MlflowModel {
  /** The registered name and version (for `models:/<name>/…`). */
  name?: string;
  version?: string;
  alias?: string;
  runId?: string;
  modelId?: string;
  /** The model version's `source`, as MLflow recorded it. */
  source?: string;
  /** Where the files are: `mlflow-artifacts:/…`, `s3://…`, `gs://…`, `wasbs://…`, `abfss://…`. */
  artifactUri: string;
}

export const MLFLOW_URI_EXAMPLES =
  'models:/resnet50/3, models:/resnet50@champion, models:/m-<logged model id> or runs:/<run id>/model';

const VERSION = /^[1-9][0-9]{0,9}$/;
const SEGMENT = /^[A-Za-z0-9._-]+$/;

export function isMlflowUri(model: string): boolean {
  return /^(models|runs):/.test(model.trim());
}

export function parseMlflowUri(uri: string): MlflowModelUri | undefined {
  const text = uri.trim();
  const logged = /^models:\/(m-[0-9a-zA-Z]+)\/?$/.exec(text);
  if (logged) return { kind: 'logged-model', modelId: logged[1] as string };
  const registered = /^models:\/([^/@]+)(?:\/([^/@]+)|@([^/@]+))\/?$/.exec(text);
  if (registered) {
    const [, name, version, alias] = registered as unknown as [
      string,
      string,
      string | undefined,
      string | undefined,
    ];
    if (version !== undefined)
      return VERSION.test(version) ? { kind: 'version', name, version } : undefined;
    return { kind: 'alias', name, alias: alias as string };
  }
  const run = /^runs:\/([0-9A-Za-z_-]+)\/(.+?)\/?$/.exec(text);
  if (run) {
    const path = run[2] as string;
    const parts = path.split('/');
    if (parts.some((p) => !SEGMENT.test(p) || p === '.' || p === '..')) return undefined;
    return { kind: 'run', runId: run[1] as string, path };
  }
  return undefined;
}

/** Folds a server's text to one short line: it is quoted in messages, never logged raw. */
function remoteText(text: string): string {
  return oneLine(text).slice(0, 300);
}

export class MlflowClient {
  private readonly base: string;
  private readonly authorization: string | undefined;
  /** The model URI as the user wrote it, for every message. */
  private readonly model: string;

  constructor(trackingUri: string, auth: MlflowAuth, logger: Logger, model = '') {
    let url: URL;
    try {
      url = new URL(trackingUri);
    } catch {
      throw new InputError(
        'mlflow-tracking-uri',
        `is not a URL: '${trackingUri}'`,
        'https://mlflow.example.com',
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new InputError(
        'mlflow-tracking-uri',
        `must be an http(s) tracking server, not '${trackingUri}'`,
        'https://mlflow.example.com',
      );
    }
    // Credentials written into the URL are used as basic auth, never sent or recorded in the URL.
    if (url.username !== '' && auth.token === undefined && auth.username === undefined) {
      auth = {
        username: decodeURIComponent(url.username),
        password: decodeURIComponent(url.password),
      };
    }
    this.base = withoutCredentials(trackingUri).replace(/\/+$/, '');
    this.model = model;
    if (auth.token) {
      logger.secret(auth.token);
      this.authorization = `Bearer ${auth.token}`;
    } else if (auth.username !== undefined && auth.password !== undefined) {
      logger.secret(auth.password);
      const basic = Buffer.from(`${auth.username}:${auth.password}`).toString('base64');
      logger.secret(basic);
      this.authorization = `Basic ${basic}`;
    }
  }

  /** `<model URI> on the MLflow server <url>: <problem>`, with the fix as the hint. */
  private refuse(problem: string, hint?: string): UserError {
    return new UserError(`${this.model} on the MLflow server ${this.base}: ${problem}`, {
      ...(hint ? { hint } : {}),
    });
  }

  private async request(
    path: string,
    what: string,
    init: { method?: 'GET' | 'POST'; body?: unknown } = {},
  ): Promise<Awaited<ReturnType<typeof httpFetch>>> {
    const url = `${this.base}${path}`;
    return withRetry(async () => {
      const response = await httpFetch(url, {
        method: init.method ?? 'GET',
        headers: {
          ...(this.authorization ? { authorization: this.authorization } : {}),
          ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
        timeoutMs: 0,
        idleTimeoutMs: 60_000,
        server: 'MLflow tracking server',
        input: 'mlflow-tracking-uri',
      });
      if (response.ok) return response;
      const body = await response.text().catch(() => '');
      if (response.status === 429 || response.status >= 500) {
        throw new HttpStatusError(
          response.status,
          url,
          `${what}: HTTP ${response.status}`,
          response.headers.get('retry-after'),
        );
      }
      throw new MlflowHttpError(response.status, what, body, this.model, this.base);
    });
  }

  private async json<T>(
    path: string,
    what: string,
    init?: { method?: 'GET' | 'POST'; body?: unknown },
  ): Promise<T> {
    const response = await this.request(path, what, init);
    return (await response.json()) as T;
  }

  /**
   * A lookup's "not found" becomes this message and fix: a 404, or the 400
   * INVALID_PARAMETER_VALUE "… not found." that MLflow answers for a missing alias.
   */
  private notFound(problem: string, hint: string) {
    return (err: unknown): never => {
      if (
        err instanceof MlflowHttpError &&
        (err.status === 404 ||
          (err.status === 400 &&
            err.code === 'INVALID_PARAMETER_VALUE' &&
            /not found/i.test(err.detail)))
      ) {
        throw this.refuse(problem, hint);
      }
      throw err;
    };
  }

  async resolve(uri: MlflowModelUri): Promise<MlflowModel> {
    switch (uri.kind) {
      case 'version':
      case 'alias':
        return this.resolveVersion(uri);
      case 'logged-model':
        return this.resolveLoggedModel(uri.modelId);
      case 'run':
        return this.resolveRun(uri.runId, uri.path);
    }
  }

  private async resolveVersion(
    uri: Extract<MlflowModelUri, { kind: 'version' | 'alias' }>,
  ): Promise<MlflowModel> {
    const q = (params: Record<string, string>) => new URLSearchParams(params).toString();
    interface Wire {
      model_version?: {
        name?: string;
        version?: string | number;
        status?: string;
        run_id?: string;
        source?: string;
        model_id?: string;
      };
    }
    const models = `the model's page in the MLflow UI (Models → ${uri.name})`;
    let version: string;
    if (uri.kind === 'alias') {
      const byAlias = await this.json<Wire>(
        `/api/2.0/mlflow/registered-models/alias?${q({ name: uri.name, alias: uri.alias })}`,
        `resolving alias '${uri.alias}' of model '${uri.name}'`,
      ).catch(
        this.notFound(
          `model '${uri.name}' has no alias '${uri.alias}'`,
          `set the alias on a version (${models}, or MlflowClient().set_registered_model_alias) or use models:/${uri.name}/<version>`,
        ),
      );
      this.checkName(byAlias.model_version?.name, uri.name);
      version = this.checkVersion(byAlias.model_version?.version);
    } else {
      version = uri.version;
    }
    const got = await this.json<Wire>(
      `/api/2.0/mlflow/model-versions/get?${q({ name: uri.name, version })}`,
      `reading version ${version} of model '${uri.name}'`,
    ).catch(
      this.notFound(
        `model '${uri.name}' has no version ${version} (it was deleted, or never registered)`,
        `pick a version that exists (${models}) or an alias such as models:/${uri.name}@champion`,
      ),
    );
    const mv = got.model_version ?? {};
    this.checkName(mv.name, uri.name);
    if (this.checkVersion(mv.version) !== version) {
      throw this.refuse(
        `asked for version ${version}, the server answered version ${remoteText(String(mv.version))}`,
      );
    }
    const status = mv.status ?? 'READY';
    if (status !== 'READY') {
      throw this.refuse(
        `model '${uri.name}' version ${version} is ${remoteText(status)}, not READY; nothing was packaged`,
        status === 'PENDING_REGISTRATION'
          ? 'wait for the registration to finish (the version turns READY), then run this again'
          : `register the model version again (${models})`,
      );
    }
    const download = await this.json<{ artifact_uri?: string }>(
      `/api/2.0/mlflow/model-versions/get-download-uri?${q({ name: uri.name, version })}`,
      `getting the download URI of model '${uri.name}' version ${version}`,
    );
    if (typeof download.artifact_uri !== 'string' || download.artifact_uri === '') {
      throw this.refuse(`the server gave no download URI for version ${version}`);
    }
    // MLflow 3 records a version's logged model as its source, `models:/m-…`.
    const modelId = mv.model_id || /^models:\/(m-[0-9A-Za-z]+)\/?$/.exec(mv.source ?? '')?.[1];
    return {
      name: uri.name,
      version,
      ...(uri.kind === 'alias' ? { alias: uri.alias } : {}),
      ...(mv.run_id ? { runId: mv.run_id } : {}),
      ...(modelId ? { modelId } : {}),
      ...(mv.source ? { source: mv.source } : {}),
      artifactUri: download.artifact_uri,
    };
  }

  private async resolveLoggedModel(modelId: string): Promise<MlflowModel> {
    interface Wire {
      model?: {
        info?: {
          model_id?: string;
          artifact_uri?: string;
          status?: string;
          source_run_id?: string;
        };
      };
    }
    const got = await this.json<Wire>(
      `/api/2.0/mlflow/logged-models/${encodeURIComponent(modelId)}`,
      `reading logged model ${modelId}`,
    ).catch(
      this.notFound(
        `there is no logged model ${modelId}`,
        "copy the model id (m-…) from the run's Logged models in the MLflow UI, or use models:/<name>/<version>",
      ),
    );
    const info = got.model?.info ?? {};
    if (info.model_id !== modelId) {
      throw this.refuse(
        `asked for logged model ${modelId}, the server answered ${remoteText(String(info.model_id))}`,
      );
    }
    if (info.status !== undefined && !/READY$/.test(info.status)) {
      throw this.refuse(
        `logged model ${modelId} is ${remoteText(info.status)}, not ready`,
        'log the model again and use the new id',
      );
    }
    if (typeof info.artifact_uri !== 'string' || info.artifact_uri === '') {
      throw this.refuse(`logged model ${modelId} has no artifact location`);
    }
    return {
      modelId,
      ...(info.source_run_id ? { runId: info.source_run_id } : {}),
      artifactUri: info.artifact_uri,
    };
  }

  /**
   * A run's artifacts under `path`; MLflow 3 keeps a model logged in the run
   * with the logged models instead, found by its name and source run, as
   * MLflow's own `runs:/` resolution does.
   */
  private async resolveRun(runId: string, path: string): Promise<MlflowModel> {
    interface Wire {
      run?: {
        info?: {
          run_id?: string;
          artifact_uri?: string;
          experiment_id?: string;
          lifecycle_stage?: string;
        };
      };
    }
    const got = await this.json<Wire>(
      `/api/2.0/mlflow/runs/get?${new URLSearchParams({ run_id: runId }).toString()}`,
      `reading run ${runId}`,
    ).catch(
      this.notFound(
        `there is no run ${runId}`,
        "copy the run id from the run's page in the MLflow UI",
      ),
    );
    const info = got.run?.info ?? {};
    if (info.run_id !== runId) {
      throw this.refuse(
        `asked for run ${runId}, the server answered ${remoteText(String(info.run_id))}`,
      );
    }
    if (info.lifecycle_stage === 'deleted') {
      throw this.refuse(
        `run ${runId} is deleted`,
        'restore the run in the MLflow UI, or use another run',
      );
    }
    if (typeof info.artifact_uri !== 'string' || info.artifact_uri === '') {
      throw this.refuse(`run ${runId} has no artifact location`);
    }
    const runArtifacts = `${info.artifact_uri.replace(/\/+$/, '')}/${path}`;
    if ((await this.listing(runArtifacts)).length > 0) {
      return { runId, artifactUri: runArtifacts };
    }
    const [name, ...rest] = path.split('/');
    const search = await this.json<{
      models?: Array<{
        info?: { model_id?: string; name?: string; source_run_id?: string; artifact_uri?: string };
      }>;
    }>('/api/2.0/mlflow/logged-models/search', `searching the logged models of run ${runId}`, {
      method: 'POST',
      body: {
        experiment_ids: [info.experiment_id],
        filter: `name = '${name}'`,
        max_results: 50,
      },
    });
    const logged = (search.models ?? [])
      .map((m) => m.info ?? {})
      .find(
        (m) => m.source_run_id === runId && m.name === name && typeof m.artifact_uri === 'string',
      );
    if (logged === undefined) {
      throw this.refuse(
        `run ${runId} has no artifacts at '${path}' and logged no model named '${name}'; nothing was packaged`,
        "check the artifact path in the run's Artifacts tab (runs:/<run id>/<path>), or use the registered version (models:/<name>/<version>)",
      );
    }
    const artifactUri = [String(logged.artifact_uri).replace(/\/+$/, ''), ...rest].join('/');
    return { runId, ...(logged.model_id ? { modelId: logged.model_id } : {}), artifactUri };
  }

  private checkName(answered: string | undefined, asked: string): void {
    if (answered !== asked) {
      throw this.refuse(
        `asked for model '${asked}', the server answered '${remoteText(String(answered))}'`,
      );
    }
  }

  private checkVersion(answered: string | number | undefined): string {
    const version = String(answered ?? '');
    if (!VERSION.test(version)) {
      throw this.refuse(
        `the server answered version '${remoteText(version)}', not a positive whole number`,
      );
    }
    return version;
  }

  /** Every file under an artifact URI, with its size and a way to read it. */
  private async listing(artifactUri: string): Promise<ArtifactFile[]> {
    return (await storeFor(artifactUri, this)).list();
  }

  /** Lists through the tracking server's artifact proxy (`mlflow-artifacts:`). */
  async proxyList(root: string): Promise<ArtifactFile[]> {
    const files: ArtifactFile[] = [];
    const walk = async (path: string, rel: string): Promise<void> => {
      const listing = await this.json<{
        files?: Array<{ path?: string; is_dir?: boolean; file_size?: number | string }>;
      }>(
        `/api/2.0/mlflow-artifacts/artifacts?${new URLSearchParams({ path }).toString()}`,
        `listing artifacts at ${path}`,
      );
      for (const entry of listing.files ?? []) {
        if (typeof entry.path !== 'string') continue;
        // The proxy answers with names relative to the listed folder; some servers give full paths.
        const name = entry.path.startsWith(`${path}/`)
          ? entry.path.slice(path.length + 1)
          : entry.path;
        const relPath = rel === '' ? name : `${rel}/${name}`;
        const remote = `${path}/${name}`;
        if (entry.is_dir) {
          await walk(remote, relPath);
          continue;
        }
        files.push({
          path: relPath,
          size: Number(entry.file_size ?? -1),
          open: async () => {
            const response = await this.request(
              `/api/2.0/mlflow-artifacts/artifacts/${remote.split('/').map(encodeURIComponent).join('/')}`,
              `downloading ${remote}`,
            );
            if (response.body === null)
              throw this.refuse(`the artifact proxy sent no body for ${remote}`);
            return Readable.fromWeb(response.body as never);
          },
        });
      }
    };
    await walk(root, '');
    return files;
  }

  /**
   * Downloads every file under the model's artifact URI into `destination`
   * (a folder of ours, emptied first), checking that each path stays inside
   * it and that each file has the size the store listed.
   */
  async download(
    model: MlflowModel,
    destination: string,
    logger: Logger,
  ): Promise<{ files: number; bytes: number }> {
    const store = await storeFor(model.artifactUri, this, logger);
    await rm(destination, { recursive: true, force: true });
    await mkdir(destination, { recursive: true });
    let bytes = 0;
    try {
      const files = await store.list();
      if (files.length === 0) {
        throw this.refuse(
          `the model's artifacts at ${model.artifactUri} hold no files; nothing was packaged`,
          'log the model again; the store may have been cleaned up',
        );
      }
      for (const file of files) {
        const target = join(destination, ...file.path.split('/'));
        if (!safeRelative(file.path) || !inside(destination, target)) {
          throw this.refuse(
            `the artifact store listed a path outside the model folder: '${remoteText(file.path)}'`,
          );
        }
        await mkdir(dirname(target), { recursive: true });
        const counter = new ByteCounter();
        await pipeline(await file.open(), counter, createWriteStream(target));
        if (file.size >= 0 && counter.bytes !== file.size) {
          throw this.refuse(
            `${store.location}/${file.path} is ${counter.bytes} bytes, the store listed ${file.size}; nothing was packaged`,
            'the download was cut short or the file changed while it was read; run this again',
          );
        }
        bytes += counter.bytes;
        logger.debug(`downloaded ${file.path} (${counter.bytes} bytes)`);
      }
      return { files: files.length, bytes };
    } catch (err) {
      await rm(destination, { recursive: true, force: true });
      throw err;
    }
  }

  /** For the artifact stores' messages. */
  describe(problem: string, hint?: string): UserError {
    return this.refuse(problem, hint);
  }
}

interface ArtifactFile {
  /** Relative to the artifact URI, `/`-separated. */
  path: string;
  /** From the store's listing; -1 when it gave none. */
  size: number;
  open(): Promise<Readable>;
}

interface ArtifactStore {
  location: string;
  list(): Promise<ArtifactFile[]>;
}

class ByteCounter extends Transform {
  bytes = 0;
  override _transform(
    chunk: Buffer,
    _e: BufferEncoding,
    done: (e?: Error | null, c?: Buffer) => void,
  ): void {
    this.bytes += chunk.length;
    done(null, chunk);
  }
}

function safeRelative(path: string): boolean {
  const parts = path.split('/');
  return (
    parts.length > 0 && parts.every((p) => p !== '' && p !== '.' && p !== '..' && !p.includes('\\'))
  );
}

function inside(folder: string, path: string): boolean {
  const rel = relative(resolve(folder), resolve(path));
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** Files under a bucket prefix, read with the cloud's reader. */
function bucketStore(
  location: string,
  prefix: string,
  reader: {
    list(prefix: string): Promise<Array<{ key: string; size: number }>>;
    open(key: string): Promise<Readable>;
  },
): ArtifactStore {
  const folder = prefix.replace(/\/+$/, '');
  return {
    location,
    async list() {
      const objects = await reader.list(folder === '' ? '' : `${folder}/`);
      return objects
        .filter((o) => !o.key.endsWith('/'))
        .map((o) => ({
          path: folder === '' ? o.key : o.key.slice(folder.length + 1),
          size: o.size,
          open: () => reader.open(o.key),
        }));
    },
  };
}

/** The store an artifact URI names. */
async function storeFor(
  artifactUri: string,
  client: MlflowClient,
  logger?: Logger,
): Promise<ArtifactStore> {
  const uri = artifactUri.replace(/\/+$/, '');
  const proxy = /^mlflow-artifacts:(?:\/\/[^/]+)?\/(.*)$/.exec(uri);
  if (proxy) {
    const root = proxy[1] as string;
    return { location: uri, list: () => client.proxyList(root) };
  }
  const log = logger ?? { info() {}, debug() {}, warning() {}, error() {}, secret() {} };
  let url: URL | undefined;
  try {
    url = new URL(uri);
  } catch {
    url = undefined;
  }
  const key = url ? decodeURIComponent(url.pathname.replace(/^\/+/, '')) : '';
  const store = url ? objectStoreFor(url.protocol.slice(0, -1)) : undefined;
  if (store !== undefined) {
    const endpoint = process.env.MLFLOW_S3_ENDPOINT_URL;
    const reader = await store.reader({
      url: uri,
      // MLflow's own variable for an S3-compatible store, in DVC's setting name.
      settings: endpoint ? { endpointurl: endpoint } : {},
      source: `the artifact location ${uri}`,
      refuse: (problem, hint) => client.describe(problem, hint),
      logger: log,
    });
    return bucketStore(uri, key, reader);
  }
  const schemes = objectStoreSchemes().map((scheme) => `${scheme}://`);
  throw client.describe(
    `the model's files are at ${uri}, which package cannot read: it reads the tracking server's artifact proxy (mlflow-artifacts:) and ${schemes.join(', ')} stores`,
    'run the tracking server with --serve-artifacts (the default since MLflow 2.0), or keep the artifacts in an object store of one of those',
  );
}

/** The tracking URI as it may be logged and recorded in the image: no user or password. */
export function withoutCredentials(trackingUri: string): string {
  const url = new URL(trackingUri);
  if (url.username === '' && url.password === '') return trackingUri;
  url.username = '';
  url.password = '';
  return url.toString();
}

export class MlflowHttpError extends UserError {
  readonly status: number;
  /** MLflow's `error_code`, e.g. RESOURCE_DOES_NOT_EXIST; '' when the body had none. */
  readonly code: string;
  /** The server's message, folded to one short line. */
  readonly detail: string;
  constructor(status: number, what: string, body: string, model: string, server: string) {
    let detail = remoteText(body);
    let code = '';
    try {
      const parsed = JSON.parse(body) as { error_code?: string; message?: string };
      code = typeof parsed.error_code === 'string' ? remoteText(parsed.error_code) : '';
      if (parsed.message) detail = remoteText(`${code} ${parsed.message}`);
    } catch {
      // not JSON: keep the folded text
    }
    super(
      `${model ? `${model} on ` : ''}the MLflow server ${server}: ${what} failed (HTTP ${status}${detail ? `: ${detail}` : ''})`,
      {
        hint:
          status === 401 || status === 403
            ? 'check MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME/PASSWORD'
            : undefined,
      },
    );
    this.status = status;
    this.code = code;
    this.detail = detail;
  }
}
