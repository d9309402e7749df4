import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../actions/deploy/main.ts';
import { startCluster, type KubeCluster } from '../../support/kube/cluster.ts';
import {
  FIX_HINT,
  YAML_ALIAS_BOMB,
  declaredInputs,
  runWithInputs,
  type BadInputRow,
} from './table.ts';

/**
 * Inputs that take any text by design: the error for them can only come from
 * the system they are passed to, so no malformed value exists to table.
 */
const FREE_TEXT: Record<string, string> = {
  'model-version': 'recorded as a label value and annotation, both escaped; any text is a version',
  environment: 'a GitHub environment name, created by GitHub on first use',
  token:
    'a GitHub token; GitHub refuses a bad one, and deployments are skipped without an environment',
};

const root = mkdtempSync(join(tmpdir(), 'md-bad-deploy-'));
const workspace = join(root, 'workspace');
const outside = join(root, 'outside');
let cluster: KubeCluster;

beforeAll(async () => {
  cluster = await startCluster();
  mkdirSync(join(workspace, 'charts', 'model', 'templates'), { recursive: true });
  writeFileSync(
    join(workspace, 'charts', 'model', 'Chart.yaml'),
    'apiVersion: v2\nname: model\nversion: 0.1.0\n',
  );
  mkdirSync(join(outside, 'chart'), { recursive: true });
  writeFileSync(
    join(outside, 'chart', 'Chart.yaml'),
    'apiVersion: v2\nname: evil\nversion: 0.1.0\n',
  );
  writeFileSync(join(outside, 'values.yaml'), 'a: 1\n');
  symlinkSync(join(outside, 'chart'), join(workspace, 'charts', 'linked-out'));
  symlinkSync(join(outside, 'values.yaml'), join(workspace, 'linked-values.yaml'));
  writeFileSync(join(workspace, 'bomb.yaml'), YAML_ALIAS_BOMB);
  writeFileSync(join(workspace, 'huge-request.json'), '');
  truncateSync(join(workspace, 'huge-request.json'), 11 * 1024 * 1024);
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
  rmSync(root, { recursive: true, force: true });
});

const image = '127.0.0.1:5000/models/m@sha256:' + 'a'.repeat(64);
/** Replaced by the cluster's kubeconfig when a row runs (the cluster starts after rows are listed). */
const KUBECONFIG = '<kubeconfig>';
const valid = () => ({
  cluster: `kubeconfig:${KUBECONFIG}`,
  name: 'm',
  image,
  timeout: '20s',
});
const env = () => ({ GITHUB_WORKSPACE: workspace });
const row = (
  input: string,
  kase: string,
  inputs: Record<string, string>,
  names?: string,
): BadInputRow => ({
  input,
  case: kase,
  inputs,
  ...(names ? { names } : {}),
});

const rows = (): BadInputRow[] => [
  row('cluster', 'no kind prefix', { ...valid(), cluster: 'my-cluster' }),
  row('cluster', 'unknown kind', { ...valid(), cluster: 'openshift:prod/one' }),
  row('cluster', 'eks without a region', { ...valid(), cluster: 'eks:prod' }),
  row('cluster', 'eks with a bad region', { ...valid(), cluster: 'eks:mars-1/prod' }),
  row('cluster', 'aks subscription not a GUID', { ...valid(), cluster: 'aks:sub/rg/prod' }),
  row('cluster', 'gke with two parts', { ...valid(), cluster: 'gke:proj/prod' }),
  row('cluster', 'kubeconfig that does not exist', {
    ...valid(),
    cluster: `kubeconfig:${join(root, 'nope')}`,
  }),
  row('cluster', 'kubeconfig that is not YAML', {
    ...valid(),
    cluster: `kubeconfig:${join(workspace, 'charts', 'model', 'templates')}`,
  }),
  row('namespace', 'upper case', { ...valid(), namespace: 'Prod' }),
  row('namespace', 'path traversal', { ...valid(), namespace: '../kube-system' }),
  row('name', 'missing', { ...valid(), name: '' }),
  row('name', 'underscore', { ...valid(), name: 'my_model' }),
  row('image', 'missing', { ...valid(), image: '' }),
  row('image', 'upper case', { ...valid(), image: 'Registry/Model:1' }),
  row('image', 'short digest', { ...valid(), image: 'ghcr.io/o/m@sha256:abc' }),
  row(
    'require-digest',
    'a tag-only image when digests are required',
    { ...valid(), image: 'ghcr.io/o/m:1', 'require-digest': 'true' },
    'image',
  ),
  row('require-digest', 'yes instead of true', { ...valid(), 'require-digest': 'yes' }),
  row('runtime', 'unknown', { ...valid(), runtime: 'tensorrt' }),
  row('port', 'out of range', { ...valid(), port: '70000' }),
  row('port', 'a name', { ...valid(), port: 'http' }),
  row('health-path', 'relative', { ...valid(), 'health-path': 'healthz' }),
  row('replicas', 'negative', { ...valid(), replicas: '-1' }),
  row('replicas', 'a fraction', { ...valid(), replicas: '1.5' }),
  row('resources', 'YAML alias bomb', { ...valid(), resources: YAML_ALIAS_BOMB }),
  row('resources', 'a list', { ...valid(), resources: '[1, 2]' }),
  row('resources', 'memory that is not a quantity', { ...valid(), resources: '{memory: lots}' }),
  row('autoscaling', 'min above max', { ...valid(), autoscaling: '{min: 5, max: 2}' }),
  row('autoscaling', 'unknown key', { ...valid(), autoscaling: '{min: 1, max: 2, cpu: 70}' }),
  row('env', 'a line without =', { ...valid(), env: 'JUST_A_NAME' }),
  row('pod-annotations', 'a line without =', { ...valid(), 'pod-annotations': 'scrape' }),
  row('expose', 'unknown mode', { ...valid(), expose: 'node-port' }),
  row('host', 'missing with gateway', { ...valid(), expose: 'gateway' }),
  row('host', 'not a DNS name', {
    ...valid(),
    expose: 'gateway',
    host: 'https://models.example.com/x',
  }),
  row('gateway', 'not namespace/name', {
    ...valid(),
    expose: 'gateway',
    host: 'm.example.com',
    gateway: 'a/b/c',
  }),
  row('cloud-profile', 'unknown', { ...valid(), 'cloud-profile': 'ibm' }),
  row('service-account', 'not an IAM role for aws', {
    ...valid(),
    'cloud-profile': 'aws',
    'service-account': 'my-role',
  }),
  row('azure-client-id', 'not a GUID', {
    ...valid(),
    'azure-client-id': 'my-app',
    'azure-tenant-id': '72f988bf-86f1-41af-91ab-2d7cd011db47',
  }),
  row('azure-tenant-id', 'not a GUID or domain', {
    ...valid(),
    'azure-client-id': '72f988bf-86f1-41af-91ab-2d7cd011db47',
    'azure-tenant-id': 'my tenant',
  }),
  row('chart', 'path traversal out of the workspace', { ...valid(), chart: '../outside/chart' }),
  row('chart', 'absolute path outside the workspace', {
    ...valid(),
    chart: join(outside, 'chart'),
  }),
  row('chart', 'symlink leading out of the workspace', { ...valid(), chart: 'charts/linked-out' }),
  row('chart', 'does not exist', { ...valid(), chart: 'charts/nope' }),
  row('values', 'YAML alias bomb', { ...valid(), chart: 'charts/model', values: YAML_ALIAS_BOMB }),
  row('values', 'a list instead of a mapping', {
    ...valid(),
    chart: 'charts/model',
    values: '- a\n- b',
  }),
  row('values', 'without a chart', { ...valid(), values: 'a: 1' }),
  row('values-files', 'path traversal out of the workspace', {
    ...valid(),
    chart: 'charts/model',
    'values-files': '../outside/values.yaml',
  }),
  row('values-files', 'symlink leading out of the workspace', {
    ...valid(),
    chart: 'charts/model',
    'values-files': 'linked-values.yaml',
  }),
  row('values-files', 'a file that is an alias bomb', {
    ...valid(),
    chart: 'charts/model',
    'values-files': 'bomb.yaml',
  }),
  row('strategy', 'unknown', { ...valid(), strategy: 'shadow' }),
  row('canary-steps', 'weights going down', {
    ...valid(),
    strategy: 'canary',
    'canary-steps': '50%:1m, 10%:1m, 100%',
  }),
  row('canary-steps', 'no percent', { ...valid(), strategy: 'canary', 'canary-steps': 'ten' }),
  row('traffic-router', 'unknown', { ...valid(), 'traffic-router': 'linkerd' }),
  row('traffic-router', 'gateway without expose: gateway', {
    ...valid(),
    strategy: 'canary',
    'traffic-router': 'gateway',
  }),
  row('protocol', 'unknown', { ...valid(), protocol: 'grpc' }),
  row('model', 'not a model name', { ...valid(), protocol: 'v2', model: 'my model/../x' }),
  row('request', 'not JSON', { ...valid(), request: '{inputs: [1' }),
  row('request', 'a file over the size limit', { ...valid(), request: 'huge-request.json' }),
  row('request', 'a file that does not exist', { ...valid(), request: 'nope.json' }),
  row('expect', 'YAML alias bomb', { ...valid(), expect: YAML_ALIAS_BOMB }),
  row('expect', 'unknown field', { ...valid(), expect: '{"outputz": {}}' }),
  row('slo-p95-ms', 'negative', { ...valid(), 'slo-p95-ms': '-5' }),
  row('slo-p95-ms', 'with a unit', { ...valid(), 'slo-p95-ms': '250ms' }),
  row('slo-error-rate', 'above 1', { ...valid(), 'slo-error-rate': '5' }),
  row('analysis-requests', 'negative', { ...valid(), 'analysis-requests': '-1' }),
  row('analysis-path', 'relative', { ...valid(), 'analysis-path': 'predict' }),
  row('prometheus-url', 'no scheme', { ...valid(), 'prometheus-url': 'prometheus:9090' }),
  row('prometheus-queries', 'YAML alias bomb', {
    ...valid(),
    'prometheus-url': 'http://p:9090',
    'prometheus-queries': YAML_ALIAS_BOMB,
  }),
  row('prometheus-queries', 'a condition without an operator', {
    ...valid(),
    'prometheus-url': 'http://p:9090',
    'prometheus-queries': '[{name: e, query: up, condition: "0.01"}]',
  }),
  row('scale-down-delay', 'not a duration', { ...valid(), 'scale-down-delay': 'soon' }),
  row('timeout', 'not a duration', { ...valid(), timeout: '10 minutes' }),
  row('rollback-on-failure', 'yes instead of true', { ...valid(), 'rollback-on-failure': 'yes' }),
  row('rollback-to', 'a tag', { ...valid(), 'rollback-to': 'v3' }),
  row('dry-run', 'on instead of true', { ...valid(), 'dry-run': 'on' }),
  row('prune', '0 instead of false', { ...valid(), prune: '0' }),
  row('history-limit', 'below 2', { ...valid(), 'history-limit': '1' }),
];

describe('deploy: malformed inputs are refused, naming the input and the fix', () => {
  it('has a row for every input in deploy/action.yml, or a reason it takes free text', () => {
    const covered = new Set([...rows().map((r) => r.input), ...Object.keys(FREE_TEXT)]);
    expect(declaredInputs('deploy').filter((i) => !covered.has(i))).toEqual([]);
    for (const input of Object.keys(FREE_TEXT)) expect(declaredInputs('deploy')).toContain(input);
  });

  it.each(rows().map((r) => [`${r.input}: ${r.case}`, r] as const))('%s', async (_title, r) => {
    const inputs = Object.fromEntries(
      Object.entries(r.inputs).map(([k, v]) => [k, v.replace(KUBECONFIG, cluster.kubeconfigPath)]),
    );
    const outcome = await runWithInputs(run, inputs, { ...env(), ...r.env });
    expect(outcome.ok, outcome.failure).toBe(false);
    expect(outcome.failure).toContain(`'${r.names ?? r.input}'`);
    expect(outcome.failure).toMatch(FIX_HINT);
    expect(outcome.failure).not.toContain('bug in model-deploy');
  });
});
