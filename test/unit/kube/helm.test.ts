import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { InputError, UserError } from '../../../shared/common/errors.ts';
import {
  parseManifests,
  pinImage,
  renderChart,
  workspacePath,
  type ChartOptions,
} from '../../../shared/kube/helm.ts';
import { silentLogger, type Logger } from '../../../shared/common/logger.ts';
import type { KubeObject } from '../../../shared/kube/objects.ts';
import { ensureHelm, helmEnv } from '../../support/helm.ts';

describe('chart output handling', () => {
  it('reads multi-document output, unwraps Lists and leaves hooks out', () => {
    const objects = parseManifests(
      [
        '---',
        '# Source: x/templates/empty.yaml',
        '---',
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: a',
        '---',
        'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: b',
        '---',
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  annotations:\n    helm.sh/hook: test',
      ].join('\n'),
      silentLogger,
    );
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Service/a',
      'ConfigMap/b',
    ]);
    expect(() => parseManifests('kind: Service\nmetadata: {name: a}', silentLogger)).toThrow(
      /without apiVersion/,
    );
  });

  it('pins containers of the deployed repository to the digest', () => {
    const objects = parseManifests(
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      containers:\n      - {name: a, image: "localhost:5000/models/m:latest"}\n      - {name: b, image: "busybox:1.36"}',
      silentLogger,
    );
    const reference = `localhost:5000/models/m@sha256:${'b'.repeat(64)}`;
    pinImage(objects, { repository: 'localhost:5000/models/m', reference });
    const containers = (
      objects[0]?.spec as { template: { spec: { containers: Array<{ image: string }> } } }
    ).template.spec.containers;
    expect(containers.map((c) => c.image)).toEqual([reference, 'busybox:1.36']);
  });

  it('refuses paths that leave the workspace, also through a symlink', () => {
    const root = mkdtempSync(join(tmpdir(), 'md-ws-'));
    const workspace = join(root, 'ws');
    mkdirSync(join(workspace, 'charts'), { recursive: true });
    writeFileSync(join(root, 'secret.yaml'), 'a: 1');
    symlinkSync(join(root, 'secret.yaml'), join(workspace, 'link.yaml'));
    expect(workspacePath('chart', 'charts', workspace)).toBe(join(workspace, 'charts'));
    expect(() => workspacePath('values-files', '../secret.yaml', workspace)).toThrow(
      /input 'values-files' names '..\/secret.yaml', which is outside the workspace/,
    );
    expect(() => workspacePath('values-files', 'link.yaml', workspace)).toThrow(
      /outside the workspace/,
    );
    expect(() => workspacePath('chart', 'nope', workspace)).toThrow(
      /input 'chart' names 'nope', which does not exist/,
    );
  });
});

describe('renderChart with the real helm', () => {
  let helmPath: string;
  let workspace: string;
  let runnerTemp: string;
  const digest = `sha256:${'c'.repeat(64)}`;
  const image = {
    repository: 'localhost:5000/models/iris',
    tag: 'v1',
    digest,
    reference: `localhost:5000/models/iris@${digest}`,
  };

  beforeAll(async () => {
    helmPath = await ensureHelm();
    // helm's own folders in a temp dir, never the user's home.
    for (const [key, value] of Object.entries(helmEnv()))
      if (key.startsWith('HELM_') && value !== undefined) vi.stubEnv(key, value);
    runnerTemp = mkdtempSync(join(tmpdir(), 'md-helm-tmp-'));
    vi.stubEnv('RUNNER_TEMP', runnerTemp);
    workspace = mkdtempSync(join(tmpdir(), 'md-helm-ws-'));
    const chart = join(workspace, 'charts', 'model');
    mkdirSync(join(chart, 'templates'), { recursive: true });
    writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: model\nversion: 0.1.0\n');
    writeFileSync(
      join(chart, 'values.yaml'),
      'replicas: 1\ngreeting: from-chart\nsize: small\nimage: {repository: nginx, tag: latest}\n',
    );
    writeFileSync(
      join(chart, 'templates', 'deployment.yaml'),
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: {{ .Release.Name }}',
        '  namespace: {{ .Release.Namespace }}',
        'spec:',
        '  replicas: {{ .Values.replicas }}',
        '  template:',
        '    spec:',
        '      initContainers:',
        '      - name: fetch',
        '        image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"',
        '      containers:',
        '      - name: server',
        '        image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"',
        '      - name: sidecar',
        '        image: busybox:1.36',
        '---',
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: {{ .Release.Name }}-settings',
        'data:',
        '  greeting: {{ .Values.greeting | quote }}',
        '  size: {{ .Values.size | quote }}',
        '  tag: {{ .Values.image.tag | quote }}',
        '  digest: {{ .Values.image.digest | default "none" | quote }}',
        '{{- if .Values.broken }}',
        '  fail: {{ fail "broken was set" }}',
        '{{- end }}',
        '---',
        'apiVersion: v1',
        'kind: Pod',
        'metadata:',
        '  name: {{ .Release.Name }}-test',
        '  annotations: {helm.sh/hook: test}',
        'spec: {containers: [{name: t, image: busybox}]}',
      ].join('\n'),
    );
    mkdirSync(join(workspace, 'values'));
    writeFileSync(join(workspace, 'values', 'prod.yaml'), 'replicas: 3\ngreeting: from-prod\n');
    writeFileSync(join(workspace, 'values', 'big.yaml'), 'size: big\ngreeting: from-big\n');
    writeFileSync(join(workspace, 'values', 'empty.yaml'), '# nothing yet\n');
    writeFileSync(join(workspace, 'values', 'list.yaml'), '- replicas: 3\n');
    writeFileSync(join(workspace, 'values', 'broken.yaml'), 'replicas: [1\n');
    mkdirSync(join(workspace, 'not-a-chart'));
  }, 120_000);

  const options = (extra: Partial<ChartOptions> = {}): ChartOptions => ({
    chart: 'charts/model',
    release: 'iris',
    namespace: 'models',
    valuesFiles: [],
    image,
    workspace,
    logger: silentLogger,
    helm: helmPath,
    ...extra,
  });

  const deployment = (objects: KubeObject[]) =>
    objects.find((o) => o.kind === 'Deployment') as KubeObject;
  const settings = (objects: KubeObject[]) =>
    objects.find((o) => o.kind === 'ConfigMap')?.data as Record<string, string>;

  it('renders the objects, pins the deployed image and leaves hooks and foreign images alone', async () => {
    const info: string[] = [];
    const logger: Logger = { ...silentLogger, info: (m) => info.push(m) };
    const objects = await renderChart(options({ logger }));
    // helm orders the documents its own way (ConfigMaps before Deployments).
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'ConfigMap/iris-settings',
      'Deployment/iris',
    ]);
    expect(info).toEqual(['skipping helm hook Pod/iris-test']);
    expect(deployment(objects).metadata.namespace).toBe('models');
    const spec = (
      deployment(objects).spec as {
        template: { spec: Record<string, Array<{ image: string }>> };
      }
    ).template.spec;
    expect(spec.initContainers?.map((c) => c.image)).toEqual([image.reference]);
    expect(spec.containers?.map((c) => c.image)).toEqual([image.reference, 'busybox:1.36']);
    // The image values reach the chart: its repository, tag and digest.
    expect(settings(objects)).toMatchObject({ tag: 'v1', digest, greeting: 'from-chart' });
  });

  it('layers values files in order, inline values last, and removes its scratch files', async () => {
    const objects = await renderChart(
      options({
        valuesFiles: ['values/prod.yaml', 'values/big.yaml', 'values/empty.yaml'],
        values: { greeting: 'inline' },
      }),
    );
    expect((deployment(objects).spec as { replicas: number }).replicas).toBe(3);
    expect(settings(objects)).toMatchObject({ size: 'big', greeting: 'inline' });
    expect(readdirSync(runnerTemp)).toEqual([]);
  });

  it('gives the image tag as latest when the image has none', async () => {
    const objects = await renderChart(
      options({ image: { repository: 'nginx', reference: `nginx@${digest}` } }),
    );
    expect(settings(objects)).toMatchObject({ tag: 'latest', digest: 'none' });
  });

  it('names the values file that is not YAML, or not a mapping', async () => {
    await expect(renderChart(options({ valuesFiles: ['values/broken.yaml'] }))).rejects.toThrow(
      InputError,
    );
    await expect(renderChart(options({ valuesFiles: ['values/broken.yaml'] }))).rejects.toThrow(
      /^input 'values-files' has 'values\/broken.yaml', which is not valid YAML/,
    );
    await expect(renderChart(options({ valuesFiles: ['values/list.yaml'] }))).rejects.toThrow(
      "input 'values-files' has 'values/list.yaml', whose top level is not a mapping of chart values",
    );
    await expect(renderChart(options({ valuesFiles: ['values/none.yaml'] }))).rejects.toThrow(
      "input 'values-files' names 'values/none.yaml', which does not exist in the workspace",
    );
    expect(readdirSync(runnerTemp)).toEqual([]);
  });

  it('refuses a folder that is no chart', async () => {
    await expect(renderChart(options({ chart: 'not-a-chart' }))).rejects.toThrow(
      "input 'chart' names 'not-a-chart', which is not a chart folder (no Chart.yaml)",
    );
  });

  it("reports helm's own error when the template fails", async () => {
    const failure = (await renderChart(options({ values: { broken: true } })).catch(
      (err: unknown) => err,
    )) as UserError;
    expect(failure).toBeInstanceOf(UserError);
    expect(failure.message).toMatch(/^helm template of charts\/model failed: .*broken was set/s);
    expect(failure.hint).toMatch(/run `helm template` on the chart locally/);
    expect(readdirSync(runnerTemp)).toEqual([]);
  });

  it('says how to install helm when it cannot be run', async () => {
    const missing = join(workspace, 'no-helm-here');
    const failure = (await renderChart(options({ helm: missing })).catch(
      (err: unknown) => err,
    )) as UserError;
    expect(failure).toBeInstanceOf(UserError);
    expect(failure.message).toMatch(new RegExp(`^could not run helm \\(${missing}\\): `));
    expect(failure.hint).toMatch(/MODEL_DEPLOY_HELM/);
  });
});
