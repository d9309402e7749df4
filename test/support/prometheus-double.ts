import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A Prometheus HTTP API test double: `GET|POST /api/v1/query` answers an
 * instant query in Prometheus's response format (`{status, data: {resultType,
 * result}}`, a vector of `{metric, value: [time, "text"]}`), and an error
 * (`bad_data`, HTTP 400) for a missing query. It evaluates no PromQL: a test
 * sets the samples each query text answers with, and may change them while a
 * rollout runs. A query nobody set answers an empty vector, as Prometheus
 * does for a series that does not exist.
 */
export interface PrometheusDouble {
  url: string;
  /** The samples a query answers with from now on (one per vector element). */
  answer(query: string, values: number[]): void;
  /** Every query received, in order. */
  queries(): string[];
  stop(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startPrometheusDouble(): Promise<PrometheusDouble> {
  const answers = new Map<string, number[]>();
  const received: string[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname !== '/api/v1/query') {
        send(res, 404, { status: 'error', errorType: 'not_found', error: 'not found' });
        return;
      }
      if (req.method !== 'GET' && req.method !== 'POST') {
        send(res, 405, { status: 'error', errorType: 'bad_data', error: 'method not allowed' });
        return;
      }
      const params = new URLSearchParams(url.search);
      if (req.method === 'POST') {
        for (const [k, v] of new URLSearchParams(await readBody(req))) params.set(k, v);
      }
      const query = params.get('query');
      if (!query) {
        send(res, 400, {
          status: 'error',
          errorType: 'bad_data',
          error: 'invalid parameter "query": query must not be empty',
        });
        return;
      }
      received.push(query);
      const time = Number(params.get('time') ?? Date.now() / 1000);
      const values = answers.get(query) ?? [];
      send(res, 200, {
        status: 'success',
        data: {
          resultType: 'vector',
          result: values.map((v, i) => ({
            metric: { __name__: 'answer', instance: `double-${i}` },
            value: [time, String(v)],
          })),
        },
      });
    })().catch((err: unknown) => send(res, 500, { status: 'error', error: String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    answer: (query, values) => answers.set(query, values),
    queries: () => [...received],
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
