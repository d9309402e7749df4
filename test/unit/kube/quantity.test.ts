import { describe, expect, it } from 'vitest';
import { isQuantity, quantityValue } from '../../../shared/kube/quantity.ts';

describe('Kubernetes quantities', () => {
  it.each(['500m', '2', '1.5Gi', '1e3', '1E-3', '.5', '2.', '128Mi', '1k', '3n', ' 4Gi '])(
    'accepts %j',
    (text) => {
      expect(isQuantity(text)).toBe(true);
    },
  );

  it.each(['', 'abc', '1.5GB', '2 cores', '-1', '1Ki2', 'Gi', '1.2.3', '1ki', '1e', '1K'])(
    'refuses %j',
    (text) => {
      expect(isQuantity(text)).toBe(false);
      expect(quantityValue(text)).toBeUndefined();
    },
  );

  it('reads binary suffixes as powers of two and decimal ones as powers of ten', () => {
    expect(quantityValue('1Ki')).toBe(1024);
    expect(quantityValue('1.5Gi')).toBe(1.5 * 1024 ** 3);
    expect(quantityValue('2Ei')).toBe(2 * 2 ** 60);
    expect(quantityValue('1k')).toBe(1000);
    expect(quantityValue('128M')).toBe(128_000_000);
    expect(quantityValue('3T')).toBe(3e12);
  });

  it('reads CPU millicores and sub-unit suffixes as fractions', () => {
    expect(quantityValue('500m')).toBeCloseTo(0.5, 12);
    expect(quantityValue('250u')).toBeCloseTo(0.00025, 12);
    expect(quantityValue('7n')).toBeCloseTo(7e-9, 18);
    expect(quantityValue('2')).toBe(2);
    expect(quantityValue('.5')).toBe(0.5);
  });

  it('reads exponent notation and ignores surrounding blanks', () => {
    expect(quantityValue('1e3')).toBe(1000);
    expect(quantityValue('25E-2')).toBe(0.25);
    expect(quantityValue('  2Gi\n')).toBe(2 * 2 ** 30);
  });
});
