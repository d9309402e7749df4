import type { V1ConfigMap } from '@kubernetes/client-node';
import type { KubeClient } from '../client.ts';
import { kubeFailure, statusOf } from '../client.ts';
import { FIELD_MANAGER, MANAGED_BY_LABEL } from '../objects.ts';
import type { KubeObject } from '../objects.ts';
import type { StrategyName, TrafficRouterName } from './types.ts';

/**
 * A progressive rollout's progress, kept in the cluster (one ConfigMap per
 * release) so that a re-run after a cancelled job knows what was left half
 * done: it resumes the same version where it stopped, or withdraws another.
 * It carries its own label, not the release label, so prune leaves it alone.
 */
export interface RolloutState {
  strategy: StrategyName;
  router: TrafficRouterName;
  /** Hash of the new version's rendered manifests. */
  hash: string;
  image: string;
  /** Index (0-based) of the step in progress. */
  step: number;
  weight: number;
  phase: 'progressing' | 'promoting' | 'switched';
  /** Who ran it (the workflow run), for the log of the run that finds it. */
  holder: string;
  /** Names of the objects the rollout added, to remove them whatever the new render says. */
  objects: Array<{ apiVersion: string; kind: string; name: string }>;
  updated: string;
}

export const ROLLOUT_LABEL = 'model-deploy.io/rollout-of';

export function rolloutStateName(release: string): string {
  return `model-deploy.${release}.rollout`;
}

export class RolloutStateStore {
  private readonly client: KubeClient;
  private readonly namespace: string;
  private readonly release: string;

  constructor(client: KubeClient, namespace: string, release: string) {
    this.client = client;
    this.namespace = namespace;
    this.release = release;
  }

  private get name(): string {
    return rolloutStateName(this.release);
  }

  async read(): Promise<RolloutState | undefined> {
    const { core } = await this.client.apis();
    try {
      const map = await core.readNamespacedConfigMap({
        name: this.name,
        namespace: this.namespace,
      });
      const text = map.data?.state;
      return text ? (JSON.parse(text) as RolloutState) : undefined;
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      if (err instanceof SyntaxError) return undefined;
      throw kubeFailure(
        `reading the rollout state ${this.name}`,
        err,
        this.client.connection.displayName,
      );
    }
  }

  async write(state: Omit<RolloutState, 'updated'>): Promise<void> {
    const { core } = await this.client.apis();
    const body: V1ConfigMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: this.name,
        namespace: this.namespace,
        labels: { [MANAGED_BY_LABEL]: FIELD_MANAGER, [ROLLOUT_LABEL]: this.release },
      },
      data: { state: JSON.stringify({ ...state, updated: new Date().toISOString() }, null, 2) },
    };
    try {
      await core.replaceNamespacedConfigMap({ name: this.name, namespace: this.namespace, body });
    } catch (err) {
      if (statusOf(err) !== 404)
        throw kubeFailure(
          `writing the rollout state ${this.name}`,
          err,
          this.client.connection.displayName,
        );
      try {
        await core.createNamespacedConfigMap({ namespace: this.namespace, body });
      } catch (createErr) {
        throw kubeFailure(
          `writing the rollout state ${this.name}`,
          createErr,
          this.client.connection.displayName,
        );
      }
    }
  }

  async clear(): Promise<void> {
    const { core } = await this.client.apis();
    try {
      await core.deleteNamespacedConfigMap({ name: this.name, namespace: this.namespace });
    } catch (err) {
      if (statusOf(err) !== 404)
        throw kubeFailure(
          `removing the rollout state ${this.name}`,
          err,
          this.client.connection.displayName,
        );
    }
  }
}

/** The references a rollout state keeps of the objects it added. */
export const objectRefs = (objects: KubeObject[]) =>
  objects.map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name }));
