import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDeploy, startWorld, type DeployWorld } from '../../support/deploy-fixture.ts';

/**
 * The two GitHub REST endpoints deploy uses (create a deployment, add a
 * status), recorded as a local stand-in of api.github.com.
 */
interface Call {
  method: string;
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
}

let world: DeployWorld;
let api: Server;
let apiUrl: string;
const calls: Call[] = [];

beforeAll(async () => {
  world = await startWorld();
  api = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = chunks.length
        ? (JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>)
        : {};
      calls.push({
        method: req.method ?? '',
        path: req.url ?? '',
        authorization: req.headers.authorization,
        body,
      });
      res.setHeader('content-type', 'application/json');
      if (req.method === 'POST' && req.url === '/repos/octo/models/deployments') {
        res.statusCode = 201;
        res.end(JSON.stringify({ id: 4242, environment: body.environment }));
      } else if (
        req.method === 'POST' &&
        req.url === '/repos/octo/models/deployments/4242/statuses'
      ) {
        res.statusCode = 201;
        res.end(JSON.stringify({ id: calls.length, state: body.state }));
      } else {
        res.statusCode = 404;
        res.end(JSON.stringify({ message: 'Not Found' }));
      }
    });
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => {
  api?.closeAllConnections();
  await new Promise<void>((resolve) => (api ? api.close(() => resolve()) : resolve()));
  await world?.stop();
});

const github = () => ({
  GITHUB_API_URL: apiUrl,
  GITHUB_REPOSITORY: 'octo/models',
  GITHUB_SHA: 'a'.repeat(40),
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_RUN_ID: '77',
  GITHUB_ACTOR: 'octocat',
});

describe('GitHub Deployments', () => {
  it('records a deployment with in_progress then success and the environment URL', async () => {
    calls.length = 0;
    const result = await runDeploy(
      {
        cluster: `kubeconfig:${world.cluster.kubeconfigPath}`,
        namespace: 'gh',
        name: 'echo',
        image: world.images.v1.digestRef,
        'health-path': '/',
        environment: 'production',
        token: 'ghs_deploytoken',
      },
      github(),
    );
    expect(result.failure).toBe('');
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'POST /repos/octo/models/deployments',
      'POST /repos/octo/models/deployments/4242/statuses',
      'POST /repos/octo/models/deployments/4242/statuses',
    ]);
    expect(calls[0]?.authorization).toBe('token ghs_deploytoken');
    expect(calls[0]?.body).toMatchObject({
      ref: 'a'.repeat(40),
      environment: 'production',
      auto_merge: false,
      required_contexts: [],
    });
    expect(calls[1]?.body).toMatchObject({ state: 'in_progress' });
    expect(calls[2]?.body).toMatchObject({
      state: 'success',
      environment_url: 'http://echo.gh.svc.cluster.local',
      log_url: 'https://github.com/octo/models/actions/runs/77',
    });
    // Masked the moment it is read, and never printed otherwise.
    const lines = result.log.split('\n').filter((l) => l.includes('ghs_deploytoken'));
    expect(lines).toEqual(['::add-mask::ghs_deploytoken']);
  });

  it('marks the deployment failed when the rollout fails', async () => {
    calls.length = 0;
    const result = await runDeploy(
      {
        cluster: `kubeconfig:${world.cluster.kubeconfigPath}`,
        namespace: 'gh',
        name: 'echo',
        image: `${world.registry.host}/models/echo@sha256:${'1'.repeat(64)}`,
        // Given, so deploy does not read the (missing) image for its runtime and stop early.
        runtime: 'custom',
        'health-path': '/',
        environment: 'production',
        token: 'ghs_deploytoken',
      },
      github(),
    );
    expect(result.ok).toBe(false);
    expect(calls.at(-1)?.body).toMatchObject({ state: 'failure' });
    expect(String(calls.at(-1)?.body.description)).toMatch(
      /failed: (ImagePullBackOff|ErrImagePull)/,
    );
  });
});
