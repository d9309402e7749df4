import type { JsonObject } from '../schema.ts';

export function controllerRef(owner: JsonObject): JsonObject {
  const meta = owner.metadata as JsonObject;
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: meta.name,
    uid: meta.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function isControlledBy(obj: JsonObject, owner: JsonObject): boolean {
  const refs = ((obj.metadata as JsonObject).ownerReferences ?? []) as JsonObject[];
  const uid = (owner.metadata as JsonObject).uid;
  return refs.some((r) => r.controller === true && r.uid === uid);
}

export function nameOf(obj: JsonObject): string {
  return String((obj.metadata as JsonObject).name);
}

export function namespaceOf(obj: JsonObject): string {
  return String((obj.metadata as JsonObject).namespace);
}

export function isPodReady(pod: JsonObject): boolean {
  const conditions = ((pod.status as JsonObject | undefined)?.conditions ?? []) as JsonObject[];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

export function isTerminating(obj: JsonObject): boolean {
  return Boolean((obj.metadata as JsonObject).deletionTimestamp);
}
