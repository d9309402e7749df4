import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';

/**
 * Reads kubeconfig files the way kubectl does: several files (KUBECONFIG's
 * list) merge with the first definition of a name winning and the first
 * current-context set winning; relative file paths in a file are relative to
 * that file. The result is the current context's cluster and user.
 */

export interface ExecConfig {
  apiVersion?: string;
  command: string;
  args?: string[];
  env?: Array<{ name: string; value: string }>;
  installHint?: string;
  provideClusterInfo?: boolean;
}

export interface KubeconfigCluster {
  server: string;
  caData?: string;
  caFile?: string;
  skipTLSVerify?: boolean;
}

export interface KubeconfigUser {
  token?: string;
  tokenFile?: string;
  certData?: string;
  certFile?: string;
  keyData?: string;
  keyFile?: string;
  exec?: ExecConfig;
  /** A legacy auth-provider block (oidc, gcp, azure), as written. */
  authProvider?: Record<string, unknown>;
  /** Basic authentication, which Kubernetes no longer serves. */
  username?: string;
}

export interface KubeconfigSelection {
  context: string;
  cluster: KubeconfigCluster | undefined;
  user: KubeconfigUser | undefined;
}

type Named = { name?: unknown; [key: string]: unknown };

interface Merged {
  current: string | undefined;
  clusters: Map<string, { entry: Record<string, unknown>; dir: string }>;
  users: Map<string, { entry: Record<string, unknown>; dir: string }>;
  contexts: Map<string, Record<string, unknown>>;
}

/** The current context of one kubeconfig text; `dir` resolves its relative paths. */
export function readKubeconfigText(text: string, dir: string): KubeconfigSelection {
  const merged = emptyMerge();
  mergeDocument(merged, parseDocument(text), dir);
  return select(merged);
}

/** The current context across the files, in KUBECONFIG order. */
export function readKubeconfigFiles(files: string[]): KubeconfigSelection {
  const merged = emptyMerge();
  for (const file of files) {
    mergeDocument(merged, parseDocument(readFileSync(file, 'utf8')), dirname(file));
  }
  return select(merged);
}

function emptyMerge(): Merged {
  return { current: undefined, clusters: new Map(), users: new Map(), contexts: new Map() };
}

function parseDocument(text: string): Record<string, unknown> {
  const doc = parse(text) as unknown;
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new Error('it is not a YAML mapping (a kubeconfig has clusters, users and contexts)');
  }
  return doc as Record<string, unknown>;
}

function entries(doc: Record<string, unknown>, key: string): Named[] {
  const list = doc[key];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new Error(`its ${key} is not a list`);
  return list.filter((item): item is Named => typeof item === 'object' && item !== null);
}

function mergeDocument(merged: Merged, doc: Record<string, unknown>, dir: string): void {
  const current = doc['current-context'];
  if (merged.current === undefined && typeof current === 'string' && current !== '') {
    merged.current = current;
  }
  for (const [key, into] of [
    ['clusters', merged.clusters],
    ['users', merged.users],
  ] as const) {
    const field = key === 'clusters' ? 'cluster' : 'user';
    for (const item of entries(doc, key)) {
      const name = String(item.name ?? '');
      if (!into.has(name)) into.set(name, { entry: asRecord(item[field]), dir });
    }
  }
  for (const item of entries(doc, 'contexts')) {
    const name = String(item.name ?? '');
    if (!merged.contexts.has(name)) merged.contexts.set(name, asRecord(item.context));
  }
}

const asRecord = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};

function select(merged: Merged): KubeconfigSelection {
  const context = merged.current ?? '';
  const chosen = merged.contexts.get(context);
  if (chosen === undefined) return { context, cluster: undefined, user: undefined };
  const cluster = merged.clusters.get(String(chosen.cluster ?? ''));
  const user = merged.users.get(String(chosen.user ?? ''));
  return {
    context,
    cluster: cluster && clusterOf(cluster.entry, cluster.dir),
    user: user && userOf(user.entry, user.dir),
  };
}

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

const fileIn = (dir: string, value: unknown): string | undefined => {
  const path = str(value);
  return path === undefined || isAbsolute(path) ? path : resolve(dir, path);
};

function clusterOf(entry: Record<string, unknown>, dir: string): KubeconfigCluster | undefined {
  const server = str(entry.server);
  if (server === undefined) return undefined;
  const cluster: KubeconfigCluster = { server };
  const caData = str(entry['certificate-authority-data']);
  const caFile = fileIn(dir, entry['certificate-authority']);
  if (caData) cluster.caData = caData;
  if (caFile) cluster.caFile = caFile;
  if (entry['insecure-skip-tls-verify'] === true) cluster.skipTLSVerify = true;
  return cluster;
}

function userOf(entry: Record<string, unknown>, dir: string): KubeconfigUser {
  const user: KubeconfigUser = {};
  const set = <K extends keyof KubeconfigUser>(key: K, value: KubeconfigUser[K] | undefined) => {
    if (value !== undefined) user[key] = value;
  };
  set('token', str(entry.token));
  set('tokenFile', fileIn(dir, entry.tokenFile));
  set('certData', str(entry['client-certificate-data']));
  set('certFile', fileIn(dir, entry['client-certificate']));
  set('keyData', str(entry['client-key-data']));
  set('keyFile', fileIn(dir, entry['client-key']));
  set('username', str(entry.username));
  const provider = entry['auth-provider'];
  if (typeof provider === 'object' && provider !== null) {
    set('authProvider', provider as Record<string, unknown>);
  }
  set('exec', execOf(asRecord(entry.exec), dir));
  return user;
}

function execOf(exec: Record<string, unknown>, dir: string): ExecConfig | undefined {
  const command = str(exec.command);
  if (command === undefined) return undefined;
  // A command with a path separator is a file relative to the kubeconfig; a bare name is looked up in PATH.
  const config: ExecConfig = {
    command: command.includes('/') && !isAbsolute(command) ? resolve(dir, command) : command,
  };
  if (typeof exec.apiVersion === 'string') config.apiVersion = exec.apiVersion;
  if (Array.isArray(exec.args)) config.args = exec.args.map(String);
  if (Array.isArray(exec.env)) {
    config.env = exec.env
      .map(asRecord)
      .map((e) => ({ name: String(e.name ?? ''), value: String(e.value ?? '') }))
      .filter((e) => e.name !== '');
  }
  if (typeof exec.installHint === 'string') config.installHint = exec.installHint;
  if (exec.provideClusterInfo === true) config.provideClusterInfo = true;
  return config;
}
