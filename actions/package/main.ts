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
import { InputError } from '../../shared/common/errors.ts';
import { checkDnsLabel } from '../../shared/common/names.ts';
import {
  checkModelVersion,
  parseArgv,
  parsePorts,
  parseSourceDateEpoch,
} from '../../shared/model/image-settings.ts';
import { RUNTIME_NAMES } from '../../shared/model/runtimes/types.ts';
import type { BuildModelImageRequest } from '../../shared/orchestrators/build-model-image.ts';
import type { RegistryCredential } from '../../shared/registry/credential.ts';
import { summarize } from './summary.ts';

export type Inputs = BuildModelImageRequest;

function baseCredentialInput(): RegistryCredential {
  const username = optionalString('base-image-username');
  const password = secretString('base-image-password');
  if ((username === undefined) !== (password === undefined)) {
    throw new InputError(
      username === undefined ? 'base-image-username' : 'base-image-password',
      'must be given together with the other base-image credential',
      'base-image-username: robot and base-image-password: ${{ secrets.BASE_IMAGE_TOKEN }}',
    );
  }
  return username !== undefined && password !== undefined
    ? { kind: 'basic', username, password }
    : { kind: 'anonymous' };
}

export function getInputs(): BuildModelImageRequest {
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
  const baseCredential = baseCredentialInput();
  const env = process.env;
  return {
    model,
    name,
    version: checkModelVersion(optionalString('version')),
    runtime,
    baseImage,
    platforms: listInput('platforms'),
    entrypoint: parseArgv('entrypoint', optionalString('entrypoint')),
    cmd: parseArgv('cmd', optionalString('cmd')),
    env: mapInput('env'),
    ports: parsePorts(listInput('ports')),
    labels: mapInput('labels'),
    annotations: mapInput('annotations'),
    output: optionalString('output'),
    sourceDateEpoch: parseSourceDateEpoch(
      optionalString('source-date-epoch') ?? env.SOURCE_DATE_EPOCH ?? '0',
    ),
    includeBaseLayers: booleanInput('include-base-layers', false),
    dockerfile,
    context: optionalString('context'),
    mlflowTrackingUri: optionalString('mlflow-tracking-uri') ?? env.MLFLOW_TRACKING_URI,
    mlflowAuth: {
      token: env.MLFLOW_TRACKING_TOKEN || undefined,
      username: env.MLFLOW_TRACKING_USERNAME || undefined,
      password: env.MLFLOW_TRACKING_PASSWORD || undefined,
    },
    baseCredential,
    insecureRegistries: hostListInput('insecure-registries'),
    lineage: {
      ...(env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY
        ? { source: `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}` }
        : {}),
      ...(env.GITHUB_SHA ? { revision: env.GITHUB_SHA } : {}),
    },
    workDir: join(env.RUNNER_TEMP ?? process.cwd(), 'model-deploy', 'package', name),
  };
}

export async function run(): Promise<boolean> {
  const summary = new JobSummary('model-deploy: package');
  const ok = await runAction('package', async () => {
    const inputs = getInputs();
    // The model sources and the image writer load once the inputs hold.
    const { buildModelImage } = await import('../../shared/orchestrators/build-model-image.ts');
    const result = await buildModelImage(inputs, { logger: actionsLogger, group });
    setOutput('layout', result.layout);
    setOutput('digest', result.digest);
    setOutput('model-digest', result.modelDigest);
    setOutput('openapi', result.openapi);
    setOutput('annotations', result.annotations);
    actionsLogger.info(
      `packaged ${inputs.name} ${result.version} as ${result.digest} in ${result.layout}`,
    );
    summarize(summary, inputs, result);
  });
  if (ok) await summary.write();
  return ok;
}
