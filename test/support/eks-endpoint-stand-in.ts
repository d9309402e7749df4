import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * moto's EKS API in front of a local cluster. moto makes up each cluster's
 * `endpoint` (an `*.eks.amazonaws.com` name that resolves nowhere) and its
 * `certificateAuthority.data` when the cluster is created, and no call of its
 * API sets them. So this stand-in passes every request to moto unchanged and
 * rewrites exactly those two fields of the named clusters in moto's answer to
 * DescribeCluster (`GET /clusters/<name>`) — the local API server's address
 * and CA — as EKS would answer for a cluster that is really there. Everything
 * else (the cluster's existence, its ARN, status, errors) is moto's.
 */

export interface EksEndpointStandIn {
  /** http://127.0.0.1:PORT, for AWS_ENDPOINT_URL_EKS. */
  endpoint: string;
  /** DescribeCluster answers this stand-in rewrote, by cluster name. */
  rewritten: Record<string, number>;
  stop(): Promise<void>;
}

export async function startEksEndpointStandIn(options: {
  /** moto's endpoint. */
  moto: string;
  /** Cluster name → the local API server (https://127.0.0.1:PORT) and its CA (PEM). */
  clusters: Record<string, { server: string; caPem: string }>;
}): Promise<EksEndpointStandIn> {
  const rewritten: Record<string, number> = {};
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (name === 'host' || name === 'connection' || value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
    }
    const answer = await fetch(new URL(req.url ?? '/', options.moto), {
      method: req.method ?? 'GET',
      headers,
      ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
    });
    let body = Buffer.from(await answer.arrayBuffer());
    const name = /^\/clusters\/([^/?]+)$/.exec(new URL(req.url ?? '/', 'http://x').pathname)?.[1];
    const local = name !== undefined ? options.clusters[decodeURIComponent(name)] : undefined;
    if (req.method === 'GET' && local && answer.ok) {
      const described = JSON.parse(body.toString('utf8')) as {
        cluster: { endpoint?: string; certificateAuthority?: { data?: string } };
      };
      described.cluster.endpoint = local.server;
      described.cluster.certificateAuthority = {
        data: Buffer.from(local.caPem, 'utf8').toString('base64'),
      };
      body = Buffer.from(JSON.stringify(described), 'utf8');
      rewritten[decodeURIComponent(name!)] = (rewritten[decodeURIComponent(name!)] ?? 0) + 1;
    }
    const out: Record<string, string> = {};
    answer.headers.forEach((value, key) => {
      if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(key))
        out[key] = value;
    });
    res.writeHead(answer.status, { ...out, 'content-length': String(body.length) }).end(body);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.writeHead(502).end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    rewritten,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
