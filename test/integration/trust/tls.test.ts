import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as deployRun } from '../../../actions/deploy/main.ts';
import { run as packageRun } from '../../../actions/package/main.ts';
import { run as pushRun } from '../../../actions/push/main.ts';
import { run as smokeRun } from '../../../actions/smoke-test/main.ts';
import { allowsPlainHttp, resetHttpDispatchers } from '../../../shared/common/http.ts';
import { startCluster, type KubeCluster } from '../../support/kube/cluster.ts';
import { freePort, startProcess, waitFor, type ManagedProcess } from '../../support/processes.ts';
import { startRegistry, type LocalRegistry } from '../../support/registry.ts';
import { requireTool } from '../../support/tools.ts';
import { runWithInputs, type Outcome } from '../../support/bad-input-table.ts';
import { startNameMappingProxy, type NameMappingProxy } from '../../support/name-mapping-proxy.ts';
import { selfSignedCertificate } from '../../support/self-signed.ts';

/** Not loopback by name, so none of the loopback exceptions apply to it. */
const NAME = 'registry.trust.test';
const root = mkdtempSync(join(tmpdir(), 'md-trust-tls-'));
const layout = join(root, 'layout');
let tls: { key: string; cert: string };
let tlsRegistry: ManagedProcess;
let tlsPort: number;
let plainRegistry: LocalRegistry;
let proxy: NameMappingProxy;
let cluster: KubeCluster;

beforeAll(async () => {
  requireTool('docker-registry', 'docker-registry');
  tls = await selfSignedCertificate([NAME]);
  writeFileSync(join(root, 'key.pem'), tls.key, { mode: 0o600 });
  writeFileSync(join(root, 'cert.pem'), tls.cert);
  tlsPort = await freePort();
  writeFileSync(
    join(root, 'registry.yml'),
    stringify({
      version: 0.1,
      log: { level: 'warn', accesslog: { disabled: true } },
      storage: { filesystem: { rootdirectory: join(root, 'storage') } },
      http: {
        addr: `127.0.0.1:${tlsPort}`,
        tls: { certificate: join(root, 'cert.pem'), key: join(root, 'key.pem') },
      },
    }),
  );
  tlsRegistry = startProcess('docker-registry (TLS)', 'docker-registry', [
    'serve',
    join(root, 'registry.yml'),
  ]);
  [plainRegistry, proxy, cluster] = await Promise.all([
    startRegistry(),
    startNameMappingProxy(),
    startCluster(),
  ]);
  await waitFor('the TLS registry', async () => (await tagsStatus('probe/none')) === 404);
  mkdirSync(join(root, 'model'));
  writeFileSync(join(root, 'model', 'model.bin'), 'weights');
  const packaged = await runWithInputs(packageRun, {
    model: join(root, 'model'),
    name: 'm',
    runtime: 'custom',
    'base-image': 'scratch',
    output: layout,
  });
  if (!packaged.ok) throw new Error(packaged.failure);
}, 60_000);

afterAll(async () => {
  resetHttpDispatchers();
  await Promise.all([tlsRegistry?.stop(), plainRegistry?.stop(), proxy?.stop(), cluster?.stop()]);
  rmSync(root, { recursive: true, force: true });
});

/** Status of a tags list on the TLS registry, read with its certificate trusted. */
function tagsStatus(repository: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(
      {
        host: '127.0.0.1',
        port: tlsPort,
        path: `/v2/${repository}/tags/list`,
        ca: tls.cert,
        servername: NAME,
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    ).on('error', reject);
  });
}

/** Runs push with the name-mapping proxy in the environment (the dispatcher reads it once). */
async function pushThroughProxy(inputs: Record<string, string>): Promise<Outcome> {
  resetHttpDispatchers();
  try {
    return await runWithInputs(
      pushRun,
      { layout, tags: 'v1', ...inputs },
      { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url, NO_PROXY: '', no_proxy: '' },
    );
  } finally {
    resetHttpDispatchers();
  }
}

describe('registries: TLS is verified by default', () => {
  it('refuses a registry whose certificate is self-signed, naming the host and the TLS problem', async () => {
    const outcome = await pushThroughProxy({ destinations: `${NAME}:${tlsPort}/models/untrusted` });
    expect(outcome.ok).toBe(false);
    expect(outcome.failure).toContain(NAME);
    expect(outcome.failure).toMatch(/certificate|TLS/i);
    expect(proxy.requested).toContain(`${NAME}:${tlsPort}`);
    expect(await tagsStatus('models/untrusted')).toBe(404);
  });

  it('never turns certificate checks off for a host in insecure-registries: listing allows plain HTTP only', async () => {
    const outcome = await pushThroughProxy({
      destinations: `${NAME}:${tlsPort}/models/listed`,
      'insecure-registries': `${NAME}:${tlsPort}`,
    });
    expect(outcome.ok).toBe(false);
    expect(outcome.failure).toContain(NAME);
    expect(await tagsStatus('models/listed')).toBe(404);
  });

  it('does not fall back to plain HTTP for a host that is not listed', async () => {
    const port = plainRegistry.host.split(':')[1];
    const outcome = await pushThroughProxy({ destinations: `${NAME}:${port}/models/unlisted` });
    expect(outcome.ok).toBe(false);
    expect(outcome.failure).toContain(NAME);
    const tags = await fetch(`${plainRegistry.url}/v2/models/unlisted/tags/list`);
    expect(tags.status).toBe(404);
  });

  it('speaks plain HTTP to a non-loopback host only when it is listed', async () => {
    const port = plainRegistry.host.split(':')[1];
    const outcome = await pushThroughProxy({
      destinations: `${NAME}:${port}/models/listed`,
      'insecure-registries': NAME,
    });
    expect(outcome.ok, outcome.failure).toBe(true);
    const tags = (await (
      await fetch(`${plainRegistry.url}/v2/models/listed/tags/list`)
    ).json()) as {
      tags: string[];
    };
    expect(tags.tags).toEqual(['v1']);
  });

  it('plain HTTP policy: loopback always, listed hosts (any port when listed without one), nothing else', () => {
    const table: [string, string[], boolean][] = [
      ['127.0.0.1:5000', [], true],
      ['localhost:5000', [], true],
      ['[::1]:5000', [], true],
      ['127.1.2.3', [], true],
      ['registry.internal:5000', [], false],
      ['registry.internal:5000', ['registry.internal'], true],
      ['registry.internal:5000', ['registry.internal:5000'], true],
      ['registry.internal:5001', ['registry.internal:5000'], false],
      ['REGISTRY.internal:5000', ['registry.INTERNAL'], true],
      ['localhost.attacker.example', [], false],
      ['127.0.0.1.nip.io:5000', [], false],
      ['10.0.0.1:5000', [], false],
      ['ghcr.io', ['registry.internal'], false],
    ];
    for (const [host, listed, allowed] of table) {
      expect([host, listed, allowsPlainHttp(host, listed)]).toEqual([host, listed, allowed]);
    }
  });
});

describe('deploy and smoke-test: TLS is verified by default', () => {
  it('deploy refuses a cluster whose certificate is not signed by the kubeconfig CA', async () => {
    const kubeconfig = parse(readFileSync(cluster.kubeconfigPath, 'utf8')) as {
      clusters: { cluster: Record<string, string> }[];
    };
    const other = await selfSignedCertificate(['kubernetes.trust.test']);
    kubeconfig.clusters[0]!.cluster['certificate-authority-data'] = Buffer.from(
      other.cert,
    ).toString('base64');
    const wrongCa = join(root, 'wrong-ca.kubeconfig');
    writeFileSync(wrongCa, stringify(kubeconfig), { mode: 0o600 });
    const outcome = await runWithInputs(deployRun, {
      cluster: `kubeconfig:${wrongCa}`,
      name: 'm',
      image: `${plainRegistry.host}/models/m@sha256:${'a'.repeat(64)}`,
      runtime: 'custom',
      timeout: '20s',
    });
    expect(outcome.ok).toBe(false);
    expect(outcome.failure).toMatch(/certificate|TLS/i);
    expect(outcome.failure).toContain('wrong-ca.kubeconfig');
    expect(outcome.failure).toContain('certificate-authority-data');
    expect(outcome.failure).not.toContain('bug in model-deploy');
  });

  it('deploy and smoke-test refuse a kubeconfig with insecure-skip-tls-verify unless the input accepts it', async () => {
    const kubeconfig = parse(readFileSync(cluster.kubeconfigPath, 'utf8')) as {
      clusters: { cluster: Record<string, unknown> }[];
    };
    delete kubeconfig.clusters[0]!.cluster['certificate-authority-data'];
    kubeconfig.clusters[0]!.cluster['insecure-skip-tls-verify'] = true;
    const skipping = join(root, 'skip-tls.kubeconfig');
    writeFileSync(skipping, stringify(kubeconfig), { mode: 0o600 });
    const deployInputs = {
      cluster: `kubeconfig:${skipping}`,
      name: 'm',
      namespace: 'skip-tls',
      image: `${plainRegistry.host}/models/m@sha256:${'a'.repeat(64)}`,
      runtime: 'custom',
      'dry-run': 'true',
      timeout: '20s',
    };
    const refused = await runWithInputs(deployRun, deployInputs);
    expect(refused.ok).toBe(false);
    expect(refused.failure).toContain('sets insecure-skip-tls-verify');
    expect(refused.failure).toContain('set insecure-skip-tls-verify: true on this step');
    const smoke = await runWithInputs(smokeRun, {
      service: 'default/m:80',
      cluster: `kubeconfig:${skipping}`,
      protocol: 'http',
      'wait-ready': '1s',
    });
    expect(smoke.ok).toBe(false);
    expect(smoke.failure).toContain('sets insecure-skip-tls-verify');
    const accepted = await runWithInputs(deployRun, {
      ...deployInputs,
      'insecure-skip-tls-verify': 'true',
    });
    expect(accepted.failure).toBe('');
    expect(accepted.ok).toBe(true);
  });

  it('smoke-test refuses an https endpoint with an untrusted certificate, naming it', async () => {
    const server: Server = createServer({ key: tls.key, cert: tls.cert }, (_req, res) => {
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const outcome = await runWithInputs(smokeRun, {
        url: `https://127.0.0.1:${port}`,
        protocol: 'http',
        requests: '2',
        warmup: '0',
        'wait-ready': '3s',
        timeout: '2s',
      });
      expect(outcome.ok).toBe(false);
      expect(outcome.failure).toMatch(/certificate|TLS/i);
      expect(outcome.failure).toContain(`127.0.0.1:${port}`);
      expect(outcome.failure).not.toContain('bug in model-deploy');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
