import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureHelm, helm } from '../../support/helm.ts';
import {
  kubectlJson,
  kubectlMaybe,
  runDeploy,
  startWorld,
  type DeployWorld,
} from '../../support/deploy-fixture.ts';

let world: DeployWorld;
let helmPath: string;
beforeAll(async () => {
  world = await startWorld();
  helmPath = await ensureHelm();
  mkdirSync(join(world.workspace, 'charts'), { recursive: true });
  await helm(['create', join(world.workspace, 'charts', 'server')]);
  writeFileSync(
    join(world.workspace, 'prod-values.yaml'),
    'podAnnotations:\n  team: ml-platform\nreplicaCount: 3\n',
  );
  writeFileSync(join(world.workspace, 'broken-values.yaml'), 'replicaCount: [1\n');
}, 180_000);
afterAll(async () => {
  await world?.stop();
});

const env = () => ({ GITHUB_WORKSPACE: world.workspace, MODEL_DEPLOY_HELM: helmPath });
const base = () => ({
  cluster: `kubeconfig:${world.cluster.kubeconfigPath}`,
  namespace: 'charts',
  timeout: '60s',
});

describe('a helm chart', () => {
  it('made by helm create is rendered by the real helm, pinned to the digest and applied', async () => {
    const result = await runDeploy(
      {
        ...base(),
        name: 'server',
        image: world.images.v1.digestRef,
        chart: 'charts/server',
        'values-files': 'prod-values.yaml',
        values: 'replicaCount: 2',
      },
      env(),
    );
    expect(result.failure).toBe('');
    expect(result.outputs).toMatchObject({ status: 'deployed', revision: '1' });
    expect(result.log).toContain('skipping helm hook Pod/server-test-connection');
    const kc = world.cluster.kubeconfigPath;
    const deployment = await kubectlJson(kc, ['-n', 'charts', 'get', 'deployment', 'server']);
    // Inline values win over the values file; the file still applies where inline says nothing.
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.template.metadata.annotations).toMatchObject({ team: 'ml-platform' });
    expect(deployment.spec.template.spec.containers[0].image).toBe(world.images.v1.digestRef);
    expect(deployment.metadata.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'model-deploy',
      'model-deploy.io/release': 'server',
      'helm.sh/chart': 'server-0.1.0',
    });
    expect(deployment.status.availableReplicas).toBe(2);
    for (const kind of ['service', 'serviceaccount']) {
      expect(
        (await kubectlJson(kc, ['-n', 'charts', 'get', kind, 'server'])).metadata.labels[
          'model-deploy.io/release'
        ],
      ).toBe('server');
    }
    expect(
      await kubectlMaybe(kc, ['-n', 'charts', 'get', 'pod', 'server-test-connection']),
    ).toBeUndefined();
    expect(result.outputs.url).toBe('http://server.charts.svc.cluster.local');
  });

  it('refuses a missing chart, a chart outside the workspace and invalid values', async () => {
    const missing = await runDeploy(
      { ...base(), name: 'x', image: world.images.v1.digestRef, chart: 'charts/nope' },
      env(),
    );
    expect(missing.ok).toBe(false);
    expect(missing.failure).toContain(
      "input 'chart' names 'charts/nope', which does not exist in the workspace",
    );
    const outside = await runDeploy(
      { ...base(), name: 'x', image: world.images.v1.digestRef, chart: '../..' },
      env(),
    );
    expect(outside.failure).toContain(
      "input 'chart' names '../..', which is outside the workspace",
    );
    const badFile = await runDeploy(
      {
        ...base(),
        name: 'x',
        image: world.images.v1.digestRef,
        chart: 'charts/server',
        'values-files': 'broken-values.yaml',
      },
      env(),
    );
    expect(badFile.failure).toMatch(
      /input 'values-files' has 'broken-values\.yaml', which is not valid YAML at the end: a '\[' is not closed: add '\]'/,
    );
    const badInline = await runDeploy(
      {
        ...base(),
        name: 'x',
        image: world.images.v1.digestRef,
        chart: 'charts/server',
        values: 'replicaCount: [1',
      },
      env(),
    );
    expect(badInline.failure).toContain("input 'values' is not valid YAML");
    const notMapping = await runDeploy(
      {
        ...base(),
        name: 'x',
        image: world.images.v1.digestRef,
        chart: 'charts/server',
        values: '- 1',
      },
      env(),
    );
    expect(notMapping.failure).toContain("input 'values' must be a YAML mapping");
    expect(
      await kubectlMaybe(world.cluster.kubeconfigPath, ['-n', 'charts', 'get', 'deployment', 'x']),
    ).toBeUndefined();
  });
});

describe('a chart with a Secret', () => {
  it("never shows the Secret's values in a dry-run diff, the log or the summary", async () => {
    const chart = join(world.workspace, 'charts', 'with-secret');
    mkdirSync(join(chart, 'templates'), { recursive: true });
    writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: with-secret\nversion: 0.1.0\n');
    writeFileSync(
      join(chart, 'templates', 'secret.yaml'),
      [
        'apiVersion: v1',
        'kind: Secret',
        'metadata:',
        '  name: {{ .Release.Name }}-credentials',
        'stringData:',
        '  api-key: {{ .Values.apiKey | quote }}',
        '  region: {{ .Values.region | quote }}',
        '',
      ].join('\n'),
    );
    const deploy = (values: string, dryRun: boolean) =>
      runDeploy(
        {
          ...base(),
          namespace: 'secrets',
          name: 'keyed',
          image: world.images.v1.digestRef,
          chart: 'charts/with-secret',
          values,
          'dry-run': String(dryRun),
        },
        env(),
      );
    const first = 'first-secret-value-91c2';
    const second = 'second-secret-value-5e7d';
    const planned = await deploy(`{apiKey: ${first}, region: eu}`, true);
    expect(planned.failure).toBe('');
    expect(`${planned.log}${planned.summary}`).not.toContain(first);
    expect(planned.log).toContain('api-key: "***"');
    expect((await deploy(`{apiKey: ${first}, region: eu}`, false)).failure).toBe('');
    const changed = await deploy(`{apiKey: ${second}, region: eu}`, true);
    expect(changed.failure).toBe('');
    const shown = `${changed.log}${changed.summary}`;
    for (const value of [first, second, Buffer.from(first).toString('base64')]) {
      expect(shown).not.toContain(value);
    }
    expect(shown).toContain('*** (changed)');
    expect(shown).toMatch(/Secret\/keyed-credentials: update/);
  });
});

describe('bad input', () => {
  it.each([
    [{ cluster: 'eks:prod' }, "input 'cluster' must be eks:<region>/<cluster name>: 'eks:prod'"],
    [{ cluster: 'openshift:x' }, "input 'cluster' has an unknown kind 'openshift'"],
    [
      { 'cloud-profile': 'digitalocean' },
      "input 'cloud-profile' 'digitalocean' is not a known cloud profile (known: aws, azure, gcp, none)",
    ],
    [
      { resources: '{cpu: two}' },
      "input 'resources' has cpu: 'two', which is not a Kubernetes quantity",
    ],
    [
      { resources: '{memory: 2GB}' },
      "input 'resources' has memory: '2GB', which is not a Kubernetes quantity",
    ],
    [{ name: 'My_Model' }, "input 'name' 'My_Model' is not a valid name"],
    [{ image: 'not a ref' }, "input 'image' has an invalid"],
    [
      { 'rollback-to': 'yesterday' },
      "input 'rollback-to' must be previous, a revision number or an image digest",
    ],
    [
      { 'service-account': 'arn:aws:iam::1:role/x', 'cloud-profile': 'aws' },
      "input 'service-account' 'arn:aws:iam::1:role/x' is not an IAM role ARN for aws",
    ],
  ])('%j is refused with its message', async (inputs, message) => {
    const result = await runDeploy(
      {
        cluster: `kubeconfig:${world.cluster.kubeconfigPath}`,
        name: 'bad',
        image: world.images.v1.digestRef,
        ...inputs,
      },
      env(),
    );
    expect(result.ok).toBe(false);
    expect(result.failure).toContain(message);
    expect(result.outputs.status).toBe('failed');
  });

  it('warns about an image without a digest, and refuses it with require-digest', async () => {
    const inputs = {
      cluster: `kubeconfig:${world.cluster.kubeconfigPath}`,
      namespace: 'charts',
      name: 'tagged',
      image: world.images.v1.ref,
      'health-path': '/',
      timeout: '60s',
    };
    const warned = await runDeploy(inputs, env());
    expect(warned.failure).toBe('');
    expect(warned.log).toContain(
      `::warning title=image without digest::image ${world.images.v1.ref} is not pinned by digest`,
    );
    expect(warned.outputs.status).toBe('deployed');
    const refused = await runDeploy({ ...inputs, name: 'strict', 'require-digest': 'true' }, env());
    expect(refused.ok).toBe(false);
    expect(refused.failure).toContain(
      `input 'image' '${world.images.v1.ref}' has no digest, and require-digest is true`,
    );
    expect(
      await kubectlMaybe(world.cluster.kubeconfigPath, [
        '-n',
        'charts',
        'get',
        'deployment',
        'strict',
      ]),
    ).toBeUndefined();
  });
});
