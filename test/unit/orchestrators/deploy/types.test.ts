import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../shared/common/logger.ts';
import { inGroup, type DeployHooks } from '../../../../shared/orchestrators/deploy/types.ts';

describe('running a deploy phase in its log group', () => {
  it('runs the phase inside the hooks’ group, under its title, and returns its result', async () => {
    const events: string[] = [];
    const hooks: DeployHooks = {
      logger: silentLogger,
      group: async (title, body) => {
        events.push(`open ${title}`);
        try {
          return await body();
        } finally {
          events.push(`close ${title}`);
        }
      },
    };
    const result = await inGroup(hooks, 'Rollout', async () => {
      events.push('body');
      return 42;
    });
    expect(result).toBe(42);
    expect(events).toEqual(['open Rollout', 'body', 'close Rollout']);
  });

  it('runs the phase as it is when the hooks have no group', async () => {
    const hooks: DeployHooks = { logger: silentLogger };
    expect(await inGroup(hooks, 'Rollout', async () => 'done')).toBe('done');
  });

  it('lets the phase’s failure out of the group', async () => {
    const closed: string[] = [];
    const hooks: DeployHooks = {
      logger: silentLogger,
      group: async (title, body) => {
        try {
          return await body();
        } finally {
          closed.push(title);
        }
      },
    };
    const failure = new Error('rollout timed out');
    await expect(
      inGroup(hooks, 'Rollout', async () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(closed).toEqual(['Rollout']);
    await expect(
      inGroup({ logger: silentLogger }, 'Rollout', () => Promise.reject(failure)),
    ).rejects.toBe(failure);
  });
});
