import { describe, expect, it } from 'vitest';
import { changeSignal } from '../../../shared/kube/change-signal.ts';
import type { WatchEvent } from '../../../shared/kube/http.ts';

/** A client whose watch hands its event callback to the test. */
function watched() {
  const seen: { path?: string; query?: unknown; signal?: AbortSignal } = {};
  let emit: (event: WatchEvent) => void = () => undefined;
  const client = {
    watch: async (
      path: string,
      query: unknown,
      onEvent: (event: WatchEvent) => void,
      signal: AbortSignal,
    ) => {
      Object.assign(seen, { path, query, signal });
      emit = onEvent;
    },
  };
  return { client, seen, emit: () => emit({ type: 'MODIFIED', object: {} }) };
}

describe('changeSignal', () => {
  it('ends a wait at the next change, long before its interval', async () => {
    const { client, seen, emit } = watched();
    const changes = changeSignal(client, '/apis/apps/v1/namespaces/m/deployments', {
      fieldSelector: 'metadata.name=iris',
    });
    expect(seen).toMatchObject({
      path: '/apis/apps/v1/namespaces/m/deployments',
      query: { fieldSelector: 'metadata.name=iris' },
    });
    const waited = changes.wait(3_600_000);
    emit();
    await waited;
    changes.stop();
    expect(seen.signal?.aborted).toBe(true);
  });

  it('keeps a change that came between waits, and waits the interval when nothing changes', async () => {
    const { client, emit } = watched();
    const changes = changeSignal(client, '/p', {});
    emit();
    await changes.wait(3_600_000);
    let done = false;
    const next = changes.wait(1).then(() => (done = true));
    await next;
    expect(done).toBe(true);
    changes.stop();
  });

  it('falls back to the interval for a client that cannot watch, or a watch that fails', async () => {
    const none = changeSignal({} as never, '/p', {});
    await none.wait(1);
    none.stop();
    const failing = changeSignal({ watch: async () => Promise.reject(new Error('403')) }, '/p', {});
    await failing.wait(1);
    failing.stop();
  });

  it('ends a pending wait when stopped', async () => {
    const { client } = watched();
    const changes = changeSignal(client, '/p', {});
    const waited = changes.wait(3_600_000);
    changes.stop();
    await waited;
  });
});
