import { formatBytes } from '../common/bytes.ts';
import type { Logger } from '../common/logger.ts';

/** Blobs smaller than this upload quietly. */
const LARGE_BLOB_BYTES = 32 * 1024 * 1024;
const EVERY_MS = 5000;

/**
 * Progress lines for a large blob: at each quarter and at most every 5 s in
 * between, with percent and MB/s, so a long upload shows it is moving.
 */
export class UploadProgress {
  private readonly started = performance.now();
  private lastLog = this.started;
  private lastQuarter = 0;
  private readonly logger: Logger;
  private readonly label: string;
  private readonly total: number;

  constructor(logger: Logger, label: string, total: number) {
    this.logger = logger;
    this.label = label;
    this.total = total;
  }

  update(done: number): void {
    if (this.total < LARGE_BLOB_BYTES) return;
    const now = performance.now();
    const quarter = Math.floor((done / this.total) * 4);
    if (quarter <= this.lastQuarter && now - this.lastLog < EVERY_MS) return;
    if (done >= this.total) return;
    this.lastQuarter = Math.max(quarter, this.lastQuarter);
    this.lastLog = now;
    this.logger.info(this.line(done, now));
  }

  finish(done: number): void {
    if (this.total < LARGE_BLOB_BYTES) return;
    this.logger.info(this.line(done, performance.now()));
  }

  private line(done: number, now: number): string {
    const seconds = Math.max(0.001, (now - this.started) / 1000);
    const percent = this.total === 0 ? 100 : Math.floor((done / this.total) * 100);
    const rate = done / 1e6 / seconds;
    return `${this.label}: ${percent}% of ${formatBytes(this.total)} at ${rate.toFixed(1)} MB/s`;
  }
}
