import { CreateClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import {
  startAwsIamAuthenticatorDouble,
  type AccessEntry,
  type AwsIamAuthenticatorDouble,
} from './aws-iam-authenticator-double.ts';
import { startEksEndpointStandIn, type EksEndpointStandIn } from './eks-endpoint-stand-in.ts';
import { startCluster, type KubeCluster, type StartClusterOptions } from './kube/cluster.ts';
import { MOTO_ENV, type LocalMoto } from './moto.ts';

/**
 * An EKS cluster as deploy meets it, all local: the cluster exists in moto's
 * EKS (CreateCluster), DescribeCluster answers with the local upstream API
 * server's address and CA (eks-endpoint-stand-in.ts, in front of moto), and
 * that API server authenticates `k8s-aws-v1.` tokens through the
 * aws-iam-authenticator test double, which asks moto's STS who signed them
 * and maps the ARN by the access entries. Point AWS_ENDPOINT_URL_EKS at
 * `eksEndpoint`, and AWS_ENDPOINT_URL_STS (for the credentials chain) at moto.
 */
export interface LocalEks {
  name: string;
  region: string;
  cluster: KubeCluster;
  authenticator: AwsIamAuthenticatorDouble;
  /** For AWS_ENDPOINT_URL_EKS: moto's EKS API with this cluster's endpoint and CA. */
  eksEndpoint: string;
  standIn: EksEndpointStandIn;
  /** moto's own DescribeCluster endpoint (made up, resolves nowhere), as CreateCluster gave it. */
  motoEndpointOfCluster: string;
  stop(): Promise<void>;
}

export async function startLocalEks(options: {
  moto: LocalMoto;
  name: string;
  region?: string;
  accessEntries: AccessEntry[];
  /** Access key → secret of the credentials STS should accept (moto's own test key is added). */
  secrets: Record<string, string>;
  cluster?: Omit<StartClusterOptions, 'tokenWebhook'>;
}): Promise<LocalEks> {
  const region = options.region ?? 'us-east-1';
  const eks = new EKSClient({
    region,
    endpoint: options.moto.endpoint,
    credentials: {
      accessKeyId: MOTO_ENV.AWS_ACCESS_KEY_ID,
      secretAccessKey: MOTO_ENV.AWS_SECRET_ACCESS_KEY,
      sessionToken: MOTO_ENV.AWS_SESSION_TOKEN,
    },
  });
  let motoEndpointOfCluster: string;
  try {
    const created = await eks.send(
      new CreateClusterCommand({
        name: options.name,
        roleArn: 'arn:aws:iam::123456789012:role/eks',
        resourcesVpcConfig: { subnetIds: ['subnet-1'] },
      }),
    );
    motoEndpointOfCluster = created.cluster?.endpoint ?? '';
  } finally {
    eks.destroy();
  }
  const authenticator = await startAwsIamAuthenticatorDouble({
    clusterId: options.name,
    stsEndpoint: options.moto.endpoint,
    secrets: { [MOTO_ENV.AWS_ACCESS_KEY_ID]: MOTO_ENV.AWS_SECRET_ACCESS_KEY, ...options.secrets },
    accessEntries: options.accessEntries,
  });
  let cluster: KubeCluster | undefined;
  try {
    cluster = await startCluster({
      ...options.cluster,
      tokenWebhook: { url: authenticator.url, caPem: authenticator.caPem },
    });
    const standIn = await startEksEndpointStandIn({
      moto: options.moto.endpoint,
      clusters: { [options.name]: { server: cluster.server, caPem: cluster.caPem } },
    });
    const started = cluster;
    return {
      name: options.name,
      region,
      cluster: started,
      authenticator,
      eksEndpoint: standIn.endpoint,
      standIn,
      motoEndpointOfCluster,
      async stop() {
        await standIn.stop();
        await started.stop();
        await authenticator.stop();
      },
    };
  } catch (err) {
    await cluster?.stop();
    await authenticator.stop();
    throw err;
  }
}
