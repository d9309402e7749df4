import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A test double of the Google Kubernetes Engine API's
 * `GET /v1/projects/{project}/locations/{location}/clusters/{cluster}`, as
 * documented: a bearer access token required, Google error bodies
 * `{"error":{"code","message","status"}}`, and the Cluster resource's
 * `endpoint` (an address without scheme) and
 * `masterAuth.clusterCaCertificate` (base64 PEM).
 */

export interface GkeClusterDouble {
  project: string;
  location: string;
  name: string;
  /** host:port of the API server (GKE gives an IP without scheme). */
  endpoint: string;
  caPem: string;
  status?: string;
}

export interface GkeDouble {
  /** http://127.0.0.1:PORT, for MODEL_DEPLOY_GKE_ENDPOINT. */
  endpoint: string;
  requests: Array<{ method: string; path: string; authorization: string | undefined }>;
  addCluster(cluster: GkeClusterDouble): void;
  stop(): Promise<void>;
}

function googleError(res: ServerResponse, code: number, status: string, message: string): void {
  res.writeHead(code, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify({ error: { code, message, status } }));
}

export async function startGkeDouble(options: {
  /** The access token accepted, or a check (e.g. the Google OAuth double's isValid). */
  acceptToken: string | ((token: string) => boolean);
}): Promise<GkeDouble> {
  const accepts = (header: string | undefined): boolean => {
    const token = /^Bearer (.+)$/.exec(header ?? '')?.[1];
    if (token === undefined) return false;
    return typeof options.acceptToken === 'string'
      ? token === options.acceptToken
      : options.acceptToken(token);
  };
  const clusters = new Map<string, GkeClusterDouble>();
  const requests: GkeDouble['requests'] = [];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({
      method: req.method ?? '',
      path: url.pathname,
      authorization: req.headers.authorization,
    });
    req.resume();
    req.on('end', () => {
      if (!accepts(req.headers.authorization)) {
        googleError(
          res,
          401,
          'UNAUTHENTICATED',
          'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
        );
        return;
      }
      const match = /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/clusters\/([^/]+)$/.exec(
        url.pathname,
      );
      if (!match || req.method !== 'GET') {
        googleError(res, 404, 'NOT_FOUND', `Method not found: ${req.method} ${url.pathname}`);
        return;
      }
      const [, project, location, name] = match as unknown as [string, string, string, string];
      const cluster = clusters.get(`${project}/${location}/${name}`);
      if (!cluster) {
        googleError(
          res,
          404,
          'NOT_FOUND',
          `Not found: projects/${project}/locations/${location}/clusters/${name}.`,
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
      res.end(
        JSON.stringify({
          name,
          location,
          selfLink: `https://container.googleapis.com/v1/projects/${project}/locations/${location}/clusters/${name}`,
          endpoint: cluster.endpoint,
          status: cluster.status ?? 'RUNNING',
          masterAuth: { clusterCaCertificate: Buffer.from(cluster.caPem).toString('base64') },
          currentMasterVersion: '1.32.0-gke.1000',
        }),
      );
    });
  };
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    addCluster: (cluster) =>
      clusters.set(`${cluster.project}/${cluster.location}/${cluster.name}`, cluster),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
