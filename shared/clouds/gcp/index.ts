import type { Cloud } from '../types.ts';
import { describeGkeSpec, parseGkeSpec, type GkeClusterSpec } from './cluster-spec.ts';
import { gcpProfile } from './profile.ts';

const MiB = 1024 * 1024;
const GCP_HOST = /^(?:[a-z0-9-]+-docker\.pkg\.dev|(?:[a-z]+\.)?gcr\.io)$/;

export const gcp: Cloud = {
  name: 'gcp',
  registry: {
    ownsHost: (host) => GCP_HOST.test(host),
    /** Artifact Registry: monolithic uploads. */
    uploadPolicy: {
      name: 'artifact-registry',
      monolithicMaxBytes: Infinity,
      chunkBytes: 64 * MiB,
      minChunkBytes: 0,
    },
    async access({ host, logger, endpoints }) {
      const { artifactRegistryAccess } = await import('./registry.ts');
      return artifactRegistryAccess({ host, logger, endpoint: endpoints?.artifactregistry });
    },
  },
  clusters: [
    {
      kind: 'gke',
      example: 'gke:my-project/europe-west4/prod',
      parse: parseGkeSpec,
      describe: describeGkeSpec,
      async connect(spec, context) {
        const { gkeConnection } = await import('./cluster.ts');
        return gkeConnection(spec as GkeClusterSpec, context);
      },
    },
  ],
  ownsServer: ({ hostname }) =>
    hostname.endsWith('.gke.goog') || hostname.endsWith('.googleapis.com'),
  objectStore: {
    schemes: ['gs'],
    async reader({ url, logger }) {
      const { gcsObjectReader } = await import('./gcs-objects.ts');
      return gcsObjectReader({ bucket: new URL(url).hostname, logger });
    },
  },
  profile: gcpProfile,
  credentialHint:
    'sign in with google-github-actions/auth (workload identity federation) before this step',
};
