import { InputError } from '../common/errors.ts';
import type { AutoscalingSpec, ResourceSpec } from './manifests.ts';
import { isQuantity, quantityValue } from './quantity.ts';

/**
 * The structured deploy inputs (`resources`, `autoscaling`), checked key by
 * key so a typo names the input, the key and an accepted value.
 */

const RESOURCE_EXAMPLE = "resources: '{cpu: 500m, memory: 2Gi, gpu: 1, gpu-type: nvidia-l4}'";
const AUTOSCALING_EXAMPLE = "autoscaling: '{min: 2, max: 10, target-cpu: 70}'";

/** `cpu:500m` is one word to YAML: the space after the colon is what makes a key. */
const NO_SPACE_AFTER_COLON = /^[\w.-]+:[^\s/]/;

function mapping(input: string, value: unknown, example: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value === 'string' && NO_SPACE_AFTER_COLON.test(value)) {
    throw new InputError(
      input,
      `is the text '${value}', not a mapping: YAML needs a space after each colon (cpu: 500m, not cpu:500m)`,
      example,
    );
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(input, 'must be a mapping', example);
  }
  return value as Record<string, unknown>;
}

/** A key the input does not know: a missing space after a colon, or a typo. */
function unknownKey(input: string, key: string, known: string[], example: string): InputError {
  if (NO_SPACE_AFTER_COLON.test(key)) {
    return new InputError(
      input,
      `has '${key}', which YAML reads as one key: put a space after the colon (${key.replace(':', ': ')})`,
      example,
    );
  }
  return new InputError(input, `has an unknown key '${key}' (known: ${known.join(', ')})`, example);
}

export function parseResources(value: unknown, input = 'resources'): ResourceSpec {
  const raw = mapping(input, value, RESOURCE_EXAMPLE);
  const out: ResourceSpec = {};
  const quantity = (key: string): string | undefined => {
    const v = raw[key];
    if (v === undefined || v === null || v === '') return undefined;
    const text = String(v).trim();
    if (!isQuantity(text)) {
      throw new InputError(
        input,
        `has ${key}: '${text}', which is not a Kubernetes quantity`,
        key.startsWith('cpu') ? `${key}: 500m or ${key}: 2` : `${key}: 512Mi or ${key}: 2Gi`,
      );
    }
    if (quantityValue(text) === 0)
      throw new InputError(input, `has ${key}: ${text}; it must be more than zero`);
    return text;
  };
  const known = ['cpu', 'memory', 'cpu-limit', 'memory-limit', 'gpu', 'gpu-type'];
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) throw unknownKey(input, key, known, RESOURCE_EXAMPLE);
  }
  const cpu = quantity('cpu');
  const memory = quantity('memory');
  const cpuLimit = quantity('cpu-limit');
  const memoryLimit = quantity('memory-limit');
  if (cpu) out.cpu = cpu;
  if (memory) out.memory = memory;
  if (cpuLimit) out.cpuLimit = cpuLimit;
  if (memoryLimit) out.memoryLimit = memoryLimit;
  for (const [request, limit, name] of [
    [cpu, cpuLimit, 'cpu'],
    [memory, memoryLimit, 'memory'],
  ] as const) {
    if (request && limit && (quantityValue(limit) as number) < (quantityValue(request) as number)) {
      throw new InputError(
        input,
        `has ${name}-limit ${limit} below the ${name} request ${request}`,
      );
    }
  }
  if (raw.gpu !== undefined && raw.gpu !== null) {
    const gpu = Number(raw.gpu);
    if (!Number.isInteger(gpu) || gpu < 0 || gpu > 16) {
      throw new InputError(
        input,
        `has gpu: '${String(raw.gpu)}'; it must be a whole number of GPUs`,
        'gpu: 1',
      );
    }
    if (gpu > 0) out.gpu = gpu;
  }
  if (raw['gpu-type'] !== undefined) {
    if (!out.gpu)
      throw new InputError(input, 'has gpu-type but no gpu count', 'gpu: 1, gpu-type: nvidia-l4');
    out.gpuType = String(raw['gpu-type']);
  }
  return out;
}

export function parseAutoscaling(
  value: unknown,
  input = 'autoscaling',
): AutoscalingSpec | undefined {
  if (value === undefined || value === null) return undefined;
  const example = AUTOSCALING_EXAMPLE;
  const raw = mapping(input, value, example);
  const known = ['min', 'max', 'target-cpu'];
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) throw unknownKey(input, key, known, example);
  }
  const int = (key: string, fallback: number): number => {
    const v = raw[key] ?? fallback;
    const n = Number(v);
    if (key === 'min' && n === 0) {
      throw new InputError(
        input,
        'has min: 0; a HorizontalPodAutoscaler does not scale to zero on EKS, AKS or GKE (that needs the alpha HPAScaleToZero feature gate); keep at least one replica, or use KEDA or Knative for scale-to-zero',
        "autoscaling: '{min: 1, max: 10, target-cpu: 70}'",
      );
    }
    if (!Number.isInteger(n) || n < 1)
      throw new InputError(
        input,
        `has ${key}: '${String(v)}'; it must be a whole number of at least 1`,
        example,
      );
    return n;
  };
  const min = int('min', 1);
  const max = int('max', Math.max(min, 1));
  const targetCpu = int('target-cpu', 70);
  if (max < min) throw new InputError(input, `has max ${max} below min ${min}`, example);
  if (targetCpu > 100)
    throw new InputError(
      input,
      `has target-cpu ${targetCpu}; it is a percentage of the CPU request`,
      example,
    );
  return { min, max, targetCpu };
}
