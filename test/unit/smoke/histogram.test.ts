import { describe, expect, it } from 'vitest';
import { bucketIndex, bucketRange, LatencyHistogram } from '../../../shared/smoke/histogram.ts';

function exactPercentile(sorted: number[], percent: number): number {
  return sorted[Math.max(0, Math.ceil((percent / 100) * sorted.length) - 1)] as number;
}

describe('log-linear latency histogram', () => {
  it('maps every value into a bucket whose range contains it', () => {
    for (const micros of [0, 1, 2047, 2048, 2049, 4095, 4096, 123_456, 9_999_999, 3_600_000_000]) {
      const [low, high] = bucketRange(bucketIndex(micros));
      expect(low).toBeLessThanOrEqual(micros);
      expect(high).toBeGreaterThanOrEqual(micros);
      // exact below 2048 µs; above, 1024 steps per power of two: at most 1/1024 of the value wide
      if (micros < 2048) expect(high).toBe(low);
      else expect((high - low + 1) / low).toBeLessThanOrEqual(1 / 1024 + 1e-12);
    }
  });

  it('gives percentiles within 0.1% of the exact ones on a skewed sample', () => {
    const histogram = new LatencyHistogram();
    const values: number[] = [];
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 50_000; i++) {
      // log-normal-ish: most requests fast, a long tail
      const ms = Math.exp(random() * 4) * (random() < 0.02 ? 40 : 1);
      values.push(ms);
      histogram.record(ms);
    }
    values.sort((a, b) => a - b);
    for (const p of [50, 90, 95, 99, 99.9]) {
      const exact = exactPercentile(values, p);
      expect(Math.abs(histogram.percentile(p) - exact) / exact).toBeLessThan(0.001);
    }
    expect(histogram.count).toBe(50_000);
    expect(histogram.min).toBe(values[0]);
    expect(histogram.max).toBe(values.at(-1));
  });

  it('reports zeros when empty and bins that add up when not', () => {
    const histogram = new LatencyHistogram();
    expect(histogram.percentile(95)).toBe(0);
    expect(histogram.distribution(10)).toEqual([]);
    for (const ms of [1, 2, 3, 4, 100]) histogram.record(ms);
    const bins = histogram.distribution(5);
    expect(bins.reduce((n, b) => n + b.count, 0)).toBe(5);
    expect(bins[0]!.count).toBe(4);
    expect(bins[4]!.count).toBe(1);
    expect(histogram.percentile(50)).toBeCloseTo(3, 2);
    expect(histogram.percentile(100)).toBe(100);
  });

  it('merges histograms from separate workers', () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    for (let i = 1; i <= 100; i++) (i % 2 ? a : b).record(i);
    b.record(60_000); // grows b beyond a's bucket array
    a.merge(b);
    expect(a.count).toBe(101);
    expect(a.max).toBe(60_000);
    expect(a.percentile(50)).toBeCloseTo(51, 1);
  });
});
