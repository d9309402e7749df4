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
import { SmokeClient } from '../shared/smoke/http-client.ts';
import { runLoad } from '../shared/smoke/load.ts';
import { freePort, startProcess, waitForHttp } from '../test/support/processes.ts';

const require = createRequire(import.meta.url);
interface AutocannonResult {
  requests: { total: number };
  non2xx: number;
  errors: number;
}
interface AutocannonInstance {
  on(event: 'response', listener: () => void): void;
}
const autocannon = require('autocannon') as (
  options: object,
  done: (err: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;

/**
 * autocannon ends an `amount` run only at its next 1 s sampling tick, so its
 * own duration overstates the time taken by up to a second; the time of the
 * last response is taken instead, as for our generator.
 */
export function runAutocannon(
  options: object,
): Promise<{ result: AutocannonResult; seconds: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let last = started;
    const instance = autocannon(options, (err, result) => {
      if (err) reject(err);
      else resolve({ result, seconds: (last - started) / 1000 });
    });
    instance.on('response', () => {
      last = performance.now();
    });
  });
}

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
  /**
   * Client CPU time per request (user + system, this process only; the server
   * runs in its own). Far less sensitive to a busy machine than wall-clock
   * rates: 1e6 / this is the generator's ceiling on one free core.
   */
  cpuMicrosPerRequest: { modelDeploy: number; autocannon: number };
  /** autocannon's CPU per request over ours: the ceiling ratio (≥ 0.5 is the goal). */
  cpuRatio: number;
  /** Per round, model-deploy over the autocannon round beside it. */
  roundRatios: number[];
  latencyP50Ms: number;
  latencyP99Ms: number;
}

function cpuMicros(usage: NodeJS.CpuUsage): number {
  return usage.user + usage.system;
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
    const ourCpu: number[] = [];
    const theirCpu: number[] = [];
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
      await runLoad(client, { requests: 500, concurrency: connections, warmup: 0, request });
      const cpuBefore = process.cpuUsage();
      const result = await runLoad(client, {
        requests,
        concurrency: connections,
        warmup: 0,
        request,
      });
      ourCpu.push(cpuMicros(process.cpuUsage(cpuBefore)) / requests);
      await client.close();
      if (result.failed > 0) throw new Error(`model-deploy load: ${result.failed} requests failed`);
      ours.push(result.requestsPerSecond);
      latencyP50Ms = result.latency.p50;
      latencyP99Ms = result.latency.p99;

      const peerOptions = {
        url: url + request.path,
        connections,
        pipelining: 1,
        method: 'POST',
        body: request.body,
        headers: { 'content-type': 'application/json' },
      };
      await runAutocannon({ ...peerOptions, amount: 500 });
      const peerCpuBefore = process.cpuUsage();
      const { result: peer, seconds } = await runAutocannon({ ...peerOptions, amount: requests });
      theirCpu.push(cpuMicros(process.cpuUsage(peerCpuBefore)) / requests);
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
      cpuMicrosPerRequest: { modelDeploy: median(ourCpu), autocannon: median(theirCpu) },
      cpuRatio: median(theirCpu) / median(ourCpu),
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
    `  client CPU per request: model-deploy ${figures.cpuMicrosPerRequest.modelDeploy.toFixed(1)} µs, ` +
      `autocannon ${figures.cpuMicrosPerRequest.autocannon.toFixed(1)} µs → ceiling ratio ${figures.cpuRatio.toFixed(2)}×`,
  );
  console.log(
    `  model-deploy latency p50 ${figures.latencyP50Ms.toFixed(3)} ms, p99 ${figures.latencyP99Ms.toFixed(3)} ms`,
  );
}
