import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { InputError } from '../../common/errors.ts';
import type { Runtime, RuntimeContext } from './types.ts';
import { doesNotFit, extension, hasFile, placeTree } from './placement.ts';
import { signatureFromMlmodel } from '../mlmodel.ts';

/** The first bytes of a model file: enough to tell the formats that share an extension. */
function head(source: string, bytes = 64): string {
  const fd = openSync(source, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const read = readSync(fd, buffer, 0, bytes, 0);
    return buffer.subarray(0, read).toString('latin1');
  } finally {
    closeSync(fd);
  }
}

/**
 * LightGBM saves a text model that starts with a `tree` line and then
 * `version=v…`, whatever the file is named; MLServer's LightGBM runtime
 * looks for model.bst, the name its XGBoost runtime looks for too, so the
 * content tells them apart.
 */
function isLightGbmText(source: string): boolean {
  return /^tree\r?\nversion=v\d/.test(head(source));
}

/** File types MLServer has a runtime for, when no model-settings.json is given. */
const IMPLEMENTATIONS: Array<{
  match: (path: string, source: string) => boolean;
  implementation: string;
}> = [
  { match: (p) => p === 'MLmodel', implementation: 'mlserver_mlflow.MLflowRuntime' },
  {
    match: (p) => ['.joblib', '.pkl', '.pickle'].includes(extension(p)),
    implementation: 'mlserver_sklearn.SKLearnModel',
  },
  {
    match: (p, source) => ['.bst', '.txt'].includes(extension(p)) && isLightGbmText(source),
    implementation: 'mlserver_lightgbm.LightGBMModel',
  },
  {
    match: (p) => ['.bst', '.ubj'].includes(extension(p)),
    implementation: 'mlserver_xgboost.XGBoostModel',
  },
];

/**
 * MLServer loads every folder under its models root that has a
 * `model-settings.json`. One is generated from the file type when not given.
 */
export const mlserver: Runtime = {
  name: 'mlserver',
  protocol: 'open-inference-v2',
  defaultBaseImage: 'docker.io/seldonio/mlserver:1.6.1',
  ports: [
    { name: 'http', port: 8080 },
    { name: 'grpc', port: 8081 },
    { name: 'metrics', port: 8082 },
  ],
  health: { live: '/v2/health/live', ready: '/v2/health/ready' },
  // The Open Inference Protocol's gRPC API.
  grpcPackage: 'inference',
  // The image's USER is 1000; MLServer writes its environments and logs.
  pod: {
    runAsUser: 1000,
    readOnlyRootFilesystem: false,
    startupSeconds: 300,
    pullSeconds: 300,
    shutdownSeconds: 30,
    defaultRequests: { cpu: '500m', memory: '1Gi' },
  },
  numericVersion: false,
  command: () => ({ cmd: ['mlserver', 'start', '/mnt/models'] }),
  env: () => ({}),
  plan(ctx: RuntimeContext) {
    const { tree } = ctx;
    const dir = `/mnt/models/${ctx.name}`;
    const plan = placeTree(tree, dir, dir);
    plan.directories.unshift('/mnt/models');
    if (hasFile(tree, 'MLmodel')) {
      const mlmodel = tree.files.find((f) => f.path === 'MLmodel');
      const signature = mlmodel
        ? signatureFromMlmodel(readFileSync(mlmodel.source, 'utf8'))
        : undefined;
      if (signature) plan.signature = signature;
    }
    if (hasFile(tree, 'model-settings.json')) {
      const settings = tree.files.find((f) => f.path === 'model-settings.json')!;
      try {
        JSON.parse(readFileSync(settings.source, 'utf8'));
      } catch (err) {
        throw new InputError(
          'model',
          `has a model-settings.json that is not JSON: ${(err as Error).message}`,
        );
      }
      return plan;
    }
    const candidates = tree.singleFile
      ? tree.files
      : tree.files.filter((f) => !f.path.includes('/'));
    const match = IMPLEMENTATIONS.map((i) => ({
      ...i,
      file: candidates.find((f) => i.match(f.path, f.source))?.path,
    })).find((i) => i.file !== undefined);
    if (match === undefined) {
      throw doesNotFit(
        'mlserver',
        'no model-settings.json, and no file MLServer knows how to load (MLmodel, .joblib/.pkl, an XGBoost .bst/.ubj, a LightGBM text model .bst/.txt)',
        'a folder with model.joblib, or one with model-settings.json',
      );
    }
    const settings = {
      name: ctx.name,
      implementation: match.implementation,
      parameters: {
        uri: match.file === 'MLmodel' ? './' : `./${match.file}`,
        version: ctx.version,
      },
    };
    plan.generated.push({
      imagePath: `${dir}/model-settings.json`,
      content: Buffer.from(JSON.stringify(settings, null, 2) + '\n'),
    });
    return plan;
  },
};
