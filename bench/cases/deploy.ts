import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { parseResources } from '../../shared/kube/resources.ts';
import { renderServing } from '../../shared/kube/manifests.ts';
import { cloudProfile } from '../../shared/kube/profiles.ts';
import { runtimeServing } from '../../shared/model/runtimes/serving.ts';
import { pushBusyboxImage } from '../../test/support/images.ts';
import { startCluster } from '../../test/support/kube/cluster.ts';
import { startRegistry } from '../../test/support/registry.ts';
import { runActionBundle } from '../action-process.ts';
import { measureOk, type Measured } from '../measure.ts';
import { alternate, notMeasured, pairedRatio, SubjectRuns, type CaseResult } from '../results.ts';

const NAMESPACE = 'bench';
const REPLICAS = 2;
const PORT = 8080;

/**
 * The manifests the deploy action renders for these inputs (the same
 * renderServing call with the same spec), written for kubectl under another
 * release name so the two never share objects or field managers.
 */
function manifestsFor(release: string, image: string, iteration: number): string {
  const runtime = { ...runtimeServing('custom', release), port: PORT };
  const objects = renderServing({
    name: release,
    namespace: NAMESPACE,
    image,
    runtime,
    replicas: REPLICAS,
    resources: parseResources(undefined),
    env: {},
    podAnnotations: { 'bench/iteration': String(iteration) },
    expose: { mode: 'cluster-ip' },
    profile: cloudProfile('none'),
    progressDeadlineSeconds: 120,
  });
  return objects.map((o) => stringify(o)).join('---\n');
}

/**
 * A rollout's time swings by half from run to run with the controllers' timing
 * (when the ReplicaSet controller and kwok delete the old pods, when the
 * endpoint controllers catch up), for both tools; an iteration takes about
 * 4 s, so this case always takes at least this many.
 */
const MIN_RUNS = 15;

export async function deployCase(requestedRuns: number): Promise<CaseResult> {
  const runs = Math.max(requestedRuns, MIN_RUNS);
  const id = 'deploy';
  const title = 'deploy + rollout (2 replicas, upstream control plane, kwok pods)';
  const registry = await startRegistry();
  const work = mkdtempSync(join(tmpdir(), 'md-bench-deploy-'));
  try {
    const image = await pushBusyboxImage(registry, 'models/echo', 'v1', {
      cmd: ['httpd', '-f', '-p', String(PORT), '-h', '/'],
      exposedPorts: [`${PORT}/tcp`],
    });
    // kwok's simulated pods: the image check looks the image up in the registry, then they are
    // Running and Ready at once, so the timing is the tools' and the control plane's, not a pull's.
    const cluster = await startCluster({ pods: 'simulated', registryHosts: [registry.host] });
    // The peer is the kubectl built with the cluster (same version as the API server).
    const KUBECTL = cluster.binaries.kubectl;
    try {
      const deploy = (iteration: number) =>
        runActionBundle('deploy', {
          cluster: `kubeconfig:${cluster.kubeconfigPath}`,
          namespace: NAMESPACE,
          name: 'bench-md',
          image: image.digestRef,
          runtime: 'custom',
          port: String(PORT),
          replicas: String(REPLICAS),
          'pod-annotations': `bench/iteration=${iteration}`,
          timeout: '2m',
        });
      const probe = await deploy(-1);
      if (probe.exitCode !== 0) {
        return notMeasured(id, title, `the deploy action failed: ${probe.failure}`);
      }
      const kubectl = async (iteration: number): Promise<Measured> => {
        const file = join(work, `manifests-${iteration}.yaml`);
        writeFileSync(file, manifestsFor('bench-kc', image.digestRef, iteration));
        const base = ['--kubeconfig', cluster.kubeconfigPath, '-n', NAMESPACE];
        const apply = await measureOk('kubectl apply', KUBECTL, [
          ...base,
          'apply',
          '--server-side',
          '--field-manager',
          'bench',
          '-f',
          file,
        ]);
        const status = await measureOk('kubectl rollout status', KUBECTL, [
          ...base,
          'rollout',
          'status',
          'deployment/bench-kc',
          '--timeout',
          '2m',
        ]);
        return {
          ...status,
          wallMs: apply.wallMs + status.wallMs,
          peakRssKb: Math.max(apply.peakRssKb ?? 0, status.peakRssKb ?? 0),
        };
      };
      const ours = new SubjectRuns('node dist/deploy/index.js (apply, prune, watch, record)');
      const peer = new SubjectRuns('kubectl apply --server-side + kubectl rollout status');
      await alternate(runs, [
        async (i) => {
          const m = await deploy(i);
          if (m.exitCode !== 0) throw new Error(`the deploy action failed: ${m.failure}`);
          if (m.outputs.status !== 'deployed') {
            throw new Error(`deploy reported '${m.outputs.status}', expected a new rollout`);
          }
          if (i > 0) ours.add(m);
        },
        async (i) => {
          const m = await kubectl(i);
          if (i > 0) peer.add(m);
        },
      ]);
      const ratio = pairedRatio('model-deploy time ÷ kubectl time, per run', ours.wall, peer.wall);
      return {
        id,
        title,
        status: 'measured',
        runs,
        subjects: { 'model-deploy': ours.figures(), kubectl: peer.figures() },
        ratios: { 'vs kubectl': ratio },
        goals: [
          {
            text: 'deploy ≤ 1.2× kubectl’s time on the same cluster',
            value: `${ratio.summary.median.toFixed(2)}×`,
            met: ratio.summary.median <= 1.2,
          },
        ],
        notes: [
          'Every run changes a pod annotation, so both sides make a real rollout; the pods are kwok’s simulated pods (no container runs), Ready as soon as the registry lookup of their image answers, which leaves the tools’ own overhead and the control plane’s reconcile time.',
          'model-deploy does more than the peer: it takes the release lock, records the revision in its history, and ends only once the Service’s EndpointSlices list the new pods alone as ready; kubectl rollout status ends when the Deployment is complete, which can be before the Service has left the old pods.',
          `${runs} runs (never fewer than ${MIN_RUNS}, whatever --runs says): each tool's time swings by half from run to run with when the controllers delete the old pods and update the endpoints, so a median over five runs moved by a fifth between two runs of the bench on one machine.`,
          'The cluster is upstream Kubernetes v1.35.4 built from its Go modules (etcd, kube-apiserver, kube-controller-manager, kube-scheduler) with a kwok node; the peer is the kubectl of the same release.',
        ],
      };
    } finally {
      await cluster.stop();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
    await registry.stop();
  }
}
