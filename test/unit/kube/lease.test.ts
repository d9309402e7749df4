import type { V1Lease } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { expired, leaseBody, leaseName, microTime } from '../../../shared/kube/lease.ts';

const options = { namespace: 'models', release: 'iris', holder: 'org/repo run 7' };

describe('the release Lease', () => {
  it('names the holder, the release and the duration', () => {
    const lease = leaseBody(options, 45);
    expect(lease.metadata?.name).toBe(leaseName('iris'));
    expect(lease.metadata?.namespace).toBe('models');
    expect(lease.metadata?.labels?.['model-deploy.io/lock-of']).toBe('iris');
    expect(lease.metadata?.resourceVersion).toBeUndefined();
    expect(lease.spec?.holderIdentity).toBe('org/repo run 7');
    expect(lease.spec?.leaseDurationSeconds).toBe(45);
    expect(String(lease.spec?.renewTime)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it('writes a MicroTime with six fractional digits, as the API server parses it', () => {
    expect(String(microTime(new Date('2026-11-30T14:05:06.789Z')))).toBe(
      '2026-11-30T14:05:06.789000Z',
    );
  });

  it('carries the resource version it replaces, so a concurrent take-over conflicts', () => {
    expect(leaseBody(options, 60, '123').metadata?.resourceVersion).toBe('123');
  });

  it('has lapsed when nobody holds it or its holder stopped renewing', () => {
    const renewed = new Date('2026-01-01T00:00:00Z');
    const held = (spec: V1Lease['spec']): V1Lease => ({ spec });
    const now = renewed.getTime();
    expect(expired(held({}), now)).toBe(true);
    expect(expired(held({ holderIdentity: 'a' }), now)).toBe(true);
    const lease = held({
      holderIdentity: 'a',
      renewTime: microTime(renewed),
      leaseDurationSeconds: 60,
    });
    expect(expired(lease, now + 59_000)).toBe(false);
    expect(expired(lease, now + 61_000)).toBe(true);
    const acquiredOnly = held({
      holderIdentity: 'a',
      acquireTime: microTime(renewed),
      leaseDurationSeconds: 10,
    });
    expect(expired(acquiredOnly, now + 5_000)).toBe(false);
    expect(expired(acquiredOnly, now + 11_000)).toBe(true);
  });
});
