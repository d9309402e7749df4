/**
 * The smoke-test load generator's own ceiling: requests per second against a
 * trivial local endpoint (a separate Node process answering a small JSON),
 * side by side with autocannon in the same run, the same connection count
 * and the same number of requests. Rounds alternate between the two tools so
 * drift on a noisy machine hits both alike; the median round is reported.
 *
 *   node bench/smoke-load.ts [--requests 20000] [--connections 4] [--rounds 5]
 *
 * The benchmark suite imports measureLoadGenerator(); nothing here asserts a timing.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../shared/common/logger.ts';
import { SmokeClient } from '../shared/smoke/http-client.ts';
import { runLoad } from '../shared/smoke/load.ts';
import { freePort, startProcess, waitForHttp } from '../test/support/processes.ts';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon') as (options: {
  url: string;
  connections: number;
  amount: number;
  pipelining: number;
}) => Promise<{ requests: { total: number }; non2xx: number; errors: number }>;

const TRIVIAL_SERVER = `
const http = require('node:http');
const body = JSON.stringify({ model_name: 'trivial', outputs: [{ name: 'y', datatype: 'FP32', shape: [1], data: [1] }] });
http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
}).listen(Number(process.argv[1]), '127.0.0.1');
`;

export interface LoadGeneratorFigures {
  requests: number;
  connections: number;
  rounds: number;
  modelDeploy: { requestsPerSecond: number[]; median: number };
  autocannon: { requestsPerSecond: number[]; median: number };
  /** model-deploy's median over autocannon's median; the goal is ≥ 0.5. */
  ratio: number;
  /** Per round, model-deploy over the autocannon round beside it. */
  roundRatios: number[];
  latencyP50Ms: number;
  latencyP99Ms: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export async function measureLoadGenerator(
  options: { requests?: number; connections?: number; rounds?: number } = {},
): Promise<LoadGeneratorFigures> {
  const requests = options.requests ?? 20_000;
  const connections = options.connections ?? 4;
  const rounds = options.rounds ?? 5;
  const port = await freePort();
  const server = startProcess('trivial-endpoint', process.execPath, [
    '-e',
    TRIVIAL_SERVER,
    String(port),
  ]);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(url, 10_000);
    const ours: number[] = [];
    const theirs: number[] = [];
    let latencyP50Ms = 0;
    let latencyP99Ms = 0;
    const request = {
      method: 'POST' as const,
      path: '/v2/models/trivial/infer',
      body: '{"inputs":[]}',
    };
    for (let round = 0; round < rounds; round++) {
      // The same work for both: warm-up, then `requests` POSTs over `connections` keep-alive connections.
      const client = new SmokeClient(
        { baseUrl: url, headers: {}, displayName: url },
        { timeoutMs: 10_000, connections },
      );
      const result = await runLoad(client, {
        requests,
        concurrency: connections,
        warmup: 500,
        request,
      });
      await client.close();
      if (result.failed > 0) throw new Error(`model-deploy load: ${result.failed} requests failed`);
      ours.push(result.requestsPerSecond);
      latencyP50Ms = result.latency.p50;
      latencyP99Ms = result.latency.p99;

      await autocannon({ url: url + request.path, connections, amount: 500, pipelining: 1 });
      const started = performance.now();
      const peer = await autocannon({
        url: url + request.path,
        connections,
        amount: requests,
        pipelining: 1,
        ...({
          method: 'POST',
          body: request.body,
          headers: { 'content-type': 'application/json' },
        } as object),
      });
      const seconds = (performance.now() - started) / 1000;
      if (peer.errors > 0 || peer.non2xx > 0) throw new Error('autocannon: requests failed');
      theirs.push(peer.requests.total / seconds);
    }
    const ourMedian = median(ours);
    const theirMedian = median(theirs);
    return {
      requests,
      connections,
      rounds,
      modelDeploy: { requestsPerSecond: ours, median: ourMedian },
      autocannon: { requestsPerSecond: theirs, median: theirMedian },
      ratio: ourMedian / theirMedian,
      roundRatios: ours.map((v, i) => v / (theirs[i] as number)),
      latencyP50Ms,
      latencyP99Ms,
    };
  } finally {
    await server.stop();
  }
}

function argument(name: string): number | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? undefined : Number(process.argv[at + 1]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const figures = await measureLoadGenerator({
    requests: argument('requests'),
    connections: argument('connections'),
    rounds: argument('rounds'),
  });
  silentLogger.info('');
  const fmt = (n: number) => n.toFixed(0).padStart(8);
  console.log(
    `load generator ceiling: ${figures.requests} requests × ${figures.rounds} rounds, ${figures.connections} connections`,
  );
  console.log(
    `  model-deploy  ${fmt(figures.modelDeploy.median)} req/s   rounds: ${figures.modelDeploy.requestsPerSecond.map((n) => n.toFixed(0)).join(', ')}`,
  );
  console.log(
    `  autocannon    ${fmt(figures.autocannon.median)} req/s   rounds: ${figures.autocannon.requestsPerSecond.map((n) => n.toFixed(0)).join(', ')}`,
  );
  console.log(
    `  ratio ${figures.ratio.toFixed(2)}× (goal ≥ 0.5×); per round ${figures.roundRatios.map((r) => r.toFixed(2)).join(', ')}`,
  );
  console.log(
    `  model-deploy latency p50 ${figures.latencyP50Ms.toFixed(3)} ms, p99 ${figures.latencyP99Ms.toFixed(3)} ms`,
  );
}
