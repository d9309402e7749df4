import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join, normalize } from 'node:path';

/**
 * A test double of an MLflow tracking server: the parts of its REST API that
 * resolve and download a registered model version, as MLflow documents them —
 * `registered-models/alias`, `model-versions/get`,
 * `model-versions/get-download-uri`, and the artifact proxy
 * (`/api/2.0/mlflow-artifacts/artifacts`, list and download) that
 * `mlflow server --serve-artifacts` exposes. Errors use MLflow's body
 * `{error_code, message}`. It serves files from a folder on disk.
 */

export interface DoubleModelVersion {
  name: string;
  version: string;
  status: 'READY' | 'PENDING_REGISTRATION' | 'FAILED_REGISTRATION';
  runId: string;
  /** Folder under the artifact root that holds this version's files. */
  artifactPath: string;
}

export interface MlflowDouble {
  url: string;
  versions: DoubleModelVersion[];
  aliases: Map<string, string>;
  /** Requests seen, as `METHOD path?query`. */
  requests: string[];
  stop(): Promise<void>;
}

export interface MlflowDoubleOptions {
  /** Folder that the artifact proxy serves (`mlflow-artifacts:/` maps here). */
  artifactRoot: string;
  versions: DoubleModelVersion[];
  aliases?: Record<string, string>;
  /** When set, every request must carry `Authorization: Bearer <token>` (or the basic credentials below). */
  token?: string;
  /** Basic credentials the server also accepts, as MLflow's basic-auth app does. */
  basic?: { username: string; password: string };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function notFound(res: ServerResponse, message: string): void {
  send(res, 404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message });
}

export async function startMlflowDouble(options: MlflowDoubleOptions): Promise<MlflowDouble> {
  const versions = options.versions;
  const aliases = new Map(Object.entries(options.aliases ?? {}));
  const requests: string[] = [];
  const wire = (v: DoubleModelVersion) => ({
    name: v.name,
    version: v.version,
    creation_timestamp: 1700000000000,
    last_updated_timestamp: 1700000000000,
    current_stage: 'None',
    source: `mlflow-artifacts:/${v.artifactPath}`,
    run_id: v.runId,
    status: v.status,
  });

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://double');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    const accepted = [
      ...(options.token !== undefined ? [`Bearer ${options.token}`] : []),
      ...(options.basic
        ? [
            `Basic ${Buffer.from(`${options.basic.username}:${options.basic.password}`).toString('base64')}`,
          ]
        : []),
    ];
    if (accepted.length > 0 && !accepted.includes(req.headers.authorization ?? '')) {
      send(res, 401, { error_code: 'UNAUTHENTICATED', message: 'Invalid or missing token' });
      return;
    }
    if (req.method !== 'GET') {
      send(res, 405, { error_code: 'BAD_REQUEST', message: 'method not allowed' });
      return;
    }
    const q = url.searchParams;
    const find = (name: string | null, version: string | null) =>
      versions.find((v) => v.name === name && v.version === version);
    switch (url.pathname) {
      case '/api/2.0/mlflow/registered-models/alias': {
        const version = aliases.get(`${q.get('name')}@${q.get('alias')}`);
        const mv = version === undefined ? undefined : find(q.get('name'), version);
        if (mv === undefined)
          return notFound(res, `Registered model alias ${q.get('alias')} not found.`);
        return send(res, 200, { model_version: { ...wire(mv), aliases: [q.get('alias')] } });
      }
      case '/api/2.0/mlflow/model-versions/get': {
        const mv = find(q.get('name'), q.get('version'));
        if (mv === undefined)
          return notFound(
            res,
            `Model Version (name=${q.get('name')}, version=${q.get('version')}) not found`,
          );
        return send(res, 200, { model_version: wire(mv) });
      }
      case '/api/2.0/mlflow/model-versions/get-download-uri': {
        const mv = find(q.get('name'), q.get('version'));
        if (mv === undefined) return notFound(res, 'Model Version not found');
        return send(res, 200, { artifact_uri: `mlflow-artifacts:/${mv.artifactPath}` });
      }
      case '/api/2.0/mlflow-artifacts/artifacts': {
        const path = normalize(q.get('path') ?? '');
        if (path.startsWith('..'))
          return send(res, 400, { error_code: 'INVALID_PARAMETER_VALUE', message: 'bad path' });
        const folder = join(options.artifactRoot, path);
        if (!existsSync(folder) || !statSync(folder).isDirectory()) return send(res, 200, {});
        const files = readdirSync(folder)
          .sort()
          .map((name) => {
            const info = statSync(join(folder, name));
            return info.isDirectory()
              ? { path: name, is_dir: true }
              : { path: name, is_dir: false, file_size: info.size };
          });
        return send(res, 200, files.length > 0 ? { files } : {});
      }
      default: {
        const prefix = '/api/2.0/mlflow-artifacts/artifacts/';
        if (url.pathname.startsWith(prefix)) {
          const path = normalize(decodeURIComponent(url.pathname.slice(prefix.length)));
          const file = join(options.artifactRoot, path);
          if (path.startsWith('..') || !existsSync(file) || !statSync(file).isFile())
            return notFound(res, 'artifact not found');
          res.writeHead(200, {
            'content-type': 'application/octet-stream',
            'content-length': statSync(file).size,
          });
          createReadStream(file).pipe(res);
          return;
        }
        return send(res, 404, {
          error_code: 'ENDPOINT_NOT_FOUND',
          message: `no endpoint ${url.pathname}`,
        });
      }
    }
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address !== 'object')
    throw new Error('MLflow double did not bind');
  return {
    url: `http://127.0.0.1:${address.port}`,
    versions,
    aliases,
    requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
