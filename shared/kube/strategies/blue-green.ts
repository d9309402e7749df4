import { formatDuration } from '../../common/duration.ts';
import { applyObjects } from '../apply.ts';
import {
  analyseDuring,
  checkStop,
  emptyOutcome,
  promote,
  stateBase,
  totalReplicas,
  waitReady,
  withdraw,
  type StrategyContext,
} from './context.ts';
import type { StepReport, StrategyOutcome } from './types.ts';
import { serviceSpec, servicePort, sideBySide } from './workload.ts';

/**
 * Blue-green: the new version comes up in full beside the old one, behind
 * its own preview Service, and is analysed there. Then the main Service's
 * selector switches to it at once. The old pods stay for scale-down-delay
 * while the analysis keeps running through the main Service; a failure in
 * that time switches straight back to them.
 */
export async function runBlueGreen(ctx: StrategyContext): Promise<StrategyOutcome> {
  const { request, client, stable } = ctx;
  const { logger } = request;
  const preview = sideBySide(ctx.next, request.release, 'preview', {
    replicas: totalReplicas(ctx),
    shareService: false,
  });
  const added = [preview.service, preview.deployment];
  const base = stateBase(ctx, added);
  const reports: StepReport[] = [];
  const target = {
    namespace: request.namespace,
    service: preview.service.metadata.name,
    port: servicePort(preview.service),
    release: request.release,
    canaryDeployment: preview.deployment.metadata.name,
    stableDeployment: stable.deployment.metadata.name,
  };
  const fail = async (step: number, reason: string, message: string, diagnosis = '') => {
    logger.error(`blue-green of ${request.image} failed: ${message}`, {
      title: `blue-green of ${request.release} withdrawn`,
    });
    const release = await withdraw(ctx, added, reason, message, diagnosis);
    return {
      ...emptyOutcome(ctx, release),
      promoted: false,
      step,
      steps: reports,
      aborted: { step, weight: step === 2 ? 100 : 0, verdict: message },
    };
  };

  await ctx.states.write({ ...base, step: 0, weight: 0, phase: 'progressing' });
  logger.info(
    `blue-green: ${request.image} comes up as ${preview.deployment.metadata.name} behind the preview Service ${preview.service.metadata.name}`,
  );
  await applyObjects(client, added);
  const ready = await waitReady(ctx, preview.deployment);
  if (!ready.ok) {
    return fail(
      1,
      ready.reason,
      `the new version did not become ready: ${ready.message}`,
      ready.diagnosis,
    );
  }
  await request.onStep?.({ phase: 'step', step: 1, weight: 0 });
  let started = Date.now();
  const previewChecks = await analyseDuring(ctx, 0, target);
  reports.push({
    step: 1,
    weight: 0,
    actualWeight: 0,
    analyses: previewChecks,
    verdict: previewChecks.every((a) => a.passed) ? 'passed' : 'failed',
    durationMs: Date.now() - started,
  });
  if (reports[0]!.verdict === 'failed') {
    return fail(
      1,
      'AnalysisFailed',
      `analysis of the preview failed: ${previewChecks.at(-1)!.verdict}`,
    );
  }

  checkStop(request);
  const switched = structuredClone(stable.service);
  serviceSpec(switched).selector = preview.podSelector;
  await applyObjects(client, [switched]);
  await ctx.states.write({ ...base, step: 1, weight: 100, phase: 'switched' });
  logger.info(
    `switched ${stable.service.metadata.name} to ${request.image}; the previous version stays up for ${formatDuration(request.scaleDownDelayMs)} for an instant switch back`,
  );
  await request.onStep?.({ phase: 'switched', step: 2, weight: 100 });
  started = Date.now();
  const liveChecks = await analyseDuring(ctx, request.scaleDownDelayMs, {
    ...target,
    service: stable.service.metadata.name,
    port: servicePort(stable.service),
  });
  reports.push({
    step: 2,
    weight: 100,
    actualWeight: 100,
    analyses: liveChecks,
    verdict: liveChecks.every((a) => a.passed) ? 'passed' : 'failed',
    durationMs: Date.now() - started,
  });
  if (reports[1]!.verdict === 'failed') {
    // The old pods never went away: restoring the selector is the whole switch back.
    await applyObjects(client, [stable.service]);
    logger.info(
      `switched ${stable.service.metadata.name} back to revision ${ctx.serving.revision}`,
    );
    await request.onStep?.({ phase: 'switched-back', step: 2, weight: 0 });
    return fail(
      2,
      'AnalysisFailed',
      `analysis after the switch failed: ${liveChecks.at(-1)!.verdict}`,
    );
  }
  checkStop(request);
  await ctx.states.write({ ...base, step: 1, weight: 100, phase: 'promoting' });
  const release = await promote(ctx, added);
  return {
    ...emptyOutcome(ctx, release),
    promoted: release.failure === undefined,
    step: 2,
    steps: reports,
  };
}
