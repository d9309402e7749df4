import { formatDuration } from '../../common/duration.ts';
import { waitForServiceEndpoints } from '../service-endpoints.ts';
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
import { waitReady } from './readiness.ts';
import { checkStop } from './stop.ts';
import type { StepReport, StrategyOutcome } from './types.ts';
import { serviceSpec, servicePort, sideBySide, type SideBySide } from './workload.ts';
import { withdraw } from './withdraw.ts';

/**
 * Blue-green: the new version comes up in full beside the old one, behind
 * its own preview Service, and is analysed there. Then the main Service's
 * selector switches to it at once. The old pods stay for scale-down-delay
 * while the analysis keeps running through the main Service; a failure in
 * that time switches straight back to them.
 */
export async function runBlueGreen(ctx: StrategyContext): Promise<StrategyOutcome> {
  const { request, stable } = ctx;
  const preview = sideBySide(ctx.next, request.release, 'preview', {
    replicas: totalReplicas(ctx),
    shareService: false,
  });
  const run: BlueGreenRun = {
    ctx,
    preview,
    added: [preview.service, preview.deployment],
    target: {
      namespace: request.namespace,
      service: preview.service.metadata.name,
      port: servicePort(preview.service),
      release: request.release,
      canaryDeployment: preview.deployment.metadata.name,
      stableDeployment: stable.deployment.metadata.name,
    },
  };
  const first = await previewStep(run);
  if ('release' in first) return first;
  checkStop(request);
  const second = await switchStep(run, [first]);
  if ('release' in second) return second;
  checkStop(request);
  await ctx.states.write({
    ...stateBase(ctx, run.added),
    step: 1,
    weight: 100,
    phase: 'promoting',
  });
  const release = await promote(ctx, run.added);
  return {
    ...emptyOutcome(ctx, release),
    promoted: release.failure === undefined,
    step: 2,
    steps: [first, second],
  };
}

interface BlueGreenRun {
  ctx: StrategyContext;
  preview: SideBySide;
  added: KubeObject[];
  /** The preview Service, where the new version is analysed before the switch. */
  target: AnalysisTarget;
}

/** Step 1: the new version up in full behind its preview Service, and analysed there. */
async function previewStep(run: BlueGreenRun): Promise<StepReport | StrategyOutcome> {
  const { ctx, preview } = run;
  const { request } = ctx;
  await ctx.states.write({
    ...stateBase(ctx, run.added),
    step: 0,
    weight: 0,
    phase: 'progressing',
  });
  request.logger.info(
    `blue-green: ${request.image} comes up as ${preview.deployment.metadata.name} behind the preview Service ${preview.service.metadata.name}`,
  );
  await applyObjects(ctx.client, run.added);
  const ready = await waitReady(ctx, preview.deployment);
  if (!ready.ok) {
    const message = `the new version did not become ready: ${ready.message}`;
    return fail(run, [], 1, ready.reason, message, ready.diagnosis);
  }
  await request.onStep?.({ phase: 'step', step: 1, weight: 0 });
  const started = Date.now();
  const report = stepReport(1, 0, 0, await analyseDuring(ctx, 0, run.target), started);
  if (report.verdict === 'failed') {
    const verdict = report.analyses.at(-1)!.verdict;
    return fail(run, [report], 1, 'AnalysisFailed', `analysis of the preview failed: ${verdict}`);
  }
  return report;
}

/** How long the Service's endpoints may take to follow its new selector before the analysis goes on regardless. */
const SWITCH_SETTLE_MS = 30_000;

/** Waits until the main Service's endpoints are the preview pods, so the analysis sees the new version. */
async function awaitSwitch({ ctx, preview }: BlueGreenRun): Promise<void> {
  const service = ctx.stable.service.metadata;
  const moved = await waitForServiceEndpoints(ctx.client, {
    namespace: service.namespace ?? ctx.request.namespace,
    service: service.name,
    selector: preview.podSelector,
    timeoutMs: SWITCH_SETTLE_MS,
  });
  if (!moved) {
    ctx.request.logger.warning(
      `the endpoints of Service ${service.name} had not moved to the new pods ${formatDuration(SWITCH_SETTLE_MS)} after the switch; the analysis may see some old answers`,
    );
  }
}

/** Step 2: the main Service switched to the new version, analysed while the old pods wait. */
async function switchStep(
  run: BlueGreenRun,
  reports: StepReport[],
): Promise<StepReport | StrategyOutcome> {
  const { ctx, preview } = run;
  const { request, stable, client } = ctx;
  const switched = structuredClone(stable.service);
  serviceSpec(switched).selector = preview.podSelector;
  await applyObjects(client, [switched]);
  await awaitSwitch(run);
  await ctx.states.write({ ...stateBase(ctx, run.added), step: 1, weight: 100, phase: 'switched' });
  request.logger.info(
    `switched ${stable.service.metadata.name} to ${request.image}; the previous version stays up for ${formatDuration(request.scaleDownDelayMs)} for an instant switch back`,
  );
  await request.onStep?.({ phase: 'switched', step: 2, weight: 100 });
  const started = Date.now();
  const analyses = await analyseDuring(ctx, request.scaleDownDelayMs, {
    ...run.target,
    service: stable.service.metadata.name,
    port: servicePort(stable.service),
  });
  const report = stepReport(2, 100, 100, analyses, started);
  if (report.verdict === 'passed') return report;
  // The old pods never went away: restoring the selector is the whole switch back.
  await applyObjects(client, [stable.service]);
  request.logger.info(
    `switched ${stable.service.metadata.name} back to revision ${ctx.serving.revision}`,
  );
  await request.onStep?.({ phase: 'switched-back', step: 2, weight: 0 });
  const message = `analysis after the switch failed: ${analyses.at(-1)!.verdict}`;
  return fail(run, [...reports, report], 2, 'AnalysisFailed', message);
}

async function fail(
  run: BlueGreenRun,
  reports: StepReport[],
  step: number,
  reason: string,
  message: string,
  diagnosis = '',
): Promise<StrategyOutcome> {
  const { request } = run.ctx;
  request.logger.error(`blue-green of ${request.image} failed: ${message}`, {
    title: `blue-green of ${request.release} withdrawn`,
  });
  const release = await withdraw(run.ctx, run.added, reason, message, diagnosis);
  return withdrawnOutcome(run.ctx, release, reports, {
    step,
    weight: step === 2 ? 100 : 0,
    verdict: message,
  });
}
