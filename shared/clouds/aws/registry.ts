import {
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import { UserError } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import type { RegistryAccess, RegistryCredential } from '../types.ts';
import { awsCredentials, awsRegion, explainAwsError } from './credentials.ts';
import { ECR_HOST } from './hosts.ts';

export interface EcrRegistryOptions {
  host: string;
  logger: Logger;
  /** Replaceable for tests; by default built from the region and the default credential chain. */
  client?: ECRClient;
}

/**
 * ECR: GetAuthorizationToken gives a Basic `AWS:<password>` pair valid for 12
 * hours; repositories must exist before a push, so they are created with
 * scan-on-push and the requested tag mutability.
 */
export function ecrRegistryAccess(options: EcrRegistryOptions): RegistryAccess {
  const match = ECR_HOST.exec(options.host.replace(/:\d+$/, ''));
  const registryId = match?.[1];
  let client = options.client;
  const ecr = () => {
    client ??= new ECRClient({ region: awsRegion(match?.[2]), credentials: awsCredentials() });
    return client;
  };
  return {
    async credential(): Promise<RegistryCredential> {
      const answer = await ecr()
        .send(new GetAuthorizationTokenCommand(registryId ? { registryIds: [registryId] } : {}))
        .catch((err: unknown) => {
          throw explainAwsError(err, `getting an ECR login for ${options.host}`);
        });
      const token = answer.authorizationData?.[0]?.authorizationToken;
      if (!token) throw new UserError(`ECR returned no authorization token for ${options.host}`);
      options.logger.secret(token);
      const decoded = Buffer.from(token, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0)
        throw new UserError(`the ECR authorization token for ${options.host} is not user:password`);
      const password = decoded.slice(colon + 1);
      options.logger.secret(password);
      return { kind: 'basic', username: decoded.slice(0, colon), password };
    },

    async ensureRepository(repository, { immutableTags }): Promise<void> {
      try {
        await ecr().send(
          new DescribeRepositoriesCommand({
            repositoryNames: [repository],
            ...(registryId ? { registryId } : {}),
          }),
        );
        return;
      } catch (err) {
        if (
          !(err instanceof RepositoryNotFoundException) &&
          (err as Error).name !== 'RepositoryNotFoundException'
        ) {
          throw explainAwsError(err, `checking ECR repository ${repository}`);
        }
      }
      options.logger.info(
        `creating ECR repository ${repository} (scan on push, tags ${immutableTags ? 'immutable' : 'mutable'})`,
      );
      await ecr()
        .send(
          new CreateRepositoryCommand({
            repositoryName: repository,
            ...(registryId ? { registryId } : {}),
            imageScanningConfiguration: { scanOnPush: true },
            imageTagMutability: immutableTags ? 'IMMUTABLE' : 'MUTABLE',
          }),
        )
        .catch((err: unknown) => {
          // Another job created it in the meantime: fine.
          if ((err as Error).name === 'RepositoryAlreadyExistsException') return;
          throw explainAwsError(err, `creating ECR repository ${repository}`);
        });
    },
  };
}
