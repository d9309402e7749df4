import { describe, expect, it } from 'vitest';
import { parseAutoscaling, parseResources } from '../../../shared/kube/resources.ts';
import { isQuantity, quantityValue } from '../../../shared/kube/quantity.ts';

describe('resource quantities', () => {
  it('accepts Kubernetes quantities and refuses the rest', () => {
    for (const q of ['500m', '2', '0.5', '1.5Gi', '512Mi', '1e3', '1k', '.5'])
      expect(isQuantity(q)).toBe(true);
    for (const q of ['500 m', '2GB', '-1', 'lots', '1.5.5', 'Gi', ''])
      expect(isQuantity(q)).toBe(false);
    expect(quantityValue('500m')).toBe(0.5);
    expect(quantityValue('2Gi')).toBe(2 * 2 ** 30);
    expect(quantityValue('1e3')).toBe(1000);
  });

  it('reads the resources input', () => {
    expect(parseResources({ cpu: '500m', memory: '2Gi', gpu: 1, 'gpu-type': 'nvidia-l4' })).toEqual(
      {
        cpu: '500m',
        memory: '2Gi',
        gpu: 1,
        gpuType: 'nvidia-l4',
      },
    );
    expect(parseResources({ cpu: 2 })).toEqual({ cpu: '2' });
    expect(parseResources(undefined)).toEqual({});
  });

  it.each([
    [{ cpu: 'two' }, /has cpu: 'two', which is not a Kubernetes quantity \(for example: cpu: 500m/],
    [
      { memory: '2GB' },
      /has memory: '2GB', which is not a Kubernetes quantity \(for example: memory: 512Mi/,
    ],
    [{ memory: '0' }, /must be more than zero/],
    [{ memroy: '1Gi' }, /unknown key 'memroy'/],
    [{ memory: '2Gi', 'memory-limit': '1Gi' }, /memory-limit 1Gi below the memory request 2Gi/],
    [{ gpu: 1.5 }, /must be a whole number of GPUs/],
    [{ 'gpu-type': 'nvidia-l4' }, /gpu-type but no gpu count/],
    ['500m', /must be a mapping/],
  ])('refuses %j', (value, message) => {
    expect(() => parseResources(value)).toThrow(message);
    expect(() => parseResources(value)).toThrow(/^input 'resources' /);
  });

  it('reads autoscaling and refuses nonsense', () => {
    expect(parseAutoscaling({ min: 2, max: 5, 'target-cpu': 50 })).toEqual({
      min: 2,
      max: 5,
      targetCpu: 50,
    });
    expect(parseAutoscaling(undefined)).toBeUndefined();
    expect(() => parseAutoscaling({ min: 5, max: 2 })).toThrow(/max 2 below min 5/);
    expect(() => parseAutoscaling({ min: 0 })).toThrow(
      /min: 0; a HorizontalPodAutoscaler does not scale to zero/,
    );
    expect(() => parseAutoscaling({ 'target-cpu': 150 })).toThrow(/percentage/);
  });
});
