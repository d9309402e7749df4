import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../shared/common/logger.ts';
import type { KubeObject } from '../../../../shared/kube/objects.ts';
import type { ReleaseOutcome } from '../../../../shared/kube/release.ts';
import type { AnalysisResult } from '../../../../shared/kube/strategies/analysis.ts';
import {
  emptyOutcome,
  stateBase,
  stepReport,
  totalReplicas,
  withdrawnOutcome,
  type StrategyContext,
} from '../../../../shared/kube/strategies/context.ts';
import type { StrategyRequest } from '../../../../shared/kube/strategies/types.ts';

function deployment(replicas?: number): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'iris', namespace: 'models' },
    spec: {
      ...(replicas !== undefined ? { replicas } : {}),
      selector: { matchLabels: { app: 'iris' } },
      template: { metadata: { labels: { app: 'iris' } } },
    },
  };
}

const hpa: KubeObject = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'iris' },
  spec: { minReplicas: 3 },
};

function context(next: KubeObject, objects: KubeObject[], recovered?: string): StrategyContext {
  const request = {
    strategy: 'canary',
    router: 'gateway',
    image: 'reg/iris:2',
    holder: 'org/repo run 9',
    release: 'iris',
    namespace: 'models',
    logger: silentLogger,
  } as unknown as StrategyRequest;
  return {
    request,
    objects,
    hash: 'h2',
    next: { deployment: next, service: next, routes: [] },
    ...(recovered ? { recovered } : {}),
  } as unknown as StrategyContext;
}

const release = { status: 'deployed', image: 'reg/iris:2' } as ReleaseOutcome;

function analysis(passed: boolean): AnalysisResult {
  return {
    passed,
    smoke: { passed, failures: [] },
    metrics: [],
    verdict: passed ? 'passed' : 'p95 900 ms > 250 ms',
  };
}

describe('what follows from the strategy context', () => {
  it('sizes the new version as the release asks: its replicas, else the autoscaler minimum, else 1', () => {
    expect(totalReplicas(context(deployment(4), [hpa]))).toBe(4);
    expect(totalReplicas(context(deployment(), [hpa]))).toBe(3);
    expect(totalReplicas(context(deployment(), []))).toBe(1);
  });

  it('records the rollout by its strategy, router, render and the objects it added', () => {
    const added = [deployment(1), hpa];
    expect(stateBase(context(deployment(2), []), added)).toEqual({
      strategy: 'canary',
      router: 'gateway',
      hash: 'h2',
      image: 'reg/iris:2',
      holder: 'org/repo run 9',
      objects: [
        { apiVersion: 'apps/v1', kind: 'Deployment', name: 'iris' },
        { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name: 'iris' },
      ],
    });
  });

  it('carries what an earlier run left into the outcome', () => {
    expect(emptyOutcome(context(deployment(2), []), release)).not.toHaveProperty('recovered');
    expect(emptyOutcome(context(deployment(2), [], 'resumed'), release).recovered).toBe('resumed');
  });

  it('judges a step by every analysis of its hold', () => {
    const started = Date.now() - 1500;
    const passed = stepReport(1, 10, 12, [analysis(true), analysis(true)], started);
    expect(passed).toMatchObject({ step: 1, weight: 10, actualWeight: 12, verdict: 'passed' });
    expect(passed.durationMs).toBeGreaterThanOrEqual(1500);
    expect(stepReport(2, 50, 50, [analysis(true), analysis(false)], started).verdict).toBe(
      'failed',
    );
  });

  it('reports a withdrawn rollout at the step it stopped', () => {
    const ctx = context(deployment(2), [], 'withdrew an earlier one');
    const steps = [stepReport(1, 10, 10, [analysis(false)], Date.now())];
    const outcome = withdrawnOutcome(ctx, release, steps, { step: 1, weight: 10, verdict: 'x' });
    expect(outcome).toMatchObject({
      promoted: false,
      step: 1,
      strategy: 'canary',
      recovered: 'withdrew an earlier one',
      aborted: { step: 1, weight: 10, verdict: 'x' },
    });
    expect(outcome.steps).toBe(steps);
  });
});
