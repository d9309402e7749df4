import { median, summarize, type Measured, type Summary } from './measure.ts';

/**
 * What each case reports: per subject (model-deploy, the peer tool, the
 * machine's limit) the wall times of every run, and the ratios computed run
 * by run from subjects measured in the same iteration.
 */
export interface SubjectFigures {
  /** What ran, e.g. `node dist/push/index.js` or `skopeo copy`. */
  what: string;
  wallMs: Summary;
  /** Highest peak RSS seen over the runs, in MB. */
  peakRssMb: number | undefined;
  /** Derived figures, e.g. MB/s or requests/s, one per run. */
  throughput?: { unit: string } & Summary;
}

export interface RatioFigures {
  /** e.g. `model-deploy time / skopeo time`. */
  definition: string;
  summary: Summary;
}

export interface Goal {
  text: string;
  /** The figure the goal is judged on, as shown. */
  value: string;
  met: boolean;
}

export type ReleaseCloud = 'aws' | 'azure' | 'gcp';
/** The stages of a release, in order, as the Table-1 reproduction shows them. */
export const STAGES = ['package', 'push', 'deploy', 'first correct answer'] as const;
export type Stage = (typeof STAGES)[number];

/** A release case's figures per stage, beside the paper's time for the same model and cloud. */
export interface ReleaseFigures {
  model: string;
  cloud: ReleaseCloud;
  stagesMs: Record<Stage, Summary>;
  /** deploy's own `rollout-seconds` and smoke-test's `ready-seconds` / `first-inference-seconds`, ms. */
  reported: Record<'rollout' | 'ready' | 'firstInference', Summary>;
  totalMs: Summary;
  paperSeconds: number;
}

export interface CaseResult {
  id: string;
  title: string;
  size?: string;
  status: 'measured' | 'not measured';
  reason?: string;
  runs: number;
  subjects: Record<string, SubjectFigures>;
  ratios: Record<string, RatioFigures>;
  goals: Goal[];
  notes: string[];
  /** Only the release cases (Table 1). */
  release?: ReleaseFigures;
}

export function notMeasured(id: string, title: string, reason: string, size?: string): CaseResult {
  return {
    id,
    title,
    ...(size ? { size } : {}),
    status: 'not measured',
    reason,
    runs: 0,
    subjects: {},
    ratios: {},
    goals: [],
    notes: [],
  };
}

/** Collects one subject's runs. */
export class SubjectRuns {
  readonly what: string;
  readonly wall: number[] = [];
  readonly throughput: number[] = [];
  peakRssKb: number | undefined;
  constructor(what: string) {
    this.what = what;
  }
  add(measured: Pick<Measured, 'wallMs' | 'peakRssKb'>, throughput?: number): void {
    this.wall.push(measured.wallMs);
    if (throughput !== undefined) this.throughput.push(throughput);
    if (measured.peakRssKb !== undefined) {
      this.peakRssKb = Math.max(this.peakRssKb ?? 0, measured.peakRssKb);
    }
  }
  figures(throughputUnit?: string): SubjectFigures {
    return {
      what: this.what,
      wallMs: summarize(this.wall),
      peakRssMb: this.peakRssKb === undefined ? undefined : this.peakRssKb / 1024,
      ...(throughputUnit && this.throughput.length > 0
        ? { throughput: { unit: throughputUnit, ...summarize(this.throughput) } }
        : {}),
    };
  }
}

/** Ratios run by run: numerator[i] / denominator[i]. */
export function pairedRatio(
  definition: string,
  numerator: number[],
  denominator: number[],
): RatioFigures {
  const values = numerator.map((n, i) => n / (denominator[i] as number));
  return { definition, summary: summarize(values) };
}

/**
 * Runs the steps of one iteration in alternating order (A B, then B A, ...)
 * so drift on a noisy machine hits every subject alike. Iteration 0 is the
 * warm-up: steps record their figures only when `iteration > 0`.
 */
export async function alternate(
  runs: number,
  steps: Array<(iteration: number) => Promise<void>>,
): Promise<void> {
  for (let i = 0; i <= runs; i++) {
    const order = i % 2 === 0 ? steps : [...steps].reverse();
    for (const step of order) await step(i);
  }
}

export { median };
