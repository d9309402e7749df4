import type { Logger } from '../common/logger.ts';

/**
 * A GitHub Deployment for the environment, so the repository's Environments
 * page shows what runs where, with its URL. Deployments are a convenience:
 * when the API refuses (no token, missing `deployments: write`), the deploy
 * itself still goes ahead and a warning says why.
 */

export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'error';

export interface GithubDeployment {
  id: number;
  setStatus(
    state: DeploymentState,
    details?: { url?: string; description?: string },
  ): Promise<void>;
}

export interface DeploymentRequest {
  token: string | undefined;
  environment: string | undefined;
  description: string;
  payload: Record<string, unknown>;
  logger: Logger;
}

export async function startGithubDeployment(
  request: DeploymentRequest,
): Promise<GithubDeployment | undefined> {
  if (!request.token || !request.environment) return undefined;
  const repository = process.env.GITHUB_REPOSITORY;
  const ref = process.env.GITHUB_SHA;
  if (!repository || !ref) return undefined;
  const [owner, repo] = repository.split('/') as [string, string];
  // The GitHub API client loads only for a run that records a deployment.
  const github = await import('@actions/github');
  const octokit = github.getOctokit(request.token, {
    ...(process.env.GITHUB_API_URL ? { baseUrl: process.env.GITHUB_API_URL } : {}),
  });
  let id: number;
  try {
    const created = await octokit.rest.repos.createDeployment({
      owner,
      repo,
      ref,
      environment: request.environment,
      description: request.description.slice(0, 140),
      auto_merge: false,
      required_contexts: [],
      transient_environment: false,
      payload: request.payload,
    });
    if (!('id' in created.data)) {
      request.logger.warning(`GitHub did not create a deployment: ${JSON.stringify(created.data)}`);
      return undefined;
    }
    id = created.data.id;
  } catch (err) {
    request.logger.warning(
      `could not create a GitHub deployment for ${request.environment}: ${(err as Error).message} ` +
        '(give the job `permissions: deployments: write`)',
    );
    return undefined;
  }
  return {
    id,
    async setStatus(state, details = {}) {
      try {
        await octokit.rest.repos.createDeploymentStatus({
          owner,
          repo,
          deployment_id: id,
          state,
          ...(details.url ? { environment_url: details.url } : {}),
          ...(details.description ? { description: details.description.slice(0, 140) } : {}),
          ...(process.env.GITHUB_SERVER_URL && process.env.GITHUB_RUN_ID
            ? {
                log_url: `${process.env.GITHUB_SERVER_URL}/${repository}/actions/runs/${process.env.GITHUB_RUN_ID}`,
              }
            : {}),
          auto_inactive: state === 'success',
        });
      } catch (err) {
        request.logger.warning(
          `could not update the GitHub deployment status: ${(err as Error).message}`,
        );
      }
    },
  };
}
