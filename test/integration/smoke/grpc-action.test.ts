import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../../actions/smoke-test/main.ts';
import { parseFileCommands, withActionEnv, type ActionEnv } from '../../support/actions-env.ts';
import { startGrpcModelServer, type GrpcModelServer } from '../../support/grpc-model-server.ts';
import { classify, IRIS_LABELS, SAMPLES } from '../../support/model-server-fixture.ts';
import { startProcess } from '../../support/processes.ts';

let env: ActionEnv | undefined;
let server: GrpcModelServer | undefined;
afterEach(async () => {
  env?.restore();
  env = undefined;
  vi.restoreAllMocks();
  await server?.stop();
  server = undefined;
});

async function runWith(inputs: Record<string, string>): Promise<{ ok: boolean; log: string }> {
  env = withActionEnv(inputs);
  const chunks: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    chunks.push(String(chunk));
    return true;
  });
  const ok = await run();
  vi.restoreAllMocks();
  return { ok, log: chunks.join('') };
}

const V2_REQUEST = JSON.stringify({
  inputs: [{ name: 'input', shape: [1, 4], datatype: 'FP32', data: [...SAMPLES.setosa] }],
});

describe('smoke-test action over gRPC', () => {
  it('passes v2-grpc with a bearer token as metadata, masked, and reports the gRPC call', async () => {
    server = await startGrpcModelServer({ token: 'tok-91c2-secret' });
    const { ok, log } = await runWith({
      url: server.url,
      protocol: 'v2-grpc',
      model: 'iris',
      'model-version': '1',
      token: 'tok-91c2-secret',
      request: V2_REQUEST,
      expect: JSON.stringify({
        outputs: { probabilities: classify(SAMPLES.setosa) },
        'top-k': { label: 'setosa', labels: [...IRIS_LABELS] },
      }),
      requests: '10',
      warmup: '1',
    });
    expect(log).not.toContain('::error::');
    expect(ok).toBe(true);
    expect(server.lastMetadata().authorization).toBe('Bearer tok-91c2-secret');
    expect(log).toContain('::add-mask::tok-91c2-secret');
    expect(log.replace(/::add-mask::.*\n/g, '')).not.toContain('tok-91c2-secret');
    expect(log).toContain('inference.GRPCInferenceService/ModelInfer answered OK in');
    expect(env!.outputs().passed).toBe('true');
    expect(Number(env!.outputs()['p95-ms'])).toBeGreaterThan(0);
    expect(env!.summary()).toContain(
      '| Inference | inference.GRPCInferenceService/ModelInfer → OK |',
    );
  });

  it('fails a wrong answer naming the model and the gRPC server', async () => {
    server = await startGrpcModelServer({ mode: 'wrong-answer' });
    const { ok, log } = await runWith({
      url: server.url,
      protocol: 'tfserving-grpc',
      model: 'iris',
      'grpc-contents': 'raw',
      request: JSON.stringify({ instances: [[...SAMPLES.setosa]] }),
      expect: JSON.stringify({
        'top-k': { output: 'probabilities', label: 'setosa', labels: [...IRIS_LABELS] },
      }),
      requests: '0',
    });
    expect(ok).toBe(false);
    expect(log).toContain(
      `::error::model-deploy/smoke-test failed: model 'iris' at ${server.url}: wrong answer: output 'probabilities': expected 'setosa' in the top 1, got 'virginica'`,
    );
  });

  it('trusts a private CA given with NODE_EXTRA_CA_CERTS, as on the REST side', async () => {
    server = await startGrpcModelServer({ tls: true });
    const work = mkdtempSync(join(tmpdir(), 'md-grpc-action-'));
    try {
      const output = join(work, 'output');
      writeFileSync(output, '');
      writeFileSync(join(work, 'summary.md'), '');
      const entry = fileURLToPath(new URL('../../../actions/smoke-test/index.ts', import.meta.url));
      // NODE_EXTRA_CA_CERTS is read when Node starts: the action runs in a process of its own.
      const child = startProcess('smoke-test-action', process.execPath, [entry], {
        env: {
          PATH: process.env.PATH,
          HOME: work,
          RUNNER_TEMP: work,
          GITHUB_OUTPUT: output,
          GITHUB_STEP_SUMMARY: join(work, 'summary.md'),
          NODE_EXTRA_CA_CERTS: server.caPath,
          INPUT_URL: server.url,
          INPUT_PROTOCOL: 'tfserving-grpc',
          INPUT_MODEL: 'iris',
          INPUT_REQUEST: JSON.stringify({ instances: [[...SAMPLES.virginica]] }),
          INPUT_EXPECT: JSON.stringify({ outputs: { probabilities: classify(SAMPLES.virginica) } }),
          INPUT_REQUESTS: '5',
          'INPUT_WAIT-READY': '30s',
        },
      });
      const code = await new Promise<number | null>((resolve) => child.child.once('exit', resolve));
      expect(code, child.output()).toBe(0);
      expect(parseFileCommands(readFileSync(output, 'utf8')).passed).toBe('true');
      expect(child.output()).toMatch(/tensorflow\.serving\.PredictionService\/Predict answered OK/);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
