import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { stringify } from 'yaml';

/**
 * A test double of the Azure Resource Manager API for AKS credentials:
 * `POST /subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.ContainerService/managedClusters/{name}/listClusterUserCredential`
 * as documented (api-version required, a bearer token required, ARM error
 * bodies `{"error":{"code","message"}}`, the kubeconfig base64 in
 * `kubeconfigs[0].value`). A cluster with local accounts returns a kubeconfig
 * with its token; an Entra ID (AAD) cluster returns the kubelogin exec
 * kubeconfig AKS hands out, so the caller must sign in for the AKS server app.
 */

export const AKS_SERVER_APP_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';

export interface AksClusterDouble {
  subscription: string;
  resourceGroup: string;
  name: string;
  server: string;
  caPem: string;
  /** Local accounts: the token in the returned kubeconfig. Absent: an Entra ID cluster. */
  localToken?: string;
  tenantId?: string;
}

export interface ArmRequestRecord {
  method: string;
  path: string;
  apiVersion: string | null;
  authorization: string | undefined;
}

export interface ArmDouble {
  /** http://127.0.0.1:PORT, for MODEL_DEPLOY_ARM_ENDPOINT. */
  endpoint: string;
  requests: ArmRequestRecord[];
  addCluster(cluster: AksClusterDouble): void;
  stop(): Promise<void>;
}

function armError(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'x-ms-failure-cause': 'gateway',
  });
  res.end(JSON.stringify({ error: { code, message } }));
}

function kubeconfigFor(cluster: AksClusterDouble): string {
  const user = cluster.localToken
    ? { token: cluster.localToken }
    : {
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1beta1',
          command: 'kubelogin',
          args: [
            'get-token',
            '--environment',
            'AzurePublicCloud',
            '--server-id',
            AKS_SERVER_APP_ID,
            '--client-id',
            '80faf920-1908-4b52-b5ef-a8e7bedfc67a',
            '--tenant-id',
            cluster.tenantId ?? '00000000-0000-0000-0000-000000000000',
            '--login',
            'devicecode',
          ],
          env: null,
          provideClusterInfo: false,
          interactiveMode: 'IfAvailable',
        },
      };
  const name = cluster.name;
  const userName = `clusterUser_${cluster.resourceGroup}_${name}`;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name,
        cluster: {
          server: cluster.server,
          'certificate-authority-data': Buffer.from(cluster.caPem).toString('base64'),
        },
      },
    ],
    contexts: [{ name, context: { cluster: name, user: userName } }],
    'current-context': name,
    users: [{ name: userName, user }],
    preferences: {},
  });
}

export async function startArmDouble(options: {
  /** The bearer token ARM accepts, or a check (e.g. an Entra-signed JWT for management.azure.com). */
  acceptToken: string | ((token: string) => boolean);
}): Promise<ArmDouble> {
  const accepts = (header: string | undefined): boolean => {
    const token = /^Bearer (.+)$/.exec(header ?? '')?.[1];
    if (token === undefined) return false;
    return typeof options.acceptToken === 'string'
      ? token === options.acceptToken
      : options.acceptToken(token);
  };
  const clusters = new Map<string, AksClusterDouble>();
  const requests: ArmRequestRecord[] = [];
  const key = (s: string, rg: string, n: string) => `${s}/${rg}/${n}`.toLowerCase();
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({
      method: req.method ?? '',
      path: url.pathname,
      apiVersion: url.searchParams.get('api-version'),
      authorization: req.headers.authorization,
    });
    req.resume();
    req.on('end', () => {
      if (!accepts(req.headers.authorization)) {
        armError(
          res,
          401,
          req.headers.authorization ? 'InvalidAuthenticationToken' : 'AuthenticationFailed',
          'The access token is invalid.',
        );
        return;
      }
      if (!url.searchParams.get('api-version')) {
        armError(
          res,
          400,
          'MissingApiVersionParameter',
          'The api-version query parameter (?api-version=) is required for all requests.',
        );
        return;
      }
      const match =
        /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ContainerService\/managedClusters\/([^/]+)\/listClusterUserCredential$/i.exec(
          url.pathname,
        );
      if (!match || req.method !== 'POST') {
        armError(
          res,
          404,
          'NotFound',
          `No HTTP resource was found that matches ${req.method} ${url.pathname}.`,
        );
        return;
      }
      const [, s, rg, n] = match as unknown as [string, string, string, string];
      const cluster = clusters.get(
        key(decodeURIComponent(s), decodeURIComponent(rg), decodeURIComponent(n)),
      );
      if (!cluster) {
        armError(
          res,
          404,
          'ResourceNotFound',
          `The Resource 'Microsoft.ContainerService/managedClusters/${decodeURIComponent(n)}' under resource group '${decodeURIComponent(rg)}' was not found.`,
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(
        JSON.stringify({
          kubeconfigs: [
            { name: 'clusterUser', value: Buffer.from(kubeconfigFor(cluster)).toString('base64') },
          ],
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
      clusters.set(key(cluster.subscription, cluster.resourceGroup, cluster.name), cluster),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
