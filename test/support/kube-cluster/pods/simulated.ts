import { randomBytes } from 'node:crypto';
import { now, type ClusterApi } from '../api.ts';
import type { JsonObject } from '../schema.ts';
import type { EventRecorder } from '../controllers/events.ts';
import { parseImageReference } from '../../kube/image-reference.ts';
import {
  credentialsFromPullSecrets,
  lookupImage,
  type LookupResult,
} from '../../kube/image-lookup.ts';
import { scheduledStatus, type ContainerReport, type PodRuntime } from './pod-status.ts';
import { annotation, parseDelay, CRASH_LOOP, OOM_KILLED, READY_AFTER } from './annotations.ts';

/**
 * The simulated kubelet: no process runs, but images are looked up in the
 * real local registry, and the container lifecycle (pull errors and back-off,
 * crash loops, OOM kills, slow readiness) follows what the kubelet reports.
 * Back-off delays are short (1 s doubling to 5 s) so tests stay quick.
 */
interface ImageState {
  result?: LookupResult;
  inFlight: boolean;
  checkedAt: number;
  failedSince?: number;
}

interface ContainerState {
  startedAt?: string;
  startedMs?: number;
  restartCount: number;
  lastTerminated?: JsonObject;
  backoffUntil?: number;
  containerID: string;
}

interface SimulatedPod {
  podIP: string;
  startTime: string;
  images: Map<string, ImageState>;
  containers: Map<string, ContainerState>;
  told: Set<string>;
}

const CRASH_AFTER_MS = 300;
const PULL_RETRY_MS = 3000;
const ERR_IMAGE_PULL_MS = 1000;

export class SimulatedPods implements PodRuntime {
  private readonly pods = new Map<string, SimulatedPod>();
  private readonly api: ClusterApi;
  private readonly events: EventRecorder;
  private readonly registryHosts: string[];
  private readonly allocateIp: () => string;
  private readonly wake: () => void;

  constructor(options: {
    api: ClusterApi;
    events: EventRecorder;
    registryHosts: string[];
    allocateIp: () => string;
    wake: () => void;
  }) {
    this.api = options.api;
    this.events = options.events;
    this.registryHosts = options.registryHosts;
    this.allocateIp = options.allocateIp;
    this.wake = options.wake;
  }

  private lookup(pod: JsonObject, image: string, state: ImageState): void {
    state.inFlight = true;
    const ref = parseImageReference(image);
    let result: Promise<LookupResult>;
    if (this.registryHosts.length === 0) {
      result = Promise.resolve({ found: true, digest: '' });
    } else if (!this.registryHosts.includes(ref.host)) {
      result = Promise.resolve({
        found: false,
        message: `rpc error: code = Unavailable desc = failed to pull and unpack image "${ref.full}": failed to resolve reference "${ref.full}": registry ${ref.host} is not reachable from this cluster (reachable registries: ${this.registryHosts.join(', ')})`,
      });
    } else {
      const namespace = String((pod.metadata as JsonObject).namespace);
      const secrets = (((pod.spec as JsonObject).imagePullSecrets ?? []) as JsonObject[])
        .map((s) => this.api.tryGet(this.api.type('', 'Secret'), namespace, String(s.name)))
        .filter((s): s is JsonObject => s !== undefined);
      result = lookupImage(ref, credentialsFromPullSecrets(secrets, ref.host));
    }
    void result.then((r) => {
      state.inFlight = false;
      state.checkedAt = Date.now();
      if (!r.found) state.failedSince ??= Date.now();
      else state.failedSince = undefined;
      state.result = r;
      this.wake();
    });
  }

  sync(pod: JsonObject): JsonObject | undefined {
    const meta = pod.metadata as JsonObject;
    const uid = String(meta.uid);
    let sim = this.pods.get(uid);
    if (!sim) {
      sim = {
        podIP: this.allocateIp(),
        startTime: now(),
        images: new Map(),
        containers: new Map(),
        told: new Set(),
      };
      this.pods.set(uid, sim);
    }
    const tell = (key: string, type: 'Normal' | 'Warning', reason: string, message: string) => {
      if (sim.told.has(key)) return;
      sim.told.add(key);
      this.events.record(pod, type, reason, message, 'kubelet');
    };
    const podName = String(meta.name);
    const readyAfter = parseDelay(annotation(pod, READY_AFTER));
    const crashCode = annotation(pod, CRASH_LOOP);
    const oom = annotation(pod, OOM_KILLED) === 'true';
    const reports: ContainerReport[] = [];
    const nowMs = Date.now();
    for (const c of ((pod.spec as JsonObject).containers ?? []) as JsonObject[]) {
      const name = String(c.name);
      const image = String(c.image);
      let img = sim.images.get(name);
      if (!img) {
        img = { inFlight: false, checkedAt: 0 };
        sim.images.set(name, img);
      }
      if (
        !img.inFlight &&
        (!img.result || (!img.result.found && nowMs - img.checkedAt > PULL_RETRY_MS))
      ) {
        this.lookup(pod, image, img);
      }
      let cs = sim.containers.get(name);
      if (!cs) {
        cs = { restartCount: 0, containerID: `containerd://${randomBytes(32).toString('hex')}` };
        sim.containers.set(name, cs);
      }
      const report: ContainerReport = {
        name,
        image,
        imageID: '',
        state: {},
        lastState: cs.lastTerminated ? { terminated: cs.lastTerminated } : {},
        ready: false,
        started: false,
        restartCount: cs.restartCount,
      };
      reports.push(report);
      if (!img.result || (!img.result.found && cs.startedAt === undefined)) {
        if (!img.result) {
          report.state = { waiting: { reason: 'ContainerCreating' } };
          continue;
        }
        const failed = img.result as { found: false; message: string };
        tell(`pulling:${name}`, 'Normal', 'Pulling', `Pulling image "${image}"`);
        if (nowMs - (img.failedSince ?? nowMs) < ERR_IMAGE_PULL_MS) {
          report.state = { waiting: { reason: 'ErrImagePull', message: failed.message } };
          tell(
            `failed:${name}`,
            'Warning',
            'Failed',
            `Failed to pull image "${image}": ${failed.message}`,
          );
          tell(`errimagepull:${name}`, 'Warning', 'Failed', 'Error: ErrImagePull');
        } else {
          report.state = {
            waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` },
          };
          tell(`backoff:${name}`, 'Normal', 'BackOff', `Back-off pulling image "${image}"`);
          tell(`imagepullbackoff:${name}`, 'Warning', 'Failed', 'Error: ImagePullBackOff');
        }
        continue;
      }
      const digest = img.result.found ? img.result.digest : '';
      const ref = parseImageReference(image);
      report.imageID = digest ? `${ref.host}/${ref.repository}@${digest}` : '';
      report.containerID = cs.containerID;
      if (
        cs.startedAt === undefined &&
        (cs.backoffUntil === undefined || nowMs >= cs.backoffUntil)
      ) {
        tell(`pulled:${name}`, 'Normal', 'Pulled', `Successfully pulled image "${image}"`);
        tell(
          `created:${name}:${cs.restartCount}`,
          'Normal',
          'Created',
          `Created container: ${name}`,
        );
        tell(
          `started:${name}:${cs.restartCount}`,
          'Normal',
          'Started',
          `Started container ${name}`,
        );
        cs.startedAt = now();
        cs.startedMs = nowMs;
        cs.backoffUntil = undefined;
      }
      const crashes = crashCode !== undefined || oom;
      if (
        cs.startedAt !== undefined &&
        crashes &&
        nowMs - (cs.startedMs ?? nowMs) >= CRASH_AFTER_MS
      ) {
        const exitCode = oom ? 137 : Number(crashCode) || 1;
        cs.lastTerminated = {
          exitCode,
          reason: oom ? 'OOMKilled' : 'Error',
          startedAt: cs.startedAt,
          finishedAt: now(),
          containerID: cs.containerID,
        };
        cs.restartCount++;
        const delay = Math.min(1000 * 2 ** (cs.restartCount - 1), 5000);
        cs.backoffUntil = nowMs + delay;
        cs.startedAt = undefined;
        cs.startedMs = undefined;
        this.events.record(
          pod,
          'Warning',
          'BackOff',
          `Back-off restarting failed container ${name} in pod ${podName}_${String(meta.namespace)}(${String(meta.uid)})`,
          'kubelet',
        );
      }
      report.restartCount = cs.restartCount;
      report.lastState = cs.lastTerminated ? { terminated: cs.lastTerminated } : {};
      if (cs.startedAt === undefined) {
        const seconds = Math.round(Math.min(10 * 2 ** Math.max(0, cs.restartCount - 1), 300));
        report.state = {
          waiting: {
            reason: 'CrashLoopBackOff',
            message: `back-off ${seconds}s restarting failed container=${name} pod=${podName}_${String(meta.namespace)}(${String(meta.uid)})`,
          },
        };
        continue;
      }
      report.state = { running: { startedAt: cs.startedAt } };
      report.started = true;
      report.ready = !crashes && nowMs - (cs.startedMs ?? nowMs) >= readyAfter;
    }
    return scheduledStatus(pod, sim.podIP, sim.startTime, reports);
  }

  forget(uid: string): void {
    this.pods.delete(uid);
  }

  endpointFor(): string | undefined {
    return undefined;
  }

  async logs(pod: JsonObject, container: string | undefined): Promise<string> {
    const sim = this.pods.get(String((pod.metadata as JsonObject).uid));
    const name =
      container ??
      String((((pod.spec as JsonObject).containers ?? []) as JsonObject[])[0]?.name ?? '');
    const cs = sim?.containers.get(name);
    if (!cs) return '';
    return `simulated container ${name}: ${cs.restartCount} restart(s)\n`;
  }

  async stop(): Promise<void> {
    this.pods.clear();
  }
}
