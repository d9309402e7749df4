import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  kubectlJson,
  runDeploy,
  startWorld,
  type DeployWorld,
} from '../../support/deploy-fixture.ts';

let world: DeployWorld;
let dir: string;
beforeAll(async () => {
  world = await startWorld();
  dir = mkdtempSync(join(tmpdir(), 'md-kubeconfig-users-'));
}, 120_000);
afterAll(async () => {
  await world?.stop();
});

const inputs = (name: string) => ({
  namespace: 'users',
  name,
  image: world.images.v1.digestRef,
  'health-path': '/',
  timeout: '60s',
});

describe('kubeconfig users', () => {
  it('the runner KUBECONFIG is used when no cluster is given', async () => {
    const result = await runDeploy(inputs('default'), { KUBECONFIG: world.cluster.kubeconfigPath });
    expect(result.failure).toBe('');
    expect(result.summary).toContain('| cluster | kubeconfig |');
    expect(
      (
        await kubectlJson(world.cluster.kubeconfigPath, [
          '-n',
          'users',
          'get',
          'deployment',
          'default',
        ])
      ).status.availableReplicas,
    ).toBe(1);
  });

  it('an exec credential plugin (as cloud CLIs write them) is run and its token used', async () => {
    const plugin = join(dir, 'get-token.sh');
    writeFileSync(
      plugin,
      `#!/bin/sh\necho '${JSON.stringify({
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        kind: 'ExecCredential',
        status: { token: world.cluster.token },
      })}'\n`,
    );
    chmodSync(plugin, 0o700);
    const kubeconfig = join(dir, 'exec-kubeconfig');
    writeFileSync(
      kubeconfig,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: 'c',
            cluster: {
              server: world.cluster.server,
              'certificate-authority-data': Buffer.from(world.cluster.caPem).toString('base64'),
            },
          },
        ],
        users: [
          {
            name: 'u',
            user: {
              exec: {
                apiVersion: 'client.authentication.k8s.io/v1beta1',
                command: plugin,
                interactiveMode: 'Never',
              },
            },
          },
        ],
        contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'x',
      }),
      { mode: 0o600 },
    );
    const result = await runDeploy({ ...inputs('exec'), cluster: `kubeconfig:${kubeconfig}` });
    expect(result.failure).toBe('');
    expect(result.outputs.status).toBe('deployed');
    expect(result.log).toContain(`::add-mask::${world.cluster.token}`);
  });

  it('says when there is no kubeconfig at all', async () => {
    const result = await runDeploy(inputs('none'), { KUBECONFIG: '', HOME: dir });
    expect(result.ok).toBe(false);
    expect(result.failure).toContain(
      "input 'cluster' was not given and this runner has no KUBECONFIG",
    );
  });
});
