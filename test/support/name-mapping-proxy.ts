import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A forward proxy (CONNECT for https, absolute-URI requests for http) that
 * sends every host to 127.0.0.1 on the same port. With HTTPS_PROXY and
 * HTTP_PROXY pointing at it, a client can use a registry under a name that is
 * not loopback (`registry.trust.test:PORT`) with no DNS and no /etc/hosts
 * entry; TLS still runs end to end between the client and the registry.
 */
export interface NameMappingProxy {
  url: string;
  /** Hosts (host:port) that clients asked for, in order. */
  requested: string[];
  stop(): Promise<void>;
}

export async function startNameMappingProxy(): Promise<NameMappingProxy> {
  const requested: string[] = [];
  const server: Server = createServer((req, res) => {
    const target = new URL(req.url ?? '/');
    requested.push(target.host);
    const upstream = httpRequest(
      {
        host: '127.0.0.1',
        port: Number(target.port || 80),
        method: req.method,
        path: target.pathname + target.search,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req, socket, head) => {
    const [host = '', port = '443'] = (req.url ?? '').split(/:(?=\d+$)/);
    requested.push(`${host}:${port}`);
    const upstream = connect(Number(port), '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requested,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
