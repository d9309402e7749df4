import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as deployRun } from '../../../actions/deploy/main.ts';
import { run as packageRun } from '../../../actions/package/main.ts';
import { run as pushRun } from '../../../actions/push/main.ts';
import { run as smokeRun } from '../../../actions/smoke-test/main.ts';
import { resetHttpDispatchers } from '../../../shared/common/http.ts';
import { freePort } from '../../support/processes.ts';
import { startNameMappingProxy, type NameMappingProxy } from '../../support/name-mapping-proxy.ts';
import { selfSignedCertificate } from '../../support/self-signed.ts';
import { runWithInputs } from '../../support/bad-input-table.ts';

/**
 * Servers that cannot be reached, for real: a closed port on 127.0.0.1, a
 * name under `.invalid` (which never resolves, RFC 2606), a server with a
 * self-signed certificate, a plain-http server spoken to with https, and one
 * that accepts connections and never answers. Each action names the server,
 * the host and the cause in words, says what to check, and never calls it a
 * bug in model-deploy.
 */

const root = mkdtempSync(join(tmpdir(), 'md-unreachable-'));
const layout = join(root, 'layout');
/** Not loopback, so push speaks https to it (through the name-mapping proxy). */
const REGISTRY_NAME = 'registry.unreachable.test';

let closedPort: number;
let tlsServer: HttpsServer;
let tlsPort: number;
let plainServer: HttpServer;
let plainPort: number;
let silentServer: TcpServer;
let silentPort: number;
const silentSockets = new Set<Socket>();
let proxy: NameMappingProxy;

const listen = async (server: HttpServer | HttpsServer | TcpServer): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

beforeAll(async () => {
  const tls = await selfSignedCertificate([REGISTRY_NAME]);
  tlsServer = createHttpsServer({ key: tls.key, cert: tls.cert }, (_req, res) => res.end('{}'));
  plainServer = createHttpServer((_req, res) => res.end('{}'));
  silentServer = createTcpServer((socket) => {
    silentSockets.add(socket);
    socket.on('close', () => silentSockets.delete(socket));
  });
  [tlsPort, plainPort, silentPort, closedPort, proxy] = await Promise.all([
    listen(tlsServer),
    listen(plainServer),
    listen(silentServer),
    freePort(),
    startNameMappingProxy(),
  ]);
  mkdirSync(join(root, 'model'));
  writeFileSync(join(root, 'model', 'model.bin'), 'weights');
  const packaged = await runWithInputs(packageRun, {
    model: join(root, 'model'),
    name: 'm',
    runtime: 'custom',
    'base-image': 'scratch',
    output: layout,
  });
  if (!packaged.ok) throw new Error(`packaging the fixture failed: ${packaged.failure}`);
}, 60_000);

afterAll(async () => {
  for (const socket of silentSockets) socket.destroy();
  tlsServer?.closeAllConnections();
  plainServer?.closeAllConnections();
  await Promise.all(
    [tlsServer, plainServer, silentServer].map(
      (server) => new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined))),
    ),
  );
  await proxy?.stop();
  resetHttpDispatchers();
  rmSync(root, { recursive: true, force: true });
});

interface Row {
  action: 'package' | 'push' | 'deploy' | 'smoke-test';
  case: string;
  inputs: () => Record<string, string>;
  env?: () => Record<string, string>;
  /** The message must contain each of these, in order. */
  says: (string | RegExp)[] | (() => (string | RegExp)[]);
  /** And its "how to fix" line must match this. */
  fix: RegExp;
}

const RUNS = { package: packageRun, push: pushRun, deploy: deployRun, 'smoke-test': smokeRun };

const mlflow = (uri: string) => ({
  model: 'models:/fraud@champion',
  name: 'fraud',
  runtime: 'custom',
  'base-image': 'scratch',
  output: join(root, 'mlflow-layout'),
  'mlflow-tracking-uri': uri,
});

function kubeconfig(server: string): string {
  const file = join(root, `kubeconfig-${Buffer.from(server).toString('hex')}`);
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      `clusters: [{name: c, cluster: {server: "${server}"}}]`,
      'users: [{name: u, user: {token: not-a-real-token}}]',
      'contexts: [{name: x, context: {cluster: c, user: u}}]',
      'current-context: x',
    ].join('\n'),
    { mode: 0o600 },
  );
  return file;
}

const deploy = (server: string) => ({
  cluster: `kubeconfig:${kubeconfig(server)}`,
  name: 'm',
  image: `127.0.0.1:5000/models/m@sha256:${'a'.repeat(64)}`,
  // Given, so the registry (absent here) is not read for it before the cluster is.
  runtime: 'custom',
  timeout: '20s',
});

const smoke = (url: string) => ({
  url,
  protocol: 'http',
  requests: '1',
  warmup: '0',
  'wait-ready': '2s',
  timeout: '1s',
});

const throughProxy = () => ({
  HTTPS_PROXY: proxy.url,
  HTTP_PROXY: proxy.url,
  NO_PROXY: '',
  no_proxy: '',
});

const rows: Row[] = [
  {
    action: 'package',
    case: 'MLflow tracking server on a closed port',
    inputs: () => mlflow(`http://127.0.0.1:${closedPort}`),
    says: () => [
      `cannot reach the MLflow tracking server at 127.0.0.1:${closedPort}`,
      'the connection was refused: nothing listens on that port (ECONNREFUSED)',
    ],
    fix: /check the port in 'mlflow-tracking-uri', and that the MLflow tracking server is running/,
  },
  {
    action: 'package',
    case: 'MLflow tracking server whose name does not resolve',
    inputs: () => mlflow('https://mlflow.unreachable.invalid'),
    says: [
      'cannot reach the MLflow tracking server at mlflow.unreachable.invalid',
      'the host name does not resolve',
      'ENOTFOUND',
    ],
    fix: /check the host name in 'mlflow-tracking-uri' for a typo; a name in a private DNS zone/,
  },
  {
    action: 'package',
    case: 'MLflow tracking server with a self-signed certificate',
    inputs: () => mlflow(`https://127.0.0.1:${tlsPort}`),
    says: () => [
      `cannot trust the MLflow tracking server at 127.0.0.1:${tlsPort}`,
      "the server's TLS certificate was not accepted",
      'SELF_SIGNED',
    ],
    fix: /NODE_EXTRA_CA_CERTS/,
  },
  {
    action: 'package',
    case: 'MLflow tracking server spoken to with https while it serves plain http',
    inputs: () => mlflow(`https://127.0.0.1:${plainPort}`),
    says: () => [
      `cannot trust the MLflow tracking server at 127.0.0.1:${plainPort}`,
      'does not speak TLS on that port, perhaps plain http',
    ],
    fix: /use an http:\/\/ address in 'mlflow-tracking-uri'/,
  },
  {
    action: 'push',
    case: 'registry on a closed port',
    inputs: () => ({ layout, destinations: `127.0.0.1:${closedPort}/models/m`, tags: 'v1' }),
    says: () => [
      `127.0.0.1:${closedPort}/models/m: cannot reach the registry at 127.0.0.1:${closedPort}`,
      'the connection was refused',
      'ECONNREFUSED',
    ],
    fix: /check the port in 'destinations', and that the registry is running/,
  },
  {
    action: 'push',
    case: 'registry whose name does not resolve',
    inputs: () => ({ layout, destinations: 'registry.unreachable.invalid/models/m', tags: 'v1' }),
    says: [
      'cannot reach the registry at registry.unreachable.invalid',
      'the host name does not resolve',
      'ENOTFOUND',
    ],
    fix: /check the host name in 'destinations' for a typo/,
  },
  {
    action: 'push',
    case: 'registry with a self-signed certificate',
    inputs: () => ({ layout, destinations: `${REGISTRY_NAME}:${tlsPort}/models/m`, tags: 'v1' }),
    env: throughProxy,
    says: () => [
      `cannot trust the registry at ${REGISTRY_NAME}:${tlsPort}`,
      "the server's TLS certificate was not accepted",
      'SELF_SIGNED',
    ],
    fix: /NODE_EXTRA_CA_CERTS/,
  },
  {
    action: 'deploy',
    case: 'cluster API server on a closed port',
    inputs: () => deploy(`https://127.0.0.1:${closedPort}`),
    says: () => [
      `cannot reach the API server of kubeconfig:`,
      `at 127.0.0.1:${closedPort}`,
      'the connection was refused',
    ],
    fix: /check the port in 'cluster'/,
  },
  {
    action: 'deploy',
    case: 'cluster API server whose name does not resolve',
    inputs: () => deploy('https://kube.unreachable.invalid:6443'),
    says: ['at kube.unreachable.invalid:6443', 'the host name does not resolve'],
    fix: /check the host name in 'cluster' for a typo/,
  },
  {
    action: 'smoke-test',
    case: 'model server on a closed port',
    inputs: () => smoke(`http://127.0.0.1:${closedPort}`),
    says: () => [
      'endpoint unreachable',
      `cannot reach the model server at 127.0.0.1:${closedPort}`,
      'the connection was refused',
    ],
    fix: /check the port in 'url', and that the model server is running/,
  },
  {
    action: 'smoke-test',
    case: 'model server whose name does not resolve',
    inputs: () => smoke('http://models.unreachable.invalid'),
    says: [
      'endpoint unreachable',
      'cannot reach the model server at models.unreachable.invalid',
      'the host name does not resolve',
    ],
    fix: /check the host name in 'url' for a typo/,
  },
  {
    action: 'smoke-test',
    case: 'model server with a self-signed certificate',
    inputs: () => smoke(`https://127.0.0.1:${tlsPort}`),
    says: () => [
      `cannot trust the model server at 127.0.0.1:${tlsPort}`,
      "the server's TLS certificate was not accepted",
    ],
    fix: /NODE_EXTRA_CA_CERTS/,
  },
  {
    action: 'smoke-test',
    case: 'model server that accepts connections and never answers',
    inputs: () => smoke(`http://127.0.0.1:${silentPort}`),
    says: () => [
      `no answer from the model server at 127.0.0.1:${silentPort}`,
      'it accepted the connection, then sent nothing (UND_ERR_HEADERS_TIMEOUT after 1 s)',
    ],
    fix: /firewall, security group, private endpoint/,
  },
];

describe('unreachable servers are named, with the cause in words, never as a bug', () => {
  it.each(rows.map((r) => [`${r.action}: ${r.case}`, r] as const))('%s', async (_title, row) => {
    resetHttpDispatchers();
    let outcome;
    try {
      outcome = await runWithInputs(RUNS[row.action], row.inputs(), {
        GITHUB_WORKSPACE: root,
        ...row.env?.(),
      });
    } finally {
      resetHttpDispatchers();
    }
    expect(outcome.ok, outcome.failure).toBe(false);
    expect(outcome.failure).not.toContain('bug in model-deploy');
    expect(outcome.failure).not.toContain('fetch failed');
    const says = typeof row.says === 'function' ? row.says() : row.says;
    let rest = outcome.failure;
    for (const part of says) {
      const at = typeof part === 'string' ? rest.indexOf(part) : rest.search(part);
      expect(at, `${String(part)} in ${outcome.failure}`).toBeGreaterThanOrEqual(0);
      rest = rest.slice(at);
    }
    expect(outcome.failure).toMatch(/how to fix:/);
    expect(outcome.failure.slice(outcome.failure.indexOf('how to fix:'))).toMatch(row.fix);
  });
});
