import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CLOUDS,
  cloudNamed,
  cloudOfRegistryHost,
  cloudOfServer,
  clusterKind,
  defaultProfileFor,
  deployProfile,
  findLoadBalancerController,
  objectStoreFor,
  objectStoreSchemes,
  PROFILE_NAMES,
  profilesWithIdentity,
  readCloudIdentities,
} from '../../../shared/clouds/registry.ts';
import { InputError } from '../../../shared/common/errors.ts';
import { silentLogger } from '../../../shared/common/logger.ts';
import { clusterFacts } from '../../../shared/kube/cluster-features.ts';
import type { KubeClient } from '../../../shared/kube/client.ts';

describe('the registry of clouds', () => {
  it('lists aws, azure, gcp and generic, each under its own name', () => {
    expect(CLOUDS.map((cloud) => cloud.name)).toEqual(['aws', 'azure', 'gcp', 'generic']);
    for (const cloud of CLOUDS) expect(cloudNamed(cloud.name)).toBe(cloud);
    expect(() => cloudNamed('ibm')).toThrow(/no cloud is named 'ibm'/);
  });

  it('gives every cloud an upload policy, a registry access, a deploy profile and a cluster kind', () => {
    for (const cloud of CLOUDS) {
      expect(cloud.registry.uploadPolicy.chunkBytes).toBeGreaterThan(0);
      expect(typeof cloud.registry.access).toBe('function');
      expect(typeof cloud.profile.gpuPlacement).toBe('function');
      expect(cloud.clusters?.length ?? 0).toBeGreaterThan(0);
    }
  });

  it('finds the cloud of a registry host, port and case aside, and else the catch-all', () => {
    expect(cloudOfRegistryHost('123456789012.dkr.ecr.eu-west-1.amazonaws.com').name).toBe('aws');
    expect(cloudOfRegistryHost('MyReg.azurecr.io:443').name).toBe('azure');
    expect(cloudOfRegistryHost('europe-west4-docker.pkg.dev').name).toBe('gcp');
    expect(cloudOfRegistryHost('eu.gcr.io').name).toBe('gcp');
    expect(cloudOfRegistryHost('127.0.0.1:5000').name).toBe('generic');
    expect(cloudOfRegistryHost('myreg.azurecr.io.127.0.0.1.nip.io').name).toBe('generic');
  });

  it('finds the cloud of an API server address, and the catch-all for anything else', () => {
    expect(cloudOfServer('https://ABC.gr7.us-east-1.eks.amazonaws.com').name).toBe('aws');
    expect(cloudOfServer('https://x.hcp.westeurope.azmk8s.io:443').name).toBe('azure');
    expect(cloudOfServer('https://34.1.2.3.container.googleapis.com').name).toBe('gcp');
    expect(cloudOfServer('https://127.0.0.1:6443').name).toBe('generic');
    expect(cloudOfServer('not a url').name).toBe('generic');
  });

  it('finds the cloud of a cluster kind', () => {
    expect(clusterKind('eks')?.cloud.name).toBe('aws');
    expect(clusterKind('aks')?.cloud.name).toBe('azure');
    expect(clusterKind('gke')?.cloud.name).toBe('gcp');
    expect(clusterKind('kubeconfig')?.cloud.name).toBe('generic');
    expect(clusterKind('default')?.kind.implicit).toBe(true);
    expect(clusterKind('ecs')).toBeUndefined();
  });

  it('finds the object store of a URL scheme', () => {
    expect(objectStoreFor('s3')).toBe(cloudNamed('aws').objectStore);
    expect(objectStoreFor('gs')).toBe(cloudNamed('gcp').objectStore);
    expect(objectStoreFor('azure')).toBe(cloudNamed('azure').objectStore);
    expect(objectStoreFor('abfss')).toBe(cloudNamed('azure').objectStore);
    expect(objectStoreFor('ftp')).toBeUndefined();
    expect(objectStoreSchemes()).toEqual(
      expect.arrayContaining(['s3', 'gs', 'azure', 'wasbs', 'abfss']),
    );
    expect(objectStoreSchemes()).not.toContain('file');
  });

  it('names the deploy profiles, and a cluster of no cloud gets the none profile', () => {
    expect(PROFILE_NAMES).toEqual(['aws', 'azure', 'gcp', 'none']);
    expect(deployProfile('none')).toBe(cloudNamed('generic').profile);
    expect(deployProfile('gcp')).toBe(cloudNamed('gcp').profile);
    expect(defaultProfileFor('generic')).toBe('none');
    expect(defaultProfileFor('azure')).toBe('azure');
    expect(() => deployProfile('ibm')).toThrow(/no cloud has the profile 'ibm'/);
    expect(profilesWithIdentity()).toEqual(['aws', 'azure', 'gcp']);
  });

  it('reads each cloud identity from the inputs that cloud names, and lets the cloud refuse them', () => {
    const inputs: Record<string, string> = {
      'azure-client-id': '00000000-0000-0000-0000-000000000001',
      'azure-tenant-id': 'contoso.onmicrosoft.com',
    };
    expect(readCloudIdentities((name) => inputs[name])).toEqual({
      azure: {
        clientId: '00000000-0000-0000-0000-000000000001',
        tenantId: 'contoso.onmicrosoft.com',
      },
    });
    expect(readCloudIdentities(() => undefined)).toEqual({});
    expect(() =>
      readCloudIdentities((name) => (name === 'azure-client-id' ? 'not-a-guid' : undefined)),
    ).toThrow(InputError);
  });

  it('asks a cluster about its load balancer controller only when the profile has a probe', async () => {
    const asked: string[] = [];
    const client = {
      connection: { displayName: 'test' },
      call: async () => {
        asked.push('call');
        throw Object.assign(new Error('not found'), { code: 404 });
      },
    } as unknown as KubeClient;
    await expect(
      findLoadBalancerController('gcp', clusterFacts(client), silentLogger),
    ).resolves.toEqual({
      controller: 'cloud',
      evidence: "the cloud's own load balancer controller",
    });
    expect(asked).toEqual([]);
  });
});

describe('generic, through the same interface as the other clouds', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('gives a registry access with the username and password it was given', async () => {
    const generic = cloudOfRegistryHost('127.0.0.1:5000');
    const access = await generic.registry.access({
      host: '127.0.0.1:5000',
      username: 'robot',
      password: 'secret-1',
      logger: silentLogger,
    });
    await expect(access.credential()).resolves.toMatchObject({
      kind: 'basic',
      username: 'robot',
      password: 'secret-1',
    });
    expect(generic.registry.uploadPolicy.monolithicMaxBytes).toBe(Infinity);
  });

  it('parses, describes and connects a kubeconfig cluster', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clouds-registry-'));
    dirs.push(dir);
    const file = join(dir, 'kubeconfig');
    writeFileSync(
      file,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{ name: c, cluster: { server: "https://127.0.0.1:6443" } }]',
        'users: [{ name: u, user: { token: token-1 } }]',
        'contexts: [{ name: x, context: { cluster: c, user: u } }]',
        'current-context: x',
      ].join('\n'),
    );
    const found = clusterKind('kubeconfig')!;
    const spec = found.kind.parse(file, (problem) => {
      throw new Error(problem);
    });
    expect(found.kind.describe(spec)).toBe(`kubeconfig:${file}`);
    const connection = await found.kind.connect(spec, { logger: silentLogger }, {});
    expect(connection).toMatchObject({
      server: 'https://127.0.0.1:6443',
      token: 'token-1',
      cloud: 'generic',
    });
  });
});

describe('cloud code, loaded on demand', () => {
  /** The SDK packages a fresh Node process resolved after running `script` (an ES module body). */
  function sdksLoadedBy(script: string): string[] {
    const registry = new URL('../../../shared/clouds/registry.ts', import.meta.url).href;
    const program = [
      "import { registerHooks } from 'node:module';",
      'const seen = new Set();',
      'registerHooks({ resolve(s, c, next) { const r = next(s, c); seen.add(r.url); return r; } });',
      `const registry = await import(${JSON.stringify(registry)});`,
      script,
      'const sdk = /node_modules\\/(@aws-sdk|@azure|google-auth-library|@kubernetes)\\//;',
      'const names = [...seen].map((u) => sdk.exec(u)?.[1]).filter(Boolean);',
      'console.log(JSON.stringify([...new Set(names)].sort()));',
    ].join('\n');
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', program], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    return JSON.parse(out.trim().split('\n').pop() ?? '[]') as string[];
  }

  it('loads no cloud SDK for the registry itself, and only the SDK of the cloud that is used', () => {
    expect(sdksLoadedBy('')).toEqual([]);
    const logger = '{ info() {}, debug() {}, warning() {}, error() {}, secret() {} }';
    expect(
      sdksLoadedBy(
        `await registry.cloudNamed('gcp').registry.access({ host: 'europe-west4-docker.pkg.dev', logger: ${logger} });`,
      ),
    ).toEqual(['google-auth-library']);
  });
});
