import type { JsonObject } from '../schema.ts';

/**
 * Pod annotations that make the simulated kubelet misbehave on purpose, so
 * tests can produce the failures deploy must diagnose. Put them on the pod
 * template (`spec.template.metadata.annotations`).
 */
export const ANNOTATION_PREFIX = 'test-double.model-deploy/';
export const READY_AFTER = `${ANNOTATION_PREFIX}ready-after`;
export const CRASH_LOOP = `${ANNOTATION_PREFIX}crash-loop`;
export const OOM_KILLED = `${ANNOTATION_PREFIX}oom-killed`;
export const UNSCHEDULABLE = `${ANNOTATION_PREFIX}unschedulable`;

export function annotation(pod: JsonObject, key: string): string | undefined {
  const value = (((pod.metadata as JsonObject).annotations ?? {}) as Record<string, string>)[key];
  return value === undefined ? undefined : String(value);
}

/** `3s`, `500ms`, `1m`, or `never` (Infinity). */
export function parseDelay(value: string | undefined): number {
  if (value === undefined || value === '') return 0;
  if (value === 'never') return Number.POSITIVE_INFINITY;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim());
  if (!match) return 0;
  const n = Number(match[1]);
  return match[2] === 'ms' ? n : match[2] === 'm' ? n * 60_000 : n * 1000;
}
