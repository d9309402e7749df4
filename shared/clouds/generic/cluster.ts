import { existsSync, readFileSync } from 'node:fs';
import { delimiter, isAbsolute, resolve } from 'node:path';
import { InputError, UserError } from '../../common/errors.ts';
import { cloudOfServer as cloudOfApiServer } from '../registry.ts';
import type { CloudContext, CloudName, ClusterConnection } from '../types.ts';
import { execCredentialSource } from './exec-credential.ts';
import {
  readKubeconfigFiles,
  type KubeconfigSelection,
  type KubeconfigUser,
} from './kubeconfig.ts';

/**
 * A connection from a kubeconfig: the file the user names, or the runner's
 * KUBECONFIG (what azure/aks-set-context, google-github-actions/get-gke-credentials
 * and `aws eks update-kubeconfig` leave behind). Exec credential plugins run
 * here; a legacy auth-provider user goes through the upstream client library.
 */
export async function kubeconfigConnection(
  path: string | undefined,
  context: CloudContext,
): Promise<ClusterConnection> {
  const { files, source } = kubeconfigFiles(path);
  let selection: KubeconfigSelection;
  try {
    selection = readKubeconfigFiles(files);
  } catch (err) {
    if (path === undefined) {
      throw new UserError(
        `the runner's kubeconfig (${files.join(delimiter)}) is not valid: ${(err as Error).message}`,
        {
          hint: 'check the step that wrote it, or name a kubeconfig file in cluster',
        },
      );
    }
    throw new InputError(
      'cluster',
      `names '${path}', which is not a valid kubeconfig: ${(err as Error).message}`,
      'the file kubectl config view --raw writes, e.g. kubeconfig:./kubeconfig',
    );
  }
  if (selection.user?.authProvider && !selection.user.token) {
    const { authProviderConnection } = await import('./auth-provider.ts');
    return authProviderConnection(files, source, context, (token) => ({
      ...baseConnection(selection, source, context),
      token,
    }));
  }
  return connectionFromKubeconfig(selection, source, context);
}

/** The kubeconfig files to read, in order, and how to name them in messages. */
function kubeconfigFiles(path: string | undefined): { files: string[]; source: string } {
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
    return { files: [file], source: `kubeconfig:${path}` };
  }
  // kubectl's rule: the files KUBECONFIG lists that exist, else ~/.kube/config.
  const listed = (process.env.KUBECONFIG ?? '')
    .split(delimiter)
    .filter((f) => f !== '' && existsSync(f));
  const home = resolve(process.env.HOME ?? '/', '.kube/config');
  const files = listed.length > 0 ? listed : existsSync(home) ? [home] : [];
  if (files.length === 0) {
    throw new InputError(
      'cluster',
      'was not given and this runner has no KUBECONFIG',
      "eks:us-east-1/prod, or set up a kubeconfig with your cloud's login action first",
    );
  }
  return { files, source: 'kubeconfig' };
}

const decoded = (data: string | undefined, file: string | undefined): string | undefined => {
  if (data) return Buffer.from(data, 'base64').toString('utf8');
  if (file) return readFileSync(file, 'utf8');
  return undefined;
};

/** Server, CA and TLS checking of the current context's cluster. */
function baseConnection(
  selection: KubeconfigSelection,
  displayName: string,
  context: CloudContext,
  cloud?: CloudName,
): ClusterConnection {
  const cluster = selection.cluster;
  if (!cluster) {
    throw new UserError(`${displayName} has no current context with a cluster`, {
      hint: 'set current-context in the kubeconfig',
    });
  }
  const connection: ClusterConnection = {
    server: cluster.server,
    cloud: cloud ?? cloudOfServer(cluster.server),
    displayName,
  };
  const caData = decoded(cluster.caData, cluster.caFile);
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
  return connection;
}

/** The connection of a kubeconfig's current context, its secrets masked in the log. */
export async function connectionFromKubeconfig(
  selection: KubeconfigSelection,
  displayName: string,
  context: CloudContext,
  cloud?: CloudName,
): Promise<ClusterConnection> {
  const connection = baseConnection(selection, displayName, context, cloud);
  const user = selection.user ?? {};
  const cert = decoded(user.certData, user.certFile);
  const key = decoded(user.keyData, user.keyFile);
  if (cert && key) {
    connection.clientCertData = cert;
    connection.clientKeyData = key;
    context.logger.secret(key);
  }
  if (user.token) {
    connection.token = user.token;
    context.logger.secret(user.token);
  } else if (user.tokenFile) {
    await tokenFromFile(connection, user.tokenFile, context);
  } else if (user.exec) {
    await tokenFromPlugin(connection, selection, user, context);
  } else if (user.username && !cert) {
    throw new UserError(
      `${displayName} signs in with a user name and password, which Kubernetes no longer accepts`,
      {
        hint: 'give the kubeconfig user a token, a client certificate or an exec credential plugin',
      },
    );
  }
  return connection;
}

/** A token file (a projected service account token) is read again on every refresh: it rotates. */
async function tokenFromFile(connection: ClusterConnection, file: string, context: CloudContext) {
  const refresh = async (): Promise<string> => {
    const token = readFileSync(file, 'utf8').trim();
    context.logger.secret(token);
    return token;
  };
  connection.token = await refresh();
  connection.refresh = refresh;
}

async function tokenFromPlugin(
  connection: ClusterConnection,
  selection: KubeconfigSelection,
  user: KubeconfigUser,
  context: CloudContext,
) {
  const source = execCredentialSource(user.exec!, selection.cluster!, connection.displayName);
  const first = await source();
  if (first.clientCertificateData && first.clientKeyData && !first.token) {
    connection.clientCertData = first.clientCertificateData;
    connection.clientKeyData = first.clientKeyData;
    context.logger.secret(first.clientKeyData);
    return;
  }
  const tokenOf = (credential: { token?: string }): string => {
    const token = credential.token ?? '';
    if (token === '') {
      throw new UserError(`the credential plugin of ${connection.displayName} gave no token`);
    }
    context.logger.secret(token);
    return token;
  };
  connection.token = tokenOf(first);
  connection.refresh = async () => tokenOf(await source());
}

/** Guesses the cloud from the API server's address, for the cloud-profile default. */
export function cloudOfServer(server: string): CloudName {
  return cloudOfApiServer(server).name;
}
