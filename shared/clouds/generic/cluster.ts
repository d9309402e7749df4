import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { InputError, UserError } from '../../common/errors.ts';
import { cloudOfServer as cloudOfApiServer } from '../registry.ts';
import type { CloudContext, CloudName, ClusterConnection } from '../types.ts';

/**
 * A connection from a kubeconfig: the file the user names, or the runner's
 * KUBECONFIG (what azure/aks-set-context, google-github-actions/get-gke-credentials
 * and `aws eks update-kubeconfig` leave behind). Exec and auth-provider users
 * work too: the client library runs them and we take the header it produces.
 */
export async function kubeconfigConnection(
  path: string | undefined,
  context: CloudContext,
): Promise<ClusterConnection> {
  const kc = new KubeConfig();
  let source: string;
  if (path !== undefined) {
    const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
    const file = isAbsolute(path) ? path : resolve(workspace, path);
    if (!existsSync(file)) {
      throw new InputError(
        'cluster',
        `names the kubeconfig '${path}', which does not exist`,
        'kubeconfig:./kubeconfig',
      );
    }
    try {
      kc.loadFromFile(file);
    } catch (err) {
      throw new InputError(
        'cluster',
        `names '${path}', which is not a valid kubeconfig: ${(err as Error).message}`,
        'the file kubectl config view --raw writes, e.g. kubeconfig:./kubeconfig',
      );
    }
    source = `kubeconfig:${path}`;
  } else {
    if (!process.env.KUBECONFIG && !existsSync(resolve(process.env.HOME ?? '/', '.kube/config'))) {
      throw new InputError(
        'cluster',
        'was not given and this runner has no KUBECONFIG',
        "eks:us-east-1/prod, or set up a kubeconfig with your cloud's login action first",
      );
    }
    kc.loadFromDefault();
    source = 'kubeconfig';
  }
  return connectionFromKubeConfig(kc, source, context);
}

export async function connectionFromKubeConfig(
  kc: KubeConfig,
  displayName: string,
  context: CloudContext,
  cloud?: CloudName,
): Promise<ClusterConnection> {
  const cluster = kc.getCurrentCluster();
  const user = kc.getCurrentUser();
  if (!cluster) {
    throw new UserError(`${displayName} has no current context with a cluster`, {
      hint: 'set current-context in the kubeconfig',
    });
  }
  const read = (data: string | undefined, file: string | undefined): string | undefined => {
    if (data) return Buffer.from(data, 'base64').toString('utf8');
    if (file) return readFileSync(file, 'utf8');
    return undefined;
  };
  const connection: ClusterConnection = {
    server: cluster.server,
    cloud: cloud ?? cloudOfServer(cluster.server),
    displayName,
  };
  const caData = read(cluster.caData, cluster.caFile);
  if (caData) connection.caData = caData;
  if (cluster.skipTLSVerify) {
    if (!context.allowInsecureKubeconfig) {
      throw new UserError(
        `${displayName} sets insecure-skip-tls-verify for ${cluster.server}: the cluster's certificate would not be checked, and the credentials could go to anyone in between`,
        {
          hint: "give the cluster's CA (certificate-authority-data) in the kubeconfig, or set insecure-skip-tls-verify: true on this step to accept the risk",
        },
      );
    }
    context.logger.warning(
      `${displayName}: the API server's certificate is not checked (insecure-skip-tls-verify)`,
    );
    connection.skipTlsVerify = true;
  }
  const cert = read(user?.certData, user?.certFile);
  const key = read(user?.keyData, user?.keyFile);
  if (cert && key) {
    connection.clientCertData = cert;
    connection.clientKeyData = key;
    context.logger.secret(key);
  }
  if (user?.token) {
    connection.token = user.token;
    context.logger.secret(user.token);
  } else if (user?.exec || user?.authProvider) {
    // The library caches exec credentials until their expiry and reruns the plugin after.
    const refresh = async (): Promise<string> => {
      const options: { headers?: Record<string, string> } = { headers: {} };
      await kc.applyToHTTPSOptions(options);
      const header = options.headers?.Authorization ?? options.headers?.authorization ?? '';
      const token = header.replace(/^Bearer\s+/i, '');
      if (token === '') {
        throw new UserError(`the credential plugin of ${displayName} gave no token`);
      }
      context.logger.secret(token);
      return token;
    };
    connection.token = await refresh();
    connection.refresh = refresh;
  }
  return connection;
}

/** Guesses the cloud from the API server's address, for the cloud-profile default. */
export function cloudOfServer(server: string): CloudName {
  return cloudOfApiServer(server).name;
}
