import { randomSuffix, type ClusterApi } from '../api.ts';
import type { JsonObject } from '../schema.ts';
import type { EventRecorder } from './events.ts';
import {
  controllerRef,
  isControlledBy,
  isPodReady,
  isTerminating,
  nameOf,
  namespaceOf,
} from './owners.ts';

/** ReplicaSet controller: keeps spec.replicas pods from the template and reports their readiness. */
export function reconcileReplicaSets(api: ClusterApi, events: EventRecorder): void {
  const rsType = api.type('apps', 'ReplicaSet');
  const podType = api.type('', 'Pod');
  for (const rs of api.scan(rsType, undefined)) {
    if (isTerminating(rs)) continue;
    const namespace = namespaceOf(rs);
    const spec = rs.spec as JsonObject;
    const template = (spec.template ?? {}) as JsonObject;
    const templateMeta = (template.metadata ?? {}) as JsonObject;
    const desired = Number(spec.replicas ?? 1);
    let pods = api
      .scan(podType, namespace)
      .filter((p) => isControlledBy(p, rs) && !isTerminating(p));
    if (pods.length < desired) {
      for (let i = pods.length; i < desired; i++) {
        const name = `${nameOf(rs)}-${randomSuffix()}`;
        const pod = api.create(
          podType,
          namespace,
          {
            metadata: {
              name,
              namespace,
              labels: templateMeta.labels ?? {},
              ...(templateMeta.annotations ? { annotations: templateMeta.annotations } : {}),
              ownerReferences: [controllerRef(rs)],
            },
            spec: structuredClone(template.spec ?? {}),
          },
          { manager: 'kube-controller-manager' },
        );
        pods.push(pod);
        events.record(
          rs,
          'Normal',
          'SuccessfulCreate',
          `Created pod: ${name}`,
          'replicaset-controller',
        );
      }
    } else if (pods.length > desired) {
      const rank = (p: JsonObject) => {
        const status = (p.status ?? {}) as JsonObject;
        if (!(p.spec as JsonObject).nodeName) return 0;
        if (status.phase === 'Pending') return 1;
        if (!isPodReady(p)) return 2;
        return 3;
      };
      const victims = [...pods]
        .sort(
          (a, b) =>
            rank(a) - rank(b) ||
            String((b.metadata as JsonObject).creationTimestamp).localeCompare(
              String((a.metadata as JsonObject).creationTimestamp),
            ),
        )
        .slice(0, pods.length - desired);
      for (const victim of victims) {
        api.deleteIfPresent(podType, namespace, nameOf(victim));
        events.record(
          rs,
          'Normal',
          'SuccessfulDelete',
          `Deleted pod: ${nameOf(victim)}`,
          'replicaset-controller',
        );
      }
      pods = pods.filter((p) => !victims.includes(p));
    }
    const minReadySeconds = Number(spec.minReadySeconds ?? 0);
    const ready = pods.filter(isPodReady);
    const available = ready.filter((p) => {
      if (minReadySeconds === 0) return true;
      const condition = (((p.status as JsonObject).conditions ?? []) as JsonObject[]).find(
        (c) => c.type === 'Ready',
      );
      return (
        Date.now() - Date.parse(String(condition?.lastTransitionTime)) >= minReadySeconds * 1000
      );
    });
    const status: JsonObject = {
      replicas: pods.length,
      fullyLabeledReplicas: pods.length,
      readyReplicas: ready.length,
      availableReplicas: available.length,
      observedGeneration: (rs.metadata as JsonObject).generation,
    };
    if (!ready.length) delete status.readyReplicas;
    if (!available.length) delete status.availableReplicas;
    if (!pods.length) delete status.fullyLabeledReplicas;
    api.writeStatus(rsType, namespace, nameOf(rs), status, 'kube-controller-manager');
  }
}
