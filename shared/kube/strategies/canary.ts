import { UserError } from '../../common/errors.ts';
import { formatDuration } from '../../common/duration.ts';
import { applyObjects } from '../apply.ts';
import type { KubeObject } from '../objects.ts';
import {
  analyseDuring,
  checkStop,
  emptyOutcome,
  NotReady,
  promote,
  requireReady,
  stateBase,
  totalReplicas,
  waitReady,
  withdraw,
  type StrategyContext,
} from './context.ts';
import { AmbassadorRouter } from './ambassador-router.ts';
import { GatewayRouter } from './gateway-router.ts';
import { canaryDestinationRule, IstioRouter } from './istio-router.ts';
import { ReplicaRouter } from './replica-router.ts';
import type { TrafficRouter } from './traffic-router.ts';
import type { StepReport, StrategyOutcome } from './types.ts';
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
function canaryReplicas(total: number, weight: number): number {
  return Math.max(1, Math.ceil((total * weight) / 100));
}

function withReplicas(deployment: KubeObject, replicas: number): KubeObject {
  const copy = structuredClone(deployment);
  deploymentSpec(copy).replicas = replicas;
  return copy;
}

export async function runCanary(ctx: StrategyContext): Promise<StrategyOutcome> {
  const { request, client } = ctx;
  const { logger, steps } = request;
  const total = totalReplicas(ctx);
  const byRouter = request.router !== 'replicas';
  const canary = sideBySide(ctx.next, request.release, 'canary', {
    replicas: byRouter ? canaryReplicas(total, steps[0]?.weight ?? 1) : 0,
    shareService: !byRouter,
  });
  const router = makeRouter(ctx, canary, total);
  const added = [canary.service, canary.deployment, ...router.extraObjects];
  const reports: StepReport[] = [];
  const target = {
    namespace: request.namespace,
    service: canary.service.metadata.name,
    port: servicePort(canary.service),
    release: request.release,
    canaryDeployment: canary.deployment.metadata.name,
    stableDeployment: ctx.stable.deployment.metadata.name,
  };
  const base = stateBase(ctx, added);
  const start = Math.min(ctx.resumeStep, steps.length - 1);
  await ctx.states.write({ ...base, step: start, weight: 0, phase: 'progressing' });
  logger.info(
    `canary of ${request.image}: ${steps.map((s) => `${s.weight}%${s.holdMs ? ` for ${formatDuration(s.holdMs)}` : ''}`).join(', ')} via ${router.name}`,
  );
  await applyObjects(client, [canary.service, canary.deployment]);

  const abort = async (
    step: number,
    weight: number,
    reason: string,
    message: string,
    diagnosis = '',
  ) => {
    logger.error(`canary of ${request.image} failed at step ${step} (${weight}%): ${message}`, {
      title: `canary of ${request.release} withdrawn`,
    });
    const release = await withdraw(ctx, added, reason, message, diagnosis);
    return {
      ...emptyOutcome(ctx, release),
      promoted: false,
      step,
      steps: reports,
      aborted: { step, weight, verdict: message },
    };
  };

  for (let index = start; index < steps.length; index++) {
    checkStop(request);
    const step = steps[index]!;
    const number = index + 1;
    const started = Date.now();
    await ctx.states.write({ ...base, step: index, weight: step.weight, phase: 'progressing' });
    let actual: number;
    try {
      if (byRouter) {
        const sized = withReplicas(canary.deployment, canaryReplicas(total, step.weight));
        await applyObjects(client, [sized]);
        const ready = await waitReady(ctx, sized);
        if (!ready.ok) throw new NotReady(ready);
      }
      actual = await router.setWeight(step.weight);
    } catch (err) {
      if (!(err instanceof NotReady)) throw err;
      return abort(
        number,
        step.weight,
        err.outcome.reason,
        `the new version did not become ready: ${err.outcome.message}`,
        err.outcome.diagnosis,
      );
    }
    logger.info(
      `step ${number}/${steps.length}: ${actual}% of traffic to ${request.image}${step.holdMs ? `, holding ${formatDuration(step.holdMs)}` : ''}`,
    );
    await request.onStep?.({ phase: 'step', step: number, weight: actual });
    const analyses = await analyseDuring(ctx, step.holdMs, target);
    const passed = analyses.every((a) => a.passed);
    reports.push({
      step: number,
      weight: step.weight,
      actualWeight: actual,
      analyses,
      verdict: passed ? 'passed' : 'failed',
      durationMs: Date.now() - started,
    });
    if (!passed) {
      const verdict = analyses[analyses.length - 1]!.verdict;
      return abort(number, step.weight, 'AnalysisFailed', `analysis failed: ${verdict}`);
    }
  }
  checkStop(request);
  await ctx.states.write({ ...base, step: steps.length - 1, weight: 100, phase: 'promoting' });
  const release = await promote(ctx, added);
  return {
    ...emptyOutcome(ctx, release),
    promoted: release.failure === undefined,
    step: steps.length,
    steps: reports,
  };
}
