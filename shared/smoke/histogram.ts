/**
 * A log-linear latency histogram in the manner of HdrHistogram: values (in
 * microseconds) below 2048 are counted exactly, larger ones in buckets that
 * keep 1024 steps per power of two, so any percentile is within 0.1 % of the
 * true value while memory stays a few tens of KiB however many requests run.
 * Recording is O(1), which keeps the load generator's own overhead flat.
 */
const SUB_BUCKET_BITS = 11;
const SUB_BUCKET_COUNT = 1 << SUB_BUCKET_BITS;
const HALF_SUB_BUCKET = SUB_BUCKET_COUNT >> 1;

function bitLength(value: number): number {
  return value === 0 ? 0 : 32 - Math.clz32(value);
}

export function bucketIndex(micros: number): number {
  const value = Math.max(0, Math.min(0xffffffff, Math.round(micros)));
  if (value < SUB_BUCKET_COUNT) return value;
  // Above 2^31 clz32 still works because value stays within 32 bits.
  const shift = bitLength(value) - SUB_BUCKET_BITS;
  return (
    SUB_BUCKET_COUNT +
    (shift - 1) * HALF_SUB_BUCKET +
    (Math.floor(value / 2 ** shift) - HALF_SUB_BUCKET)
  );
}

/** The lowest and highest value (µs) that fall into a bucket. */
export function bucketRange(index: number): [number, number] {
  if (index < SUB_BUCKET_COUNT) return [index, index];
  const beyond = index - SUB_BUCKET_COUNT;
  const shift = Math.floor(beyond / HALF_SUB_BUCKET) + 1;
  const step = (beyond % HALF_SUB_BUCKET) + HALF_SUB_BUCKET;
  const low = step * 2 ** shift;
  return [low, low + 2 ** shift - 1];
}

export class LatencyHistogram {
  private counts = new Float64Array(4096);
  private total = 0;
  private sum = 0;
  private minimum = Number.POSITIVE_INFINITY;
  private maximum = 0;

  /** Records one latency in milliseconds. */
  record(ms: number): void {
    const micros = ms * 1000;
    const index = bucketIndex(micros);
    if (index >= this.counts.length) {
      const grown = new Float64Array(Math.max(index + 1, this.counts.length * 2));
      grown.set(this.counts);
      this.counts = grown;
    }
    this.counts[index] = (this.counts[index] as number) + 1;
    this.total++;
    this.sum += ms;
    if (ms < this.minimum) this.minimum = ms;
    if (ms > this.maximum) this.maximum = ms;
  }

  get count(): number {
    return this.total;
  }

  get min(): number {
    return this.total === 0 ? 0 : this.minimum;
  }

  get max(): number {
    return this.maximum;
  }

  get mean(): number {
    return this.total === 0 ? 0 : this.sum / this.total;
  }

  /**
   * The latency (ms) at or below which `percent` % of the recordings fall
   * (nearest-rank), reported as the bucket's midpoint and kept within the
   * exact observed min and max.
   */
  percentile(percent: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil((percent / 100) * this.total));
    if (rank >= this.total) return this.maximum;
    let seen = 0;
    for (let index = 0; index < this.counts.length; index++) {
      seen += this.counts[index] as number;
      if (seen >= rank) {
        const [low, high] = bucketRange(index);
        const midpointMs = (low + high) / 2 / 1000;
        return Math.min(this.maximum, Math.max(this.minimum, midpointMs));
      }
    }
    return this.maximum;
  }

  /**
   * Counts in `bins` equal-width ranges between min and max, for a chart.
   * Built from the buckets, so it costs nothing per request.
   */
  distribution(bins: number): Array<{ fromMs: number; toMs: number; count: number }> {
    if (this.total === 0) return [];
    const low = this.min;
    const width = Math.max((this.max - low) / bins, 0.001);
    const out = Array.from({ length: bins }, (_, i) => ({
      fromMs: low + i * width,
      toMs: low + (i + 1) * width,
      count: 0,
    }));
    for (let index = 0; index < this.counts.length; index++) {
      const count = this.counts[index] as number;
      if (count === 0) continue;
      const [from, to] = bucketRange(index);
      const ms = (from + to) / 2 / 1000;
      const bin = Math.min(bins - 1, Math.max(0, Math.floor((ms - low) / width)));
      (out[bin] as { count: number }).count += count;
    }
    return out;
  }

  merge(other: LatencyHistogram): void {
    if (other.counts.length > this.counts.length) {
      const grown = new Float64Array(other.counts.length);
      grown.set(this.counts);
      this.counts = grown;
    }
    for (let i = 0; i < other.counts.length; i++) {
      this.counts[i] = (this.counts[i] as number) + (other.counts[i] as number);
    }
    this.total += other.total;
    this.sum += other.sum;
    this.minimum = Math.min(this.minimum, other.minimum);
    this.maximum = Math.max(this.maximum, other.maximum);
  }
}
