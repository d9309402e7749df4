import { freePort, startProcess, waitFor, type ManagedProcess } from './processes.ts';
import { pythonToolPath } from './python-tools.ts';

export interface LocalMoto {
  /** http://127.0.0.1:PORT, the endpoint for every AWS SDK client. */
  endpoint: string;
  pid: number;
  /** Fake credentials and region for SDK clients and the credential chain. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** Credentials moto accepts; region us-east-1. Never real ones. */
export const MOTO_ENV = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_SESSION_TOKEN: 'testing',
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
} as const;

/**
 * Starts moto's standalone server (the AWS control plane stand-in: ECR, EKS,
 * STS) on a free 127.0.0.1 port. Each server keeps its own in-memory state.
 */
export async function startMoto(): Promise<LocalMoto> {
  const motoServer = pythonToolPath('moto');
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const proc: ManagedProcess = startProcess('moto_server', motoServer, [
      '-H',
      '127.0.0.1',
      '-p',
      String(port),
    ]);
    let exited = false;
    proc.child.once('exit', () => (exited = true));
    const endpoint = `http://127.0.0.1:${port}`;
    try {
      await waitFor(
        `moto_server at ${endpoint}`,
        async () => {
          if (exited) throw new Error(`moto_server exited:\n${proc.output()}`);
          // moto's own API, answered once the server is up.
          const res = await fetch(`${endpoint}/moto-api/data.json`, {
            signal: AbortSignal.timeout(2000),
          });
          await res.arrayBuffer();
          return res.ok;
        },
        30_000,
        100,
      );
      return { endpoint, pid: proc.pid, env: { ...MOTO_ENV }, stop: () => proc.stop() };
    } catch (err) {
      lastError = err;
      await proc.stop();
      if (!/address already in use/i.test(proc.output())) break;
    }
  }
  throw lastError;
}

/** Credentials from moto's STS AssumeRole: what configure-aws-credentials exports for a role. */
export interface AssumedRoleCredentials {
  AWS_ACCESS_KEY_ID: string;
  AWS_SECRET_ACCESS_KEY: string;
  AWS_SESSION_TOKEN: string;
}

/**
 * Assumes `roleArn` in moto (which needs no role to exist) and returns the
 * session's credentials; moto then answers GetCallerIdentity for them with
 * `arn:aws:sts::<account>:assumed-role/<role>/<session>`.
 */
export async function assumeRole(
  moto: Pick<LocalMoto, 'endpoint'>,
  roleArn: string,
  sessionName: string,
): Promise<AssumedRoleCredentials> {
  // moto's server routes by the credential scope of the Authorization header; it checks no signature.
  const date = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  const answer = await fetch(`${moto.endpoint}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `AWS4-HMAC-SHA256 Credential=${MOTO_ENV.AWS_ACCESS_KEY_ID}/${date}/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: new URLSearchParams({
      Action: 'AssumeRole',
      Version: '2011-06-15',
      RoleArn: roleArn,
      RoleSessionName: sessionName,
    }).toString(),
  });
  const text = await answer.text();
  const field = (name: string) => {
    const value = new RegExp(`<${name}>([^<]+)</${name}>`).exec(text)?.[1];
    if (!answer.ok || value === undefined)
      throw new Error(`moto's AssumeRole answered ${answer.status}: ${text.slice(0, 300)}`);
    return value;
  };
  return {
    AWS_ACCESS_KEY_ID: field('AccessKeyId'),
    AWS_SECRET_ACCESS_KEY: field('SecretAccessKey'),
    AWS_SESSION_TOKEN: field('SessionToken'),
  };
}
