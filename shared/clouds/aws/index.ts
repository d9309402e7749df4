import type { Cloud } from '../types.ts';
import { describeEksSpec, parseEksSpec, type EksSpec } from './cluster-spec.ts';
import { ECR_HOST, isEksServer } from './hosts.ts';
import { awsProfile } from './profile.ts';

const MiB = 1024 * 1024;

export const aws: Cloud = {
  name: 'aws',
  registry: {
    ownsHost: (host) => ECR_HOST.test(host),
    /** ECR: layer parts of at least 5 MiB; chunked always, so one code path serves every size. */
    uploadPolicy: {
      name: 'ecr',
      monolithicMaxBytes: 0,
      chunkBytes: 32 * MiB,
      minChunkBytes: 5 * MiB,
    },
    async access({ host, logger }) {
      const { ecrRegistryAccess } = await import('./registry.ts');
      return ecrRegistryAccess({ host, logger });
    },
  },
  clusters: [
    {
      kind: 'eks',
      example: 'eks:us-east-1/prod',
      parse: parseEksSpec,
      describe: describeEksSpec,
      async connect(spec, context) {
        const { eksConnection } = await import('./cluster.ts');
        return eksConnection(spec as EksSpec, context);
      },
    },
  ],
  ownsServer: (server) => isEksServer(server.hostname),
  objectStore: {
    schemes: ['s3'],
    async reader({ url, settings }) {
      const { s3ObjectReader } = await import('./s3-objects.ts');
      const endpoint = settings?.endpointurl;
      const region = settings?.region;
      return s3ObjectReader({
        bucket: new URL(url).hostname,
        ...(endpoint ? { endpoint } : {}),
        ...(region ? { region } : {}),
      });
    },
  },
  profile: awsProfile,
  probes: {
    async loadBalancerController(cluster, logger) {
      const { findEksLoadBalancerController } = await import('./load-balancer.ts');
      return findEksLoadBalancerController(cluster, logger);
    },
  },
  credentialHint:
    'sign in with aws-actions/configure-aws-credentials (GitHub OIDC to an IAM role) before this step',
};
