import { getExecOutput } from '@actions/exec';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { InputError, UserError } from '../common/errors.ts';
import { parseYamlInput, YamlProblem } from '../common/yaml-problem.ts';
import type { Logger } from '../common/logger.ts';
import type { KubeObject } from './objects.ts';

/**
 * A user's chart rendered with the real helm (`helm template`), so whatever
 * the chart does, the result goes through the same apply, prune, history and
 * rollback as the built-in manifests. Hooks are left out: a release here is
 * the set of objects, not helm's lifecycle.
 */

export interface ChartOptions {
  chart: string;
  release: string;
  namespace: string;
  /** Values files, relative to the workspace; later ones win. */
  valuesFiles: string[];
  /** Inline values (already parsed); they win over the files. */
  values?: Record<string, unknown>;
  /** The image to run, pinned by digest in the rendered containers. */
  image: { repository: string; tag?: string; digest?: string; reference: string };
  workspace: string;
  logger: Logger;
  helm?: string;
}

/** A path inside the workspace; anything that escapes it (`..`, a symlink) is refused. */
export function workspacePath(input: string, path: string, workspace: string): string {
  const root = realpathSync(workspace);
  const full = isAbsolute(path) ? path : resolve(root, path);
  if (!existsSync(full)) {
    throw new InputError(
      input,
      `names '${path}', which does not exist in the workspace`,
      `${input}: ./charts/model`,
    );
  }
  const real = realpathSync(full);
  const rel = relative(root, real);
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new InputError(
      input,
      `names '${path}', which is outside the workspace (${root})`,
      `a path inside the repository checkout, e.g. ${input}: ./charts/model`,
    );
  }
  return real;
}

export async function renderChart(options: ChartOptions): Promise<KubeObject[]> {
  const chart = workspacePath('chart', options.chart, options.workspace);
  if (!statSync(chart).isDirectory() || !existsSync(join(chart, 'Chart.yaml'))) {
    throw new InputError(
      'chart',
      `names '${options.chart}', which is not a chart folder (no Chart.yaml)`,
      'chart: ./charts/model',
    );
  }
  // Inline values may hold secrets: the scratch folder goes when helm is done, whatever happens.
  const scratch = mkdtempSync(join(process.env.RUNNER_TEMP ?? tmpdir(), 'md-helm-'));
  try {
    return await renderIn(scratch, chart, options);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function renderIn(
  scratch: string,
  chart: string,
  options: ChartOptions,
): Promise<KubeObject[]> {
  const args = ['template', options.release, chart, '--namespace', options.namespace];
  const imageValues = join(scratch, 'image-values.yaml');
  writeFileSync(
    imageValues,
    stringify({
      image: {
        repository: options.image.repository,
        tag: options.image.tag ?? 'latest',
        ...(options.image.digest ? { digest: options.image.digest } : {}),
      },
    }),
    { mode: 0o600 },
  );
  args.push('--values', imageValues);
  for (const file of options.valuesFiles) {
    const path = workspacePath('values-files', file, options.workspace);
    const example =
      'values-files: charts/model/values-prod.yaml, holding a mapping such as replicaCount: 2';
    let parsed: unknown;
    try {
      parsed = parseYamlInput(readFileSync(path, 'utf8'));
    } catch (err) {
      if (!(err instanceof YamlProblem)) throw err;
      throw new InputError(
        'values-files',
        `has '${file}', which is not valid YAML${err.detail}`,
        example,
      );
    }
    if (
      parsed !== null &&
      parsed !== undefined &&
      (typeof parsed !== 'object' || Array.isArray(parsed))
    ) {
      throw new InputError(
        'values-files',
        `has '${file}', whose top level is not a mapping of chart values`,
        example,
      );
    }
    args.push('--values', path);
  }
  if (options.values !== undefined) {
    const inline = join(scratch, 'inline-values.yaml');
    writeFileSync(inline, stringify(options.values), { mode: 0o600 });
    args.push('--values', inline);
  }
  const helm = options.helm ?? process.env.MODEL_DEPLOY_HELM ?? 'helm';
  let result;
  try {
    result = await getExecOutput(helm, args, { silent: true, ignoreReturnCode: true });
  } catch (err) {
    throw new UserError(`could not run helm (${helm}): ${(err as Error).message}`, {
      hint: 'install helm on the runner (azure/setup-helm) or set MODEL_DEPLOY_HELM to its path',
    });
  }
  if (result.exitCode !== 0) {
    throw new UserError(
      `helm template of ${options.chart} failed: ${result.stderr.trim() || `exit code ${result.exitCode}`}`,
      {
        hint: 'run `helm template` on the chart locally with the same values to see the problem',
      },
    );
  }
  const objects = parseManifests(result.stdout, options.logger);
  pinImage(objects, options.image);
  return objects;
}

export function parseManifests(text: string, logger: Logger): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0)
      throw new UserError(`the chart rendered invalid YAML: ${doc.errors[0]?.message}`);
    const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
    if (value === null || value === undefined) continue;
    const items = (value as { kind?: string; items?: unknown[] }).kind?.endsWith('List')
      ? ((value as { items: unknown[] }).items ?? [])
      : [value];
    for (const item of items) {
      const object = item as KubeObject;
      if (!object?.apiVersion || !object.kind || !object.metadata?.name) {
        throw new UserError(
          'the chart rendered a document without apiVersion, kind and metadata.name',
        );
      }
      if (object.metadata.annotations?.['helm.sh/hook']) {
        logger.info(`skipping helm hook ${object.kind}/${object.metadata.name}`);
        continue;
      }
      objects.push(object);
    }
  }
  return objects;
}

interface ContainerLike {
  image?: string;
}

/** Containers that run the deployed repository get the exact digest reference. */
export function pinImage(objects: KubeObject[], image: ChartOptions['image']): void {
  for (const object of objects) {
    const podSpec = (
      object.spec as { template?: { spec?: Record<string, ContainerLike[]> } } | undefined
    )?.template?.spec;
    if (!podSpec) continue;
    for (const key of ['containers', 'initContainers']) {
      for (const container of podSpec[key] ?? []) {
        if (container.image && repositoryOf(container.image) === image.repository)
          container.image = image.reference;
      }
    }
  }
}

function repositoryOf(ref: string): string {
  const at = ref.indexOf('@');
  const noDigest = at === -1 ? ref : ref.slice(0, at);
  const colon = noDigest.lastIndexOf(':');
  return colon > noDigest.lastIndexOf('/') ? noDigest.slice(0, colon) : noDigest;
}
