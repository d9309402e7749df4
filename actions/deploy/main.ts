import { actionsLogger, group, runAction, setOutput } from '../../shared/action/index.ts';
import { startGithubDeployment } from '../../shared/action/deployments.ts';
import { JobSummary } from '../../shared/action/summary.ts';
import type { Logger } from '../../shared/common/logger.ts';
import type {
  DeployHooks,
  DeployRequest,
  DeployResult,
} from '../../shared/orchestrators/deploy-release.ts';
import { getInputs } from './inputs.ts';

export { getInputs };

export interface RunOptions {
  logger?: Logger;
  /** Rollout watch tuning for tests. */
  pollMs?: number;
  hopelessAfterMs?: number;
}

export async function run(options: RunOptions = {}): Promise<boolean> {
  const logger = options.logger ?? actionsLogger;
  return runAction('deploy', async () => {
    let result: DeployResult;
    try {
      const request = getInputs();
      // The Kubernetes side loads once the inputs hold: a wrong input fails at once.
      const { deployRelease } = await import('../../shared/orchestrators/deploy-release.ts');
      result = await deployRelease(request, hooks(request, logger, options));
    } catch (err) {
      setOutput('status', 'failed');
      throw err;
    }
    const { setDeployOutputs, writeDeploySummary } = await import('./summary.ts');
    setDeployOutputs(result);
    const summary = new JobSummary(`Deploy ${result.request.name}`);
    writeDeploySummary(summary, result);
    await summary.write();
    if (result.error !== undefined) throw result.error;
  });
}

function hooks(request: DeployRequest, logger: Logger, options: RunOptions): DeployHooks {
  return {
    logger,
    group,
    startDeployment: (start) =>
      startGithubDeployment({
        ...start,
        token: request.token,
        environment: request.environment,
        logger,
      }),
    pollMs: options.pollMs,
    hopelessAfterMs: options.hopelessAfterMs,
  };
}
