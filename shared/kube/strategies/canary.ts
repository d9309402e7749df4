import { UserError } from '../../common/errors.ts';
import { formatDuration } from '../../common/duration.ts';
import { applyObjects } from '../apply.ts';
import type { KubeObject } from '../objects.ts';
import { analyseDuring } from './analysis-hold.ts';
import type { AnalysisTarget } from './analysis.ts';
import {
  emptyOutcome,
  stateBase,
  stepReport,
  totalReplicas,
  withdrawnOutcome,
  type StrategyContext,
} from './context.ts';
import { promote } from './promote.ts';
import { NotReady, requireReady, waitReady } from './readiness.ts';
import type { RolloutState } from './rollout-state.ts';
import { checkStop } from './stop.ts';
import { withdraw } from './withdraw.ts';
import { AmbassadorRouter } from './ambassador-router.ts';
import { GatewayRouter } from './gateway-router.ts';
import { canaryDestinationRule, IstioRouter } from './istio-router.ts';
import { ReplicaRouter } from './replica-router.ts';
import type { TrafficRouter } from './traffic-router.ts';
import type { CanaryStep, StepReport, StrategyOutcome } from './types.ts';
import {
  deploymentSpec,
  serviceHost,
  servicePort,
  sideBySide,
  type SideBySide,
} from './workload.ts';

/**
 * Canary: the new version runs beside the stable one under its own
 * Deployment and Service; each step gives it a share of the traffic, holds
 * while the analysis runs against it, then moves on or withdraws it.
 */

function makeRouter(ctx: StrategyContext, canary: SideBySide, total: number): TrafficRouter {
  const { request, client, stable } = ctx;
  const namespace = request.namespace;
  if (request.router === 'gateway') {
    return new GatewayRouter(
      client,
      stable.routes.filter((r) => r.kind === 'HTTPRoute' || r.kind === 'GRPCRoute'),
      stable.service.metadata.name,
      canary.service.metadata.name,
    );
  }
  if (request.router === 'ambassador') {
    return new AmbassadorRouter(
      client,
      stable.routes,
      stable.service.metadata.name,
      canary.service.metadata.name,
      request.release,
    );
  }
  if (request.router === 'istio') {
    const canaryHost = serviceHost(canary.service, namespace);
    return new IstioRouter(
      client,
      stable.routes.find((r) => r.kind === 'VirtualService') as KubeObject,
      serviceHost(stable.service, namespace),
      canaryHost,
      canaryDestinationRule(
        canary.service.metadata.name,
        namespace,
        request.release,
        canaryHost,
        canary.podSelector,
      ),
    );
  }
  if (ctx.objects.some((o) => o.kind === 'HorizontalPodAutoscaler')) {
    throw new UserError(
      `traffic-router replicas splits traffic by replica counts, and ${request.release} has an autoscaler that sets them`,
      { hint: 'use traffic-router: gateway or istio, or deploy without autoscaling' },
    );
  }
  return new ReplicaRouter({
    client,
    stable: stable.deployment,
    canary: canary.deployment,
    total,
    logger: request.logger,
    waitReady: (d) => requireReady(ctx, d),
  });
}

/** Pods the new version runs at a weight; behind a router the stable keeps its full size. */
export function canaryReplicas(total: number, weight: number): number {
  return Math.max(1, Math.ceil((total * weight) / 100));
}

function withReplicas(deployment: KubeObject, replicas: number): KubeObject {
  const copy = structuredClone(deployment);
  deploymentSpec(copy).replicas = replicas;
  return copy;
}

interface CanaryRun {
  ctx: StrategyContext;
  canary: SideBySide;
  router: TrafficRouter;
  /** The replica count the release asks for. */
  total: number;
  /** The router moves the traffic, so the canary is sized to its weight. */
  byRouter: boolean;
  added: KubeObject[];
  base: Omit<RolloutState, 'updated' | 'step' | 'weight' | 'phase'>;
  target: AnalysisTarget;
}

export async function runCanary(ctx: StrategyContext): Promise<StrategyOutcome> {
  const { request } = ctx;
  const { steps } = request;
  const run = await startCanary(ctx);
  const reports: StepReport[] = [];
  for (let index = Math.min(ctx.resumeStep, steps.length - 1); index < steps.length; index++) {
    checkStop(request);
    const result = await canaryStep(run, index, reports);
    if ('release' in result) return result;
    reports.push(result);
  }
  checkStop(request);
  await ctx.states.write({ ...run.base, step: steps.length - 1, weight: 100, phase: 'promoting' });
  const release = await promote(ctx, run.added);
  return {
    ...emptyOutcome(ctx, release),
    promoted: release.failure === undefined,
    step: steps.length,
    steps: reports,
  };
}

/** The canary's Deployment and Service beside the stable ones, at no traffic yet. */
async function startCanary(ctx: StrategyContext): Promise<CanaryRun> {
  const { request, client } = ctx;
  const { steps } = request;
  const total = totalReplicas(ctx);
  const byRouter = request.router !== 'replicas';
  const canary = sideBySide(ctx.next, request.release, 'canary', {
    replicas: byRouter ? canaryReplicas(total, steps[0]?.weight ?? 1) : 0,
    shareService: !byRouter,
  });
  const router = makeRouter(ctx, canary, total);
  const added = [canary.service, canary.deployment, ...router.extraObjects];
  const run: CanaryRun = {
    ctx,
    canary,
    router,
    total,
    byRouter,
    added,
    base: stateBase(ctx, added),
    target: {
      namespace: request.namespace,
      service: canary.service.metadata.name,
      port: servicePort(canary.service),
      release: request.release,
      canaryDeployment: canary.deployment.metadata.name,
      stableDeployment: ctx.stable.deployment.metadata.name,
    },
  };
  const start = Math.min(ctx.resumeStep, steps.length - 1);
  await ctx.states.write({ ...run.base, step: start, weight: 0, phase: 'progressing' });
  request.logger.info(
    `canary of ${request.image}: ${steps.map(describeStep).join(', ')} via ${router.name}`,
  );
  await applyObjects(client, [canary.service, canary.deployment]);
  return run;
}

function describeStep(step: CanaryStep): string {
  return `${step.weight}%${step.holdMs ? ` for ${formatDuration(step.holdMs)}` : ''}`;
}

/** One step: the canary sized and given its weight, then analysed for the hold. */
async function canaryStep(
  run: CanaryRun,
  index: number,
  reports: StepReport[],
): Promise<StepReport | StrategyOutcome> {
  const { ctx } = run;
  const { request } = ctx;
  const step = request.steps[index]!;
  const number = index + 1;
  const started = Date.now();
  await ctx.states.write({ ...run.base, step: index, weight: step.weight, phase: 'progressing' });
  let actual: number;
  try {
    actual = await shiftTraffic(run, step.weight);
  } catch (err) {
    if (!(err instanceof NotReady)) throw err;
    const message = `the new version did not become ready: ${err.outcome.message}`;
    return abort(
      run,
      reports,
      number,
      step.weight,
      err.outcome.reason,
      message,
      err.outcome.diagnosis,
    );
  }
  request.logger.info(
    `step ${number}/${request.steps.length}: ${actual}% of traffic to ${request.image}${step.holdMs ? `, holding ${formatDuration(step.holdMs)}` : ''}`,
  );
  await request.onStep?.({ phase: 'step', step: number, weight: actual });
  const analyses = await analyseDuring(ctx, step.holdMs, run.target);
  const report = stepReport(number, step.weight, actual, analyses, started);
  if (report.verdict === 'passed') return report;
  const message = `analysis failed: ${analyses[analyses.length - 1]!.verdict}`;
  return abort(run, [...reports, report], number, step.weight, 'AnalysisFailed', message);
}

/** Sizes the canary for the weight (behind a router) and sets the weight; returns the one given. */
async function shiftTraffic(run: CanaryRun, weight: number): Promise<number> {
  if (run.byRouter) {
    const sized = withReplicas(run.canary.deployment, canaryReplicas(run.total, weight));
    await applyObjects(run.ctx.client, [sized]);
    const ready = await waitReady(run.ctx, sized);
    if (!ready.ok) throw new NotReady(ready);
  }
  return run.router.setWeight(weight);
}

async function abort(
  run: CanaryRun,
  reports: StepReport[],
  step: number,
  weight: number,
  reason: string,
  message: string,
  diagnosis = '',
): Promise<StrategyOutcome> {
  const { request } = run.ctx;
  request.logger.error(
    `canary of ${request.image} failed at step ${step} (${weight}%): ${message}`,
    {
      title: `canary of ${request.release} withdrawn`,
    },
  );
  const release = await withdraw(run.ctx, run.added, reason, message, diagnosis);
  return withdrawnOutcome(run.ctx, release, reports, { step, weight, verdict: message });
}
