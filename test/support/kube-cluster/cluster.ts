import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ClusterApi } from './api.ts';
import { HttpApi } from './http-api.ts';
import { generateServingCertificates } from './tls.ts';
import { EventRecorder } from './controllers/events.ts';
import { reconcileDeployments } from './controllers/deployments.ts';
import { reconcileReplicaSets } from './controllers/replicasets.ts';
import { reconcileEndpoints } from './controllers/endpoints.ts';
import { isTerminating, nameOf, namespaceOf } from './controllers/owners.ts';
import { SimulatedPods } from './pods/simulated.ts';
import {
  nodeLabels,
  nodeObject,
  schedulingProblem,
  unschedulableStatus,
  NODE_NAME,
  type PodRuntime,
} from './pods/pod-status.ts';
import { annotation, UNSCHEDULABLE } from './pods/annotations.ts';
import { forward, resolveProxyTarget } from './service-proxy.ts';
import { ApiError, badRequest } from './status.ts';
import type { JsonObject } from './schema.ts';

/**
 * The test double cluster in one process: the API over HTTPS, the controllers
 * (deployments, replicasets, endpoints, garbage collector), a scheduler for its
 * one node, and a kubelet (simulated, or real podman containers).
 */
export interface ClusterOptions {
  port?: number;
  pods?: 'simulated' | 'real';
  registryHosts?: string[];
  /** Name prefix for podman containers (real mode); must start with md-test-. */
  containerPrefix?: string;
  token?: string;
  /** Controller pass interval in ms (time-driven changes: readiness delays, deadlines, back-off). */
  resyncMs?: number;
  /** API groups to leave out, as a cluster without those CRDs (e.g. gateway.networking.k8s.io). */
  absentGroups?: string[];
}

export class TestDoubleCluster {
  readonly api = new ClusterApi();
  readonly events = new EventRecorder(this.api);
  readonly token: string;
  readonly options: ClusterOptions;
  private server?: Server;
  private http?: HttpApi;
  private runtime!: PodRuntime;
  private readonly backends = new Map<string, string>();
  private timer?: NodeJS.Timeout;
  private pending?: NodeJS.Timeout;
  private running = false;
  private again = false;
  private stopped = false;
  private nextPodIp = 2;
  private readonly knownPods = new Set<string>();
  caPem = '';
  url = '';

  constructor(options: ClusterOptions = {}) {
    this.options = options;
    this.token = options.token ?? randomBytes(32).toString('hex');
  }

  async start(): Promise<void> {
    const certs = await generateServingCertificates();
    this.caPem = certs.caPem;
    this.api.create(this.api.type('', 'Node'), undefined, nodeObject(), { manager: 'kubelet' });
    const runtimeOptions = {
      api: this.api,
      events: this.events,
      registryHosts: this.options.registryHosts ?? [],
      allocateIp: () => this.allocatePodIp(),
      wake: () => this.schedule(),
    };
    if (this.options.pods === 'real') {
      const { PodmanPods } = await import('./pods/podman.ts');
      this.runtime = new PodmanPods({
        ...runtimeOptions,
        containerPrefix:
          this.options.containerPrefix ?? `md-test-${randomBytes(4).toString('hex')}`,
      });
    } else {
      this.runtime = new SimulatedPods(runtimeOptions);
    }
    this.http = new HttpApi(this.api, this.token, {
      serverAddress: () => this.url.replace(/^https:\/\//, ''),
      absentGroups: new Set(this.options.absentGroups ?? []),
      proxy: async (kind, namespace, nameAndPort, path, req, res) => {
        const target = resolveProxyTarget(
          this.api,
          {
            forService: (ns, service, servicePort, pod, podPort) =>
              this.backends.get(`${ns}/${nameOf(service)}/${String(servicePort.port)}`) ??
              this.runtime.endpointFor(pod, podPort),
            forPod: (pod, port) => this.runtime.endpointFor(pod, port),
          },
          kind,
          namespace,
          nameAndPort,
        );
        await forward(target, path, req, res);
      },
      podLogs: async (namespace, name, container, tail) => {
        const pod = this.api.get(this.api.type('', 'Pod'), namespace, name);
        return this.runtime.logs(pod, container, tail);
      },
      admin: async (path, body) => {
        if (path === 'v1/service-backends') {
          const b = (body ?? {}) as {
            namespace?: string;
            service?: string;
            port?: number;
            target?: string;
          };
          if (!b.namespace || !b.service || typeof b.port !== 'number' || !b.target) {
            throw badRequest('namespace, service, port and target are required');
          }
          this.registerServiceBackend(b.namespace, b.service, b.port, b.target);
          return { registered: `${b.namespace}/${b.service}:${b.port}`, target: b.target };
        }
        throw new ApiError(404, 'NotFound', `no test-double endpoint ${path}`);
      },
    });
    this.server = createServer({ cert: certs.certPem, key: certs.keyPem }, this.http.handle);
    this.server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    this.url = `https://127.0.0.1:${address.port}`;
    this.api.store.subscribe(() => this.schedule());
    this.timer = setInterval(() => this.schedule(), this.options.resyncMs ?? 100);
    this.timer.unref();
  }

  registerServiceBackend(namespace: string, service: string, port: number, target: string): void {
    const url = new URL(target);
    if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') {
      throw badRequest(`service backends must listen on 127.0.0.1 (got ${target})`);
    }
    this.backends.set(`${namespace}/${service}/${port}`, target.replace(/\/+$/, ''));
  }

  private allocatePodIp(): string {
    const n = this.nextPodIp++;
    return `10.244.${Math.floor(n / 250)}.${(n % 250) + 1}`;
  }

  /** Runs a controller pass soon; passes never overlap and a change during one triggers another. */
  private schedule(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.reconcile();
    }, 5);
  }

  private reconcile(): void {
    if (this.stopped) return;
    this.running = true;
    try {
      for (let pass = 0; pass < 5; pass++) {
        this.again = false;
        this.api.collectGarbage();
        reconcileDeployments(this.api, this.events);
        reconcileReplicaSets(this.api, this.events);
        this.syncPods();
        reconcileEndpoints(this.api);
        if (!this.again) break;
      }
    } catch (err) {
      process.stderr.write(
        `test-double cluster: controller pass failed: ${(err as Error).stack ?? String(err)}\n`,
      );
    } finally {
      this.running = false;
    }
  }

  private syncPods(): void {
    const podType = this.api.type('', 'Pod');
    const live = new Set<string>();
    for (const pod of this.api.scan(podType, undefined)) {
      const meta = pod.metadata as JsonObject;
      live.add(String(meta.uid));
      if (isTerminating(pod)) continue;
      const spec = pod.spec as JsonObject;
      let current: JsonObject | undefined = pod;
      if (!spec.nodeName) {
        const problem = schedulingProblem(pod, nodeLabels(), annotation(pod, UNSCHEDULABLE));
        if (problem) {
          if (!this.knownPods.has(`unschedulable:${String(meta.uid)}`)) {
            this.knownPods.add(`unschedulable:${String(meta.uid)}`);
            this.events.record(pod, 'Warning', 'FailedScheduling', problem, 'default-scheduler');
          }
          this.api.writeStatus(
            podType,
            namespaceOf(pod),
            nameOf(pod),
            unschedulableStatus(pod, problem),
            'kube-scheduler',
          );
          continue;
        }
        current = this.api.mutate(
          podType,
          namespaceOf(pod),
          nameOf(pod),
          (o) => {
            (o.spec as JsonObject).nodeName = NODE_NAME;
          },
          { manager: 'kube-scheduler' },
        );
        if (!current) continue;
        this.events.record(
          current,
          'Normal',
          'Scheduled',
          `Successfully assigned ${namespaceOf(pod)}/${nameOf(pod)} to ${NODE_NAME}`,
          'default-scheduler',
        );
      }
      this.knownPods.add(String(meta.uid));
      const status = this.runtime.sync(current);
      if (status) {
        this.api.writeStatus(podType, namespaceOf(pod), nameOf(pod), status, 'kubelet');
      }
    }
    for (const uid of [...this.knownPods]) {
      if (uid.startsWith('unschedulable:')) continue;
      if (!live.has(uid)) {
        this.knownPods.delete(uid);
        this.runtime.forget(uid);
      }
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.pending) clearTimeout(this.pending);
    this.http?.closeWatches();
    if (this.server) {
      this.server.closeAllConnections();
      await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    }
    await this.runtime?.stop();
  }
}
