import { UserError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import { describeDenied, grantHint, type DeniedAccess } from '../common/kube-forbidden.ts';
import type { KubeClient } from './client.ts';

/**
 * Asks the API server, before anything changes, whether the deploying
 * identity may do what a later step needs (SelfSubjectAccessReview, which
 * every signed-in identity may create). A progressive rollout learns only at
 * its first analysis, with traffic already on the new version, that the
 * service proxy is closed to it; asked first, it is a setup problem.
 */

export interface AccessNeed {
  verb: string;
  group: string;
  /** As RBAC names it: `services/proxy`. */
  resource: string;
  namespace: string;
}

/** Throws a UserError naming the first need the cluster denies; allows when it cannot ask. */
export async function requireAccess(
  client: KubeClient,
  what: string,
  needs: AccessNeed[],
  logger: Logger,
): Promise<void> {
  for (const need of needs) {
    const [resource, subresource] = need.resource.split('/', 2) as [string, string | undefined];
    let allowed: boolean;
    try {
      const review = await client.call(({ authorization }) =>
        authorization.createSelfSubjectAccessReview({
          body: {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SelfSubjectAccessReview',
            spec: {
              resourceAttributes: {
                namespace: need.namespace,
                verb: need.verb,
                group: need.group,
                resource,
                ...(subresource ? { subresource } : {}),
              },
            },
          },
        }),
      );
      allowed = review.status?.allowed === true;
    } catch (err) {
      // A cluster that does not let this identity ask: the call itself will tell.
      logger.debug(`could not review access for ${what}: ${(err as Error).message}`);
      return;
    }
    if (!allowed) {
      const denied: DeniedAccess = { ...need, user: await whoAmI(client) };
      throw new UserError(`${what}: forbidden by the cluster: ${describeDenied(denied)}`, {
        hint: grantHint(denied),
      });
    }
  }
}

/** The user name the API server knows this identity by (SelfSubjectReview), for the message. */
async function whoAmI(client: KubeClient): Promise<string> {
  try {
    const review = await client.call(({ authentication }) =>
      authentication.createSelfSubjectReview({
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
      }),
    );
    return review.status?.userInfo?.username ?? 'the identity deploy signs in as';
  } catch {
    return 'the identity deploy signs in as';
  }
}
