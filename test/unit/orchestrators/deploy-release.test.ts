import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../shared/common/logger.ts';
import {
  deployRelease,
  type DeploymentTracker,
} from '../../../shared/orchestrators/deploy-release.ts';
import { deployRequest } from '../../support/deploy-request.ts';

const dir = mkdtempSync(join(tmpdir(), 'md-deploy-release-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('deployRelease', () => {
  it('throws for an image named wrongly, before it connects to anything', async () => {
    let started = 0;
    await expect(
      deployRelease(deployRequest({ image: `sha256:${'e'.repeat(64)}` }), {
        logger: silentLogger,
        startDeployment: async () => {
          started++;
          return undefined;
        },
      }),
    ).rejects.toThrow(/a digest without its repository/);
    expect(started).toBe(0);
  });

  it('returns what it got as far as when the cluster cannot be reached', async () => {
    const kubeconfig = join(dir, 'missing-kubeconfig');
    const titles: string[] = [];
    const result = await deployRelease(
      deployRequest({ cluster: { kind: 'kubeconfig', path: kubeconfig } }),
      {
        logger: silentLogger,
        group: (title, body) => {
          titles.push(title);
          return body();
        },
      },
    );
    expect(result.error).toBeInstanceOf(Error);
    expect(String((result.error as Error).message)).toMatch(/missing-kubeconfig/);
    expect(result.outcome).toBeUndefined();
    expect(result.cluster).toContain('missing-kubeconfig');
    expect(result.image.digest).toMatch(/^sha256:/);
    expect(titles).toEqual([`Connecting to ${result.cluster}`]);
  });

  it('opens no deployment record before the cluster answers', async () => {
    const statuses: string[] = [];
    const tracker: DeploymentTracker = {
      setStatus: async (state) => void statuses.push(state),
    };
    const result = await deployRelease(
      deployRequest({ cluster: { kind: 'kubeconfig', path: join(dir, 'nope') } }),
      { logger: silentLogger, startDeployment: async () => tracker },
    );
    expect(result.error).toBeDefined();
    expect(statuses).toEqual([]);
  });
});
