/**
 * What an action ends when its work is done: kept-alive connection pools,
 * registered by whoever opened them. The action's boundary calls
 * {@link runClosers} without loading any HTTP client itself.
 */
const closers = new Set<() => Promise<void> | void>();

export function addCloser(close: () => Promise<void> | void): void {
  closers.add(close);
}

/** Runs every closer once, each at most `boundMs` (a body nobody reads must not hold the exit). */
export async function runClosers(boundMs = 2000): Promise<void> {
  const pending = [...closers];
  closers.clear();
  const all = Promise.all(pending.map(async (close) => close())).catch(() => undefined);
  await Promise.race([all, new Promise<void>((resolve) => setTimeout(resolve, boundMs).unref())]);
}
