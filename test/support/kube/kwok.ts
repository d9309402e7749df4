import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { moduleSources } from './build.ts';
import { KWOK } from './components.ts';

/** Label and name prefix of the kwok nodes (the image check and the tests select them by these). */
export const KWOK_NODE_LABEL = 'model-deploy.test/node';
export const KWOK_NODE_PREFIX = 'kwok-';

const podStages = fileURLToPath(new URL('./kwok-pod-stages.yaml', import.meta.url));

/**
 * kwok's configuration: its own node stages (initialize, heartbeat with a
 * Lease) and pod deletion, read from the pinned kwok module, then this
 * project's pod stages. Written to `dir`; returns the path.
 */
export async function writeKwokConfig(dir: string): Promise<string> {
  const kwokDir = (await moduleSources(KWOK.name, [KWOK.module])).get(KWOK.module)!;
  const upstream = [
    'kustomize/stage/node/fast/node-initialize.yaml',
    'kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml',
    'kustomize/stage/pod/fast/pod-delete.yaml',
  ].map((file) => readFileSync(join(kwokDir, file), 'utf8'));
  const path = join(dir, 'kwok.yaml');
  writeFileSync(path, [...upstream, readFileSync(podStages, 'utf8')].join('\n---\n'));
  return path;
}

/** A Node object kwok takes over (by its label): big enough for any test, no GPUs. */
export function kwokNode(name: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        [KWOK_NODE_LABEL]: 'kwok',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'node.kubernetes.io/instance-type': 'kwok',
        'topology.kubernetes.io/zone': 'local-a',
      },
      annotations: { 'kwok.x-k8s.io/node': 'fake' },
    },
    status: {
      capacity: { cpu: '32', memory: '256Gi', pods: '110', 'ephemeral-storage': '1Ti' },
      allocatable: { cpu: '32', memory: '256Gi', pods: '110', 'ephemeral-storage': '1Ti' },
      nodeInfo: {
        kubeletVersion: `kwok-${KWOK.version}`,
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}

/** Pod-template annotations the kwok stages read (kwok-pod-stages.yaml). */
export const READY_AFTER = 'stage.model-deploy.test/ready-after';
export const CRASH_LOOP = 'stage.model-deploy.test/crash-loop';
export const OOM_KILLED = 'stage.model-deploy.test/oom-killed';
