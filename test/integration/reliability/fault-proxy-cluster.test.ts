import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy.ts';
import { startCluster, writeKubeconfigFile, type KubeCluster } from '../../support/kube/cluster.ts';
import { requireTool } from '../../support/tools.ts';
import { makeLoopbackCertificates } from '../../support/certificates.ts';

const run = promisify(execFile);

/**
 * The cluster API is HTTPS with its own CA; the proxy verifies it with that CA
 * and serves HTTPS itself with another, which the kubeconfig kubectl uses trusts.
 */
describe('fault proxy in front of the Kubernetes API server', () => {
  let cluster: KubeCluster;
  let proxy: FaultProxy;
  let dir: string;
  let kubeconfig: string;
  let kubectl: string;

  beforeAll(async () => {
    kubectl = requireTool('kubectl', 'kubectl');
    cluster = await startCluster();
    const certificates = await makeLoopbackCertificates();
    proxy = await startFaultProxy({
      upstream: cluster.server,
      upstreamCa: cluster.caPem,
      tls: { key: certificates.key, cert: certificates.cert },
    });
    dir = mkdtempSync(join(tmpdir(), 'md-reliability-kube-'));
    kubeconfig = join(dir, 'kubeconfig');
    writeKubeconfigFile(
      kubeconfig,
      { server: proxy.url, token: cluster.token, caPem: certificates.ca },
      'admin',
    );
  });
  afterAll(async () => {
    await proxy?.stop();
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const kubectlJson = async (...args: string[]) => {
    const { stdout } = await run(kubectl, ['--kubeconfig', kubeconfig, ...args, '-o', 'json']);
    return JSON.parse(stdout) as { items?: Array<{ metadata: { name: string } }> };
  };

  it('carries kubectl through to the cluster over TLS on both sides', async () => {
    const namespaces = await kubectlJson('get', 'namespaces');
    expect(namespaces.items?.map((n) => n.metadata.name)).toContain('default');
    expect(proxy.stats().count('GET', /^\/api\/v1\/namespaces/)).toBeGreaterThanOrEqual(1);
  });

  it('lets kubectl ride out a 429 with Retry-After from the API server', async () => {
    proxy.rules.clear();
    const name = proxy.rules.add({
      method: 'GET',
      path: /^\/api\/v1\/namespaces(\?|$)/,
      times: 1,
      fault: { kind: 'rate-limit', retryAfter: '1' },
    });
    const namespaces = await kubectlJson('get', 'namespaces');
    expect(namespaces.items?.map((n) => n.metadata.name)).toContain('default');
    expect(proxy.stats().rules.find((r) => r.name === name)).toMatchObject({
      fired: 1,
      matched: 2,
    });
  });

  it('shows kubectl an expired token as Unauthorized, with no retry', async () => {
    proxy.rules.clear();
    const name = proxy.rules.add({
      method: 'GET',
      path: /^\/api\/v1\/namespaces(\?|$)/,
      fault: { kind: 'expire-token', challenge: 'Bearer realm="kubernetes"' },
    });
    const error = await kubectlJson('get', 'namespaces').catch((e: unknown) => e);
    expect(String((error as { stderr?: string }).stderr)).toMatch(/Unauthorized|logged in/i);
    expect(proxy.stats().rules.find((r) => r.name === name)?.matched).toBe(1);
    proxy.rules.clear();
  });
});
