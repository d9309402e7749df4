import type { V1Lease } from '@kubernetes/client-node';
import type { Logger } from '../common/logger.ts';
import { UserError } from '../common/errors.ts';
import { sleep } from '../common/retry.ts';
import type { KubeClient } from './client.ts';
import { kubeFailure, statusOf } from './client.ts';
import { FIELD_MANAGER, MANAGED_BY_LABEL } from './objects.ts';

/**
 * A coordination.k8s.io Lease per release, so two workflow runs deploying the
 * same release take turns instead of interleaving applies and rollbacks. A
 * holder that died lets the lease lapse after its duration.
 */

export interface ReleaseLock {
  /** How long this run waited for another deploy to finish. */
  waitedMs: number;
  /** Who held it while we waited, when anyone did. */
  waitedFor?: string;
  unlock(): Promise<void>;
}

export interface LockOptions {
  namespace: string;
  release: string;
  holder: string;
  logger: Logger;
  /** The lease lapses this long after its last renewal. */
  durationSeconds?: number;
  /** Give up waiting after this long. */
  waitTimeoutMs?: number;
  pollMs?: number;
}

/** An error's message with its hint, for a warning that does not fail the run. */
function withHint(err: Error): string {
  const hint = (err as { hint?: string }).hint;
  return hint ? `${err.message} (${hint})` : err.message;
}

export function leaseName(release: string): string {
  return `model-deploy.${release}`;
}

export function expired(lease: V1Lease, now: number): boolean {
  const spec = lease.spec ?? {};
  if (!spec.holderIdentity) return true;
  const renewed = spec.renewTime ?? spec.acquireTime;
  if (renewed === undefined) return true;
  return new Date(renewed).getTime() + (spec.leaseDurationSeconds ?? 0) * 1000 < now;
}

/**
 * Now as a Lease's MicroTime: RFC 3339 with six fractional digits, the form
 * the API server parses. The typings call the field a Date; on the wire it is this string.
 */
export function microTime(now = new Date()): Date {
  return now.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z') as unknown as Date;
}

/** The Lease that says `holder` deploys the release, for a create or a replace. */
export function leaseBody(
  options: Pick<LockOptions, 'namespace' | 'release' | 'holder'>,
  durationSeconds: number,
  resourceVersion?: string,
): V1Lease {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: leaseName(options.release),
      namespace: options.namespace,
      labels: { [MANAGED_BY_LABEL]: FIELD_MANAGER, 'model-deploy.io/lock-of': options.release },
      ...(resourceVersion ? { resourceVersion } : {}),
    },
    spec: {
      holderIdentity: options.holder,
      leaseDurationSeconds: durationSeconds,
      acquireTime: microTime(),
      renewTime: microTime(),
    },
  };
}

/** One try at the lock: taken, held by someone (named), or gone meanwhile (try again). */
/** `resourceVersion`: of the Lease as this run wrote it, when its answer said. */
type Attempt = { taken: true; resourceVersion?: string } | { taken: false; heldBy?: string };

/** The Lease's resourceVersion as this run last wrote it (create, take-over, renewal). */
interface HeldLease {
  resourceVersion: string | undefined;
}

async function tryLock(
  client: KubeClient,
  options: LockOptions,
  duration: number,
): Promise<Attempt> {
  const name = leaseName(options.release);
  const { namespace } = options;
  try {
    const created = await client.call(({ coordination }) =>
      coordination.createNamespacedLease({ namespace, body: leaseBody(options, duration) }),
    );
    return { taken: true, resourceVersion: created.metadata?.resourceVersion };
  } catch (err) {
    if (statusOf(err) !== 409)
      throw kubeFailure(`taking the deploy lock ${name}`, err, client.connection.displayName);
  }
  let current: V1Lease;
  try {
    current = await client.call(({ coordination }) =>
      coordination.readNamespacedLease({ name, namespace }),
    );
  } catch (err) {
    if (statusOf(err) === 404) return { taken: false };
    throw kubeFailure(`reading the deploy lock ${name}`, err, client.connection.displayName);
  }
  // A retried create whose first attempt landed: the lease is already ours.
  if (current.spec?.holderIdentity === options.holder)
    return { taken: true, resourceVersion: current.metadata?.resourceVersion };
  if (!expired(current, Date.now()))
    return { taken: false, heldBy: current.spec?.holderIdentity ?? 'another deploy' };
  return takeOver(client, options, duration, current);
}

/** Replaces a lapsed lease; a 409 means another run took it between our read and write. */
async function takeOver(
  client: KubeClient,
  options: LockOptions,
  duration: number,
  current: V1Lease,
): Promise<Attempt> {
  const name = leaseName(options.release);
  let replaced: V1Lease;
  try {
    replaced = await client.call(({ coordination }) =>
      coordination.replaceNamespacedLease({
        name,
        namespace: options.namespace,
        body: leaseBody(options, duration, current.metadata?.resourceVersion),
      }),
    );
  } catch (err) {
    // Someone else took it between our read and write: wait like everyone else.
    if (statusOf(err) !== 409)
      throw kubeFailure(`taking the deploy lock ${name}`, err, client.connection.displayName);
    return { taken: false };
  }
  if (current.spec?.holderIdentity) {
    options.logger.info(
      `took over the deploy lock ${name}: ${current.spec.holderIdentity} stopped renewing it`,
    );
  }
  return { taken: true, resourceVersion: replaced.metadata?.resourceVersion };
}

/** Takes the lock, waiting for whoever holds it; returns who that was, if anyone. */
async function waitForLock(
  client: KubeClient,
  options: LockOptions,
  duration: number,
): Promise<{ waitedFor: string | undefined; held: HeldLease }> {
  const name = leaseName(options.release);
  const waitTimeout = options.waitTimeoutMs ?? 30 * 60_000;
  const started = Date.now();
  let waitedFor: string | undefined;
  for (;;) {
    const attempt = await tryLock(client, options, duration);
    if (attempt.taken) return { waitedFor, held: { resourceVersion: attempt.resourceVersion } };
    if (attempt.heldBy === undefined) continue;
    if (waitedFor === undefined) {
      options.logger.info(
        `waiting for ${attempt.heldBy} to finish deploying ${options.release} (lock ${name})`,
      );
    }
    waitedFor = attempt.heldBy;
    if (Date.now() - started > waitTimeout) {
      throw new UserError(
        `gave up waiting for ${waitedFor} to finish deploying ${options.release}`,
        {
          hint: `if no deploy is running, delete the lease: kubectl delete lease ${name} -n ${options.namespace}`,
        },
      );
    }
    await sleep(options.pollMs ?? 1000);
  }
}

export async function lockRelease(client: KubeClient, options: LockOptions): Promise<ReleaseLock> {
  const duration = options.durationSeconds ?? 60;
  const started = Date.now();
  const { waitedFor, held } = await waitForLock(client, options, duration);
  const waitedMs = Date.now() - started;
  if (waitedFor !== undefined) {
    options.logger.info(
      `waited ${Math.round(waitedMs / 1000)}s for ${waitedFor} before deploying ${options.release}`,
    );
  }
  // Renew well inside the duration so a long rollout keeps the lock.
  const renewals: RenewalState = { refused: false };
  const renewal = setInterval(
    () => void renewLock(client, options, renewals, held),
    (duration * 1000) / 3,
  );
  renewal.unref();
  return {
    waitedMs,
    ...(waitedFor !== undefined ? { waitedFor } : {}),
    async unlock() {
      clearInterval(renewal);
      await unlockRelease(client, options, duration, held);
    },
  };
}

type Coordination = Parameters<Parameters<KubeClient['call']>[0]>[0]['coordination'];

/** Runs `act` on the release's Lease when this run holds it; another holder's Lease is left alone. */
async function onOwnLease(
  client: KubeClient,
  options: LockOptions,
  act: (current: V1Lease, coordination: Coordination) => Promise<void>,
): Promise<void> {
  await client.call(async ({ coordination }) => {
    const current = await coordination.readNamespacedLease({
      name: leaseName(options.release),
      namespace: options.namespace,
    });
    if (current.spec?.holderIdentity !== options.holder) return;
    await act(current, coordination);
  });
}

interface RenewalState {
  /** A refusal was reported already; later ones go to the debug log. */
  refused: boolean;
}

async function renewLock(
  client: KubeClient,
  options: LockOptions,
  state: RenewalState,
  held: HeldLease,
): Promise<void> {
  const name = leaseName(options.release);
  try {
    await onOwnLease(client, options, async (current, coordination) => {
      current.spec!.renewTime = microTime();
      const renewed = await coordination.replaceNamespacedLease({
        name,
        namespace: options.namespace,
        body: current,
      });
      held.resourceVersion = renewed.metadata?.resourceVersion;
    });
  } catch (err) {
    // A refusal does not pass: without renewals the lock lapses during a long rollout.
    if (statusOf(err) === 403 && !state.refused) {
      state.refused = true;
      options.logger.warning(
        withHint(
          kubeFailure(`renewing the deploy lock ${name}`, err, client.connection.displayName),
        ),
      );
    } else {
      options.logger.debug(`renewing the deploy lock failed: ${(err as Error).message}`);
    }
  }
}

async function unlockRelease(
  client: KubeClient,
  options: LockOptions,
  duration: number,
  held: HeldLease,
): Promise<void> {
  const name = leaseName(options.release);
  const { namespace } = options;
  // One round trip when the Lease is as this run last wrote it: the delete's
  // precondition proves it is still ours. Anything else (renewed meanwhile,
  // taken over) is read first, and another holder's Lease is left alone.
  if (held.resourceVersion !== undefined) {
    try {
      await client.call(({ coordination }) =>
        coordination.deleteNamespacedLease({
          name,
          namespace,
          body: { preconditions: { resourceVersion: held.resourceVersion } },
        }),
      );
      return;
    } catch (err) {
      if (statusOf(err) === 404) return;
      // 409: the precondition failed; look before deleting.
    }
  }
  try {
    await onOwnLease(client, options, async (current, coordination) => {
      await coordination.deleteNamespacedLease({
        name,
        namespace: options.namespace,
        body: { preconditions: { resourceVersion: current.metadata?.resourceVersion } },
      });
    });
  } catch (err) {
    // Not fatal, but the next deploy of the release waits until the lock lapses.
    options.logger.warning(
      `${withHint(kubeFailure(`releasing the deploy lock ${name}`, err, client.connection.displayName))}; the next deploy of ${options.release} waits until it lapses (${duration}s)`,
    );
  }
}
