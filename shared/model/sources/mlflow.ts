import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InputError, oneLine, UserError } from '../../common/errors.ts';
import { httpFetch } from '../../common/http.ts';
import type { Logger } from '../../common/logger.ts';
import { HttpStatusError, withRetry } from '../../common/retry.ts';

/**
 * Resolves `models:/<name>/<version>` and `models:/<name>@<alias>` through an
 * MLflow tracking server's REST API and downloads the version's files through
 * the server's artifact proxy (`mlflow server --serve-artifacts`, the default
 * since MLflow 2.0), so the runner needs no cloud storage credentials.
 */

export interface MlflowModelUri {
  name: string;
  version?: string;
  alias?: string;
}

export interface MlflowAuth {
  token?: string;
  username?: string;
  password?: string;
}

export interface MlflowModelVersion {
  name: string;
  version: string;
  status: string;
  runId: string | undefined;
  source: string | undefined;
  artifactUri: string;
}

export function parseMlflowUri(uri: string): MlflowModelUri | undefined {
  const match = /^models:\/([^/@]+)(?:\/([^/@]+)|@([^/@]+))\/?$/.exec(uri.trim());
  if (!match) return undefined;
  const [, name, version, alias] = match as unknown as [
    string,
    string,
    string | undefined,
    string | undefined,
  ];
  return version !== undefined ? { name, version } : { name, alias: alias as string };
}

export class MlflowClient {
  private readonly base: string;
  private readonly authorization: string | undefined;

  constructor(trackingUri: string, auth: MlflowAuth, logger: Logger) {
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

  private async get(
    path: string,
    what: string,
  ): Promise<Response | Awaited<ReturnType<typeof httpFetch>>> {
    const url = `${this.base}${path}`;
    return withRetry(async () => {
      const response = await httpFetch(url, {
        headers: this.authorization ? { authorization: this.authorization } : {},
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
      throw new MlflowHttpError(response.status, what, body);
    });
  }

  private async getJson<T>(path: string, what: string): Promise<T> {
    const response = await this.get(path, what);
    return (await response.json()) as T;
  }

  async resolve(uri: MlflowModelUri): Promise<MlflowModelVersion> {
    const q = (params: Record<string, string>) => new URLSearchParams(params).toString();
    interface Wire {
      model_version: {
        name: string;
        version: string;
        status?: string;
        run_id?: string;
        source?: string;
      };
    }
    let version = uri.version;
    if (version === undefined) {
      const byAlias = await this.getJson<Wire>(
        `/api/2.0/mlflow/registered-models/alias?${q({ name: uri.name, alias: uri.alias! })}`,
        `resolving alias '${uri.alias}' of model '${uri.name}'`,
      ).catch(notFound(`model '${uri.name}' has no alias '${uri.alias}'`));
      version = byAlias.model_version.version;
    }
    const got = await this.getJson<Wire>(
      `/api/2.0/mlflow/model-versions/get?${q({ name: uri.name, version })}`,
      `reading version ${version} of model '${uri.name}'`,
    ).catch(notFound(`model '${uri.name}' has no version ${version}`));
    const mv = got.model_version;
    const status = mv.status ?? 'READY';
    if (status !== 'READY') {
      throw new UserError(`MLflow model '${uri.name}' version ${version} is ${status}, not READY`, {
        hint:
          status === 'PENDING_REGISTRATION'
            ? 'wait for the registration to finish and run again'
            : 'register the model version again',
      });
    }
    const download = await this.getJson<{ artifact_uri: string }>(
      `/api/2.0/mlflow/model-versions/get-download-uri?${q({ name: uri.name, version })}`,
      `getting the download URI of model '${uri.name}' version ${version}`,
    );
    return {
      name: mv.name,
      version: String(mv.version),
      status,
      runId: mv.run_id || undefined,
      source: mv.source,
      artifactUri: download.artifact_uri,
    };
  }

  /**
   * Downloads every file under an `mlflow-artifacts:` URI into `destination`
   * through `/api/2.0/mlflow-artifacts/artifacts`, streaming each file to disk.
   */
  async download(
    artifactUri: string,
    destination: string,
    logger: Logger,
  ): Promise<{ files: number; bytes: number }> {
    const root = artifactPath(artifactUri);
    let files = 0;
    let bytes = 0;
    const walk = async (path: string, local: string): Promise<void> => {
      const listing = await this.getJson<{
        files?: Array<{ path: string; is_dir?: boolean; file_size?: number | string }>;
      }>(
        `/api/2.0/mlflow-artifacts/artifacts?${new URLSearchParams({ path }).toString()}`,
        `listing artifacts at ${path}`,
      );
      for (const entry of listing.files ?? []) {
        // The proxy answers with names relative to the listed folder; some servers give full paths.
        const name = entry.path.startsWith(`${path}/`)
          ? entry.path.slice(path.length + 1)
          : entry.path;
        const safe = normalize(name);
        if (safe.startsWith('..') || safe.startsWith('/') || safe === '.') {
          throw new UserError(
            `MLflow listed an artifact outside the model folder: '${entry.path}'`,
          );
        }
        const remote = `${path}/${name}`;
        const target = join(local, safe);
        if (entry.is_dir) {
          await walk(remote, target);
          continue;
        }
        await mkdir(dirname(target), { recursive: true });
        const response = await this.get(
          `/api/2.0/mlflow-artifacts/artifacts/${remote.split('/').map(encodeURIComponent).join('/')}`,
          `downloading ${remote}`,
        );
        if (response.body === null) throw new UserError(`MLflow sent no body for ${remote}`);
        await pipeline(Readable.fromWeb(response.body as never), createWriteStream(target));
        files++;
        const size = Number(entry.file_size ?? 0);
        bytes += size;
        logger.debug(`downloaded ${remote} (${size} bytes)`);
      }
    };
    await mkdir(destination, { recursive: true });
    await walk(root, destination);
    if (files === 0) throw new UserError(`MLflow model artifacts at ${artifactUri} hold no files`);
    return { files, bytes };
  }
}

/** The tracking URI as it may be logged and recorded in the image: no user or password. */
export function withoutCredentials(trackingUri: string): string {
  const url = new URL(trackingUri);
  if (url.username === '' && url.password === '') return trackingUri;
  url.username = '';
  url.password = '';
  return url.toString();
}

/** The path the artifact proxy knows: `mlflow-artifacts:/1/abc/artifacts/model` → `1/abc/artifacts/model`. */
export function artifactPath(artifactUri: string): string {
  const match = /^mlflow-artifacts:(?:\/\/[^/]+)?\/(.*)$/.exec(artifactUri);
  if (!match) {
    throw new UserError(
      `MLflow stores this model at ${artifactUri}, which is not served through the tracking server's artifact proxy`,
      {
        hint: 'run the tracking server with --serve-artifacts (the default since MLflow 2.0) so models download through it',
      },
    );
  }
  return (match[1] as string).replace(/\/+$/, '');
}

export class MlflowHttpError extends UserError {
  readonly status: number;
  constructor(status: number, what: string, body: string) {
    let detail = oneLine(body).slice(0, 300);
    try {
      const parsed = JSON.parse(body) as { error_code?: string; message?: string };
      if (parsed.message) detail = oneLine(`${parsed.error_code ?? ''} ${parsed.message}`);
    } catch {
      // not JSON: keep the text
    }
    super(`MLflow: ${what} failed (HTTP ${status}${detail ? `: ${detail}` : ''})`, {
      hint:
        status === 401 || status === 403
          ? 'check MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME/PASSWORD'
          : undefined,
    });
    this.status = status;
  }
}

function notFound(message: string) {
  return (err: unknown): never => {
    if (err instanceof MlflowHttpError && err.status === 404) {
      throw new InputError('model', message);
    }
    throw err;
  };
}
