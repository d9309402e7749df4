import { connect, createServer, type Server, type Socket } from 'node:net';
import type { KubeApi, KubeJson } from './api-client.ts';
import type { ClusterSubnet } from './local-network.ts';

interface Registration {
  namespace: string;
  service: string;
  port: number;
  target: URL;
}

interface Listener {
  server: Server;
  /** host:port of the test's server that connections to this pod IP and port go to. */
  target: string;
  /** The connections it relays (both ends), ended when the target changes or the pod goes. */
  sockets: Set<Socket>;
  /** When the reconciles stopped wanting it (see LINGER_MS). */
  unwantedSince?: number;
}

/**
 * How long a listener outlives its pod (or its pod's place behind the
 * Service). A terminating pod serves on through its grace period while the
 * endpoints controller and the API server's proxy catch up; kwok deletes it
 * at once, and a relay that closed at that moment would cut requests the
 * proxy still sends there.
 */
const LINGER_MS = 2000;

/**
 * Test HTTP servers as the backends of simulated pods. The API server's
 * service proxy resolves a Service to a ready address of its Endpoints whose
 * pod still exists with that IP, and connects to podIP:targetPort; kwok's pod
 * IPs are local addresses of this machine (local-network.ts), so for every
 * simulated pod behind a registered Service this opens a listener on
 * podIP:targetPort that relays each connection to the test's server.
 *
 * kwok hands a freed pod IP to the next pod at once, so the same address can
 * belong to a canary pod of one test and a stable pod of the next within a
 * second. Each accepted connection therefore waits for a reconcile that
 * started after it came (the proxy chose the address from Endpoints that
 * existed before), and reads the Endpoints as the proxy does, checked against
 * the pods that exist now; a listener whose target changes ends the
 * connections it relayed (the API server keeps them alive and would reuse
 * them).
 *
 * A pod's listener opens as soon as the pod has its IP, not when the
 * Endpoints first list it as ready: every pod the Service selects gets one,
 * so a pod that turns ready finds its relay already listening (the proxy
 * would otherwise answer 503 for the moment between). Reconciles follow a
 * watch of the pods, with one every 200 ms as the fallback.
 */
export class ServiceBackends {
  private readonly registrations = new Map<string, Registration>();
  /** "ip:port" → listener. */
  private readonly listeners = new Map<string, Listener>();
  private readonly warned = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private api: KubeApi | undefined;
  private reconciling: Promise<void> | undefined;
  /** A change came while a reconcile ran: run another after it. */
  private dirty = false;
  private readonly watching = new AbortController();
  private watchStarted = false;
  private stopped = false;

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
    await this.fresh();
    this.timer ??= setInterval(() => void this.reconcile(), 200).unref();
    if (!this.watchStarted) {
      this.watchStarted = true;
      // Any pod change (an IP given, a pod gone) is followed at once.
      void api
        .listAndWatch(
          '/api/v1/pods',
          () => {
            if (this.reconciling) this.dirty = true;
            else void this.reconcile();
          },
          this.watching.signal,
        )
        .catch(() => undefined);
    }
  }

  private reconcile(): Promise<void> {
    this.reconciling ??= this.reconcileOnce()
      .catch((err: unknown) => {
        if (!this.stopped) process.stderr.write(`service backends: ${(err as Error).message}\n`);
      })
      .finally(() => {
        this.reconciling = undefined;
        if (this.dirty && !this.stopped) {
          this.dirty = false;
          void this.reconcile();
        }
      });
    return this.reconciling;
  }

  /** A reconcile that starts after this call (not one already under way). */
  private async fresh(): Promise<void> {
    await this.reconciling;
    await this.reconcile();
  }

  private async reconcileOnce(): Promise<void> {
    const api = this.api;
    if (!api) return;
    const wanted = new Map<string, string>();
    /** namespace → its pods that are not being deleted. */
    const podLists = new Map<string, KubeJson[]>();
    const livePods = async (namespace: string) => {
      const known = podLists.get(namespace);
      if (known) return known;
      const list = await api.get(`/api/v1/namespaces/${namespace}/pods`);
      const pods: KubeJson[] = ((list.items ?? []) as KubeJson[]).filter(
        (p: KubeJson) => !p.metadata.deletionTimestamp,
      );
      podLists.set(namespace, pods);
      return pods;
    };
    /** namespace → pod name → its IPs, as the proxy checks an address against its pod. */
    const podsOf = async (namespace: string) =>
      new Map<string, string[]>(
        (await livePods(namespace)).map((p: KubeJson) => [
          String(p.metadata.name),
          (p.status?.podIPs ?? []).map((ip: KubeJson) => String(ip.ip)),
        ]),
      );
    const want = (key: string, target: string, r: Registration) => {
      const other = wanted.get(key);
      if (other !== undefined && other !== target && !this.warned.has(key)) {
        // A pod answers the same whichever Service a request came through.
        this.warned.add(key);
        process.stderr.write(
          `service backends: pod ${key} is behind ${r.namespace}/${r.service}:${r.port} and another registered Service with a different backend (${other}); it relays to ${target}. Register one backend per set of pods.\n`,
        );
      }
      wanted.set(key, target);
    };
    for (const r of this.registrations.values()) {
      let svc: KubeJson;
      let endpoints: KubeJson;
      try {
        svc = await api.get(`/api/v1/namespaces/${r.namespace}/services/${r.service}`);
        endpoints = await api.get(`/api/v1/namespaces/${r.namespace}/endpoints/${r.service}`);
      } catch {
        continue; // not created yet, or gone
      }
      const servicePort = (svc.spec.ports ?? []).find((p: KubeJson) => p.port === r.port);
      if (!servicePort) continue;
      const target = `${r.target.hostname}:${r.target.port}`;
      // Every simulated pod the Service selects, from the moment it has an IP.
      const selector = Object.entries((svc.spec.selector ?? {}) as Record<string, string>);
      if (selector.length > 0) {
        for (const pod of await livePods(r.namespace)) {
          const labels = (pod.metadata.labels ?? {}) as Record<string, string>;
          if (!selector.every(([k, v]) => labels[k] === v)) continue;
          const port = podPort(pod, servicePort);
          if (port === undefined) continue;
          for (const { ip } of (pod.status?.podIPs ?? []) as Array<{ ip: string }>) {
            if (this.subnet.containsPodIp(String(ip))) want(`${ip}:${port}`, target, r);
          }
        }
      }
      const pods = await podsOf(r.namespace);
      for (const subset of endpoints.subsets ?? []) {
        const port = (subset.ports ?? []).find(
          (p: KubeJson) => (p.name ?? '') === (servicePort.name ?? ''),
        );
        if (!port?.port) continue;
        // Ready addresses only, each of a pod that still has that IP: what the proxy sends to.
        for (const address of subset.addresses ?? []) {
          const ip = String(address.ip);
          // Only simulated pods: real pods serve their own ports.
          if (!this.subnet.containsPodIp(ip)) continue;
          const ref = address.targetRef;
          if (ref?.kind !== 'Pod' || !pods.get(String(ref.name))?.includes(ip)) continue;
          want(`${ip}:${port.port}`, target, r);
        }
      }
    }
    if (this.stopped) return;
    for (const [key, target] of wanted) {
      const existing = this.listeners.get(key);
      if (existing) {
        if (existing.target !== target) {
          existing.target = target;
          endConnections(existing);
        }
        continue;
      }
      const [host, port] = splitHostPort(key);
      const listener: Listener = {
        server: createServer((socket) => void this.accept(key, socket)),
        target,
        sockets: new Set(),
      };
      await new Promise<void>((resolve, reject) => {
        listener.server.once('error', reject);
        listener.server.listen(port, host, () => resolve());
      });
      this.listeners.set(key, listener);
    }
    const now = Date.now();
    for (const [key, listener] of this.listeners) {
      if (wanted.has(key)) {
        listener.unwantedSince = undefined;
        continue;
      }
      listener.unwantedSince ??= now;
      if (now - listener.unwantedSince >= LINGER_MS) {
        this.listeners.delete(key);
        await close(listener);
      }
    }
  }

  /** Relays a connection to podIP:port to the backend of the pod that has that IP now. */
  private async accept(key: string, socket: Socket): Promise<void> {
    socket.pause();
    socket.on('error', () => socket.destroy());
    await this.fresh();
    const listener = this.listeners.get(key);
    if (!listener || socket.destroyed) {
      socket.destroy();
      return;
    }
    const [host, port] = splitHostPort(listener.target);
    const upstream = connect(port, host);
    const sockets = listener.sockets;
    sockets.add(socket);
    sockets.add(upstream);
    const end = () => {
      socket.destroy();
      upstream.destroy();
      sockets.delete(socket);
      sockets.delete(upstream);
    };
    socket.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    socket.pipe(upstream).pipe(socket);
    socket.resume();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.watching.abort();
    clearInterval(this.timer);
    this.registrations.clear();
    await this.reconciling;
    await Promise.all([...this.listeners.values()].map(close));
    this.listeners.clear();
  }
}

/** The pod's port a Service port sends to: a number, a named container port, or the Service's own. */
function podPort(pod: KubeJson, servicePort: KubeJson): number | undefined {
  const target = servicePort.targetPort ?? servicePort.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(String(target))) return Number(target);
  for (const container of pod.spec?.containers ?? []) {
    for (const p of container.ports ?? []) {
      if (p.name === target && (p.protocol ?? 'TCP') === 'TCP') return Number(p.containerPort);
    }
  }
  return undefined;
}

function splitHostPort(value: string): [string, number] {
  const i = value.lastIndexOf(':');
  return [value.slice(0, i), Number(value.slice(i + 1))];
}

function endConnections(listener: Listener): void {
  for (const socket of listener.sockets) socket.destroy();
  listener.sockets.clear();
}

/** Stops a listener; its connections end first (server.close alone would wait for them). */
function close(listener: Listener): Promise<void> {
  endConnections(listener);
  return new Promise((resolve) => listener.server.close(() => resolve()));
}
