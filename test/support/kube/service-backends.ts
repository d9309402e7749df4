import { connect, createServer, type Server, type Socket } from 'node:net';
import type { KubeApi, KubeJson } from './api-client.ts';
import type { ClusterSubnet } from './local-network.ts';

interface Registration {
  namespace: string;
  service: string;
  port: number;
  target: URL;
}

/**
 * Test HTTP servers as the backends of simulated pods. The API server's
 * service proxy resolves a Service to the pod IPs in its Endpoints and
 * connects to podIP:targetPort; kwok's pod IPs are local addresses of this
 * machine (local-network.ts), so for every simulated pod behind a registered
 * Service this opens a listener on podIP:targetPort that relays each
 * connection to the test's server. Pods that come and go (rollouts) are
 * followed by reconciling against the Service's EndpointSlices.
 */
export class ServiceBackends {
  private readonly registrations = new Map<string, Registration>();
  /** "ip:port" → listener. */
  private readonly listeners = new Map<string, { server: Server; target: string }>();
  private readonly sockets = new Set<Socket>();
  private readonly warned = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private api: KubeApi | undefined;
  private reconciling: Promise<void> | undefined;

  private readonly subnet: ClusterSubnet;

  constructor(subnet: ClusterSubnet) {
    this.subnet = subnet;
  }

  async register(
    api: KubeApi,
    namespace: string,
    service: string,
    port: number,
    target: string,
  ): Promise<void> {
    this.api = api;
    this.registrations.set(`${namespace}/${service}:${port}`, {
      namespace,
      service,
      port,
      target: new URL(target),
    });
    // Pods may already be there: relay to them before the first proxied request.
    await this.reconcile();
    this.timer ??= setInterval(() => void this.reconcile(), 200).unref();
  }

  private reconcile(): Promise<void> {
    this.reconciling ??= this.reconcileOnce()
      .catch((err: unknown) => {
        process.stderr.write(`service backends: ${(err as Error).message}\n`);
      })
      .finally(() => (this.reconciling = undefined));
    return this.reconciling;
  }

  private async reconcileOnce(): Promise<void> {
    const api = this.api;
    if (!api) return;
    const wanted = new Map<string, string>();
    for (const r of this.registrations.values()) {
      let svc: KubeJson;
      try {
        svc = await api.get(`/api/v1/namespaces/${r.namespace}/services/${r.service}`);
      } catch {
        continue; // not created yet
      }
      const servicePort = (svc.spec.ports ?? []).find((p: KubeJson) => p.port === r.port);
      if (!servicePort) continue;
      const slices = await api.get(
        `/apis/discovery.k8s.io/v1/namespaces/${r.namespace}/endpointslices?labelSelector=${encodeURIComponent(`kubernetes.io/service-name=${r.service}`)}`,
      );
      for (const slice of slices.items ?? []) {
        const port = (slice.ports ?? []).find(
          (p: KubeJson) => (p.name ?? '') === (servicePort.name ?? ''),
        );
        if (!port?.port) continue;
        for (const endpoint of slice.endpoints ?? []) {
          for (const address of endpoint.addresses ?? []) {
            // Only simulated pods: real pods serve their own ports.
            if (!this.subnet.containsPodIp(address)) continue;
            const key = `${address}:${port.port}`;
            const target = `${r.target.hostname}:${r.target.port}`;
            const other = wanted.get(key);
            if (other !== undefined && other !== target && !this.warned.has(key)) {
              // A pod answers the same whichever Service a request came through.
              this.warned.add(key);
              process.stderr.write(
                `service backends: pod ${key} is behind ${r.namespace}/${r.service}:${r.port} and another registered Service with a different backend (${other}); it relays to ${target}. Register one backend per set of pods.\n`,
              );
            }
            wanted.set(key, target);
          }
        }
      }
    }
    for (const [key, target] of wanted) {
      const existing = this.listeners.get(key);
      if (existing?.target === target) continue;
      if (existing) await close(existing.server);
      const [host, port] = splitHostPort(key);
      const server = createServer((socket) => this.relay(socket, target));
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
      this.listeners.set(key, { server, target });
    }
    for (const [key, listener] of this.listeners) {
      if (!wanted.has(key)) {
        this.listeners.delete(key);
        await close(listener.server);
      }
    }
  }

  private relay(socket: Socket, target: string): void {
    const [host, port] = splitHostPort(target);
    const upstream = connect(port, host);
    this.sockets.add(socket);
    this.sockets.add(upstream);
    const end = () => {
      socket.destroy();
      upstream.destroy();
      this.sockets.delete(socket);
      this.sockets.delete(upstream);
    };
    socket.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    socket.pipe(upstream).pipe(socket);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.registrations.clear();
    await this.reconciling;
    for (const s of this.sockets) s.destroy();
    await Promise.all([...this.listeners.values()].map((l) => close(l.server)));
    this.listeners.clear();
  }
}

function splitHostPort(value: string): [string, number] {
  const i = value.lastIndexOf(':');
  return [value.slice(0, i), Number(value.slice(i + 1))];
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
