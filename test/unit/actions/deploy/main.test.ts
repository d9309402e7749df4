import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getInputs } from '../../../../actions/deploy/main.ts';
import { withActionEnv, type ActionEnv } from '../../../support/actions-env.ts';

const IMAGE = `reg.example/iris@sha256:${'f'.repeat(64)}`;

describe('the inputs of deploy', () => {
  let env: ActionEnv | undefined;
  let dir: string | undefined;
  afterEach(() => {
    env?.restore();
    if (dir) rmSync(dir, { recursive: true, force: true });
    env = undefined;
    dir = undefined;
  });

  it('read into the request with the defaults of action.yml', () => {
    env = withActionEnv({ name: 'iris', image: IMAGE });
    const request = getInputs();
    expect(request).toMatchObject({
      cluster: { kind: 'default' },
      namespace: 'default',
      name: 'iris',
      image: IMAGE,
      replicas: 1,
      expose: 'cluster-ip',
      prune: true,
      historyLimit: 10,
      addressTimeoutMs: 300_000,
    });
    expect(request.runtime).toBeUndefined();
    expect(request.timeoutMs).toBeUndefined();
    expect(request.readOnlyRootFilesystem).toBeUndefined();
    expect(request.strategy).toMatchObject({
      strategy: 'rolling',
      router: 'replicas',
      modelGiven: false,
      protocolGiven: false,
    });
    expect(request.strategy.analysis.smoke.target.model).toBe('iris');
  });

  it('read the optional settings and the canary, its request from a file', () => {
    dir = mkdtempSync(join(tmpdir(), 'md-deploy-inputs-'));
    writeFileSync(join(dir, 'request.json'), '{"inputs": [1]}');
    env = withActionEnv(
      {
        name: 'iris',
        image: IMAGE,
        'cloud-profile': 'GCP',
        timeout: '3m',
        'read-only-root-filesystem': 'false',
        resources: '{cpu: 500m, memory: 1Gi}',
        expose: 'gateway',
        host: 'iris.example.com',
        strategy: 'canary',
        'canary-steps': '25%:1s, 100%',
        model: 'iris-model',
        protocol: 'v2',
        request: 'request.json',
      },
      { GITHUB_WORKSPACE: dir },
    );
    const request = getInputs();
    expect(request).toMatchObject({
      cloudProfile: 'gcp',
      timeoutMs: 180_000,
      readOnlyRootFilesystem: false,
      resources: { cpu: '500m', memory: '1Gi' },
    });
    expect(request.strategy).toMatchObject({
      strategy: 'canary',
      router: 'gateway',
      modelGiven: true,
      protocolGiven: true,
      steps: [
        { weight: 25, holdMs: 1000 },
        { weight: 100, holdMs: 0 },
      ],
    });
    expect(request.strategy.analysis.smoke).toMatchObject({
      protocol: 'v2',
      request: { inputs: [1] },
      http: { method: 'POST' },
      target: { model: 'iris-model' },
    });
  });

  it('need no image for a restore', () => {
    env = withActionEnv({ name: 'iris', 'rollback-to': 'previous' });
    expect(getInputs()).toMatchObject({ image: '', rollbackTo: 'previous' });
    env.restore();
    env = withActionEnv({ name: 'iris' });
    expect(() => getInputs()).toThrow(/input 'image' is required/);
  });
});
