import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allowsPlainHttp } from '../common/http.ts';
import { parseReference } from '../oci/reference.ts';
import type { RegistryCredential } from '../registry/credential.ts';
import { getExecOutput } from '@actions/exec';
import { InputError, UserError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import { LayoutWriter, readLayout, writeLayoutMetadata } from '../oci/layout.ts';
import type { Digest } from '../oci/digest.ts';
import { runConfig, type RunSettings } from '../oci/image-config.ts';
import { editLayoutImages, type ImageEdit } from '../oci/layout-edit.ts';
import { parsePlatform } from './base-image.ts';

export interface DockerfileBuild {
  dockerfile: string;
  context: string;
  output: string;
  tag: string;
  name: string;
  version: string;
  labels: Record<string, string>;
  sourceDateEpoch: number;
  logger: Logger;
  /** Login for the registries the Dockerfile pulls from (`base-image-username/password`). */
  baseCredential?: RegistryCredential;
  /** The base-image input: when given, the registry the credential is for. */
  baseImage?: string;
  insecureHosts?: readonly string[];
  /** One platform at most: the builder's `--platform`. */
  platforms?: string[];
  entrypoint?: string[];
  cmd?: string[];
  env?: Record<string, string>;
  ports?: number[];
  annotations?: Record<string, string>;
  /** The built layout holds every layer whatever this says; recorded for the log. */
  includeBaseLayers?: boolean;
}

/**
 * Registry hosts of the Dockerfile's FROM images (stage names and scratch
 * skipped); `opaque` when a FROM is built from an ARG or cannot be read, so
 * its host is unknown until the build runs.
 */
export function fromRegistries(dockerfileText: string): { hosts: string[]; opaque: boolean } {
  const stages = new Set<string>();
  const hosts = new Set<string>();
  let opaque = false;
  for (const line of dockerfileText.split(/\r?\n/)) {
    const match = /^\s*FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(line.slice(0, 4096));
    if (!match) continue;
    const image = match[1] as string;
    if (match[2]) stages.add(match[2].toLowerCase());
    if (image === 'scratch' || stages.has(image.toLowerCase())) continue;
    if (image.includes('$')) {
      opaque = true;
      continue;
    }
    try {
      hosts.add(parseReference(image).registry);
    } catch {
      // A FROM the builder cannot read either; podman reports it in its own words.
      opaque = true;
    }
  }
  return { hosts: [...hosts], opaque };
}

/**
 * Where the base-image login may go: the base-image input's registry, or the
 * one registry the Dockerfile pulls from. Several (or unknown) registries
 * without base-image would hand the password to all of them: refused.
 */
function credentialHosts(
  request: DockerfileBuild,
  froms: { hosts: string[]; opaque: boolean },
): string[] {
  if (request.baseCredential?.kind !== 'basic') return [];
  if (request.baseImage !== undefined && request.baseImage !== 'scratch') {
    return [parseReference(request.baseImage, 'base-image').registry];
  }
  if (froms.hosts.length === 1 && !froms.opaque) return froms.hosts;
  throw new InputError(
    'base-image-username',
    `is given, but the Dockerfile pulls from ${froms.opaque ? 'a registry named by a build argument' : froms.hosts.length === 0 ? 'no registry' : `several registries (${froms.hosts.join(', ')})`}; the login must go to one registry only`,
    'base-image: registry.example.com/team/base:1.0 (naming the registry the login is for)',
  );
}

/**
 * An auth file for the hosts, 0600 in a private folder under RUNNER_TEMP, so
 * the password never goes through argv. Its `auths` map is both the
 * containers-auth.json podman reads with --authfile and the config.json docker
 * reads from DOCKER_CONFIG. The caller removes the folder when the build ends.
 */
function writeAuthFile(hosts: string[], username: string, password: string): string {
  const dir = mkdtempSync(join(process.env.RUNNER_TEMP ?? tmpdir(), 'md-podman-auth-'));
  const auth = Buffer.from(`${username}:${password}`).toString('base64');
  const path = join(dir, 'config.json');
  writeFileSync(
    path,
    JSON.stringify({ auths: Object.fromEntries(hosts.map((h) => [h, { auth }])) }),
    {
      mode: 0o600,
    },
  );
  return path;
}

async function hasTool(tool: string): Promise<boolean> {
  const probe = await getExecOutput(tool, ['--version'], {
    silent: true,
    ignoreReturnCode: true,
  }).catch(() => undefined);
  return probe?.exitCode === 0;
}

/** podman when present (daemonless), else docker with a running daemon. */
async function findBuilder(): Promise<'podman' | 'docker'> {
  if (await hasTool('podman')) return 'podman';
  if (await hasTool('docker')) {
    if (!(await hasTool('skopeo'))) {
      throw new UserError(
        'the dockerfile input found docker but not skopeo, which turns the docker image into an OCI layout',
        { hint: 'install skopeo (apt-get install skopeo) or podman on the runner' },
      );
    }
    return 'docker';
  }
  throw new UserError(
    'the dockerfile input needs podman or docker on the runner, and neither was found',
    {
      hint: 'install podman (apt-get install podman) or drop the dockerfile input to package without a builder',
    },
  );
}

async function run(
  tool: string,
  args: string[],
  what: string,
  logger: Logger,
  env?: Record<string, string>,
): Promise<string> {
  // The build's output (RUN steps, pulled images) goes through the logger, line
  // by line, so nothing in it can pass for a workflow command.
  const result = await getExecOutput(tool, args, {
    ignoreReturnCode: true,
    silent: true,
    listeners: { stdline: (line) => logger.info(line), errline: (line) => logger.info(line) },
    ...(env ? { env: { ...(process.env as Record<string, string>), ...env } } : {}),
  });
  if (result.exitCode !== 0) {
    const detail = (result.stderr || result.stdout).trim().split('\n').slice(-15).join('\n');
    throw new UserError(`${tool} ${what} failed (exit ${result.exitCode}):\n${detail}`);
  }
  return result.stdout;
}

/**
 * Inputs the Dockerfile path cannot honour, refused by name before anything
 * is built: podman 4 folds a multi-platform build of a scratch or COPY-only
 * Dockerfile into one image, and docker build without buildx builds one platform.
 */
export function refuseUnsupportedSettings(request: Pick<DockerfileBuild, 'platforms'>): void {
  const platforms = request.platforms ?? [];
  if (platforms.length > 1) {
    throw new InputError(
      'platforms',
      `lists ${platforms.length} platforms (${platforms.join(', ')}), but a Dockerfile build makes one platform per run`,
      `platforms: ${platforms[0]} (one per run, in a matrix), or drop dockerfile to package a multi-arch base daemonlessly`,
    );
  }
  for (const platform of platforms) parsePlatform(platform, 'platforms');
}

/** The runtime settings the Dockerfile build gets after it ran, as config and manifest edits. */
function imageEdit(request: DockerfileBuild): ImageEdit | undefined {
  const settings: RunSettings = {
    env: Object.entries(request.env ?? {}),
    ...(request.entrypoint ? { entrypoint: request.entrypoint } : {}),
    ...(request.cmd ? { cmd: request.cmd } : {}),
    exposedPorts: (request.ports ?? []).map((p) => `${p}/tcp`),
    labels: {},
  };
  const annotations = request.annotations ?? {};
  const changes =
    settings.env.length > 0 ||
    settings.entrypoint !== undefined ||
    settings.cmd !== undefined ||
    settings.exposedPorts.length > 0 ||
    Object.keys(annotations).length > 0;
  if (!changes) return undefined;
  return {
    config: (config) => ({
      ...config,
      config: runConfig(config.config ?? {}, settings, { defaultPath: false }),
    }),
    annotations,
  };
}

interface BuildPlan {
  builder: 'podman' | 'docker';
  /** The local image name the build is tagged with, removed when done. */
  image: string;
  authFile: string | undefined;
  plainHttp: boolean;
}

/** Where the login goes and whether the registries may be reached over plain http. */
function planBuild(request: DockerfileBuild, builder: 'podman' | 'docker'): BuildPlan {
  const image = `localhost/model-deploy-build-${randomBytes(6).toString('hex')}:${request.tag}`;
  const froms = fromRegistries(readFileSync(request.dockerfile, 'utf8'));
  const hosts = credentialHosts(request, froms);
  // podman has one TLS switch for all registries: off only when every registry
  // the build pulls from is known and may be plain http (loopback or listed).
  const pulledFrom = new Set([
    ...froms.hosts,
    ...(request.baseImage !== undefined && request.baseImage !== 'scratch'
      ? [parseReference(request.baseImage, 'base-image').registry]
      : []),
  ]);
  const plainHttp =
    !froms.opaque &&
    pulledFrom.size > 0 &&
    [...pulledFrom].every((h) => allowsPlainHttp(h, request.insecureHosts ?? []));
  const credential = request.baseCredential;
  const authFile =
    credential?.kind === 'basic' && hosts.length > 0
      ? writeAuthFile(hosts, credential.username, credential.password)
      : undefined;
  return { builder, image, authFile, plainHttp };
}

function buildArgs(request: DockerfileBuild, plan: BuildPlan): string[] {
  const labelArgs = Object.entries(request.labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
  const platform = request.platforms?.[0];
  const common = [
    'build',
    '--file',
    request.dockerfile,
    '--tag',
    plan.image,
    ...(platform !== undefined ? ['--platform', platform] : []),
  ];
  if (plan.builder === 'podman') {
    return [
      ...common,
      ...(plan.authFile ? ['--authfile', plan.authFile] : []),
      ...(plan.plainHttp ? ['--tls-verify=false'] : []),
      '--timestamp',
      String(request.sourceDateEpoch),
      ...labelArgs,
      // The context is a path, never an option, whatever its name.
      '--',
      request.context,
    ];
  }
  // BuildKit takes SOURCE_DATE_EPOCH as a build argument for reproducible timestamps.
  return [
    ...common,
    '--build-arg',
    `SOURCE_DATE_EPOCH=${request.sourceDateEpoch}`,
    ...labelArgs,
    '--',
    request.context,
  ];
}

async function runBuild(request: DockerfileBuild, plan: BuildPlan): Promise<void> {
  // docker build has no auth-file switch: it reads DOCKER_CONFIG/config.json,
  // and podman's docker CLI reads REGISTRY_AUTH_FILE; both point at the same file.
  const env: Record<string, string> | undefined =
    plan.builder === 'docker'
      ? plan.authFile
        ? { DOCKER_CONFIG: join(plan.authFile, '..'), REGISTRY_AUTH_FILE: plan.authFile }
        : {}
      : undefined;
  try {
    await run(plan.builder, buildArgs(request, plan), 'build', request.logger, env);
  } finally {
    if (plan.authFile) rmSync(join(plan.authFile, '..'), { recursive: true, force: true });
  }
}

/** The built image as an OCI layout in `output`; the local image is removed after. */
async function exportLayout(request: DockerfileBuild, plan: BuildPlan, workDir: string) {
  const destination = `oci:${request.output}:${request.tag}`;
  try {
    await LayoutWriter.create(request.output);
    if (plan.builder === 'podman') {
      await run(
        'podman',
        ['push', '--quiet', '--format', 'oci', plan.image, destination],
        'export to an OCI layout',
        request.logger,
      );
    } else {
      const archive = join(workDir, 'image.tar');
      await run('docker', ['save', '--output', archive, plan.image], 'save', request.logger);
      await run(
        'skopeo',
        ['copy', '--quiet', `docker-archive:${archive}`, destination],
        'copy of the saved image into an OCI layout',
        request.logger,
      );
    }
  } finally {
    await getExecOutput(plan.builder, ['rmi', '--force', plan.image], {
      silent: true,
      ignoreReturnCode: true,
    });
  }
}

function checkPaths(request: DockerfileBuild): void {
  if (!existsSync(request.dockerfile) || !statSync(request.dockerfile).isFile()) {
    throw new InputError(
      'dockerfile',
      `points at ${request.dockerfile}, which is not a file`,
      'dockerfile: docker/Dockerfile',
    );
  }
  if (!existsSync(request.context) || !statSync(request.context).isDirectory()) {
    throw new InputError(
      'context',
      `points at ${request.context}, which is not a folder`,
      'context: docker',
    );
  }
}

/**
 * The escape hatch: builds the user's Dockerfile with podman or docker and
 * exports the image as an OCI layout. Such builds are only as reproducible
 * as the Dockerfile (buildah honours SOURCE_DATE_EPOCH through --timestamp,
 * BuildKit through the SOURCE_DATE_EPOCH build argument). docker has no OCI
 * layout export of its own without buildx, so its image goes through
 * `docker save` and skopeo. Entrypoint, command, env, ports and annotations
 * are applied to the exported image's config and manifest, the same for both.
 */
export async function buildDockerfile(
  request: DockerfileBuild,
): Promise<{ digest: Digest; mediaType: string; builder: string }> {
  checkPaths(request);
  refuseUnsupportedSettings(request);
  const builder = await findBuilder();
  const plan = planBuild(request, builder);
  request.logger.info(`building ${request.dockerfile} with ${builder}`);
  const workDir = mkdtempSync(join(process.env.RUNNER_TEMP ?? tmpdir(), 'md-build-'));
  try {
    await runBuild(request, plan);
    await exportLayout(request, plan, workDir);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  const edit = imageEdit(request);
  if (edit) await editLayoutImages(request.output, request.tag, edit);
  if (request.includeBaseLayers === false) {
    request.logger.info("the built layout holds every layer, the base image's included");
  }
  const layout = await readLayout(request.output, { tag: request.tag, input: 'output' });
  await writeLayoutMetadata(request.output, {
    schemaVersion: 1,
    name: request.name,
    version: request.version,
    tag: request.tag,
    externalBlobs: {},
  });
  return { digest: layout.top.digest, mediaType: layout.top.mediaType, builder };
}
