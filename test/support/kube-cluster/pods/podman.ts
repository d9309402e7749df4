import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { now, type ClusterApi } from '../api.ts';
import type { JsonObject } from '../schema.ts';
import type { EventRecorder } from '../controllers/events.ts';
import { podman, registryPullArgs } from '../../podman.ts';
import { freePort } from '../../processes.ts';
import { parseImageReference } from '../../kube/image-reference.ts';
import { credentialsFromPullSecrets } from '../../kube/image-lookup.ts';
import { scheduledStatus, type ContainerReport, type PodRuntime } from './pod-status.ts';

/**
 * The real kubelet mode: each container of a pod is a rootful podman
 * container (runc, see test/support/containers.conf) pulled from the local
 * registry, with the pod's command, args and env, and each containerPort
 * published on a free 127.0.0.1 port. Readiness comes from the readinessProbe
 * (httpGet or tcpSocket) against that port; an exit becomes CrashLoopBackOff
 * with the exit code and the log tail in lastState.terminated, and the
 * container is started again after a short back-off (1 s doubling to 5 s).
 */
interface RealContainer {
  name: string;
  containerName: string;
  image: string;
  hostPorts: Map<number, number>;
  phase: 'pulling' | 'pull-failed' | 'running' | 'backoff';
  pullError?: string;
  pullFailedSince?: number;
  startedAt?: string;
  ready: boolean;
  restartCount: number;
  lastTerminated?: JsonObject;
  backoffUntil?: number;
  /** The last `podman run` failed: create the container again after back-off. */
  needsCreate?: boolean;
  imageID: string;
  containerID?: string;
}

interface RealPod {
  uid: string;
  podIP: string;
  startTime: string;
  containers: Map<string, RealContainer>;
  stopped: boolean;
  loop?: Promise<void>;
}

const POLL_MS = 300;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class PodmanPods implements PodRuntime {
  private readonly pods = new Map<string, RealPod>();
  private readonly api: ClusterApi;
  private readonly events: EventRecorder;
  private readonly registryHosts: string[];
  private readonly allocateIp: () => string;
  private readonly wake: () => void;
  private readonly prefix: string;

  constructor(options: {
    api: ClusterApi;
    events: EventRecorder;
    registryHosts: string[];
    allocateIp: () => string;
    wake: () => void;
    containerPrefix: string;
  }) {
    this.api = options.api;
    this.events = options.events;
    this.registryHosts = options.registryHosts;
    this.allocateIp = options.allocateIp;
    this.wake = options.wake;
    this.prefix = options.containerPrefix;
  }

  sync(pod: JsonObject): JsonObject | undefined {
    const meta = pod.metadata as JsonObject;
    const uid = String(meta.uid);
    let real = this.pods.get(uid);
    if (!real) {
      real = {
        uid,
        podIP: this.allocateIp(),
        startTime: now(),
        containers: new Map(),
        stopped: false,
      };
      this.pods.set(uid, real);
      const p = real;
      p.loop = this.run(pod, p).catch((err: unknown) => {
        process.stderr.write(
          `test-double cluster: pod ${String(meta.name)}: ${(err as Error).message}\n`,
        );
      });
    }
    const reports: ContainerReport[] = [];
    for (const c of ((pod.spec as JsonObject).containers ?? []) as JsonObject[]) {
      const rc = real.containers.get(String(c.name));
      const report: ContainerReport = {
        name: String(c.name),
        image: String(c.image),
        imageID: rc?.imageID ?? '',
        ...(rc?.containerID ? { containerID: `podman://${rc.containerID}` } : {}),
        state: { waiting: { reason: 'ContainerCreating' } },
        lastState: rc?.lastTerminated ? { terminated: rc.lastTerminated } : {},
        ready: rc?.ready ?? false,
        started: rc?.phase === 'running',
        restartCount: rc?.restartCount ?? 0,
      };
      if (rc?.phase === 'pull-failed') {
        report.state =
          Date.now() - (rc.pullFailedSince ?? 0) < 1000
            ? { waiting: { reason: 'ErrImagePull', message: rc.pullError } }
            : {
                waiting: {
                  reason: 'ImagePullBackOff',
                  message: `Back-off pulling image "${rc.image}"`,
                },
              };
      } else if (rc?.phase === 'running') {
        report.state = { running: { startedAt: rc.startedAt } };
      } else if (rc?.phase === 'backoff') {
        const seconds = Math.min(10 * 2 ** Math.max(0, rc.restartCount - 1), 300);
        report.state = {
          waiting: {
            reason: 'CrashLoopBackOff',
            message: `back-off ${seconds}s restarting failed container=${rc.name} pod=${String(meta.name)}_${String(meta.namespace)}(${uid})`,
          },
        };
      }
      reports.push(report);
    }
    return scheduledStatus(pod, real.podIP, real.startTime, reports);
  }

  private async pull(pod: JsonObject, image: string): Promise<void> {
    const ref = parseImageReference(image);
    const namespace = String((pod.metadata as JsonObject).namespace);
    const secrets = (((pod.spec as JsonObject).imagePullSecrets ?? []) as JsonObject[])
      .map((s) => this.api.tryGet(this.api.type('', 'Secret'), namespace, String(s.name)))
      .filter((s): s is JsonObject => s !== undefined);
    const creds = credentialsFromPullSecrets(secrets, ref.host);
    const pullArgs = this.registryHosts.includes(ref.host)
      ? registryPullArgs({ host: ref.host, username: creds?.username, password: creds?.password })
      : { args: [] as string[], cleanup: () => undefined };
    try {
      await podman(['pull', '--quiet', ...pullArgs.args, image]);
    } finally {
      pullArgs.cleanup();
    }
  }

  private envFile(pod: JsonObject, container: JsonObject, real: RealPod): string {
    const namespace = String((pod.metadata as JsonObject).namespace);
    const env: string[] = [];
    const fromSource = (kind: 'ConfigMap' | 'Secret', name: string): Record<string, string> => {
      const obj = this.api.tryGet(this.api.type('', kind), namespace, name);
      const data = (obj?.data ?? {}) as Record<string, string>;
      return kind === 'Secret'
        ? Object.fromEntries(
            Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
          )
        : data;
    };
    for (const source of (container.envFrom ?? []) as JsonObject[]) {
      const cm = source.configMapRef as JsonObject | undefined;
      const secret = source.secretRef as JsonObject | undefined;
      const values = cm
        ? fromSource('ConfigMap', String(cm.name))
        : secret
          ? fromSource('Secret', String(secret.name))
          : {};
      for (const [k, v] of Object.entries(values))
        env.push(`${String(source.prefix ?? '')}${k}=${v}`);
    }
    for (const e of (container.env ?? []) as JsonObject[]) {
      let value = e.value === undefined ? '' : String(e.value);
      const from = e.valueFrom as JsonObject | undefined;
      if (from?.configMapKeyRef) {
        const r = from.configMapKeyRef as JsonObject;
        value = fromSource('ConfigMap', String(r.name))[String(r.key)] ?? '';
      } else if (from?.secretKeyRef) {
        const r = from.secretKeyRef as JsonObject;
        value = fromSource('Secret', String(r.name))[String(r.key)] ?? '';
      } else if (from?.fieldRef) {
        const path = String((from.fieldRef as JsonObject).fieldPath);
        const meta = pod.metadata as JsonObject;
        value =
          path === 'metadata.name'
            ? String(meta.name)
            : path === 'metadata.namespace'
              ? namespace
              : path === 'status.podIP'
                ? real.podIP
                : '';
      }
      env.push(`${String(e.name)}=${value.replace(/\n/g, ' ')}`);
    }
    const dir = mkdtempSync(join(tmpdir(), 'test-double-env-'));
    const file = join(dir, 'env');
    writeFileSync(file, `${env.join('\n')}\n`, { mode: 0o600 });
    return file;
  }

  private async run(pod: JsonObject, real: RealPod): Promise<void> {
    const meta = pod.metadata as JsonObject;
    const containers = ((pod.spec as JsonObject).containers ?? []) as JsonObject[];
    for (const c of containers) {
      const name = String(c.name);
      const rc: RealContainer = {
        name,
        containerName:
          `${this.prefix}-${String(meta.namespace)}-${String(meta.name)}-${name}`.slice(0, 200),
        image: String(c.image),
        hostPorts: new Map(),
        phase: 'pulling',
        ready: false,
        restartCount: 0,
        imageID: '',
      };
      real.containers.set(name, rc);
    }
    // Pull and start each container.
    for (const c of containers) {
      const rc = real.containers.get(String(c.name))!;
      this.events.record(pod, 'Normal', 'Pulling', `Pulling image "${rc.image}"`, 'kubelet');
      for (;;) {
        if (real.stopped) return;
        try {
          await this.pull(pod, rc.image);
          break;
        } catch (err) {
          const message = `rpc error: code = Unknown desc = failed to pull and unpack image "${rc.image}": ${(err as Error).message.split('\n').slice(-3).join(' ').trim()}`;
          if (rc.phase !== 'pull-failed') {
            rc.pullFailedSince = Date.now();
            this.events.record(
              pod,
              'Warning',
              'Failed',
              `Failed to pull image "${rc.image}": ${message}`,
              'kubelet',
            );
          }
          rc.phase = 'pull-failed';
          rc.pullError = message;
          this.wake();
          await sleep(3000);
        }
      }
      this.events.record(
        pod,
        'Normal',
        'Pulled',
        `Successfully pulled image "${rc.image}"`,
        'kubelet',
      );
      for (const p of (c.ports ?? []) as JsonObject[])
        rc.hostPorts.set(Number(p.containerPort), await freePort());
      await this.createContainer(pod, c, rc, real);
    }
    // Watch state and readiness.
    while (!real.stopped) {
      for (const c of containers) {
        if (real.stopped) return;
        const rc = real.containers.get(String(c.name))!;
        await this.observe(pod, c, rc, real);
      }
      await sleep(POLL_MS);
    }
  }

  /**
   * `podman run`. A container that cannot start (no such executable, bad
   * working directory) is reported like the kubelet's StartError: terminated
   * with exit code 128 and the runtime's message, then retried after back-off.
   */
  private async createContainer(
    pod: JsonObject,
    c: JsonObject,
    rc: RealContainer,
    real: RealPod,
  ): Promise<void> {
    const envFile = this.envFile(pod, c, real);
    const command = (c.command ?? []) as string[];
    const args = (c.args ?? []) as string[];
    const startedAt = now();
    try {
      const { stdout } = await podman([
        'run',
        '--detach',
        '--name',
        rc.containerName,
        '--label',
        `io.kubernetes.pod.uid=${real.uid}`,
        '--env-file',
        envFile,
        ...[...rc.hostPorts].flatMap(([cp, hp]) => ['--publish', `127.0.0.1:${hp}:${cp}`]),
        ...(command.length ? ['--entrypoint', JSON.stringify(command)] : []),
        ...(c.workingDir ? ['--workdir', String(c.workingDir)] : []),
        rc.image,
        ...args,
      ]);
      rc.containerID = stdout.trim();
      rc.needsCreate = false;
      rc.phase = 'running';
      rc.startedAt = startedAt;
      this.events.record(pod, 'Normal', 'Created', `Created container: ${rc.name}`, 'kubelet');
      this.events.record(pod, 'Normal', 'Started', `Started container ${rc.name}`, 'kubelet');
    } catch (err) {
      await podman(['rm', '--force', '--ignore', rc.containerName]).catch(() => undefined);
      const message = (err as Error).message.replace(/\s+/g, ' ').trim();
      rc.lastTerminated = {
        exitCode: 128,
        reason: 'StartError',
        message,
        startedAt,
        finishedAt: now(),
      };
      rc.restartCount++;
      rc.ready = false;
      rc.needsCreate = true;
      rc.phase = 'backoff';
      rc.backoffUntil = Date.now() + Math.min(1000 * 2 ** (rc.restartCount - 1), 5000);
      this.events.record(
        pod,
        'Warning',
        'Failed',
        `Error: failed to start container "${rc.name}": ${message}`,
        'kubelet',
      );
    } finally {
      rmSync(join(envFile, '..'), { recursive: true, force: true });
    }
    this.wake();
  }

  private async observe(
    pod: JsonObject,
    c: JsonObject,
    rc: RealContainer,
    real: RealPod,
  ): Promise<void> {
    const meta = pod.metadata as JsonObject;
    if (rc.phase === 'backoff') {
      if (Date.now() < (rc.backoffUntil ?? 0)) return;
      if (rc.needsCreate) {
        await this.createContainer(pod, c, rc, real);
        return;
      }
      await podman(['start', rc.containerName]).catch(() => undefined);
      rc.phase = 'running';
      rc.startedAt = now();
      this.wake();
      return;
    }
    let state: {
      Running?: boolean;
      ExitCode?: number;
      OOMKilled?: boolean;
      StartedAt?: string;
      FinishedAt?: string;
      Status?: string;
    } = {};
    try {
      const { stdout } = await podman(['inspect', '--format', '{{json .State}}', rc.containerName]);
      state = JSON.parse(stdout) as typeof state;
    } catch {
      return;
    }
    if (real.stopped) return;
    if (state.Running) {
      const ready = await this.probe(c, rc);
      if (ready !== rc.ready) {
        rc.ready = ready;
        this.wake();
      }
      return;
    }
    let tail = '';
    try {
      const { stdout, stderr } = await podman(['logs', '--tail', '20', rc.containerName]);
      tail = (stdout + stderr).trim();
    } catch {
      // no logs
    }
    const exitCode = state.ExitCode ?? 1;
    rc.lastTerminated = {
      exitCode,
      reason: state.OOMKilled ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error',
      ...(tail ? { message: tail.slice(-2000) } : {}),
      startedAt: rc.startedAt,
      finishedAt: now(),
      containerID: `podman://${rc.containerID ?? ''}`,
    };
    rc.restartCount++;
    rc.ready = false;
    rc.phase = 'backoff';
    rc.backoffUntil = Date.now() + Math.min(1000 * 2 ** (rc.restartCount - 1), 5000);
    this.events.record(
      pod,
      'Warning',
      'BackOff',
      `Back-off restarting failed container ${rc.name} in pod ${String(meta.name)}_${String(meta.namespace)}(${real.uid})`,
      'kubelet',
    );
    this.wake();
  }

  private async probe(c: JsonObject, rc: RealContainer): Promise<boolean> {
    const probe = c.readinessProbe as JsonObject | undefined;
    if (!probe) return true;
    const initialDelay = Number(probe.initialDelaySeconds ?? 0) * 1000;
    if (Date.now() - Date.parse(String(rc.startedAt)) < initialDelay) return false;
    const portOf = (value: unknown) => {
      if (typeof value === 'number') return rc.hostPorts.get(value);
      for (const p of (c.ports ?? []) as JsonObject[])
        if (p.name === value) return rc.hostPorts.get(Number(p.containerPort));
      return undefined;
    };
    const timeout = Number(probe.timeoutSeconds ?? 1) * 1000;
    const http = probe.httpGet as JsonObject | undefined;
    if (http) {
      const hostPort = portOf(http.port);
      if (!hostPort) return false;
      try {
        const res = await fetch(`http://127.0.0.1:${hostPort}${String(http.path ?? '/')}`, {
          signal: AbortSignal.timeout(timeout),
        });
        await res.arrayBuffer();
        return res.status >= 200 && res.status < 400;
      } catch {
        return false;
      }
    }
    const tcp = probe.tcpSocket as JsonObject | undefined;
    if (tcp) {
      const hostPort = portOf(tcp.port);
      if (!hostPort) return false;
      return new Promise((resolve) => {
        const socket = connect(hostPort, '127.0.0.1');
        socket.setTimeout(timeout, () => {
          socket.destroy();
          resolve(false);
        });
        socket.once('connect', () => {
          socket.end();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      });
    }
    return true;
  }

  forget(uid: string): void {
    const real = this.pods.get(uid);
    if (!real) return;
    real.stopped = true;
    this.pods.delete(uid);
    const names = [...real.containers.values()].map((c) => c.containerName);
    void real.loop?.finally(() =>
      podman(['rm', '--force', '--ignore', '--time', '1', ...names]).catch(() => undefined),
    );
  }

  endpointFor(pod: JsonObject, containerPort: number): string | undefined {
    const real = this.pods.get(String((pod.metadata as JsonObject).uid));
    for (const rc of real?.containers.values() ?? []) {
      const hostPort = rc.hostPorts.get(containerPort);
      if (hostPort && rc.phase === 'running') return `http://127.0.0.1:${hostPort}`;
    }
    return undefined;
  }

  async logs(
    pod: JsonObject,
    container: string | undefined,
    tailLines: number | undefined,
  ): Promise<string> {
    const real = this.pods.get(String((pod.metadata as JsonObject).uid));
    const rc = container ? real?.containers.get(container) : real?.containers.values().next().value;
    if (!rc) return '';
    const { stdout, stderr } = await podman([
      'logs',
      ...(tailLines ? ['--tail', String(tailLines)] : []),
      rc.containerName,
    ]);
    return stdout + stderr;
  }

  async stop(): Promise<void> {
    for (const real of this.pods.values()) real.stopped = true;
    await Promise.all([...this.pods.values()].map((p) => p.loop));
    this.pods.clear();
    const { stdout } = await podman([
      'ps',
      '--all',
      '--filter',
      `name=^${this.prefix}-`,
      '--format',
      '{{.Names}}',
    ]);
    const names = stdout
      .split('\n')
      .map((n) => n.trim())
      .filter((n) => n.startsWith(`${this.prefix}-`));
    if (names.length) await podman(['rm', '--force', '--ignore', '--time', '1', ...names]);
  }
}
