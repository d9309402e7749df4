import { join } from 'node:path';
import {
  actionsLogger,
  booleanInput,
  enumInput,
  group,
  hostListInput,
  listInput,
  mapInput,
  optionalString,
  requiredString,
  runAction,
  secretString,
  setOutput,
  JobSummary,
} from '../../shared/action/index.ts';
import { checkDnsLabel } from '../../shared/common/names.ts';
import { InputError } from '../../shared/common/errors.ts';
import { formatBytes } from '../../shared/common/bytes.ts';
import { buildDockerfile } from '../../shared/model/dockerfile.ts';
import {
  digestModel,
  packageModel,
  parsePorts,
  tagFor,
  type PackageResult,
} from '../../shared/model/package.ts';
import { RUNTIMES } from '../../shared/model/runtimes/index.ts';
import { RUNTIME_NAMES, type RuntimeName } from '../../shared/model/runtimes/types.ts';
import { resolveModel } from '../../shared/model/sources/resolve.ts';
import type { RegistryCredential } from '../../shared/registry/credential.ts';

export interface Inputs {
  model: string;
  name: string;
  version: string | undefined;
  runtime: RuntimeName;
  baseImage: string | undefined;
  platforms: string[];
  entrypoint: string[] | undefined;
  cmd: string[] | undefined;
  env: Record<string, string>;
  ports: number[] | undefined;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  output: string | undefined;
  sourceDateEpoch: number;
  includeBaseLayers: boolean;
  dockerfile: string | undefined;
  context: string | undefined;
  mlflowTrackingUri: string | undefined;
  baseCredential: RegistryCredential;
  insecureRegistries: string[];
}

/** `["python", "serve.py"]` (JSON) or one argument per line. */
function argvInput(name: string): string[] | undefined {
  const value = optionalString(name);
  if (value === undefined) return undefined;
  if (value.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch (err) {
      throw new InputError(
        name,
        `is not a valid JSON array: ${(err as Error).message}`,
        `${name}: '["python", "serve.py"]'`,
      );
    }
    if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string')) {
      throw new InputError(
        name,
        'must be a JSON array of strings',
        `${name}: '["python", "serve.py"]'`,
      );
    }
    return parsed;
  }
  return value
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

function epochInput(): number {
  const value = optionalString('source-date-epoch') ?? process.env.SOURCE_DATE_EPOCH ?? '0';
  if (!/^\d+$/.test(value.trim())) {
    throw new InputError(
      'source-date-epoch',
      `must be seconds since 1970 (a whole number), not '${value}'`,
      'source-date-epoch: 1717200000, the commit time in seconds as git log -1 --format=%ct prints it',
    );
  }
  return Number(value.trim());
}

export function getInputs(): Inputs {
  const model = requiredString('model', {
    example: 'models/resnet50, models:/resnet50/3 or models/resnet50.onnx.dvc',
  });
  const name = checkDnsLabel(
    'name',
    requiredString('name', { example: 'resnet50' }),
    'name: resnet50',
    '; it is also the release (Deployment and Service) name deploy uses',
  );
  const runtime = enumInput('runtime', RUNTIME_NAMES, 'triton');
  const baseImage = optionalString('base-image');
  const dockerfile = optionalString('dockerfile');
  if (runtime === 'custom' && baseImage === undefined && dockerfile === undefined) {
    throw new InputError(
      'base-image',
      'is required when runtime is custom (the image that serves the model)',
      'base-image: ghcr.io/org/server:1.2',
    );
  }
  const username = optionalString('base-image-username');
  const password = secretString('base-image-password');
  if ((username === undefined) !== (password === undefined)) {
    throw new InputError(
      username === undefined ? 'base-image-username' : 'base-image-password',
      'must be given together with the other base-image credential',
      'base-image-username: robot and base-image-password: ${{ secrets.BASE_IMAGE_TOKEN }}',
    );
  }
  const version = optionalString('version');
  // The version becomes a folder in the image for several runtimes.
  if (
    version !== undefined &&
    (/[/\\]/.test(version) || [...version].some((c) => c < ' ') || /^\.+$/.test(version))
  ) {
    throw new InputError(
      'version',
      `must not contain '/', '\\' or control characters, or be only dots; got '${version}'`,
      'version: 3',
    );
  }
  return {
    model,
    name,
    version,
    runtime,
    baseImage,
    platforms: listInput('platforms'),
    entrypoint: argvInput('entrypoint'),
    cmd: argvInput('cmd'),
    env: mapInput('env'),
    ports: parsePorts(listInput('ports')),
    labels: mapInput('labels'),
    annotations: mapInput('annotations'),
    output: optionalString('output'),
    sourceDateEpoch: epochInput(),
    includeBaseLayers: booleanInput('include-base-layers', false),
    dockerfile,
    context: optionalString('context'),
    mlflowTrackingUri: optionalString('mlflow-tracking-uri') ?? process.env.MLFLOW_TRACKING_URI,
    baseCredential:
      username !== undefined && password !== undefined
        ? { kind: 'basic', username, password }
        : { kind: 'anonymous' },
    insecureRegistries: hostListInput('insecure-registries'),
  };
}

function lineageFromRun(): { source?: string; revision?: string } {
  const server = process.env.GITHUB_SERVER_URL;
  const repository = process.env.GITHUB_REPOSITORY;
  return {
    ...(server && repository ? { source: `${server}/${repository}` } : {}),
    ...(process.env.GITHUB_SHA ? { revision: process.env.GITHUB_SHA } : {}),
  };
}

export async function run(): Promise<boolean> {
  const summary = new JobSummary('model-deploy: package');
  const ok = await runAction('package', async () => {
    const inputs = getInputs();
    const runtime = RUNTIMES[inputs.runtime];
    const temp = process.env.RUNNER_TEMP ?? process.cwd();
    const work = join(temp, 'model-deploy', 'package', inputs.name);
    const resolved = await group('Resolving the model', () =>
      resolveModel(inputs.model, {
        mlflowTrackingUri: inputs.mlflowTrackingUri,
        mlflowAuth: {
          token: process.env.MLFLOW_TRACKING_TOKEN || undefined,
          username: process.env.MLFLOW_TRACKING_USERNAME || undefined,
          password: process.env.MLFLOW_TRACKING_PASSWORD || undefined,
        },
        workDir: join(work, 'source'),
        logger: actionsLogger,
      }),
    );
    const version = inputs.version ?? resolved.version ?? '1';
    const output = inputs.output ?? join(work, `layout-${tagFor(version)}`);

    let result: PackageResult;
    if (inputs.dockerfile !== undefined) {
      const model = await digestModel(resolved.path);
      const tag = tagFor(version);
      const built = await group('Building the Dockerfile', () =>
        buildDockerfile({
          dockerfile: inputs.dockerfile!,
          context: inputs.context ?? '.',
          output,
          tag,
          name: inputs.name,
          version,
          labels: inputs.labels,
          sourceDateEpoch: inputs.sourceDateEpoch,
          logger: actionsLogger,
          baseCredential: inputs.baseCredential,
          ...(inputs.baseImage ? { baseImage: inputs.baseImage } : {}),
          insecureHosts: inputs.insecureRegistries,
        }),
      );
      result = {
        layout: output,
        tag,
        digest: built.digest,
        mediaType: built.mediaType,
        modelDigest: model.digest,
        openapi: await model.writeOpenApi(runtime, inputs.name, version, output),
        annotations: {},
        layers: [],
        platforms: [],
        base: undefined,
        modelPath: resolved.path,
        modelCompressionRatio: 1,
      };
    } else {
      const baseImage = inputs.baseImage ?? runtime.defaultBaseImage!;
      result = await group('Packaging', () =>
        packageModel({
          modelPath: resolved.path,
          source: resolved.source,
          name: inputs.name,
          version,
          runtime,
          baseImage,
          platforms: inputs.platforms,
          entrypoint: inputs.entrypoint,
          cmd: inputs.cmd,
          env: inputs.env,
          ports: inputs.ports,
          labels: inputs.labels,
          annotations: inputs.annotations,
          output,
          sourceDateEpoch: inputs.sourceDateEpoch,
          includeBaseLayers: inputs.includeBaseLayers,
          lineage: lineageFromRun(),
          baseCredential: inputs.baseCredential,
          insecureHosts: inputs.insecureRegistries,
          logger: actionsLogger,
        }),
      );
    }

    setOutput('layout', result.layout);
    setOutput('digest', result.digest);
    setOutput('model-digest', result.modelDigest);
    setOutput('openapi', result.openapi);
    setOutput('annotations', result.annotations);
    actionsLogger.info(
      `packaged ${inputs.name} ${version} as ${result.digest} in ${result.layout}`,
    );

    summary.facts([
      ['Image digest', `\`${result.digest}\``],
      ['Model', `${inputs.name} ${version} (${resolved.source.kind}: ${inputs.model})`],
      ['Model digest', `\`${result.modelDigest}\``],
      ['Runtime', `${runtime.name} (${runtime.protocol}), model at \`${result.modelPath}\``],
      [
        'Base',
        result.base
          ? `${result.base.name} \`${result.base.digest}\``
          : inputs.dockerfile
            ? `built from ${inputs.dockerfile}`
            : 'none (scratch)',
      ],
      ['Platforms', result.platforms.join(', ')],
      [
        'Base layers',
        result.base
          ? inputs.includeBaseLayers
            ? 'in the layout'
            : 'not downloaded; push copies them registry-to-registry'
          : undefined,
      ],
      ['Layout', `\`${result.layout}\``],
    ]);
    if (result.layers.length > 0) {
      summary.heading('Layers');
      summary.table(
        ['Layer', 'Media type', 'Digest', 'Size'],
        result.layers.map((l) => [
          l.path ? `${l.role}: \`${l.path}\`` : l.role,
          l.mediaType.replace('application/vnd.oci.image.', ''),
          `\`${l.digest.slice(0, 19)}…\``,
          formatBytes(l.size),
        ]),
      );
    }
    const lineage = Object.entries(result.annotations);
    if (lineage.length > 0) {
      summary.details(
        'Lineage annotations',
        lineage.map(([k, v]) => `- \`${k}\`: ${v}`).join('\n'),
      );
    }
  });
  if (ok) await summary.write();
  return ok;
}
