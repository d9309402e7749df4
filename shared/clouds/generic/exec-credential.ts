import { execFile } from 'node:child_process';
import { oneLine, UserError } from '../../common/errors.ts';
import type { ExecConfig, KubeconfigCluster } from './kubeconfig.ts';

/**
 * A kubeconfig's exec credential plugin (`aws eks get-token`,
 * `gke-gcloud-auth-plugin`, `kubelogin`…), run as the client.authentication.k8s.io
 * ExecCredential protocol says: no shell, never interactive, the request in
 * KUBERNETES_EXEC_INFO, the credential as JSON on stdout. A credential is
 * kept until its expirationTimestamp and the plugin runs again after.
 */

export interface ExecCredential {
  token?: string;
  clientCertificateData?: string;
  clientKeyData?: string;
  /** Epoch ms; undefined when the plugin gave no expiry (the credential is kept). */
  expiresAt?: number;
}

/** A plugin that has not answered in this long is stopped: it is most likely waiting for a person. */
const PLUGIN_DEADLINE_MS = 5 * 60_000;
/** Renew this long before the expiry, so a request does not carry a token about to lapse. */
const RENEW_BEFORE_MS = 30_000;

/** Runs the plugin whenever the kept credential is missing or near its expiry. */
export function execCredentialSource(
  exec: ExecConfig,
  cluster: KubeconfigCluster,
  displayName: string,
): () => Promise<ExecCredential> {
  let kept: ExecCredential | undefined;
  return async () => {
    if (
      kept === undefined ||
      (kept.expiresAt !== undefined && kept.expiresAt - Date.now() < RENEW_BEFORE_MS)
    ) {
      kept = await runExecPlugin(exec, cluster, displayName);
    }
    return kept;
  };
}

export async function runExecPlugin(
  exec: ExecConfig,
  cluster: KubeconfigCluster,
  displayName: string,
): Promise<ExecCredential> {
  const apiVersion = exec.apiVersion ?? 'client.authentication.k8s.io/v1';
  const info = {
    apiVersion,
    kind: 'ExecCredential',
    spec: {
      interactive: false,
      ...(exec.provideClusterInfo
        ? {
            cluster: {
              server: cluster.server,
              ...(cluster.caData ? { 'certificate-authority-data': cluster.caData } : {}),
              ...(cluster.skipTLSVerify ? { 'insecure-skip-tls-verify': true } : {}),
            },
          }
        : {}),
    },
  };
  const env: NodeJS.ProcessEnv = { ...process.env, KUBERNETES_EXEC_INFO: JSON.stringify(info) };
  for (const { name, value } of exec.env ?? []) env[name] = value;
  const stdout = await run(exec, env, displayName);
  return parseCredential(stdout, exec.command, displayName);
}

function run(exec: ExecConfig, env: NodeJS.ProcessEnv, displayName: string): Promise<string> {
  const what = `the credential plugin ${exec.command} of ${displayName}`;
  return new Promise((resolve, reject) => {
    const child = execFile(
      exec.command,
      exec.args ?? [],
      { env, timeout: PLUGIN_DEADLINE_MS, maxBuffer: 4 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err === null) return resolve(stdout);
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') {
          return reject(
            new UserError(`${what} is not installed on this runner`, {
              hint: exec.installHint
                ? oneLine(exec.installHint).slice(0, 300)
                : `install ${exec.command} in a step before this one, or give a kubeconfig with a token`,
            }),
          );
        }
        if (err.killed) {
          return reject(
            new UserError(
              `${what} gave no credential within ${PLUGIN_DEADLINE_MS / 60_000} minutes`,
              {
                hint: 'a plugin that asks a person to sign in cannot run in a workflow; give it a non-interactive identity (workload identity federation, a service principal)',
              },
            ),
          );
        }
        const said = oneLine(stderr).slice(-300);
        reject(
          new UserError(
            `${what} failed (exit ${String(code ?? err.code)})${said ? `: ${said}` : ''}`,
            {
              hint: 'run the same command in a step before this one to see why it cannot sign in',
            },
          ),
        );
      },
    );
    child.stdin?.end();
  });
}

function parseCredential(stdout: string, command: string, displayName: string): ExecCredential {
  let body: { kind?: unknown; status?: Record<string, unknown> };
  try {
    body = JSON.parse(stdout) as typeof body;
  } catch {
    throw new UserError(
      `the credential plugin ${command} of ${displayName} did not print an ExecCredential (its output is not JSON)`,
    );
  }
  const status = body?.status ?? {};
  const credential: ExecCredential = {};
  for (const key of ['token', 'clientCertificateData', 'clientKeyData'] as const) {
    const value = status[key];
    if (typeof value === 'string' && value !== '') credential[key] = value;
  }
  const expiry = status.expirationTimestamp;
  if (typeof expiry === 'string' && !Number.isNaN(Date.parse(expiry))) {
    credential.expiresAt = Date.parse(expiry);
  }
  return credential;
}
