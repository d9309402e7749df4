import { InputError } from '../common/errors.ts';
import { clusterKind, clusterKinds } from './registry.ts';
import type {
  CloudContext,
  CloudIdentities,
  ClusterConnection,
  ClusterSpec as CloudClusterSpec,
} from './types.ts';

/**
 * The `cluster` input: which cluster to deploy to and how to reach it. Each
 * kind belongs to one cloud; nothing here knows cloud APIs.
 */
export type ClusterSpec = CloudClusterSpec;

/** The identities the job's inputs name, by cloud (GitHub OIDC federation). */
export type ClusterIdentity = CloudIdentities;

/** `a, b, c or d`. */
function alternatives(items: string[]): string {
  return items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function writtenKinds() {
  return clusterKinds().filter(({ kind }) => !kind.implicit);
}

export function parseClusterSpec(text: string | undefined, input = 'cluster'): ClusterSpec {
  const value = (text ?? '').trim();
  const kinds = writtenKinds();
  if (value === '') {
    const implicit = clusterKinds().find(({ kind }) => kind.implicit);
    if (implicit) return { kind: implicit.kind.kind };
  }
  const fail = (problem: string): never => {
    throw new InputError(
      input,
      `${problem}: '${value}'`,
      alternatives(kinds.map(({ kind }) => kind.example)),
    );
  };
  const colon = value.indexOf(':');
  if (colon <= 0)
    return fail(`must start with ${alternatives(kinds.map(({ kind }) => `${kind.kind}:`))}`);
  const name = value.slice(0, colon).toLowerCase();
  const found = kinds.find(({ kind }) => kind.kind === name);
  if (found === undefined) return fail(`has an unknown kind '${name}'`);
  return found.kind.parse(value.slice(colon + 1), fail);
}

export function describeClusterSpec(spec: ClusterSpec): string {
  return clusterKind(spec.kind)?.kind.describe(spec) ?? spec.kind;
}

/**
 * Opens the connection for a spec. Cloud code loads lazily, so a kubeconfig
 * deploy never loads a cloud SDK.
 */
export async function connectCluster(
  spec: ClusterSpec,
  context: CloudContext,
  identity: ClusterIdentity = {},
): Promise<ClusterConnection> {
  const found = clusterKind(spec.kind);
  if (found === undefined) throw new Error(`no cloud connects clusters of kind '${spec.kind}'`);
  return found.kind.connect(spec, context, identity[found.cloud.name] ?? {});
}
