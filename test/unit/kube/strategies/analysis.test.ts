import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../../shared/common/errors.ts';
import {
  compare,
  conditionText,
  fillQuery,
  formatNumber,
  queryPrometheus,
  sampleValues,
} from '../../../../shared/kube/strategies/analysis.ts';
import {
  startPrometheusDouble,
  type PrometheusDouble,
} from '../../../support/prometheus-double.ts';

const target = {
  namespace: 'models',
  service: 'iris-canary',
  port: 80,
  release: 'iris',
  canaryDeployment: 'iris-canary',
  stableDeployment: 'iris',
};

describe('metric checks', () => {
  it('compares with each operator', () => {
    expect(compare(0.005, '<', 0.01)).toBe(true);
    expect(compare(0.01, '<', 0.01)).toBe(false);
    expect(compare(0.01, '<=', 0.01)).toBe(true);
    expect(compare(2, '>', 1)).toBe(true);
    expect(compare(1, '>=', 2)).toBe(false);
    expect(compare(0, '==', 0)).toBe(true);
    expect(compare(0, '!=', 0)).toBe(false);
  });

  it('fails every comparison of NaN except !=', () => {
    for (const op of ['<', '<=', '>', '>=', '=='] as const) expect(compare(NaN, op, 1)).toBe(false);
    expect(compare(NaN, '!=', 1)).toBe(true);
  });

  it('fills the query placeholders and reads vector and scalar results', () => {
    expect(
      fillQuery(
        'rate(x{deployment="{{ canary }}",namespace="{{namespace}}"}[1m]) {{ other }}',
        target,
      ),
    ).toBe('rate(x{deployment="iris-canary",namespace="models"}[1m]) {{ other }}');
    expect(
      sampleValues({
        resultType: 'vector',
        result: [
          { metric: {}, value: [1, '0.5'] },
          { metric: {}, value: [1, 'NaN'] },
        ],
      }),
    ).toEqual([0.5, NaN]);
    expect(sampleValues({ resultType: 'scalar', result: [1, '3'] })).toEqual([3]);
    expect(() => sampleValues({ resultType: 'matrix', result: [] })).toThrow(/vector or a scalar/);
  });

  it('fills every placeholder, each occurrence, and reads an empty vector as no samples', () => {
    expect(fillQuery('{{release}}/{{ stable }}/{{ canary }}/{{release}}', target)).toBe(
      'iris/iris/iris-canary/iris',
    );
    expect(sampleValues({ resultType: 'vector', result: [] })).toEqual([]);
    expect(() => sampleValues({ resultType: 'string', result: [1, 'x'] })).toThrow(
      'an instant query must return a vector or a scalar, not a string',
    );
  });

  it('writes a condition and a number the way the log shows them', () => {
    expect(conditionText({ operator: '<=', threshold: 0.05 })).toBe('<= 0.05');
    expect(formatNumber(0.123456)).toBe('0.1235');
    expect(formatNumber(12345.6)).toBe('12350');
    expect(formatNumber(2)).toBe('2');
    expect(formatNumber(NaN)).toBe('NaN');
    expect(formatNumber(Infinity)).toBe('Infinity');
  });
});

describe('querying Prometheus', () => {
  let prometheus: PrometheusDouble;
  let server: Server | undefined;
  beforeAll(async () => {
    prometheus = await startPrometheusDouble();
  });
  afterAll(async () => {
    await prometheus?.stop();
  });
  afterEach(async () => {
    const s = server;
    server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  });

  /** A server on 127.0.0.1 answering each request with the next of `answers`. */
  async function serve(
    answers: Array<[number, string]>,
  ): Promise<{ url: string; hits: () => number }> {
    let hits = 0;
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const [status, body] = answers[Math.min(hits, answers.length - 1)]!;
        hits++;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits };
  }

  it('posts the query to /api/v1/query under the server root, with or without a trailing slash', async () => {
    prometheus.answer('up{job="iris"}', [1, 0.25]);
    expect(await queryPrometheus(prometheus.url, 'up{job="iris"}', 5000)).toEqual([1, 0.25]);
    expect(await queryPrometheus(`${prometheus.url}//`, 'up{job="iris"}', 5000)).toEqual([1, 0.25]);
    expect(await queryPrometheus(prometheus.url, 'absent_metric', 5000)).toEqual([]);
    expect(prometheus.queries()).toEqual(['up{job="iris"}', 'up{job="iris"}', 'absent_metric']);
  });

  it('reports a refused query with Prometheus’s error type and message, without retrying', async () => {
    const { url, hits } = await serve([
      [400, JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error' })],
    ]);
    const err = await queryPrometheus(url, 'rate(', 5000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe(
      'Prometheus refused the query rate(: bad_data: parse error',
    );
    expect(hits()).toBe(1);
  });

  it('reports a body that is not JSON as a wrong prometheus-url', async () => {
    const { url } = await serve([[200, '<html>Grafana</html>']]);
    await expect(queryPrometheus(url, 'up', 5000)).rejects.toThrow(
      `Prometheus at ${url} answered HTTP 200 with a body that is not JSON`,
    );
  });

  it('retries a server error and takes the answer that follows', async () => {
    const ok = JSON.stringify({
      status: 'success',
      data: { resultType: 'scalar', result: [1, '7'] },
    });
    const { url, hits } = await serve([
      [503, 'overloaded'],
      [200, ok],
    ]);
    expect(await queryPrometheus(url, 'up', 5000)).toEqual([7]);
    expect(hits()).toBe(2);
  });

  it('gives up after three server errors, quoting the status', async () => {
    const { url, hits } = await serve([[500, 'boom']]);
    await expect(queryPrometheus(url, 'up', 5000)).rejects.toThrow(/HTTP 500: boom/);
    expect(hits()).toBe(3);
  });

  it('refuses a success without data, and a range result', async () => {
    const { url } = await serve([
      [200, JSON.stringify({ status: 'success' })],
      [200, JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } })],
    ]);
    await expect(queryPrometheus(url, 'up', 5000)).rejects.toThrow(
      'Prometheus refused the query up: error: no data',
    );
    await expect(queryPrometheus(url, 'up[5m]', 5000)).rejects.toThrow(/not a matrix/);
  });
});
