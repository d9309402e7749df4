import type { Cloud } from '../types.ts';
import { genericProfile } from './profile.ts';

const MiB = 1024 * 1024;

/** Any OCI registry and any cluster a kubeconfig reaches: the cloud of everything the others do not own. */
export const generic: Cloud = {
  name: 'generic',
  registry: {
    takesLogin: true,
    /** Distribution, GHCR, Harbor, Quay...: one streamed PUT is fastest and universally accepted. */
    uploadPolicy: {
      name: 'generic',
      monolithicMaxBytes: Infinity,
      chunkBytes: 64 * MiB,
      minChunkBytes: 0,
    },
    async access({ host, username, password, logger }) {
      const { genericRegistryAccess } = await import('./registry.ts');
      return genericRegistryAccess({ host, username, password, logger });
    },
  },
  clusters: [
    {
      kind: 'kubeconfig',
      example: 'kubeconfig:./kubeconfig',
      parse: (rest, fail) =>
        rest.trim() === ''
          ? fail('must name a file after kubeconfig:')
          : { kind: 'kubeconfig', path: rest.trim() },
      describe: (spec) => `kubeconfig:${spec.path}`,
      async connect(spec, context) {
        const { kubeconfigConnection } = await import('./cluster.ts');
        return kubeconfigConnection(spec.path, context);
      },
    },
    {
      kind: 'default',
      implicit: true,
      example: '',
      parse: () => ({ kind: 'default' }),
      describe: () => 'the runner kubeconfig',
      async connect(_spec, context) {
        const { kubeconfigConnection } = await import('./cluster.ts');
        return kubeconfigConnection(undefined, context);
      },
    },
  ],
  profile: genericProfile,
  credentialHint:
    'give username and password, or sign in with docker/login-action (or a kubeconfig) before this step',
};
