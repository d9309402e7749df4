import type { Runtime, RuntimeContext } from './types.ts';
import { placeTree } from './placement.ts';

/**
 * Any server image: the model goes to `/models/<name>/<version>/` and the base
 * image (required) decides how it is served; ports and command come from inputs.
 */
export const custom: Runtime = {
  name: 'custom',
  protocol: 'http',
  defaultBaseImage: undefined,
  ports: [{ name: 'http', port: 8080 }],
  health: { live: '/health', ready: '/health' },
  // Any server image: the pod runs as the image's own non-root user when it
  // names one by uid, else as 1000 with HOME on an emptyDir (see planServing).
  pod: {
    runAsUser: 1000,
    readOnlyRootFilesystem: false,
    startupSeconds: 120,
    pullSeconds: 180,
    shutdownSeconds: 30,
    defaultRequests: { cpu: '250m', memory: '512Mi' },
  },
  numericVersion: false,
  command: () => ({}),
  env: (ctx) => ({
    MODEL_NAME: ctx.name,
    MODEL_VERSION: ctx.version,
    MODEL_PATH: `/models/${ctx.name}/${ctx.version}`,
  }),
  plan: (ctx: RuntimeContext) =>
    placeTree(ctx.tree, `/models/${ctx.name}/${ctx.version}`, `/models/${ctx.name}/${ctx.version}`),
};
