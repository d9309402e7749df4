import { setOutput } from '../../shared/action/index.ts';
import type { SmokeTestResult } from '../../shared/smoke/smoke-test.ts';

function fixed(n: number, digits: number): string {
  return Number(n.toFixed(digits)).toString();
}

/** The numbers as outputs: milliseconds and rates as plain decimals, empty when not measured. */
export function setOutputs(result: SmokeTestResult): void {
  const load = result.load;
  setOutput('passed', result.passed);
  setOutput('p50-ms', load ? fixed(load.latency.p50, 3) : '');
  setOutput('p95-ms', load ? fixed(load.latency.p95, 3) : '');
  setOutput('p99-ms', load ? fixed(load.latency.p99, 3) : '');
  setOutput('error-rate', load ? fixed(load.errorRate, 6) : '');
  setOutput('requests-per-second', load ? fixed(load.requestsPerSecond, 1) : '');
  setOutput(
    'ready-seconds',
    result.readiness.ready ? (result.readiness.waitedMs / 1000).toFixed(1) : '',
  );
  setOutput(
    'first-inference-seconds',
    result.firstCorrectMs !== undefined ? (result.firstCorrectMs / 1000).toFixed(1) : '',
  );
}
