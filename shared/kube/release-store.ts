import type { V1Secret } from '@kubernetes/client-node';
import type { Logger } from '../common/logger.ts';
import type { KubeClient } from './client.ts';
import { kubeFailure, statusOf } from './client.ts';
import {
  decodeRecord,
  encodeRecord,
  historySecretName,
  historySelector,
  resultAnnotations,
  revisionsBeyondLimit,
  type ReleaseRecord,
  type ReleaseResult,
} from './history.ts';

/** Reads and writes the release history Secrets of one release. */
export class ReleaseStore {
  private readonly client: KubeClient;
  private readonly namespace: string;
  private readonly release: string;

  constructor(client: KubeClient, namespace: string, release: string) {
    this.client = client;
    this.namespace = namespace;
    this.release = release;
  }

  private failure(what: string, err: unknown): Error {
    return kubeFailure(
      `${what} the release history of ${this.release}`,
      err,
      this.client.connection.displayName,
    );
  }

  /** History Secrets of this release that were refused on the last list(), and why. */
  refused: Array<{ secret: string; revision: number; reason: string }> = [];

  async list(): Promise<ReleaseRecord[]> {
    try {
      const secrets = await this.client.call(({ core }) =>
        core.listNamespacedSecret({
          namespace: this.namespace,
          labelSelector: historySelector(this.release),
        }),
      );
      const records: ReleaseRecord[] = [];
      this.refused = [];
      for (const secret of secrets.items) {
        try {
          records.push(decodeRecord(secret, { release: this.release, namespace: this.namespace }));
        } catch (err) {
          // A damaged or foreign record must not block deploys; it just cannot be restored.
          this.refused.push({
            secret: secret.metadata?.name ?? '?',
            revision: Number(secret.metadata?.labels?.['model-deploy.io/revision']),
            reason: (err as Error).message,
          });
        }
      }
      return records.sort((a, b) => a.revision - b.revision);
    } catch (err) {
      if (statusOf(err) === 404) return [];
      throw this.failure('reading', err);
    }
  }

  async write(record: ReleaseRecord): Promise<void> {
    const body = encodeRecord(record, this.namespace) as V1Secret;
    try {
      await this.client.call(({ core }) =>
        core.createNamespacedSecret({ namespace: this.namespace, body }),
      );
    } catch (err) {
      // A retried create whose first attempt did land: the record is already there.
      if (statusOf(err) === 409) {
        const existing = await this.client
          .call(({ core }) =>
            core.readNamespacedSecret({
              name: body.metadata?.name ?? '',
              namespace: this.namespace,
            }),
          )
          .catch(() => undefined);
        if (existing?.metadata?.annotations?.['model-deploy.io/hash'] === record.hash) return;
      }
      throw this.failure('writing', err);
    }
  }

  async setResult(revision: number, result: ReleaseResult, reason?: string): Promise<void> {
    const name = historySecretName(this.release, revision);
    try {
      await this.client.call(async ({ core }) => {
        const secret = await core.readNamespacedSecret({ name, namespace: this.namespace });
        secret.metadata = {
          ...secret.metadata,
          annotations: { ...secret.metadata?.annotations, ...resultAnnotations(result, reason) },
        };
        await core.replaceNamespacedSecret({ name, namespace: this.namespace, body: secret });
      });
    } catch (err) {
      throw this.failure('updating', err);
    }
  }

  /** Deletes the oldest revisions beyond the limit (never the serving one). */
  async trim(limit: number, logger: Logger): Promise<void> {
    const records = await this.list();
    for (const revision of revisionsBeyondLimit(records, limit)) {
      try {
        await this.client.call(({ core }) =>
          core.deleteNamespacedSecret({
            name: historySecretName(this.release, revision),
            namespace: this.namespace,
          }),
        );
        logger.debug(`removed revision ${revision} from the history (limit ${limit})`);
      } catch (err) {
        if (statusOf(err) !== 404)
          logger.warning(`could not remove old revision ${revision}: ${(err as Error).message}`);
      }
    }
  }
}
