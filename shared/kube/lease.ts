import { V1MicroTime, type V1Lease } from '@kubernetes/client-node';
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

function expired(lease: V1Lease, now: number): boolean {
  const spec = lease.spec ?? {};
  if (!spec.holderIdentity) return true;
  const renewed = spec.renewTime ?? spec.acquireTime;
  if (renewed === undefined) return true;
  return new Date(renewed).getTime() + (spec.leaseDurationSeconds ?? 0) * 1000 < now;
}

export async function lockRelease(client: KubeClient, options: LockOptions): Promise<ReleaseLock> {
  const name = leaseName(options.release);
  const duration = options.durationSeconds ?? 60;
  const waitTimeout = options.waitTimeoutMs ?? 30 * 60_000;
  const started = Date.now();
  let waitedFor: string | undefined;
  let announced = false;
  const body = (resourceVersion?: string): V1Lease => ({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name,
      namespace: options.namespace,
      labels: { [MANAGED_BY_LABEL]: FIELD_MANAGER, 'model-deploy.io/lock-of': options.release },
      ...(resourceVersion ? { resourceVersion } : {}),
    },
    spec: {
      holderIdentity: options.holder,
      leaseDurationSeconds: duration,
      acquireTime: new V1MicroTime(),
      renewTime: new V1MicroTime(),
    },
  });
  for (;;) {
    try {
      await client.call(({ coordination }) =>
        coordination.createNamespacedLease({ namespace: options.namespace, body: body() }),
      );
      break;
    } catch (err) {
      if (statusOf(err) !== 409)
        throw kubeFailure(`taking the deploy lock ${name}`, err, client.connection.displayName);
    }
    let current: V1Lease;
    try {
      current = await client.call(({ coordination }) =>
        coordination.readNamespacedLease({ name, namespace: options.namespace }),
      );
    } catch (err) {
      if (statusOf(err) === 404) continue;
      throw kubeFailure(`reading the deploy lock ${name}`, err, client.connection.displayName);
    }
    // A retried create whose first attempt landed: the lease is already ours.
    if (current.spec?.holderIdentity === options.holder) break;
    if (expired(current, Date.now())) {
      try {
        await client.call(({ coordination }) =>
          coordination.replaceNamespacedLease({
            name,
            namespace: options.namespace,
            body: body(current.metadata?.resourceVersion),
          }),
        );
        if (current.spec?.holderIdentity) {
          options.logger.info(
            `took over the deploy lock ${name}: ${current.spec.holderIdentity} stopped renewing it`,
          );
        }
        break;
      } catch (err) {
        // Someone else took it between our read and write: wait like everyone else.
        if (statusOf(err) !== 409)
          throw kubeFailure(`taking the deploy lock ${name}`, err, client.connection.displayName);
        continue;
      }
    }
    waitedFor = current.spec?.holderIdentity ?? 'another deploy';
    if (!announced) {
      options.logger.info(
        `waiting for ${waitedFor} to finish deploying ${options.release} (lock ${name})`,
      );
      announced = true;
    }
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
  const waitedMs = Date.now() - started;
  if (waitedFor !== undefined) {
    options.logger.info(
      `waited ${Math.round(waitedMs / 1000)}s for ${waitedFor} before deploying ${options.release}`,
    );
  }
  // Renew well inside the duration so a long rollout keeps the lock.
  let renewalRefused = false;
  const renewal = setInterval(
    () => {
      void (async () => {
        try {
          await client.call(async ({ coordination }) => {
            const current = await coordination.readNamespacedLease({
              name,
              namespace: options.namespace,
            });
            if (current.spec?.holderIdentity !== options.holder) return;
            current.spec.renewTime = new V1MicroTime();
            await coordination.replaceNamespacedLease({
              name,
              namespace: options.namespace,
              body: current,
            });
          });
        } catch (err) {
          // A refusal does not pass: without renewals the lock lapses during a long rollout.
          if (statusOf(err) === 403 && !renewalRefused) {
            renewalRefused = true;
            options.logger.warning(
              withHint(
                kubeFailure(`renewing the deploy lock ${name}`, err, client.connection.displayName),
              ),
            );
          } else {
            options.logger.debug(`renewing the deploy lock failed: ${(err as Error).message}`);
          }
        }
      })();
    },
    (duration * 1000) / 3,
  );
  renewal.unref();
  return {
    waitedMs,
    ...(waitedFor !== undefined ? { waitedFor } : {}),
    async unlock() {
      clearInterval(renewal);
      try {
        await client.call(async ({ coordination }) => {
          const current = await coordination.readNamespacedLease({
            name,
            namespace: options.namespace,
          });
          if (current.spec?.holderIdentity !== options.holder) return;
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
    },
  };
}
