import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../../actions/smoke-test/main.ts';
import { openApiDocument } from '../../../shared/model/openapi-document.ts';
import { triton } from '../../../shared/model/runtimes/triton.ts';
import { withActionEnv, type ActionEnv } from '../../support/actions-env.ts';
import {
  classify,
  IRIS_LABELS,
  SAMPLES,
  startModelServer,
  type ModelServer,
} from '../../support/model-server-fixture.ts';
import { freePort } from '../../support/processes.ts';

let env: ActionEnv | undefined;
let server: ModelServer | undefined;
afterEach(async () => {
  env?.restore();
  env = undefined;
  vi.restoreAllMocks();
  await server?.stop();
  server = undefined;
});

function captureStdout(): () => string {
  const chunks: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    chunks.push(String(chunk));
    return true;
  });
  return () => chunks.join('');
}

async function runWith(inputs: Record<string, string>): Promise<{ ok: boolean; log: string }> {
  env = withActionEnv(inputs);
  const log = captureStdout();
  const ok = await run();
  vi.restoreAllMocks();
  return { ok, log: log() };
}

describe('smoke-test action, end to end through the GitHub file protocol', () => {
  it('passes a v2 model with the default request built from its metadata, and reports', async () => {
    server = await startModelServer({ protocol: 'v2' });
    // The default request is each input at its declared shape with -1 → 1, filled with ones.
    const expected = classify([1, 1, 1, 1]);
    const { ok, log } = await runWith({
      url: server.url,
      protocol: 'v2',
      model: 'iris',
      'model-version': '1',
      expect: JSON.stringify({ outputs: { probabilities: expected } }),
      requests: '25',
      concurrency: '3',
      warmup: '2',
      'slo-p95-ms': '2000',
    });
    expect(log).not.toContain('::error::');
    expect(ok).toBe(true);
    const outputs = env!.outputs();
    expect(outputs.passed).toBe('true');
    for (const key of ['p50-ms', 'p95-ms', 'p99-ms', 'requests-per-second']) {
      expect(Number(outputs[key])).toBeGreaterThan(0);
    }
    expect(Number(outputs['p99-ms'])).toBeGreaterThanOrEqual(Number(outputs['p50-ms']));
    expect(outputs['error-rate']).toBe('0');
    // The first correct answer comes after readiness, metadata and one inference.
    expect(outputs['ready-seconds']).toMatch(/^\d+\.\d$/);
    expect(outputs['first-inference-seconds']).toMatch(/^\d+\.\d$/);
    expect(Number(outputs['first-inference-seconds'])).toBeGreaterThanOrEqual(
      Number(outputs['ready-seconds']),
    );
    expect(outputs.report!.startsWith(env!.dir)).toBe(true);
    expect(statSync(outputs.report!).mode & 0o777).toBe(0o600);
    const report = JSON.parse(readFileSync(outputs.report!, 'utf8'));
    expect(report.passed).toBe(true);
    expect(report.load.requests).toBe(25);
    expect(report.metadata.versions).toEqual(['1']);
    expect(report.inference.compared).toHaveLength(3);
    expect(
      report.load.histogram.bins.reduce((n: number, b: { count: number }) => n + b.count, 0),
    ).toBe(25);
    const summary = env!.summary();
    expect(summary).toContain('smoke-test ✅ passed');
    expect(summary).toContain('| Served | iris (versions 1) |');
    expect(summary).toContain(
      '```mermaid\nxychart-beta\n  title "Latency percentiles (ms)"\n  x-axis [p50, p95, p99]',
    );
    expect(summary).toContain('  line [2000, 2000, 2000]');
    expect(summary).toContain('| output | index | expected | got | difference | allowed |  |');
    expect(server.inferences()).toBe(1 + 2 + 25);
  });

  it('fails a wrong answer with the diff in the error and the summary', async () => {
    server = await startModelServer({ protocol: 'v2', mode: 'wrong-answer' });
    const { ok, log } = await runWith({
      url: server.url,
      model: 'iris',
      request: JSON.stringify({
        inputs: [{ name: 'input', shape: [1, 4], datatype: 'FP32', data: [...SAMPLES.setosa] }],
      }),
      expect: `top-k:\n  label: setosa\n  labels: [${IRIS_LABELS.join(', ')}]\n`,
      requests: '5',
    });
    expect(ok).toBe(false);
    expect(log).toContain(
      `::error::model-deploy/smoke-test failed: model 'iris' at ${server.url}: wrong answer: output 'probabilities': expected 'setosa' in the top 1, got 'virginica'`,
    );
    expect(log).toContain('how to fix: the model answers differently from `expect`');
    expect(env!.outputs().passed).toBe('false');
    // Ready, but no correct answer: no time to one.
    expect(env!.outputs()['ready-seconds']).toMatch(/^\d+\.\d$/);
    expect(env!.outputs()['first-inference-seconds']).toBe('');
    expect(env!.summary()).toContain('smoke-test ❌ failed');
    expect(env!.summary()).toContain("- **wrong answer: output 'probabilities'");
  });

  it('sends the bearer token and masks it; never writes it to the report', async () => {
    server = await startModelServer({ protocol: 'openai' });
    const token = 'tok-3b9f7e2a-secret';
    const { ok, log } = await runWith({
      url: server.url,
      protocol: 'openai',
      model: 'iris',
      token,
      headers: 'X-Api-Key=key-77aa1\nX-Tenant=ml-platform',
      request: JSON.stringify({
        messages: [{ role: 'user', content: 'sepal 6.7 3.0 petal 5.2 2.3' }],
      }),
      expect: '{"text": {"equals": "virginica"}}',
      requests: '3',
    });
    expect(ok).toBe(true);
    expect(server.lastHeaders().authorization).toBe(`Bearer ${token}`);
    expect(server.lastHeaders()['x-tenant']).toBe('ml-platform');
    expect(log).toContain(`::add-mask::${token}`);
    expect(log).toContain('::add-mask::key-77aa1');
    // A header value is masked whatever the header is called.
    expect(log).toContain('::add-mask::ml-platform');
    expect(log.replaceAll(`::add-mask::${token}`, '')).not.toContain(token);
    expect(readFileSync(env!.outputs().report!, 'utf8')).not.toContain(token);
  });

  it('validates every documented response against the OpenAPI document package writes', async () => {
    server = await startModelServer({ protocol: 'v2' });
    const document = openApiDocument({
      runtime: triton,
      name: 'iris',
      version: '1',
      signature: {
        inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 4] }],
        outputs: [{ name: 'probabilities', datatype: 'FP32', shape: [-1, 3] }],
      },
    });
    const good = await runWith({
      url: server.url,
      model: 'iris',
      openapi: JSON.stringify(document),
      requests: '0',
    });
    expect(good.log).not.toContain('::error::');
    expect(good.ok).toBe(true);
    expect(good.log).toMatch(/\d+ responses match the OpenAPI document/);
    env!.restore();

    // The same document declaring an output the server does not produce.
    const strict = openApiDocument({
      runtime: triton,
      name: 'iris',
      version: '1',
      signature: {
        inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 4] }],
        outputs: [{ name: 'logits', datatype: 'FP32', shape: [-1, 3] }],
      },
    });
    const file = join(env!.dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(strict));
    const bad = await runWith({ url: server.url, model: 'iris', openapi: file, requests: '0' });
    expect(bad.ok).toBe(false);
    expect(bad.log).toContain(
      'response does not match the OpenAPI document: POST /v2/models/iris/infer → 200: body/outputs/0/name must be equal to one of the allowed values (/v2/models/iris/infer)',
    );
  });

  it('drives plain HTTP with method, path and ready-path', async () => {
    server = await startModelServer({ protocol: 'http' });
    const { ok, log } = await runWith({
      url: server.url,
      protocol: 'http',
      method: 'post',
      path: '/predict',
      'ready-path': '/healthz',
      request: JSON.stringify({ features: [...SAMPLES.versicolor] }),
      expect: JSON.stringify({
        status: 200,
        'top-k': { output: 'probabilities', label: 1 },
        schema: { required: ['label'] },
      }),
      requests: '10',
    });
    expect(log).not.toContain('::error::');
    expect(ok).toBe(true);
  });
});

describe('smoke-test action: a request that never gets an answer', () => {
  it('fails with the timeout named, not as a bug', async () => {
    server = await startModelServer({ protocol: 'v2', mode: 'slow', slowMs: 5000 });
    const { ok, log } = await runWith({
      url: server.url,
      model: 'iris',
      timeout: '300ms',
      requests: '0',
    });
    expect(ok).toBe(false);
    expect(log).toMatch(
      /::error::model-deploy\/smoke-test failed: model 'iris' at http:\/\/127\.0\.0\.1:\d+: server errors: POST \/v2\/models\/iris\/infer: no answer from the model server at 127\.0\.0\.1:\d+: it accepted the connection, then sent nothing \(UND_ERR_HEADERS_TIMEOUT after 0\.3 s\)/,
    );
    expect(log).not.toContain('bug in model-deploy');
  });
});

describe('smoke-test action: bad input', () => {
  it('rejects request JSON that does not parse, naming the input', async () => {
    const { ok, log } = await runWith({
      url: 'http://127.0.0.1:9',
      model: 'iris',
      request: '{"inputs": [',
    });
    expect(ok).toBe(false);
    expect(log).toMatch(
      /::error::model-deploy\/smoke-test failed: input 'request' \(inline\) is not valid JSON: .*\(for example: request: /,
    );
  });

  it('rejects an unknown protocol with the accepted ones', async () => {
    const { ok, log } = await runWith({ url: 'http://127.0.0.1:9', protocol: 'grpc' });
    expect(ok).toBe(false);
    expect(log).toContain(
      "::error::model-deploy/smoke-test failed: input 'protocol' must be one of v2, v2-grpc, tfserving, tfserving-grpc, torchserve, openai, http; got 'grpc'",
    );
  });

  it('says when the expectation file is missing', async () => {
    const { ok, log } = await runWith({
      url: 'http://127.0.0.1:9',
      model: 'iris',
      expect: 'tests/missing-expect.json',
    });
    expect(ok).toBe(false);
    expect(log).toContain(
      "::error::model-deploy/smoke-test failed: input 'expect' names the file 'tests/missing-expect.json', which does not exist",
    );
  });

  it('rejects an expectation of the wrong shape', async () => {
    const { ok, log } = await runWith({
      url: 'http://127.0.0.1:9',
      model: 'iris',
      expect: '{"top-k": {"k": 2}}',
    });
    expect(ok).toBe(false);
    expect(log).toContain(
      "input 'expect' is not a valid expectation: /top-k must have required property 'label'",
    );
  });

  it('fails an unreachable URL after wait-ready with the last error', async () => {
    const port = await freePort();
    const { ok, log } = await runWith({
      url: `http://127.0.0.1:${port}`,
      model: 'iris',
      'wait-ready': '1s',
    });
    expect(ok).toBe(false);
    expect(log).toMatch(
      /::error::model-deploy\/smoke-test failed: model '\w+' at http:\/\/127\.0\.0\.1:\d+: endpoint unreachable: no answer within 1s \(\d+ probes\); last error: .*ECONNREFUSED/,
    );
    expect(env!.outputs().passed).toBe('false');
  });

  it('requires model for v2', async () => {
    const { ok, log } = await runWith({ url: 'http://127.0.0.1:9' });
    expect(ok).toBe(false);
    expect(log).toContain(
      "input 'model' is required for protocol v2 (for example: model: resnet50)",
    );
  });
});
