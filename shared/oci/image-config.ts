import type { Digest } from './digest.ts';
import type { ContainerConfig, HistoryEntry, ImageConfig, Platform } from './types.ts';

/** What the new layers change in a base image's config. */
export interface ConfigChanges {
  created: string;
  /** Layers appended on top of the base, in order. */
  layers: Array<{ diffId: Digest; createdBy: string }>;
  /** Applied over the base env by name; later wins. */
  env: Array<[string, string]>;
  entrypoint?: string[];
  cmd?: string[];
  /** e.g. `8000/tcp`. */
  exposedPorts: string[];
  labels: Record<string, string>;
  workingDir?: string;
}

function envName(entry: string): string {
  const eq = entry.indexOf('=');
  return eq < 0 ? entry : entry.slice(0, eq);
}

/**
 * The image config of base + new layers, with Docker's semantics for the
 * runnable part: setting an entrypoint without a command clears the base's
 * command (it belonged to the old entrypoint). diff_ids are the digests of the
 * uncompressed layer tars.
 */
export function extendConfig(
  base: ImageConfig | undefined,
  platform: Platform,
  changes: ConfigChanges,
): ImageConfig {
  const run = runConfig(base?.config ?? {}, changes, { defaultPath: true });
  if (changes.workingDir !== undefined) run.WorkingDir = changes.workingDir;

  const history: HistoryEntry[] = [...(base?.history ?? [])];
  for (const layer of changes.layers)
    history.push({ created: changes.created, created_by: layer.createdBy });

  // Built field by field: the key order is the byte order of the config blob.
  const config = {
    created: changes.created,
    architecture: base?.architecture ?? platform.architecture,
    os: base?.os ?? platform.os,
  } as ImageConfig;
  const variant = base?.variant ?? platform.variant;
  if (variant !== undefined) config.variant = variant;
  if (base?.['os.version'] !== undefined) config['os.version'] = base['os.version'];
  if (base?.['os.features'] !== undefined) config['os.features'] = base['os.features'];
  config.config = run;
  config.rootfs = {
    type: 'layers',
    diff_ids: [...(base?.rootfs?.diff_ids ?? []), ...changes.layers.map((l) => l.diffId)],
  };
  config.history = history;
  return config;
}

/** What to start and with which environment, ports and labels. */
export type RunSettings = Pick<
  ConfigChanges,
  'env' | 'entrypoint' | 'cmd' | 'exposedPorts' | 'labels'
>;

/**
 * A container config with the settings applied, with Docker's semantics:
 * env by name (later wins), setting an entrypoint without a command clears the
 * base's command (it belonged to the old entrypoint), ports and labels added.
 */
export function runConfig(
  baseRun: ContainerConfig,
  settings: RunSettings,
  options: { defaultPath: boolean },
): ContainerConfig {
  const env = [...(baseRun.Env ?? [])];
  for (const [name, value] of settings.env) {
    const index = env.findIndex((e) => envName(e) === name);
    if (index >= 0) env[index] = `${name}=${value}`;
    else env.push(`${name}=${value}`);
  }
  if (options.defaultPath && !env.some((e) => envName(e) === 'PATH')) {
    env.unshift('PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
  }
  let entrypoint = baseRun.Entrypoint ?? undefined;
  let cmd = baseRun.Cmd ?? undefined;
  if (settings.entrypoint !== undefined) {
    entrypoint = settings.entrypoint;
    cmd = settings.cmd;
  } else if (settings.cmd !== undefined) {
    cmd = settings.cmd;
  }
  const ports = { ...(baseRun.ExposedPorts ?? {}) };
  for (const port of settings.exposedPorts) ports[port] = {};
  const labels = { ...(baseRun.Labels ?? {}), ...settings.labels };

  const run: ContainerConfig = { ...baseRun, Env: env };
  if (entrypoint !== undefined && entrypoint !== null) run.Entrypoint = entrypoint;
  else delete run.Entrypoint;
  if (cmd !== undefined && cmd !== null) run.Cmd = cmd;
  else delete run.Cmd;
  if (Object.keys(ports).length > 0) run.ExposedPorts = sortKeys(ports);
  if (Object.keys(labels).length > 0) run.Labels = sortKeys(labels);
  return run;
}

/** Maps serialise in a fixed order so the config bytes do not depend on input order. */
function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(
    Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}
