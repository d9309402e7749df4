import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../../actions/smoke-test/main.ts';
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
 * the server they are sent to, so no malformed value exists to table.
 */
const FREE_TEXT: Record<string, string> = {
  'model-version': 'compared with what the server reports; any text can be a version',
  token: 'an opaque bearer token; the model server accepts or refuses it',
};

const workspace = mkdtempSync(join(tmpdir(), 'md-bad-smoke-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));
mkdirSync(join(workspace, 'tests'));
writeFileSync(join(workspace, 'tests', 'bomb.yaml'), YAML_ALIAS_BOMB);
writeFileSync(join(workspace, 'tests', 'huge.json'), '');
truncateSync(join(workspace, 'tests', 'huge.json'), 11 * 1024 * 1024);
writeFileSync(join(workspace, 'tests', 'not-openapi.yaml'), 'hello: world\n');

/** Nothing listens here: a row that got as far as the network would fail differently. */
const valid = { url: 'http://127.0.0.1:9', model: 'm', 'wait-ready': '1s', timeout: '1s' };
const row = (
  input: string,
  kase: string,
  inputs: Record<string, string>,
  names?: string,
): BadInputRow => ({
  input,
  case: kase,
  inputs: { ...valid, ...inputs },
  ...(names ? { names } : {}),
});

const rows: BadInputRow[] = [
  row('url', 'missing (and no service)', { url: '' }),
  row('url', 'not a URL', { url: 'models.example.com' }),
  row('url', 'another scheme', { url: 'ftp://models.example.com' }),
  row('url', 'credentials in the URL', { url: 'https://user:hunter2hunter2@models.example.com' }),
  row('service', 'together with url', { service: 'default/m:8000' }),
  row('service', 'no port', { url: '', service: 'default/m' }),
  row('service', 'an upper-case namespace', { url: '', service: 'Prod/m:8000' }),
  row('cluster', 'no kind prefix', { url: '', service: 'default/m:8000', cluster: 'prod' }),
  row('cluster', 'gke with two parts', {
    url: '',
    service: 'default/m:8000',
    cluster: 'gke:proj/prod',
  }),
  row('azure-client-id', 'not a GUID', {
    url: '',
    service: 'default/m:8000',
    'azure-client-id': 'my-app',
    'azure-tenant-id': '72f988bf-86f1-41af-91ab-2d7cd011db47',
  }),
  row('azure-tenant-id', 'missing beside azure-client-id', {
    url: '',
    service: 'default/m:8000',
    'azure-client-id': '72f988bf-86f1-41af-91ab-2d7cd011db47',
  }),
  row('url', 'plain http to another host with a token', {
    url: 'http://models.example.com',
    token: 'tok-9a8b7c6d5e',
  }),
  row('allow-secrets-over-http', 'yes instead of true', { 'allow-secrets-over-http': 'yes' }),
  row('protocol', 'unknown', { protocol: 'grpc' }),
  row('insecure-skip-tls-verify', 'on instead of true', {
    url: '',
    service: 'default/m:8000',
    'insecure-skip-tls-verify': 'on',
  }),
  row('model', 'missing for v2', { model: '' }),
  row('model', 'path traversal', { model: '../admin' }),
  row('model', 'spaces and a query', { model: 'my model?x=1' }),
  row('request', 'not JSON', { request: '{inputs: [1' }),
  row('request', 'a file over the size limit (oversized JSON)', { request: 'tests/huge.json' }),
  row('request', 'a file that does not exist', { request: 'tests/nope.json' }),
  row('expect', 'YAML alias bomb inline', { expect: YAML_ALIAS_BOMB }),
  row('expect', 'YAML alias bomb in a file', { expect: 'tests/bomb.yaml' }),
  saying(
    row('expect', 'unknown field', { expect: '{"outputz": {}}' }),
    /input 'expect' has an unknown key 'outputz' \(known: status, abs, rel, outputs, top-k, schema, text, signature\); did you mean 'outputs'\?/,
  ),
  saying(
    row('expect', 'unknown field inside text (YAML)', { expect: 'text:\n  contain: setosa\n' }),
    /input 'expect' has an unknown key 'contain' in text \(known: equals, contains, matches\); did you mean 'contains'\?/,
  ),
  row('expect', 'negative tolerance', { expect: '{"outputs": {"y": [1]}, "abs": -1}' }),
  saying(
    row('expect', 'YAML: a line without a colon', { expect: 'status: 200\nabs 1e-4\n' }),
    /input 'expect' \(inline\) is not valid YAML at line 2 \("abs 1e-4"\), column 1: this is neither 'key: value' nor part of the value above/,
  ),
  row('openapi', 'not an OpenAPI document', { openapi: 'tests/not-openapi.yaml' }),
  row('openapi', 'YAML alias bomb in a file', { openapi: 'tests/bomb.yaml' }),
  row('requests', 'negative', { requests: '-1' }),
  saying(
    row('requests', 'a word', { requests: 'many' }),
    /input 'requests' must be a whole number, not 'many' \(for example: requests: 100\)/,
  ),
  row('concurrency', 'zero', { concurrency: '0' }),
  row('warmup', 'a fraction', { warmup: '0.5' }),
  row('slo-p95-ms', 'zero', { 'slo-p95-ms': '0' }),
  saying(
    row('slo-p95-ms', 'with a unit', { 'slo-p95-ms': '250ms' }),
    /input 'slo-p95-ms' must be a plain number, without a unit or %, not '250ms' \(for example: slo-p95-ms: 250\)/,
  ),
  saying(
    row('slo-error-rate', 'a percentage', { 'slo-error-rate': '5%' }),
    /input 'slo-error-rate' must be a plain number, without a unit or %, not '5%' \(for example: slo-error-rate: 0\.01\)/,
  ),
  row('slo-error-rate', 'above 1', { 'slo-error-rate': '2' }),
  row('wait-ready', 'not a duration', { 'wait-ready': 'five minutes' }),
  saying(
    row('timeout', 'not a duration', { timeout: '-30s' }),
    /input 'timeout' must be a duration like 30s, 10m or 1h, not '-30s' \(for example: timeout: 30s\)/,
  ),
  row('headers', 'a line without =', { headers: 'X-Tenant' }),
  row('headers', 'a header name with a space', { headers: 'X Tenant=ml' }),
  row('headers', 'a value with a line break (header injection)', {
    headers: '{"X-Tenant": "a\\r\\nX-Admin: 1"}',
  }),
  row('method', 'unknown', { protocol: 'http', method: 'FETCH' }),
  row('path', 'relative', { protocol: 'http', path: 'predict' }),
  row('ready-path', 'relative', { protocol: 'http', 'ready-path': 'ready' }),
  row('management-url', 'not a URL', {
    protocol: 'torchserve',
    'management-url': 'localhost:8081',
  }),
  // gRPC protocols
  row('grpc-contents', 'unknown', { protocol: 'v2-grpc', 'grpc-contents': 'bytes' }),
  row('url', 'a gRPC address with an HTTP protocol', { url: 'grpc://127.0.0.1:9' }),
  row('url', 'a path on a gRPC endpoint', {
    protocol: 'v2-grpc',
    url: 'grpc://127.0.0.1:9/v2/models',
  }),
  row('url', 'another scheme for gRPC', { protocol: 'tfserving-grpc', url: 'ftp://127.0.0.1:9' }),
  row('service', 'with a gRPC protocol (the proxy is HTTP/1.1)', {
    protocol: 'v2-grpc',
    url: '',
    service: 'default/m:8081',
  }),
  row('model', 'missing for v2-grpc', {
    protocol: 'v2-grpc',
    url: 'grpc://127.0.0.1:9',
    model: '',
  }),
  row('expect', 'an HTTP status with a gRPC protocol', {
    protocol: 'v2-grpc',
    url: 'grpc://127.0.0.1:9',
    expect: '{"status": 200}',
  }),
  row('openapi', 'with a gRPC protocol', {
    protocol: 'tfserving-grpc',
    url: 'grpc://127.0.0.1:9',
    openapi: '{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}',
  }),
];

describe('smoke-test: malformed inputs are refused, naming the input and the fix', () => {
  it('has a row for every input in smoke-test/action.yml, or a reason it takes free text', () => {
    const covered = new Set([...rows.map((r) => r.input), ...Object.keys(FREE_TEXT)]);
    expect(declaredInputs('smoke-test').filter((i) => !covered.has(i))).toEqual([]);
    for (const input of Object.keys(FREE_TEXT))
      expect(declaredInputs('smoke-test')).toContain(input);
  });

  it.each(rows.map((r) => [`${r.input}: ${r.case}`, r] as const))('%s', async (_title, r) => {
    const outcome = await runWithInputs(run, r.inputs, { GITHUB_WORKSPACE: workspace, ...r.env });
    expectClearRefusal(outcome, r);
  });
});
