import type { KubeClient } from './client.ts';

/**
 * A wake-up call for a loop that reads the cluster at intervals: a watch on
 * the objects it looks at ends the wait as soon as one changes, so a rollout
 * that is done is seen at once instead of at the next interval. The interval
 * stays the fallback: a watch that fails or ends only makes the loop wait the
 * full interval again.
 */
export interface ChangeSignal {
  /** Resolves at the next change (or one that came since the last wait), or after `ms`. */
  wait(ms: number): Promise<void>;
  stop(): void;
}

export function changeSignal(
  client: Pick<KubeClient, 'watch'>,
  path: string,
  query: Record<string, string | number | boolean | undefined>,
): ChangeSignal {
  const controller = new AbortController();
  let wake: (() => void) | undefined;
  let changed = false;
  const fire = () => {
    if (wake === undefined) changed = true;
    else wake();
  };
  if (typeof client.watch === 'function') {
    client.watch(path, query, fire, controller.signal).catch(() => undefined);
  }
  return {
    wait(ms) {
      if (changed) {
        changed = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          wake = undefined;
          resolve();
        }, ms);
        wake = () => {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        };
      });
    },
    stop() {
      controller.abort();
      wake?.();
    },
  };
}
