import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../actions/deploy/main.ts';
import { startCluster, type KubeCluster } from '../../support/kube/cluster.ts';
import {
  expectClearRefusal,
  saying,
  YAML_ALIAS_BOMB,
  declaredInputs,
  runWithInputs,
  type BadInputRow,
} from '../../support/bad-input-table.ts';

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
  // Given, so a row never waits on reading the runtime from the (absent) registry.
  runtime: 'custom',
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
  saying(
    row('image', "a bare digest (push's digest output)", {
      ...valid(),
      image: `sha256:${'a'.repeat(64)}`,
    }),
    /input 'image' is 'sha256:a{64}', a digest without its repository; .*\(for example: image: \$\{\{ steps\.push\.outputs\.image \}\}, .*host\/repository@sha256:…\)/,
  ),
  row(
    'require-digest',
    'a tag-only image when digests are required',
    { ...valid(), image: 'ghcr.io/o/m:1', 'require-digest': 'true' },
    'image',
  ),
  row('require-digest', 'yes instead of true', { ...valid(), 'require-digest': 'yes' }),
  row('runtime', 'unknown', { ...valid(), runtime: 'tensorrt' }),
  row('port', 'out of range', { ...valid(), port: '70000' }),
  saying(
    row('port', 'a name', { ...valid(), port: 'http' }),
    /input 'port' must be a whole number, not 'http' \(for example: port: 8080\)/,
  ),
  row('health-path', 'relative', { ...valid(), 'health-path': 'healthz' }),
  saying(
    row('start-timeout', 'shorter than the startup probe looks', {
      ...valid(),
      'start-timeout': '2s',
    }),
    /input 'start-timeout' is 2\.0s; the startup probe looks every 5s, so it must be at least 5s \(for example: start-timeout: 20m\)/,
  ),
  row('start-timeout', 'not a duration', { ...valid(), 'start-timeout': 'long' }),
  row('read-only-root-filesystem', 'yes instead of true', {
    ...valid(),
    'read-only-root-filesystem': 'yes',
  }),
  saying(
    row('run-as-user', 'root (refused by Pod Security "restricted")', {
      ...valid(),
      'run-as-user': '0',
    }),
    /input 'run-as-user' is 0 \(root\); model servers run as a non-root uid, which Pod Security "restricted" requires \(for example: run-as-user: 1000\)/,
  ),
  row('run-as-user', 'a user name', { ...valid(), 'run-as-user': 'model-server' }),
  row('replicas', 'negative', { ...valid(), replicas: '-1' }),
  saying(
    row('replicas', 'a fraction', { ...valid(), replicas: '1.5' }),
    /input 'replicas' must be a whole number, not '1\.5' \(for example: replicas: 1\)/,
  ),
  saying(
    row('replicas', 'zero (a release that serves nothing)', { ...valid(), replicas: '0' }),
    /input 'replicas' is 0: a release with no replicas serves nothing.*\n\s+how to fix: to take m out of service, .*kubectl scale deployment\/m -n default --replicas=0/,
  ),
  row('resources', 'YAML alias bomb', { ...valid(), resources: YAML_ALIAS_BOMB }),
  row('resources', 'a list', { ...valid(), resources: '[1, 2]' }),
  row('resources', 'memory that is not a quantity', { ...valid(), resources: '{memory: lots}' }),
  saying(
    row('resources', 'YAML: a brace not closed', {
      ...valid(),
      resources: '{cpu: 500m, memory: 2Gi',
    }),
    /input 'resources' is not valid YAML at column 24: a '\{' is not closed: add '\}' at the end \(for example: resources: '\{cpu: 500m, memory: 2Gi\}'\)/,
  ),
  saying(
    row('resources', 'YAML: pairs on one line without braces', {
      ...valid(),
      resources: 'cpu: 500m, memory: 2Gi',
    }),
    /input 'resources' is not valid YAML at column 6: several key: value pairs on one line need braces, like \{cpu: 500m, memory: 2Gi\}/,
  ),
  saying(
    row('resources', 'YAML: no space after the colon', { ...valid(), resources: '{cpu:500m}' }),
    /input 'resources' has 'cpu:500m', which YAML reads as one key: put a space after the colon \(cpu: 500m\)/,
  ),
  row('autoscaling', 'min above max', { ...valid(), autoscaling: '{min: 5, max: 2}' }),
  row('autoscaling', 'unknown key', { ...valid(), autoscaling: '{min: 1, max: 2, cpu: 70}' }),
  saying(
    row('autoscaling', 'YAML: a tab for indentation', {
      ...valid(),
      autoscaling: 'min: 1\n\tmax: 3',
    }),
    /input 'autoscaling' is not valid YAML at line 2 \("max: 3"\), column 1: a tab indents this line: YAML indents with spaces \(for example: autoscaling: '\{min: 2, max: 10, target-cpu: 70\}'\)/,
  ),
  saying(
    row('autoscaling', 'text instead of a mapping (min:1)', { ...valid(), autoscaling: 'min:1' }),
    /input 'autoscaling' is the text 'min:1', not a mapping: YAML needs a space after each colon/,
  ),
  saying(
    row('autoscaling', 'min 0 (scale to zero)', { ...valid(), autoscaling: '{min: 0, max: 3}' }),
    /has min: 0; a HorizontalPodAutoscaler does not scale to zero .*KEDA or Knative.*\(for example: autoscaling: '\{min: 1, max: 10, target-cpu: 70\}'\)/,
  ),
  row('env', 'a line without =', { ...valid(), env: 'JUST_A_NAME' }),
  row('pod-annotations', 'a line without =', { ...valid(), 'pod-annotations': 'scrape' }),
  row('expose', 'unknown mode', { ...valid(), expose: 'node-port' }),
  row('host', 'missing with gateway', { ...valid(), expose: 'gateway' }),
  row('host', 'not a DNS name', {
    ...valid(),
    expose: 'gateway',
    host: 'https://models.example.com/x',
  }),
  row('host', 'missing with ambassador', { ...valid(), expose: 'ambassador' }),
  row('grpc-host', 'not a DNS name', {
    ...valid(),
    expose: 'gateway',
    host: 'm.example.com',
    'grpc-host': 'grpc://m.example.com:443',
  }),
  saying(
    row('grpc-host', 'the same as host', {
      ...valid(),
      expose: 'gateway',
      host: 'm.example.com',
      'grpc-host': 'm.example.com',
    }),
    /input 'grpc-host' is the same as host \(m\.example\.com\): a Gateway listener accepts an HTTPRoute or a GRPCRoute for a host name, not both/,
  ),
  row('grpc-host', 'without expose: gateway', {
    ...valid(),
    expose: 'ambassador',
    host: 'm.example.com',
    'grpc-host': 'm-grpc.example.com',
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
  saying(
    row('values', 'YAML: a key twice', {
      ...valid(),
      chart: 'charts/model',
      values: 'replicaCount: 2\nimage:\n  tag: v3\nreplicaCount: 3',
    }),
    /input 'values' is not valid YAML at line 4 \("replicaCount: 3"\), column 1: the key 'replicaCount' appears twice \(for example: values: \|/,
  ),
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
  saying(
    row('protocol', 'a gRPC protocol for the canary analysis', {
      ...valid(),
      strategy: 'canary',
      protocol: 'v2-grpc',
    }),
    /input 'protocol' is v2-grpc: the canary analysis reaches the new version's pods through the API server's service proxy, which speaks HTTP\/1\.1 only.*\(for example: protocol: v2 \(the REST twin of v2-grpc\)/,
  ),
  row('traffic-router', 'ambassador without expose: ambassador', {
    ...valid(),
    strategy: 'canary',
    'traffic-router': 'ambassador',
  }),
  row('model', 'not a model name', { ...valid(), protocol: 'v2', model: 'my model/../x' }),
  row('request', 'not JSON', { ...valid(), request: '{inputs: [1' }),
  row('request', 'a file over the size limit', { ...valid(), request: 'huge-request.json' }),
  row('request', 'a file that does not exist', { ...valid(), request: 'nope.json' }),
  row('expect', 'YAML alias bomb', { ...valid(), expect: YAML_ALIAS_BOMB }),
  saying(
    row('expect', 'unknown field (canary analysis)', { ...valid(), expect: '{"outputz": {}}' }),
    /input 'expect' has an unknown key 'outputz' \(known: status, abs, rel, outputs, top-k, schema, text, signature\); did you mean 'outputs'\?/,
  ),
  row('slo-p95-ms', 'negative', { ...valid(), 'slo-p95-ms': '-5' }),
  saying(
    row('slo-p95-ms', 'with a unit', { ...valid(), 'slo-p95-ms': '250ms' }),
    /input 'slo-p95-ms' must be a plain number, without a unit or %, not '250ms' \(for example: slo-p95-ms: 250\)/,
  ),
  row('slo-error-rate', 'above 1', { ...valid(), 'slo-error-rate': '5' }),
  row('analysis-requests', 'negative', { ...valid(), 'analysis-requests': '-1' }),
  row('analysis-path', 'relative', { ...valid(), 'analysis-path': 'predict' }),
  row('prometheus-url', 'no scheme', { ...valid(), 'prometheus-url': 'prometheus:9090' }),
  row('prometheus-queries', 'YAML alias bomb', {
    ...valid(),
    'prometheus-url': 'http://p:9090',
    'prometheus-queries': YAML_ALIAS_BOMB,
  }),
  saying(
    row('prometheus-queries', 'YAML: a list item indented differently', {
      ...valid(),
      'prometheus-url': 'http://p:9090',
      'prometheus-queries': '- name: errors\n  query: up\n condition: < 0.01',
    }),
    /input 'prometheus-queries' is not valid YAML at line 3 \("condition: < 0\.01"\), column 1: a list item does not start with '- ', or is indented differently/,
  ),
  row('prometheus-queries', 'a condition without an operator', {
    ...valid(),
    'prometheus-url': 'http://p:9090',
    'prometheus-queries': '[{name: e, query: up, condition: "0.01"}]',
  }),
  row('scale-down-delay', 'not a duration', { ...valid(), 'scale-down-delay': 'soon' }),
  saying(
    row('timeout', 'not a duration', { ...valid(), timeout: '10 minutes' }),
    /input 'timeout' must be a duration like 30s, 10m or 1h, not '10 minutes' \(for example: timeout: 10m\)/,
  ),
  row('address-timeout', 'not a duration', { ...valid(), 'address-timeout': 'a while' }),
  row('insecure-skip-tls-verify', 'yes instead of true', {
    ...valid(),
    'insecure-skip-tls-verify': 'yes',
  }),
  row('rollback-on-failure', 'yes instead of true', { ...valid(), 'rollback-on-failure': 'yes' }),
  row('rollback-to', 'a tag', { ...valid(), 'rollback-to': 'v3' }),
  row('dry-run', 'on instead of true', { ...valid(), 'dry-run': 'on' }),
  row('prune', '0 instead of false', { ...valid(), prune: '0' }),
  row('history-limit', 'below 2', { ...valid(), 'history-limit': '1' }),
  row('runtime', 'empty, and the image cannot be read to find it', {
    ...valid(),
    runtime: '',
    // Nothing listens on port 1: the registry refuses the connection.
    image: `127.0.0.1:1/models/m@sha256:${'a'.repeat(64)}`,
  }),
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
    expectClearRefusal(outcome, r);
  });
});
