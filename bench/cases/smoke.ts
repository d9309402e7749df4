import { join } from 'node:path';
import { startProcess, waitFor } from '../../test/support/processes.ts';
import { node24, repoRoot, runActionBundle } from '../action-process.ts';
import { measureOk } from '../measure.ts';
import { measureLoadGenerator } from '../smoke-load.ts';
import { alternate, notMeasured, pairedRatio, SubjectRuns, type CaseResult } from '../results.ts';
import { summarize } from '../measure.ts';

const REQUESTS = 2000;
const CONCURRENCY = 4;
const INFER_BODY = JSON.stringify({
  inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 4], data: [5.1, 3.5, 1.4, 0.2] }],
});

async function startFixture(): Promise<{ url: string; stop(): Promise<void> }> {
  const proc = startProcess('model-server fixture', node24, [
    join(repoRoot, 'bench', 'fixture-server.ts'),
  ]);
  let url = '';
  await waitFor(
    'the model-server fixture',
    async () => {
      const line = /\{"url":"[^"]+"\}/.exec(proc.output())?.[0];
      if (line) url = (JSON.parse(line) as { url: string }).url;
      return url !== '';
    },
    20_000,
    50,
  );
  return { url, stop: () => proc.stop() };
}

export async function smokeCase(runs: number): Promise<CaseResult> {
  const id = 'smoke-load';
  const title = `smoke-test load: ${REQUESTS} v2 inference requests, ${CONCURRENCY} in flight`;
  const fixture = await startFixture();
  try {
    const smoke = () =>
      runActionBundle('smoke-test', {
        url: fixture.url,
        protocol: 'v2',
        model: 'iris',
        request: INFER_BODY,
        requests: String(REQUESTS),
        concurrency: String(CONCURRENCY),
        warmup: '10',
      });
    const probe = await smoke();
    if (probe.exitCode !== 0) {
      return notMeasured(id, title, `the smoke-test action failed: ${probe.failure}`);
    }
    const ours = new SubjectRuns(
      'node dist/smoke-test/index.js (readiness, metadata, check, load)',
    );
    const peer = new SubjectRuns(
      `autocannon, ${CONCURRENCY} connections, ${REQUESTS} requests (bench/autocannon-run.ts)`,
    );
    await alternate(runs, [
      async (i) => {
        const m = await smoke();
        if (m.exitCode !== 0) throw new Error(`the smoke-test action failed: ${m.failure}`);
        if (i > 0) ours.add(m, Number(m.outputs['requests-per-second']));
      },
      async (i) => {
        const m = await measureOk('autocannon', node24, [
          join(repoRoot, 'bench', 'autocannon-run.ts'),
          `${fixture.url}/v2/models/iris/infer`,
          String(CONCURRENCY),
          String(REQUESTS),
          INFER_BODY,
        ]);
        const report = JSON.parse(m.stdout.trim().split('\n').pop() ?? '{}') as {
          ok: number;
          seconds: number;
        };
        if (report.ok !== REQUESTS) {
          throw new Error(`autocannon: ${report.ok} of ${REQUESTS} requests answered 2xx`);
        }
        if (i > 0) peer.add(m, report.ok / report.seconds);
      },
    ]);
    const ratio = pairedRatio(
      'model-deploy requests/s ÷ autocannon requests/s, per run',
      ours.throughput,
      peer.throughput,
    );
    return {
      id,
      title,
      status: 'measured',
      runs,
      subjects: {
        'model-deploy': ours.figures('req/s'),
        autocannon: peer.figures('req/s'),
      },
      ratios: { 'vs autocannon': ratio },
      goals: [
        {
          text: 'smoke-test load ≥ 0.8× autocannon’s requests/s',
          value: `${ratio.summary.median.toFixed(2)}×`,
          met: ratio.summary.median >= 0.8,
        },
      ],
      notes: [
        'Requests/s is requests ÷ the wall time of each tool’s load phase, first request to last response: the action’s requests-per-second output (after its 10 warm-up requests), and autocannon run by bench/autocannon-run.ts (no warm-up). autocannon’s own duration is not used: with an amount it ends at its next 1-second sampling tick. Wall time includes start-up and, for the action, readiness, metadata and the golden check.',
        'The endpoint is the model-server fixture (a Node HTTP server running the iris classifier) in its own process; it shares the 2 cores with the load generator, so it is the bottleneck for both.',
      ],
    };
  } finally {
    await fixture.stop();
  }
}

/** bench/smoke-load.ts: the load loop alone against a trivial endpoint, side by side with autocannon in-process. */
export async function loadCeilingCase(runs: number): Promise<CaseResult> {
  const id = 'load-ceiling';
  const title = 'load generator ceiling (bench/smoke-load.ts, trivial endpoint, 10,000 requests)';
  try {
    const figures = await measureLoadGenerator({ requests: 10_000, connections: 4, rounds: runs });
    const ratio = summarize(figures.roundRatios);
    const throughput = (values: number[]) => ({ unit: 'req/s', ...summarize(values) });
    const secondsFor = (values: number[]) => summarize(values.map((v) => (10_000 / v) * 1000));
    return {
      id,
      title,
      status: 'measured',
      runs,
      subjects: {
        'model-deploy': {
          what: 'runLoad (shared/smoke/load.ts) in-process',
          wallMs: secondsFor(figures.modelDeploy.requestsPerSecond),
          peakRssMb: undefined,
          throughput: throughput(figures.modelDeploy.requestsPerSecond),
        },
        autocannon: {
          what: 'autocannon in-process',
          wallMs: secondsFor(figures.autocannon.requestsPerSecond),
          peakRssMb: undefined,
          throughput: throughput(figures.autocannon.requestsPerSecond),
        },
      },
      ratios: {
        'vs autocannon': {
          definition: 'model-deploy requests/s ÷ autocannon requests/s, per round',
          summary: ratio,
        },
      },
      goals: [
        {
          text: 'load generator ≥ 0.8× autocannon’s requests/s (ceiling)',
          value: `${ratio.median.toFixed(2)}×`,
          met: ratio.median >= 0.8,
        },
      ],
      notes: [
        'Both generators run in the bench process, so no RSS of their own; both rates are requests ÷ the wall time from the first request to the last response; time is requests ÷ requests/s.',
      ],
    };
  } catch (err) {
    return notMeasured(id, title, (err as Error).message);
  }
}
