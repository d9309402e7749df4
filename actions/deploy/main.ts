import { actionsLogger, group, runAction, setOutput } from '../../shared/action/index.ts';
import { startGithubDeployment } from '../../shared/action/deployments.ts';
import { JobSummary } from '../../shared/action/summary.ts';
import type { Logger } from '../../shared/common/logger.ts';
import {
  deployRelease,
  type DeployHooks,
  type DeployRequest,
  type DeployResult,
} from '../../shared/orchestrators/deploy-release.ts';
import { getInputs } from './inputs.ts';
import { setDeployOutputs, writeDeploySummary } from './summary.ts';

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
      result = await deployRelease(request, hooks(request, logger, options));
    } catch (err) {
      setOutput('status', 'failed');
      throw err;
    }
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
