import { once } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import net, { type Socket } from 'node:net';

/**
 * Stand-ins for the model servers of the examples, which cannot run here
 * (MLServer with scikit-learn, vLLM on a GPU): small HTTP servers that speak
 * the same protocol with the same response shapes, serving a model simple
 * enough to state in a line. And a forward proxy that plays DNS and the
 * gateway for a public host name.
 */

export interface StandInServer {
  url: string;
  /** Inference requests answered. */
  inferences(): number;
  /** Every request as `METHOD path`. */
  requests: string[];
  stop(): Promise<void>;
}

async function listen(
  handler: (req: IncomingMessage, res: ServerResponse, body: string) => void,
  onServer?: (server: http.Server) => void,
): Promise<{ url: string; server: http.Server; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  onServer?.(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    server,
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * MLServer (Open Inference Protocol v2) serving the fraud model of the AKS
 * example: a logistic regression over [amount, hour, merchant risk, distance
 * km] with fixed coefficients; `is_fraud` is 1 when its score is above 0.5.
 */
export const FRAUD_COEFFICIENTS = { weights: [0.0015, -0.05, 4.0, 0.0006], bias: -4 };

export async function startFraudModelServer(name = 'fraud'): Promise<StandInServer> {
  let inferences = 0;
  const requests: string[] = [];
  const metadata = {
    name,
    versions: [],
    platform: 'mlserver',
    inputs: [{ name: 'transactions', datatype: 'FP64', shape: [-1, 4] }],
    outputs: [{ name: 'is_fraud', datatype: 'INT64', shape: [-1] }],
  };
  const served = await listen((req, res, body) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    requests.push(`${req.method} ${path}`);
    if (path === '/v2/health/ready' || path === '/v2/health/live') return json(res, 200, {});
    if (path === `/v2/models/${name}/ready`) return json(res, 200, {});
    if (path === `/v2/models/${name}` && req.method === 'GET') return json(res, 200, metadata);
    if (path === `/v2/models/${name}/infer` && req.method === 'POST') {
      inferences++;
      const request = JSON.parse(body) as {
        id?: string;
        inputs?: Array<{ name: string; shape: number[]; data: unknown[] }>;
      };
      const input = request.inputs?.find((i) => i.name === 'transactions');
      const data = (input?.data ?? []).flat(3) as number[];
      if (!input || data.length === 0 || data.length % 4 !== 0) {
        return json(res, 400, { error: 'expected input transactions of shape [n, 4]' });
      }
      const labels: number[] = [];
      for (let row = 0; row < data.length / 4; row++) {
        const x = data.slice(row * 4, row * 4 + 4);
        const z = x.reduce(
          (sum, v, i) => sum + v * (FRAUD_COEFFICIENTS.weights[i] as number),
          FRAUD_COEFFICIENTS.bias,
        );
        labels.push(1 / (1 + Math.exp(-z)) > 0.5 ? 1 : 0);
      }
      return json(res, 200, {
        model_name: name,
        id: request.id ?? 'stand-in',
        parameters: {},
        outputs: [{ name: 'is_fraud', datatype: 'INT64', shape: [labels.length], data: labels }],
      });
    }
    return json(res, 404, { error: `Model ${name} not found at ${path}` });
  });
  return { url: served.url, inferences: () => inferences, requests, stop: served.stop };
}

/**
 * vLLM's OpenAI-compatible server for the GKE example, with a lookup table
 * for a model: it knows the capital of France, and nothing else.
 */
export async function startLlmServer(servedName = 'llm'): Promise<StandInServer> {
  let inferences = 0;
  const requests: string[] = [];
  const served = await listen((req, res, body) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    requests.push(`${req.method} ${path}`);
    if (path === '/health') {
      res.writeHead(200, { 'content-length': 0 });
      return res.end();
    }
    if (path === '/v1/models' && req.method === 'GET') {
      return json(res, 200, {
        object: 'list',
        data: [
          {
            id: servedName,
            object: 'model',
            created: 1767225600,
            owned_by: 'vllm',
            root: `/models/${servedName}`,
            parent: null,
            max_model_len: 4096,
          },
        ],
      });
    }
    if (path === '/v1/chat/completions' && req.method === 'POST') {
      inferences++;
      const request = JSON.parse(body) as {
        model?: string;
        messages?: Array<{ role: string; content: string }>;
      };
      if (request.model !== servedName) {
        return json(res, 404, {
          object: 'error',
          message: `The model \`${request.model}\` does not exist.`,
          type: 'NotFoundError',
          code: 404,
        });
      }
      const question = request.messages?.at(-1)?.content ?? '';
      const answer = /capital of France/i.test(question) ? 'Paris' : 'I do not know.';
      return json(res, 200, {
        id: `chatcmpl-stand-in-${inferences}`,
        object: 'chat.completion',
        created: 1767225600,
        model: servedName,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: answer },
            logprobs: null,
            finish_reason: 'stop',
          },
        ],
        usage: { prompt_tokens: 17, completion_tokens: 2, total_tokens: 19 },
      });
    }
    return json(res, 404, {
      object: 'error',
      message: 'Not Found',
      type: 'NotFoundError',
      code: 404,
    });
  });
  return { url: served.url, inferences: () => inferences, requests, stop: served.stop };
}

export interface GatewayStandIn {
  /** http://127.0.0.1:PORT, for HTTP_PROXY. */
  url: string;
  /** The hosts asked for, as a runner's requests would name them. */
  hosts: string[];
  stop(): Promise<void>;
}

/**
 * A forward proxy standing in for DNS and the cloud's gateway: requests for
 * `host` (by CONNECT or in absolute form) go to `target`; any other host is
 * answered 502, as a name that does not resolve.
 */
export async function startGatewayStandIn(host: string, target: string): Promise<GatewayStandIn> {
  const hosts: string[] = [];
  const to = new URL(target);
  const tunnels = new Set<Socket>();
  const served = await listen(
    (req, res, body) => {
      const url = new URL(req.url ?? '/', 'http://invalid');
      hosts.push(url.hostname);
      if (url.hostname !== host)
        return json(res, 502, { error: `${url.hostname} does not resolve` });
      const headers: http.OutgoingHttpHeaders = { ...req.headers, host: to.host };
      delete headers['proxy-connection'];
      const forward = http.request(
        {
          host: to.hostname,
          port: to.port,
          method: req.method,
          path: url.pathname + url.search,
          headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      forward.end(body);
    },
    (server) => {
      server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
        const [name] = (req.url ?? '').split(':');
        hosts.push(name ?? '');
        if (name !== host) {
          client.end('HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n');
          return;
        }
        const upstream = net.connect(Number(to.port), to.hostname, () => {
          client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
          if (head.length > 0) upstream.write(head);
          upstream.pipe(client);
          client.pipe(upstream);
        });
        for (const s of [client, upstream]) {
          tunnels.add(s);
          s.once('close', () => tunnels.delete(s));
          s.on('error', () => {
            client.destroy();
            upstream.destroy();
          });
        }
      });
    },
  );
  return {
    url: served.url,
    hosts,
    async stop() {
      for (const s of tunnels) s.destroy();
      await served.stop();
    },
  };
}

/**
 * Triton (Open Inference Protocol v2) serving the ResNet50 of the EKS
 * example: the signature of its config.pbtxt (`input` FP32 [-1,3,224,224],
 * `output` FP32 [-1,1000]), version `version`; each image's 1000 scores are
 * the mean of its pixels times (k+1)/1000 for class k.
 */
export async function startTritonResnetServer(version: string): Promise<StandInServer> {
  const name = 'resnet50';
  let inferences = 0;
  const requests: string[] = [];
  const metadata = {
    name,
    versions: [version],
    platform: 'onnxruntime_onnx',
    inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 3, 224, 224] }],
    outputs: [{ name: 'output', datatype: 'FP32', shape: [-1, 1000] }],
  };
  const pixels = 3 * 224 * 224;
  const served = await listen((req, res, body) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    requests.push(`${req.method} ${path}`);
    if (path === '/v2/health/ready' || path === '/v2/health/live') return json(res, 200, {});
    if (path === '/v2') return json(res, 200, { name: 'triton', version: '2.49.0' });
    const model = `/v2/models/${name}`;
    const versioned = `${model}/versions/${version}`;
    if ((path === `${model}/ready` || path === `${versioned}/ready`) && req.method === 'GET')
      return json(res, 200, {});
    if ((path === model || path === versioned) && req.method === 'GET')
      return json(res, 200, metadata);
    if ((path === `${model}/infer` || path === `${versioned}/infer`) && req.method === 'POST') {
      inferences++;
      const request = JSON.parse(body) as {
        id?: string;
        inputs?: Array<{ name: string; shape: number[]; data: unknown[] }>;
      };
      const input = request.inputs?.find((i) => i.name === 'input');
      const data = (input?.data ?? []).flat(4) as number[];
      if (!input || data.length === 0 || data.length % pixels !== 0) {
        return json(res, 400, {
          error: `unexpected shape for input 'input', model expects [-1,3,224,224]`,
        });
      }
      const images = data.length / pixels;
      const scores: number[] = [];
      for (let i = 0; i < images; i++) {
        let sum = 0;
        for (let p = i * pixels; p < (i + 1) * pixels; p++) sum += data[p] as number;
        const mean = sum / pixels;
        for (let k = 0; k < 1000; k++) scores.push((mean * (k + 1)) / 1000);
      }
      return json(res, 200, {
        model_name: name,
        model_version: version,
        ...(request.id ? { id: request.id } : {}),
        outputs: [{ name: 'output', datatype: 'FP32', shape: [images, 1000], data: scores }],
      });
    }
    return json(res, 404, { error: `Request for unknown model: '${path}' is not found` });
  });
  return { url: served.url, inferences: () => inferences, requests, stop: served.stop };
}
