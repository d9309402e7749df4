import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureHelm, helm } from '../../support/helm.ts';
import { pushBusyboxImage, type PushedImage } from '../../support/images.ts';
import type { KubeJson } from '../../support/kube/api-client.ts';
import { startCluster, type KubeCluster } from '../../support/kube/cluster.ts';
import { startRegistry, type LocalRegistry } from '../../support/registry.ts';
import { runDeploy } from '../../support/deploy-fixture.ts';

/**
 * On the upstream control plane: a chart whose Deployment has a short
 * progressDeadlineSeconds, so the real deployment controller marks the failed
 * rollout ProgressDeadlineExceeded before deploy's own timeout. The controller
 * keeps that reason on the Deployment after deploy restores the previous
 * revision, until the restored ReplicaSet shows progress; the restore must
 * not be judged by it.
 */
let registry: LocalRegistry;
let cluster: KubeCluster;
let v1: PushedImage;
let v2: PushedImage;
let workspace: string;
let helmPath: string;

beforeAll(async () => {
  registry = await startRegistry();
  v1 = await pushBusyboxImage(registry, 'models/echo', 'v1');
  v2 = await pushBusyboxImage(registry, 'models/echo', 'v2', { env: ['MODEL_VERSION=2'] });
  cluster = await startCluster({ registryHosts: [registry.host] });
  helmPath = await ensureHelm();
  workspace = mkdtempSync(join(tmpdir(), 'md-restore-ws-'));
  mkdirSync(join(workspace, 'charts'), { recursive: true });
  const chart = join(workspace, 'charts', 'server');
  await helm(['create', chart]);
  const template = join(chart, 'templates', 'deployment.yaml');
  const text = readFileSync(template, 'utf8');
  const patched = text.replace(/^spec:\n/m, 'spec:\n  progressDeadlineSeconds: 8\n');
  expect(patched).not.toBe(text);
  writeFileSync(template, patched);
}, 3_600_000);

afterAll(async () => {
  await cluster?.stop();
  await registry?.stop();
});

const env = () => ({ GITHUB_WORKSPACE: workspace, MODEL_DEPLOY_HELM: helmPath });
const inputs = () => ({
  cluster: `kubeconfig:${cluster.kubeconfigPath}`,
  namespace: 'restore',
  chart: 'charts/server',
  timeout: '90s',
});

describe('restoring after the progress deadline passed', () => {
  it.each([
    ['one replica', 'single', 1],
    ['four replicas, some of the old ones already scaled down', 'scaled', 4],
  ])(
    'reports rolled-back with the previous revision serving (%s)',
    async (_, name, replicas) => {
      const values = `replicaCount: ${replicas}\n`;
      const first = await runDeploy({ ...inputs(), name, image: v1.digestRef, values }, env());
      expect(first.failure).toBe('');
      const failed = await runDeploy(
        {
          ...inputs(),
          name,
          image: v2.digestRef,
          values: `${values}podAnnotations:\n  stage.model-deploy.test/ready-after: never\n`,
        },
        env(),
      );
      expect(failed.ok).toBe(false);
      // The real controller gave up first: its reason is what deploy reports.
      expect(failed.failure).toMatch(
        new RegExp(`rollout of ${name} failed: ProgressDeadlineExceeded`),
      );
      expect(failed.failure).toContain('revision 1 was restored and is serving');
      expect(failed.outputs).toMatchObject({ status: 'rolled-back', revision: '1' });
      const live: KubeJson = await cluster.kubectlJson([
        '-n',
        'restore',
        'get',
        'deployment',
        // helm create's chart names its Deployment <release>-<chart>.
        `${name}-server`,
      ]);
      expect(live.spec.template.spec.containers[0].image).toBe(v1.digestRef);
      expect(live.status.availableReplicas).toBe(replicas);
    },
    240_000,
  );
});
