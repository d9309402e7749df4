import type { AnalysisResult, AnalysisSpec } from './analysis.ts';
import type { ReleaseOutcome, ReleaseRequest } from '../release.ts';

/** One canary step: the share of traffic for the new version and how long to hold it. */
export interface CanaryStep {
  /** Percent, 1–100. */
  weight: number;
  holdMs: number;
}

export type TrafficRouterName = 'gateway' | 'istio' | 'ambassador' | 'replicas';
export type StrategyName = 'canary' | 'blue-green';

export interface StepReport {
  /** 1-based, as shown to users. */
  step: number;
  /** The weight asked for. */
  weight: number;
  /** The weight the router could give (replica counts only approximate it). */
  actualWeight: number;
  analyses: AnalysisResult[];
  verdict: 'passed' | 'failed';
  durationMs: number;
}

/** Called at each point of the rollout, after the traffic change and before the analysis. */
export type StepHook = (event: {
  phase: 'step' | 'switched' | 'switched-back';
  step: number;
  weight: number;
}) => Promise<void> | void;

export interface StrategyRequest extends Omit<ReleaseRequest, 'rollbackTo' | 'dryRun'> {
  strategy: StrategyName;
  steps: CanaryStep[];
  router: TrafficRouterName;
  analysis: AnalysisSpec;
  /** How often the analysis repeats while a step holds. */
  analysisIntervalMs?: number;
  /** Blue-green: how long the previous version stays up after the switch. */
  scaleDownDelayMs: number;
  /** Test hooks. */
  onStep?: StepHook;
  /**
   * Stops the run where it is, leaving the cluster as a cancelled job leaves
   * it (state, canary and lease in place), to test the re-run.
   */
  stopSignal?: AbortSignal;
  leaseSeconds?: number;
}

export interface StrategyOutcome {
  release: ReleaseOutcome;
  strategy: StrategyName;
  router: TrafficRouterName;
  promoted: boolean;
  /** The last step reached (1-based); 0 when none started. */
  step: number;
  steps: StepReport[];
  /** Set when the analysis failed and the new version was withdrawn. */
  aborted?: { step: number; weight: number; verdict: string };
  /** What an earlier, unfinished run left and what this one did about it. */
  recovered?: string;
}

/** Thrown when the stop signal fires: the run ends as a killed job would. */
export class RolloutStopped extends Error {
  constructor() {
    super('the rollout was stopped');
    this.name = 'RolloutStopped';
  }
}
