import { once } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startGithubDeployment } from '../../../shared/action/deployments.ts';
import { silentLogger, type Logger } from '../../../shared/common/logger.ts';

interface Recorded {
  method: string;
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
}

/**
 * A test double of GitHub's REST API for deployments, as documented:
 * `POST /repos/{owner}/{repo}/deployments` answers 201 with the deployment
 * (or 202 with a message when it merged the default branch instead), and
 * `POST /repos/{owner}/{repo}/deployments/{id}/statuses` answers 201. A token
 * without `deployments: write` gets 403 "Resource not accessible by integration".
 */
async function startDeploymentsApi() {
  const requests: Recorded[] = [];
  let nextId = 41;
  const mode = {
    create: 'ok' as 'ok' | 'merged' | 'forbidden',
    statuses: 'ok' as 'ok' | 'forbidden',
  };
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };
  const forbidden = {
    message: 'Resource not accessible by integration',
    documentation_url: 'https://docs.github.com/rest/deployments/deployments#create-a-deployment',
    status: '403',
  };
  const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      requests.push({
        method: req.method ?? '',
        path,
        authorization: req.headers.authorization,
        body,
      });
      if (req.method === 'POST' && /^\/repos\/[^/]+\/[^/]+\/deployments$/.test(path)) {
        if (mode.create === 'forbidden') return send(res, 403, forbidden);
        if (mode.create === 'merged')
          return send(res, 202, { message: 'Auto-merged main into topic on deployment.' });
        const id = ++nextId;
        return send(res, 201, { id, url: `http://127.0.0.1${path}/${id}`, ...body });
      }
      const status = /^\/repos\/[^/]+\/[^/]+\/deployments\/(\d+)\/statuses$/.exec(path);
      if (req.method === 'POST' && status) {
        if (mode.statuses === 'forbidden') return send(res, 403, forbidden);
        return send(res, 201, { id: 1, state: body.state });
      }
      send(res, 404, { message: 'Not Found' });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    mode,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function recording() {
  const warnings: string[] = [];
  const logger: Logger = { ...silentLogger, warning: (m) => warnings.push(m) };
  return { logger, warnings };
}

describe('GitHub deployments against a deployments API double', () => {
  let api: Awaited<ReturnType<typeof startDeploymentsApi>>;
  const saved = { ...process.env };
  beforeAll(async () => {
    api = await startDeploymentsApi();
  });
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    api.mode.create = 'ok';
    api.mode.statuses = 'ok';
    api.requests.length = 0;
  });
  afterAll(async () => {
    await api?.close();
  });

  function actionsEnv(extra: Record<string, string> = {}) {
    // No run to link to unless the test gives one.
    delete process.env.GITHUB_SERVER_URL;
    delete process.env.GITHUB_RUN_ID;
    Object.assign(process.env, {
      GITHUB_API_URL: api.url,
      GITHUB_REPOSITORY: 'example-org/models',
      GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
      ...extra,
    });
  }

  it('creates a deployment for the environment at the commit, then reports its states', async () => {
    actionsEnv({ GITHUB_SERVER_URL: 'https://github.example', GITHUB_RUN_ID: '987' });
    const { logger, warnings } = recording();
    const deployment = await startGithubDeployment({
      token: 'ghs_token',
      environment: 'production',
      description: 'fraud-model 1.2 to eks:us-east-1/prod',
      payload: { image: 'r.example/models/fraud@sha256:abc' },
      logger,
    });
    expect(deployment?.id).toBe(42);
    expect(api.requests[0]).toEqual({
      method: 'POST',
      path: '/repos/example-org/models/deployments',
      authorization: 'token ghs_token',
      body: {
        ref: '0123456789abcdef0123456789abcdef01234567',
        environment: 'production',
        description: 'fraud-model 1.2 to eks:us-east-1/prod',
        auto_merge: false,
        required_contexts: [],
        transient_environment: false,
        payload: { image: 'r.example/models/fraud@sha256:abc' },
      },
    });
    await deployment!.setStatus('in_progress');
    await deployment!.setStatus('success', {
      url: 'https://fraud.example.com',
      description: 'serving',
    });
    expect(api.requests.slice(1).map((r) => [r.path, r.body])).toEqual([
      [
        '/repos/example-org/models/deployments/42/statuses',
        {
          state: 'in_progress',
          log_url: 'https://github.example/example-org/models/actions/runs/987',
          auto_inactive: false,
        },
      ],
      [
        '/repos/example-org/models/deployments/42/statuses',
        {
          state: 'success',
          environment_url: 'https://fraud.example.com',
          description: 'serving',
          log_url: 'https://github.example/example-org/models/actions/runs/987',
          auto_inactive: true,
        },
      ],
    ]);
    expect(warnings).toEqual([]);
  });

  it('cuts descriptions to the 140 characters GitHub takes', async () => {
    actionsEnv();
    const long = 'x'.repeat(200);
    const deployment = await startGithubDeployment({
      token: 't',
      environment: 'staging',
      description: long,
      payload: {},
      logger: silentLogger,
    });
    await deployment!.setStatus('failure', { description: long });
    expect(api.requests.map((r) => (r.body.description as string).length)).toEqual([140, 140]);
    // No run to link to without GITHUB_SERVER_URL and GITHUB_RUN_ID; failure leaves others active.
    expect(api.requests[1]!.body).not.toHaveProperty('log_url');
    expect(api.requests[1]!.body.auto_inactive).toBe(false);
  });

  it('does nothing without a token, an environment, a repository or a commit', async () => {
    const base = { description: 'd', payload: {}, logger: silentLogger };
    actionsEnv();
    expect(
      await startGithubDeployment({ ...base, token: undefined, environment: 'prod' }),
    ).toBeUndefined();
    expect(
      await startGithubDeployment({ ...base, token: 't', environment: undefined }),
    ).toBeUndefined();
    expect(
      await startGithubDeployment({ ...base, token: '', environment: 'prod' }),
    ).toBeUndefined();
    delete process.env.GITHUB_SHA;
    expect(
      await startGithubDeployment({ ...base, token: 't', environment: 'prod' }),
    ).toBeUndefined();
    actionsEnv();
    delete process.env.GITHUB_REPOSITORY;
    expect(
      await startGithubDeployment({ ...base, token: 't', environment: 'prod' }),
    ).toBeUndefined();
    expect(api.requests).toEqual([]);
  });

  it('warns with the permission to give when GitHub refuses, and goes on', async () => {
    actionsEnv();
    api.mode.create = 'forbidden';
    const { logger, warnings } = recording();
    const deployment = await startGithubDeployment({
      token: 't',
      environment: 'production',
      description: 'd',
      payload: {},
      logger,
    });
    expect(deployment).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^could not create a GitHub deployment for production: /);
    expect(warnings[0]).toContain('Resource not accessible by integration');
    expect(warnings[0]).toMatch(/permissions: deployments: write/);
  });

  it('warns when GitHub answers without a deployment', async () => {
    actionsEnv();
    api.mode.create = 'merged';
    const { logger, warnings } = recording();
    const deployment = await startGithubDeployment({
      token: 't',
      environment: 'production',
      description: 'd',
      payload: {},
      logger,
    });
    expect(deployment).toBeUndefined();
    expect(warnings).toEqual([
      'GitHub did not create a deployment: {"message":"Auto-merged main into topic on deployment."}',
    ]);
  });

  it('only warns when a status cannot be set', async () => {
    actionsEnv();
    const { logger, warnings } = recording();
    const deployment = await startGithubDeployment({
      token: 't',
      environment: 'production',
      description: 'd',
      payload: {},
      logger,
    });
    api.mode.statuses = 'forbidden';
    await expect(deployment!.setStatus('error')).resolves.toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^could not update the GitHub deployment status: /);
    expect(warnings[0]).toContain('Resource not accessible by integration');
  });
});
