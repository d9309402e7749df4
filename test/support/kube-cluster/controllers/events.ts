import { randomSuffix, now, type ClusterApi } from '../api.ts';
import type { JsonObject } from '../schema.ts';

/**
 * Records core/v1 Events the way controllers and the kubelet do, folding a
 * repeat of the same reason and message into one Event with a higher count.
 */
export class EventRecorder {
  private readonly api: ClusterApi;
  private readonly seen = new Map<string, string>();

  constructor(api: ClusterApi) {
    this.api = api;
  }

  record(
    involved: JsonObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    component: string,
  ): void {
    const meta = involved.metadata as JsonObject;
    const namespace = String(meta.namespace ?? 'default');
    const key = `${String(meta.uid)}|${reason}|${message}`;
    const t = this.api.type('', 'Event');
    const timestamp = now();
    const existing = this.seen.get(key);
    if (existing && this.api.tryGet(t, namespace, existing)) {
      this.api.mutate(
        t,
        namespace,
        existing,
        (e) => {
          e.count = Number(e.count ?? 1) + 1;
          e.lastTimestamp = timestamp;
        },
        { manager: component },
      );
      return;
    }
    const name = `${String(meta.name)}.${Date.now().toString(16)}${randomSuffix(3)}`;
    this.seen.set(key, name);
    try {
      this.api.create(
        t,
        namespace,
        {
          metadata: { name, namespace },
          involvedObject: {
            kind: involved.kind,
            namespace,
            name: meta.name,
            uid: meta.uid,
            apiVersion: involved.apiVersion,
            resourceVersion: meta.resourceVersion,
          },
          reason,
          message,
          source: { component, ...(component === 'kubelet' ? { host: 'test-double-node' } : {}) },
          firstTimestamp: timestamp,
          lastTimestamp: timestamp,
          count: 1,
          type,
          eventTime: null,
          reportingComponent: component,
          reportingInstance: component === 'kubelet' ? 'test-double-node' : '',
        },
        { manager: component },
      );
    } catch {
      // the namespace is being deleted: events are best effort, as in a real cluster
    }
  }
}
