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

/**
 * A kwok node shaped like a cloud's: its labels (a GPU pool's), extra
 * capacity (`nvidia.com/gpu` as the device plugin reports it) and taints.
 */
export interface KwokNodeShape {
  /** Added to the `kwok-` prefix the image check relies on. */
  name: string;
  labels?: Record<string, string>;
  capacity?: Record<string, string>;
  taints?: Array<{
    key: string;
    value?: string;
    effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  }>;
}

/** A Node object kwok takes over (by its label): big enough for any test, no GPUs unless shaped. */
export function kwokNode(name: string, shape?: Omit<KwokNodeShape, 'name'>): object {
  const capacity = {
    cpu: '32',
    memory: '256Gi',
    pods: '110',
    'ephemeral-storage': '1Ti',
    ...shape?.capacity,
  };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'node.kubernetes.io/instance-type': 'kwok',
        'topology.kubernetes.io/zone': 'local-a',
        ...shape?.labels,
        // The ones the helper relies on win over the shape's.
        [KWOK_NODE_LABEL]: 'kwok',
        'kubernetes.io/hostname': name,
      },
      annotations: { 'kwok.x-k8s.io/node': 'fake' },
    },
    ...(shape?.taints?.length ? { spec: { taints: shape.taints } } : {}),
    status: {
      capacity,
      allocatable: capacity,
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
