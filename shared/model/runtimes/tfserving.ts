import type { Runtime, RuntimeContext } from './types.ts';
import { doesNotFit, hasFile, placeTree, requireNumericVersion } from './placement.ts';

/**
 * TF Serving loads `/models/<name>/<version>/saved_model.pb` with `variables/`;
 * the official image starts the server from MODEL_NAME and MODEL_BASE_PATH.
 */
export const tfserving: Runtime = {
  name: 'tfserving',
  protocol: 'tfserving',
  defaultBaseImage: 'docker.io/tensorflow/serving:2.16.1',
  ports: [
    { name: 'http', port: 8501 },
    { name: 'grpc', port: 8500 },
  ],
  health: { live: '/v1/models/{name}', ready: '/v1/models/{name}' },
  // PredictionService and ModelService.
  grpcPackage: 'tensorflow.serving',
  // The official image has no user of its own and runs as root; the server
  // reads the model and writes nothing, so any non-root uid serves.
  pod: {
    runAsUser: 1000,
    readOnlyRootFilesystem: true,
    startupSeconds: 300,
    pullSeconds: 180,
    shutdownSeconds: 30,
    defaultRequests: { cpu: '500m', memory: '1Gi' },
  },
  numericVersion: true,
  command: () => ({}),
  env: (ctx) => ({ MODEL_NAME: ctx.name, MODEL_BASE_PATH: '/models' }),
  plan(ctx: RuntimeContext) {
    requireNumericVersion('tfserving', ctx.version);
    const { tree } = ctx;
    if (
      tree.singleFile ||
      !(hasFile(tree, 'saved_model.pb') || hasFile(tree, 'saved_model.pbtxt'))
    ) {
      throw doesNotFit(
        'tfserving',
        'a SavedModel folder needs saved_model.pb (and usually variables/)',
        'model: export/resnet50 (saved_model.pb + variables/)',
      );
    }
    return placeTree(tree, `/models/${ctx.name}/${ctx.version}`, `/models/${ctx.name}`);
  },
};
