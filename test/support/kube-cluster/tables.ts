import type { ResourceType } from './resources.ts';
import type { JsonObject } from './schema.ts';

/**
 * Server-side printing (meta.k8s.io/v1 Table), which `kubectl get` asks for:
 * the columns kubectl shows for the kinds this project looks at, NAME and AGE for the rest.
 */
export function wantsTable(accept: string | undefined): boolean {
  return (accept ?? '').split(',')[0]?.includes('as=Table') ?? false;
}

function age(timestamp: unknown): string {
  if (typeof timestamp !== 'string') return '<unknown>';
  const seconds = Math.max(0, Math.floor((Date.now() - Date.parse(timestamp)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${seconds % 60 ? `${seconds % 60}s` : ''}`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}

type Column = [name: string, type: string, cell: (o: JsonObject) => unknown];

const s = (o: JsonObject) => (o.status ?? {}) as JsonObject;
const sp = (o: JsonObject) => (o.spec ?? {}) as JsonObject;

function podStatus(o: JsonObject): string {
  const meta = o.metadata as JsonObject;
  if (meta.deletionTimestamp) return 'Terminating';
  const statuses = (s(o).containerStatuses ?? []) as JsonObject[];
  for (const c of statuses) {
    const state = (c.state ?? {}) as JsonObject;
    const waiting = state.waiting as JsonObject | undefined;
    if (waiting?.reason) return String(waiting.reason);
    const terminated = state.terminated as JsonObject | undefined;
    if (terminated?.reason) return String(terminated.reason);
  }
  return String(s(o).phase ?? 'Pending');
}

const COLUMNS: Record<string, Column[]> = {
  Pod: [
    [
      'Ready',
      'string',
      (o) => {
        const statuses = (s(o).containerStatuses ?? []) as JsonObject[];
        const total = ((sp(o).containers ?? []) as unknown[]).length;
        return `${statuses.filter((c) => c.ready).length}/${total}`;
      },
    ],
    ['Status', 'string', podStatus],
    [
      'Restarts',
      'string',
      (o) =>
        String(
          ((s(o).containerStatuses ?? []) as JsonObject[]).reduce(
            (n, c) => n + Number(c.restartCount ?? 0),
            0,
          ),
        ),
    ],
  ],
  Deployment: [
    ['Ready', 'string', (o) => `${Number(s(o).readyReplicas ?? 0)}/${Number(sp(o).replicas ?? 0)}`],
    ['Up-to-date', 'integer', (o) => Number(s(o).updatedReplicas ?? 0)],
    ['Available', 'integer', (o) => Number(s(o).availableReplicas ?? 0)],
  ],
  ReplicaSet: [
    ['Desired', 'integer', (o) => Number(sp(o).replicas ?? 0)],
    ['Current', 'integer', (o) => Number(s(o).replicas ?? 0)],
    ['Ready', 'integer', (o) => Number(s(o).readyReplicas ?? 0)],
  ],
  Service: [
    ['Type', 'string', (o) => String(sp(o).type ?? 'ClusterIP')],
    ['Cluster-IP', 'string', (o) => String(sp(o).clusterIP ?? '<none>')],
    [
      'External-IP',
      'string',
      (o) => {
        const ingress = (
          ((s(o).loadBalancer as JsonObject | undefined)?.ingress ?? []) as JsonObject[]
        ).map((i) => i.ip ?? i.hostname);
        return ingress.length
          ? ingress.join(',')
          : sp(o).type === 'LoadBalancer'
            ? '<pending>'
            : '<none>';
      },
    ],
    [
      'Port(s)',
      'string',
      (o) =>
        ((sp(o).ports ?? []) as JsonObject[])
          .map(
            (p) =>
              `${String(p.port)}${p.nodePort ? `:${String(p.nodePort)}` : ''}/${String(p.protocol ?? 'TCP')}`,
          )
          .join(','),
    ],
  ],
  Event: [
    ['Type', 'string', (o) => String(o.type ?? '')],
    ['Reason', 'string', (o) => String(o.reason ?? '')],
    [
      'Object',
      'string',
      (o) => {
        const io = (o.involvedObject ?? {}) as JsonObject;
        return `${String(io.kind ?? '').toLowerCase()}/${String(io.name ?? '')}`;
      },
    ],
    ['Message', 'string', (o) => String(o.message ?? '')],
  ],
  Namespace: [['Status', 'string', (o) => String(s(o).phase ?? 'Active')]],
  Node: [
    [
      'Status',
      'string',
      (o) =>
        ((s(o).conditions ?? []) as JsonObject[]).some(
          (c) => c.type === 'Ready' && c.status === 'True',
        )
          ? 'Ready'
          : 'NotReady',
    ],
    ['Roles', 'string', () => '<none>'],
    [
      'Version',
      'string',
      (o) => String(((s(o).nodeInfo ?? {}) as JsonObject).kubeletVersion ?? ''),
    ],
  ],
};

export function toTable(
  t: ResourceType,
  objects: JsonObject[],
  resourceVersion: string,
): JsonObject {
  const extra = COLUMNS[t.kind] ?? [];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: [
      {
        name: 'Name',
        type: 'string',
        format: 'name',
        description: 'Name must be unique within a namespace.',
        priority: 0,
      },
      ...extra.map(([name, type]) => ({ name, type, format: '', description: '', priority: 0 })),
      {
        name: 'Age',
        type: 'string',
        format: '',
        description:
          'CreationTimestamp is a timestamp representing the server time when this object was created.',
        priority: 0,
      },
    ],
    rows: objects.map((o) => ({
      cells: [
        (o.metadata as JsonObject).name,
        ...extra.map(([, , cell]) => cell(o)),
        age((o.metadata as JsonObject).creationTimestamp),
      ],
      object: o,
    })),
  };
}
