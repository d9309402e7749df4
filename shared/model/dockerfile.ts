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
}

/** Registry hosts of the Dockerfile's FROM images (stage names, scratch and ARG-built names skipped). */
export function fromRegistries(dockerfileText: string): string[] {
  const stages = new Set<string>();
  const hosts = new Set<string>();
  for (const line of dockerfileText.split(/\r?\n/)) {
    const match = /^\s*FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (!match) continue;
    const image = match[1] as string;
    if (match[2]) stages.add(match[2].toLowerCase());
    if (image === 'scratch' || image.includes('$') || stages.has(image.toLowerCase())) continue;
    try {
      hosts.add(parseReference(image).registry);
    } catch {
      // A FROM the builder cannot read either; podman reports it in its own words.
    }
  }
  return [...hosts];
}

/**
 * A containers-auth.json (the format podman reads with --authfile) for the
 * hosts, 0600 in a private folder under RUNNER_TEMP, so the password never goes
 * through argv. The caller removes the folder when the build ends.
 */
function writeAuthFile(hosts: string[], username: string, password: string): string {
  const dir = mkdtempSync(join(process.env.RUNNER_TEMP ?? tmpdir(), 'md-podman-auth-'));
  const auth = Buffer.from(`${username}:${password}`).toString('base64');
  const path = join(dir, 'auth.json');
  writeFileSync(
    path,
    JSON.stringify({ auths: Object.fromEntries(hosts.map((h) => [h, { auth }])) }),
    {
      mode: 0o600,
    },
  );
  return path;
}

/** podman when present (daemonless), else docker with a running daemon. */
async function findBuilder(): Promise<'podman' | 'docker'> {
  for (const tool of ['podman', 'docker'] as const) {
    const probe = await getExecOutput(tool, ['--version'], {
      silent: true,
      ignoreReturnCode: true,
    }).catch(() => undefined);
    if (probe?.exitCode === 0) return tool;
  }
  throw new UserError(
    'the dockerfile input needs podman or docker on the runner, and neither was found',
    {
      hint: 'install podman (apt-get install podman) or drop the dockerfile input to package without a builder',
    },
  );
}

async function run(tool: string, args: string[], what: string): Promise<string> {
  const result = await getExecOutput(tool, args, { ignoreReturnCode: true });
  if (result.exitCode !== 0) {
    const detail = (result.stderr || result.stdout).trim().split('\n').slice(-15).join('\n');
    throw new UserError(`${tool} ${what} failed (exit ${result.exitCode}):\n${detail}`);
  }
  return result.stdout;
}

/**
 * The escape hatch: builds the user's Dockerfile with podman or docker and
 * exports the image as an OCI layout. Such builds are only as reproducible
 * as the Dockerfile (buildah honours SOURCE_DATE_EPOCH through --timestamp).
 */
export async function buildDockerfile(
  request: DockerfileBuild,
): Promise<{ digest: Digest; mediaType: string; builder: string }> {
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
  const builder = await findBuilder();
  const image = `localhost/model-deploy-build-${randomBytes(6).toString('hex')}:${request.tag}`;
  const labelArgs = Object.entries(request.labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
  const timestamp = ['--timestamp', String(request.sourceDateEpoch)];
  const hosts =
    request.baseImage !== undefined && request.baseImage !== 'scratch'
      ? [parseReference(request.baseImage, 'base-image').registry]
      : fromRegistries(readFileSync(request.dockerfile, 'utf8'));
  // podman has one switch for all registries: only off when every one it pulls from may be plain http.
  const plainHttp =
    hosts.length > 0 && hosts.every((h) => allowsPlainHttp(h, request.insecureHosts ?? []));
  const credential = request.baseCredential;
  const authFile =
    credential?.kind === 'basic' && hosts.length > 0
      ? writeAuthFile(hosts, credential.username, credential.password)
      : undefined;
  request.logger.info(`building ${request.dockerfile} with ${builder}`);
  try {
    await run(
      builder,
      [
        'build',
        '--file',
        request.dockerfile,
        '--tag',
        image,
        ...(authFile ? ['--authfile', authFile] : []),
        ...(plainHttp ? ['--tls-verify=false'] : []),
        ...timestamp,
        ...labelArgs,
        request.context,
      ],
      'build',
    );
  } finally {
    if (authFile) rmSync(join(authFile, '..'), { recursive: true, force: true });
  }
  try {
    await LayoutWriter.create(request.output);
    if (builder === 'podman') {
      await run(
        'podman',
        ['push', '--quiet', '--format', 'oci', image, `oci:${request.output}:${request.tag}`],
        'export to an OCI layout',
      );
    } else {
      throw new UserError(
        'exporting a docker-built image as an OCI layout needs podman or skopeo; only docker was found',
        {
          hint: 'install podman, or package without the dockerfile input',
        },
      );
    }
  } finally {
    await getExecOutput(builder, ['rmi', '--force', image], {
      silent: true,
      ignoreReturnCode: true,
    });
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
