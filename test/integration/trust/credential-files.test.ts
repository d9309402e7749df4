import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as deployRun } from '../../../actions/deploy/main.ts';
import { run as packageRun } from '../../../actions/package/main.ts';
import { run as pushRun } from '../../../actions/push/main.ts';
import { run as smokeRun } from '../../../actions/smoke-test/main.ts';
import { formatArgvFindings, watchArgv } from '../../support/argv-watch.ts';
import { ensureHelm, helm } from '../../support/helm.ts';
import { pushBusyboxImage } from '../../support/images.ts';
import { startCluster, type KubeCluster } from '../../support/kube/cluster.ts';
import { startRegistry, type LocalRegistry } from '../../support/registry.ts';
import { formatFindings, scanForSecrets, type Secret } from '../../support/secrets-scan.ts';
import { runWithInputs, type Outcome } from '../../support/bad-input-table.ts';

/**
 * Every place product code writes a file (grep of shared/ and actions/ for
 * writeFile, createWriteStream and mkdtemp): the OCI layout, its
 * model-deploy.json and the OpenAPI document (package), MLflow and DVC
 * downloads (package sources), helm values files (deploy, chart path), the
 * smoke-test report, and one credential file: the podman auth file of the
 * package Dockerfile path (0600 in a private folder under RUNNER_TEMP, removed
 * when the build ends; checked in podman-argv.test.ts). Otherwise registry
 * logins, cluster tokens and bearer tokens stay in memory. This file checks exactly that, for one run of
 * each action with credentials given, by scanning every file the run left
 * under RUNNER_TEMP, HOME and the runner's own files for each secret.
 */

const root = mkdtempSync(join(tmpdir(), 'md-trust-files-'));
const runnerTemp = join(root, 'runner-temp');
const home = join(root, 'home');
const workspace = join(root, 'workspace');
for (const dir of [runnerTemp, home, workspace]) mkdirSync(dir);

let registry: LocalRegistry;
let cluster: KubeCluster;
let helmPath: string;
let server: Server;
let serverUrl: string;
const githubToken = 'ghs_trustCheck0123456789abcdefABCDEF';
const smokeToken = 'smoke-bearer-7f3a9c1e5b2d4f6a8c0e';
const runnerFiles: string[] = [];
let secrets: Secret[] = [];

beforeAll(async () => {
  [registry, cluster, helmPath] = await Promise.all([
    startRegistry({ auth: 'basic' }),
    startCluster(),
    ensureHelm(),
  ]);
  await pushBusyboxImage(registry, 'base/busybox', '1');
  await helm(['create', join(workspace, 'charts', 'server')]).catch(async () => {
    mkdirSync(join(workspace, 'charts'), { recursive: true });
    await helm(['create', join(workspace, 'charts', 'server')]);
  });
  server = createServer((req, res) => {
    res.statusCode = req.headers.authorization === `Bearer ${smokeToken}` ? 200 : 401;
    res.end('{"ok": true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  secrets = [
    { label: 'registry password', value: registry.password! },
    { label: 'cluster token', value: cluster.token },
    { label: 'GitHub token', value: githubToken },
    { label: 'smoke-test token', value: smokeToken },
  ];
}, 120_000);

afterAll(async () => {
  await Promise.all([registry?.stop(), cluster?.stop()]);
  server?.closeAllConnections();
  server?.close();
  rmSync(root, { recursive: true, force: true });
});

/** The job environment: RUNNER_TEMP and HOME are folders this test can walk afterwards. */
const jobEnv = () => ({
  RUNNER_TEMP: runnerTemp,
  HOME: home,
  GITHUB_WORKSPACE: workspace,
  MODEL_DEPLOY_HELM: helmPath,
});

async function step(run: () => Promise<boolean>, inputs: Record<string, string>): Promise<Outcome> {
  const outcome = await runWithInputs(run, inputs, jobEnv());
  runnerFiles.push(outcome.runnerFiles);
  expect(outcome.ok, outcome.failure).toBe(true);
  return outcome;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((rel) => join(dir, rel))
    .filter((path) => lstatSync(path).isFile());
}

describe('credentials never reach the disk', () => {
  let layout = '';
  let image = '';

  it('package reads a private base image with base-image credentials', async () => {
    const model = join(workspace, 'model');
    mkdirSync(model);
    writeFileSync(join(model, 'model.bin'), 'weights');
    const outcome = await step(packageRun, {
      model,
      name: 'm',
      runtime: 'custom',
      'base-image': `${registry.host}/base/busybox:1`,
      'base-image-username': registry.username!,
      'base-image-password': registry.password!,
    });
    layout = outcome.outputs.layout!;
    expect(relative(runnerTemp, layout).startsWith('..')).toBe(false);
  });

  it('push logs in with username and password', async () => {
    const outcome = await step(pushRun, {
      layout,
      destinations: `${registry.host}/models/m`,
      username: registry.username!,
      password: registry.password!,
    });
    image = Object.values(JSON.parse(outcome.outputs.images!) as Record<string, string>)[0]!;
    expect(image).toContain('@sha256:');
  });

  it('deploy renders a chart with helm (never given a credential) and applies it with a token', async () => {
    const watch = watchArgv({ rootPid: process.pid, secrets });
    let report;
    try {
      await step(deployRun, {
        cluster: `kubeconfig:${cluster.kubeconfigPath}`,
        name: 'server',
        image,
        chart: 'charts/server',
        values: 'replicaCount: 1',
        token: githubToken,
        timeout: '60s',
      });
    } finally {
      report = watch.stop();
    }
    expect(report.findings, formatArgvFindings(report.findings)).toEqual([]);
    expect(report.commands).toContain('helm');
  });

  it('smoke-test sends a bearer token', async () => {
    await step(smokeRun, {
      url: serverUrl,
      protocol: 'http',
      token: smokeToken,
      requests: '3',
      warmup: '0',
    });
  });

  it('left no secret in any file under RUNNER_TEMP, HOME or the runner files, and nothing at all in HOME', () => {
    const written = filesUnder(runnerTemp);
    // The layout, OpenAPI document and smoke report are there: the scan had files to read.
    expect(written.some((f) => f.endsWith('index.json'))).toBe(true);
    expect(written.some((f) => /smoke-test-report-.*\.json$/.test(f))).toBe(true);
    const findings = scanForSecrets({
      files: [runnerTemp, home, ...runnerFiles],
      secrets,
    });
    expect(findings, formatFindings(findings)).toEqual([]);
    expect(filesUnder(home)).toEqual([]);
  });

  it('wrote what it did write under RUNNER_TEMP with no access for other users where it may hold request data', () => {
    // helm's values files (the inline ones may hold secrets) are gone once helm has rendered.
    expect(filesUnder(runnerTemp).filter((f) => f.includes('md-helm-'))).toEqual([]);
    const checked = filesUnder(runnerTemp).filter((f) => /smoke-test-report-/.test(f));
    expect(checked.length).toBeGreaterThan(0);
    for (const file of checked) {
      expect([relative(runnerTemp, file), lstatSync(file).mode & 0o077]).toEqual([
        relative(runnerTemp, file),
        0,
      ]);
    }
  });
});
