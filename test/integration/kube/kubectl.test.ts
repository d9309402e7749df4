import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { pushBusyboxImage, type PushedImage } from '../../support/images.ts';
import { startCluster, type KubeCluster } from '../../support/kube/cluster.ts';
import { READY_AFTER } from '../../support/kube/kwok.ts';
import { startRegistry, type LocalRegistry } from '../../support/registry.ts';

/**
 * kubectl against the test cluster, as deploy's users and the tests use it:
 * the helper's kubeconfig (its CA, its admin token) works for the pinned
 * kubectl and the machine's, and the rollout verbs behave on kwok pods as
 * they do on a cloud's nodes.
 */
let registry: LocalRegistry;
let v1: PushedImage;
let v2: PushedImage;
let cluster: KubeCluster;

beforeAll(async () => {
  registry = await startRegistry();
  [v1, v2] = [
    await pushBusyboxImage(registry, 'models/web', 'v1'),
    await pushBusyboxImage(registry, 'models/web', 'v2', { cmd: ['sleep', '3600'] }),
  ];
  cluster = await startCluster({ registryHosts: [registry.host] });
}, 3_600_000);

afterAll(async () => {
  await cluster?.stop();
  await registry?.stop();
});

interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Never throws: the exit code is in the result. */
function kubectl(
  args: string[],
  input?: string,
  options: { binary?: string; kubeconfig?: string } = {},
): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile(
      options.binary ?? cluster.binaries.kubectl,
      ['--kubeconfig', options.kubeconfig ?? cluster.kubeconfigPath, ...args],
      { maxBuffer: 16 * 1024 * 1024, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end(input ?? '');
  });
}

async function kubectlOk(args: string[], input?: string): Promise<string> {
  const result = await kubectl(args, input);
  if (result.code !== 0) {
    throw new Error(`kubectl ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  }
  return result.stdout;
}

function appYaml(options: {
  name: string;
  image: string;
  annotations?: Record<string, string>;
  progressDeadlineSeconds?: number;
}): string {
  const labels = { app: options.name };
  return stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: options.name, labels },
    spec: {
      replicas: 2,
      ...(options.progressDeadlineSeconds
        ? { progressDeadlineSeconds: options.progressDeadlineSeconds }
        : {}),
      selector: { matchLabels: labels },
      template: {
        metadata: { labels, ...(options.annotations ? { annotations: options.annotations } : {}) },
        spec: {
          containers: [
            { name: 'app', image: options.image, ports: [{ containerPort: 8080, name: 'http' }] },
          ],
        },
      },
    },
  });
}

describe('kubectl against the test cluster', () => {
  it("trusts the cluster's CA from the kubeconfig, with the pinned kubectl and the machine's", async () => {
    const pinned = JSON.parse(await kubectlOk(['version', '-o', 'json']));
    expect(pinned.serverVersion.gitVersion).toBe('v1.35.4');
    expect(pinned.clientVersion.gitVersion).toBe('v1.35.4');
    const machine = await kubectl(['get', 'nodes', '-o', 'name'], undefined, {
      binary: '/usr/bin/kubectl',
    });
    expect(machine.code).toBe(0);
    expect(machine.stdout).toContain('node/kwok-0');
  });

  it('rejects a wrong token with 401 Unauthorized', async () => {
    const bad = `${cluster.kubeconfigPath}.bad`;
    writeFileSync(
      bad,
      readFileSync(cluster.kubeconfigPath, 'utf8').replace(cluster.token, 'not-the-token'),
      { mode: 0o600 },
    );
    const result = await kubectl(['get', 'pods'], undefined, { kubeconfig: bad });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/Unauthorized|must be logged in/);
  });

  it('applies server-side, rolls out, shows history, undoes, and deletes with its ReplicaSets and pods', async () => {
    const applied = await kubectlOk(
      ['apply', '--server-side', '-f', '-'],
      appYaml({ name: 'web', image: v1.digestRef }),
    );
    expect(applied).toContain('deployment.apps/web serverside-applied');
    expect(await kubectlOk(['rollout', 'status', 'deployment/web', '--timeout=60s'])).toContain(
      'deployment "web" successfully rolled out',
    );

    await kubectlOk(['set', 'image', 'deployment/web', `app=${v2.digestRef}`]);
    await kubectlOk(['rollout', 'status', 'deployment/web', '--timeout=60s']);
    const history = await kubectlOk(['rollout', 'history', 'deployment/web']);
    expect(history).toMatch(/^1\s/m);
    expect(history).toMatch(/^2\s/m);

    expect(await kubectlOk(['rollout', 'undo', 'deployment/web'])).toContain('rolled back');
    await kubectlOk(['rollout', 'status', 'deployment/web', '--timeout=60s']);
    expect(
      await kubectlOk([
        'get',
        'deploy',
        'web',
        '-o',
        'jsonpath={.spec.template.spec.containers[0].image}',
      ]),
    ).toBe(v1.digestRef);
    // The undo reuses revision 1's ReplicaSet, which becomes revision 3.
    const replicaSets = JSON.parse(await kubectlOk(['get', 'rs', '-l', 'app=web', '-o', 'json']));
    expect(
      replicaSets.items
        .map(
          (rs: { metadata: { annotations: Record<string, string> } }) =>
            rs.metadata.annotations['deployment.kubernetes.io/revision'],
        )
        .sort(),
    ).toEqual(['2', '3']);

    await kubectlOk(['delete', 'deployment/web', '--cascade=foreground', '--wait=true']);
    expect((await kubectlOk(['get', 'rs,pods', '-l', 'app=web', '-o', 'name'])).trim()).toBe('');
  });

  it('fails rollout status with the reason when the progress deadline passes', async () => {
    await kubectlOk(
      ['apply', '--server-side', '-f', '-'],
      appYaml({
        name: 'stuck',
        image: v1.digestRef,
        progressDeadlineSeconds: 2,
        annotations: { [READY_AFTER]: 'never' },
      }),
    );
    const status = await kubectl(['rollout', 'status', 'deployment/stuck', '--timeout=50s']);
    expect(status.code).not.toBe(0);
    expect(status.stderr).toContain('deployment "stuck" exceeded its progress deadline');
  });

  it('reports a field-ownership conflict between two server-side appliers, then forces it', async () => {
    const cm = (value: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: owned}\ndata: {key: ${value}}\n`;
    await kubectlOk(['apply', '--server-side', '--field-manager=first', '-f', '-'], cm('a'));
    const clash = await kubectl(
      ['apply', '--server-side', '--field-manager=second', '-f', '-'],
      cm('b'),
    );
    expect(clash.code).not.toBe(0);
    expect(clash.stderr).toContain('conflict with "first"');
    expect(clash.stderr).toContain('.data.key');
    await kubectlOk(
      ['apply', '--server-side', '--field-manager=second', '--force-conflicts', '-f', '-'],
      cm('b'),
    );
    const live = JSON.parse(
      await kubectlOk(['get', 'cm', 'owned', '-o', 'json', '--show-managed-fields']),
    );
    expect(live.data.key).toBe('b');
    expect(live.metadata.managedFields.map((m: { manager: string }) => m.manager)).toEqual([
      'second',
    ]);
  });

  it('rejects an invalid Deployment with a 422 naming the field', async () => {
    const doc = parse(appYaml({ name: 'bad', image: v1.digestRef }));
    doc.spec.selector.matchLabels = { app: 'other' };
    const result = await kubectl(['apply', '--server-side', '-f', '-'], JSON.stringify(doc));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      'The Deployment "bad" is invalid: spec.template.metadata.labels',
    );
  });
});
