import type { ClusterApi } from '../api.ts';
import { canonicalJson, type JsonObject } from '../schema.ts';
import { matchesLabels, requirementsFromLabelSelector } from '../selectors.ts';
import { isPodReady, isTerminating, nameOf, namespaceOf } from './owners.ts';

/**
 * Endpoints controller (one Endpoints object per Service with a selector, ready
 * pods in `addresses`, the others in `notReadyAddresses`) and the load-balancer
 * status a cloud's service controller would write (the test double's "load
 * balancer" is 127.0.0.1).
 */
function resolveTargetPort(pod: JsonObject, targetPort: unknown): number | undefined {
  if (typeof targetPort === 'number') return targetPort;
  for (const c of ((pod.spec as JsonObject).containers ?? []) as JsonObject[]) {
    for (const p of (c.ports ?? []) as JsonObject[])
      if (p.name === targetPort) return Number(p.containerPort);
  }
  return /^\d+$/.test(String(targetPort)) ? Number(targetPort) : undefined;
}

export function reconcileEndpoints(api: ClusterApi): void {
  const svcType = api.type('', 'Service');
  const epType = api.type('', 'Endpoints');
  const podType = api.type('', 'Pod');
  const services = api.scan(svcType, undefined);
  const wanted = new Set<string>();
  for (const svc of services) {
    const spec = svc.spec as JsonObject;
    const namespace = namespaceOf(svc);
    const name = nameOf(svc);
    if (spec.type === 'LoadBalancer') {
      const ingress = [{ ip: '127.0.0.1', ipMode: 'VIP' }];
      if (
        canonicalJson(
          ((svc.status as JsonObject | undefined)?.loadBalancer as JsonObject | undefined)?.ingress,
        ) !== canonicalJson(ingress)
      ) {
        api.writeStatus(
          svcType,
          namespace,
          name,
          { loadBalancer: { ingress } },
          'service-controller',
        );
      }
    }
    if (!spec.selector || Object.keys(spec.selector as JsonObject).length === 0) continue;
    wanted.add(`${namespace}/${name}`);
    const requirements = requirementsFromLabelSelector({ matchLabels: spec.selector }) ?? [];
    const pods = api
      .scan(podType, namespace)
      .filter(
        (p) =>
          !isTerminating(p) &&
          (p.status as JsonObject | undefined)?.podIP &&
          matchesLabels(requirements, (p.metadata as JsonObject).labels as Record<string, string>),
      );
    const subsets: JsonObject[] = [];
    const groups = new Map<
      string,
      { ports: JsonObject[]; ready: JsonObject[]; notReady: JsonObject[] }
    >();
    for (const pod of pods) {
      const ports = ((spec.ports ?? []) as JsonObject[]).map((p) => ({
        ...(p.name ? { name: p.name } : {}),
        port: resolveTargetPort(pod, p.targetPort ?? p.port),
        protocol: p.protocol ?? 'TCP',
      }));
      if (ports.some((p) => p.port === undefined)) continue;
      const key = canonicalJson(ports);
      const group = groups.get(key) ?? { ports, ready: [], notReady: [] };
      const address = {
        ip: (pod.status as JsonObject).podIP,
        nodeName: (pod.spec as JsonObject).nodeName,
        targetRef: {
          kind: 'Pod',
          namespace,
          name: nameOf(pod),
          uid: (pod.metadata as JsonObject).uid,
        },
      };
      (isPodReady(pod) ? group.ready : group.notReady).push(address);
      groups.set(key, group);
    }
    for (const g of groups.values()) {
      subsets.push({
        ...(g.ready.length ? { addresses: g.ready } : {}),
        ...(g.notReady.length ? { notReadyAddresses: g.notReady } : {}),
        ports: g.ports,
      });
    }
    const desired: JsonObject = {
      metadata: { name, namespace, labels: (svc.metadata as JsonObject).labels ?? {} },
      ...(subsets.length ? { subsets } : {}),
    };
    const existing = api.tryGet(epType, namespace, name);
    if (!existing) {
      api.create(epType, namespace, desired, { manager: 'endpoint-controller' });
    } else if (canonicalJson(existing.subsets ?? null) !== canonicalJson(desired.subsets ?? null)) {
      api.mutate(
        epType,
        namespace,
        name,
        (o) => {
          if (desired.subsets) o.subsets = desired.subsets;
          else delete o.subsets;
        },
        { manager: 'endpoint-controller' },
      );
    }
  }
  for (const ep of api.scan(epType, undefined)) {
    const key = `${namespaceOf(ep)}/${nameOf(ep)}`;
    const managed = (((ep.metadata as JsonObject).managedFields ?? []) as JsonObject[]).some(
      (m) => m.manager === 'endpoint-controller',
    );
    if (managed && !wanted.has(key)) api.deleteIfPresent(epType, namespaceOf(ep), nameOf(ep));
  }
}
