import { InputError } from '../../common/errors.ts';
import type { Runtime, RuntimeContext } from './types.ts';
import { doesNotFit, extension } from './placement.ts';

const MODEL_STORE = '/home/model-server/model-store';
/**
 * The image's config.properties (addresses, model store, workers). TorchServe
 * looks for config.properties in its working directory unless told where,
 * so an image whose WORKDIR differs would start on its built-in defaults.
 */
const TS_CONFIG = '/home/model-server/config.properties';

/** TorchServe serves `.mar` archives from its model store. */
export const torchserve: Runtime = {
  name: 'torchserve',
  protocol: 'torchserve',
  defaultBaseImage: 'docker.io/pytorch/torchserve:0.12.0-cpu',
  ports: [
    { name: 'http', port: 8080 },
    { name: 'management', port: 8081 },
    { name: 'metrics', port: 8082 },
    // The gRPC inference API (package org.pytorch.serve.grpc.inference).
    { name: 'grpc', port: 7070 },
  ],
  health: { live: '/ping', ready: '/ping' },
  // InferenceAPIsService (management is on another port).
  grpcPackage: 'org.pytorch.serve.grpc.inference',
  // The image runs as its model-server user (uid 1000), which writes logs and
  // unpacks .mar files under its home directory.
  pod: {
    runAsUser: 1000,
    readOnlyRootFilesystem: false,
    startupSeconds: 300,
    pullSeconds: 300,
    shutdownSeconds: 30,
    defaultRequests: { cpu: '1', memory: '2Gi' },
  },
  numericVersion: false,
  command: (ctx) => ({
    cmd: [
      'torchserve',
      '--start',
      '--foreground',
      '--ncs',
      '--disable-token-auth',
      '--ts-config',
      TS_CONFIG,
      '--model-store',
      MODEL_STORE,
      '--models',
      `${ctx.name}=${ctx.name}.mar`,
    ],
  }),
  env: () => ({}),
  plan(ctx: RuntimeContext) {
    const archives = ctx.tree.files.filter((f) => extension(f.path) === '.mar');
    const config = ctx.tree.files.find((f) => f.path === 'config.properties');
    if (archives.length === 0) {
      throw doesNotFit(
        'torchserve',
        'no .mar model archive (build one with torch-model-archiver)',
        'model: model-store/resnet50.mar',
      );
    }
    if (archives.length > 1) {
      throw new InputError(
        'model',
        `holds ${archives.length} .mar archives (${archives.map((a) => a.path).join(', ')}); give exactly one`,
      );
    }
    const file = archives[0]!;
    return {
      modelPath: `${MODEL_STORE}/${ctx.name}.mar`,
      files: [
        { file, imagePath: `${MODEL_STORE}/${ctx.name}.mar` },
        // A config.properties beside the archive replaces the image's.
        ...(config ? [{ file: config, imagePath: TS_CONFIG }] : []),
      ],
      symlinks: [],
      directories: [MODEL_STORE],
      generated: [],
    };
  },
};
