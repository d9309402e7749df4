import { execFile } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { requireTool } from './tools.ts';

const execFileAsync = promisify(execFile);

/**
 * A test double of aws-iam-authenticator, the AWS component behind an EKS API
 * server's token authentication (nothing of it can run here: the real one
 * calls AWS STS). The API server sends it each bearer token as a TokenReview
 * (`--authentication-token-webhook-config-file`); it does what the
 * authenticator does with a `k8s-aws-v1.` token:
 *
 * 1. decodes the presigned STS GetCallerIdentity URL in it and checks its
 *    shape: an STS host, `Action=GetCallerIdentity`, SigV4 query
 *    parameters only, `x-k8s-aws-id` among the signed headers, signed less
 *    than 15 minutes ago;
 * 2. checks that it was signed for this cluster: the authenticator sends the
 *    request with `x-k8s-aws-id: <its cluster id>`, so STS refuses the
 *    signature of a token made for another cluster. moto does not check
 *    signatures, so the double does that part of STS's work itself (SigV4,
 *    written here from the specification rather than with the SDK's signer
 *    that made the token), from the secret of the access key;
 * 3. sends the request to moto's STS, with only the host changed to moto's
 *    endpoint (and, because moto's server finds the service and the caller
 *    from an Authorization header and reads no presigned query, the
 *    token's credential and signature in that header), and reads the ARN
 *    moto answers;
 * 4. maps the ARN to a Kubernetes user and groups the way an EKS access
 *    entry does: an assumed role matches the entry of its role
 *    (`arn:aws:iam::<account>:role/<name>`) and is named
 *    `arn:aws:sts::<account>:assumed-role/<name>/<session>`; an IAM user is
 *    named by its ARN.
 *
 * Anything else is answered `authenticated: false` with the reason, which
 * the double also keeps for the test to read.
 */

export interface AccessEntry {
  /** The IAM principal, as an access entry names it: `arn:aws:iam::123456789012:role/model-release`. */
  principalArn: string;
  kubernetesGroups: string[];
  /** Default: the ARN the caller signed in as (EKS's default user name). */
  username?: string;
}

export interface AwsIamAuthenticatorDouble {
  /** https://127.0.0.1:PORT/authenticate, for the API server's webhook kubeconfig. */
  url: string;
  /** PEM of the double's self-signed serving certificate. */
  caPem: string;
  /** Every review: who was authenticated, or why not. */
  reviews: Array<{ authenticated: boolean; username?: string; groups?: string[]; error?: string }>;
  stop(): Promise<void>;
}

const TOKEN_PREFIX = 'k8s-aws-v1.';
const CLUSTER_ID_HEADER = 'x-k8s-aws-id';
const MAX_AGE_MS = 15 * 60_000;
const STS_HOST = /^sts(\.[a-z0-9-]+)?\.amazonaws\.com$/;
/** The query parameters a GetCallerIdentity presigned URL may carry, and no others. */
const ALLOWED_PARAMS = new Set([
  'Action',
  'Version',
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-Security-Token',
  'X-Amz-SignedHeaders',
  'X-Amz-Signature',
]);

class Refused extends Error {}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const hmac = (key: Buffer | string, text: string) =>
  createHmac('sha256', key).update(text, 'utf8').digest();
/** RFC 3986 encoding, as SigV4 canonicalises query strings. */
const uriEncode = (text: string) =>
  encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

/** The SigV4 signature of a presigned GET of `url` with these header values. */
export function presignedSignature(
  url: URL,
  headers: Record<string, string>,
  secretAccessKey: string,
): string {
  const params = [...url.searchParams.entries()].filter(([k]) => k !== 'X-Amz-Signature');
  const query = params
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const signed = (url.searchParams.get('X-Amz-SignedHeaders') ?? '').split(';');
  const canonicalHeaders = signed.map((h) => `${h}:${(headers[h] ?? '').trim()}\n`).join('');
  const canonicalRequest = [
    'GET',
    url.pathname || '/',
    query,
    canonicalHeaders,
    signed.join(';'),
    sha256(''),
  ].join('\n');
  const amzDate = url.searchParams.get('X-Amz-Date') ?? '';
  const [, date = '', region = '', service = ''] = (
    url.searchParams.get('X-Amz-Credential') ?? ''
  ).split('/');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  let key = hmac(`AWS4${secretAccessKey}`, date);
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
  return createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
}

function amzDateToMs(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return NaN;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

/** `arn:aws:sts::1:assumed-role/r/s` → `arn:aws:iam::1:role/r`; an IAM user's ARN as it is. */
function principalOf(arn: string): string {
  const assumed = /^arn:([^:]+):sts::(\d+):assumed-role\/([^/]+)\/.+$/.exec(arn);
  return assumed ? `arn:${assumed[1]}:iam::${assumed[2]}:role/${assumed[3]}` : arn;
}

export async function startAwsIamAuthenticatorDouble(options: {
  /** The cluster name deploy signs into `x-k8s-aws-id` (EKS uses the cluster name). */
  clusterId: string;
  /** moto's endpoint, where STS answers GetCallerIdentity. */
  stsEndpoint: string;
  /** The secret of each access key, for STS's signature check. */
  secrets: Record<string, string>;
  accessEntries: AccessEntry[];
}): Promise<AwsIamAuthenticatorDouble> {
  const dir = mkdtempSync(join(tmpdir(), 'md-aws-iam-authenticator-'));
  const keyPath = join(dir, 'tls.key');
  const certPath = join(dir, 'tls.crt');
  await execFileAsync(requireTool('openssl', 'openssl'), [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    keyPath,
    '-out',
    certPath,
    '-days',
    '2',
    '-subj',
    '/CN=aws-iam-authenticator-double',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
  ]);
  const caPem = readFileSync(certPath, 'utf8');
  const reviews: AwsIamAuthenticatorDouble['reviews'] = [];

  const authenticate = async (token: string) => {
    if (!token.startsWith(TOKEN_PREFIX)) throw new Refused('not a k8s-aws-v1. token');
    let url: URL;
    try {
      url = new URL(Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url').toString('utf8'));
    } catch {
      throw new Refused('the token is not a base64url presigned URL');
    }
    if (url.protocol !== 'https:' || !STS_HOST.test(url.hostname))
      throw new Refused(`unexpected host ${url.hostname}`);
    if (url.pathname !== '/') throw new Refused(`unexpected path ${url.pathname}`);
    for (const key of url.searchParams.keys())
      if (!ALLOWED_PARAMS.has(key)) throw new Refused(`unexpected query parameter ${key}`);
    if (url.searchParams.get('Action') !== 'GetCallerIdentity')
      throw new Refused('the action is not GetCallerIdentity');
    const signedHeaders = (url.searchParams.get('X-Amz-SignedHeaders') ?? '').split(';');
    if (!signedHeaders.includes(CLUSTER_ID_HEADER))
      throw new Refused(`${CLUSTER_ID_HEADER} is not among the signed headers`);
    const signedAt = amzDateToMs(url.searchParams.get('X-Amz-Date') ?? '');
    if (!(Date.now() - signedAt < MAX_AGE_MS)) throw new Refused('the token has expired');
    // STS's check: the signature holds for the request sent with this cluster's id.
    const accessKeyId = (url.searchParams.get('X-Amz-Credential') ?? '').split('/')[0] ?? '';
    const secret = options.secrets[accessKeyId];
    if (secret === undefined) throw new Refused(`STS does not know access key ${accessKeyId}`);
    const headers = { host: url.host, [CLUSTER_ID_HEADER]: options.clusterId };
    if (presignedSignature(url, headers, secret) !== url.searchParams.get('X-Amz-Signature'))
      throw new Refused(
        `SignatureDoesNotMatch: the token was not signed for cluster ${options.clusterId}`,
      );
    // The request itself, to moto's STS.
    const sts = new URL(url.pathname + url.search, options.stsEndpoint);
    const answer = await fetch(sts, {
      headers: {
        [CLUSTER_ID_HEADER]: options.clusterId,
        authorization: `AWS4-HMAC-SHA256 Credential=${url.searchParams.get('X-Amz-Credential')}, SignedHeaders=${signedHeaders.join(';')}, Signature=${url.searchParams.get('X-Amz-Signature')}`,
      },
      signal: AbortSignal.timeout(10_000),
    });
    const body = await answer.text();
    if (!answer.ok) throw new Refused(`STS answered ${answer.status}: ${body.slice(0, 200)}`);
    const arn = /<Arn>([^<]+)<\/Arn>/.exec(body)?.[1];
    const account = /<Account>([^<]+)<\/Account>/.exec(body)?.[1];
    const userId = /<UserId>([^<]+)<\/UserId>/.exec(body)?.[1];
    if (!arn || !account || !userId) throw new Refused('STS gave no caller identity');
    const entry = options.accessEntries.find((e) => e.principalArn === principalOf(arn));
    if (!entry) throw new Refused(`no access entry for ${principalOf(arn)}`);
    return {
      username: entry.username ?? arn,
      uid: `aws-iam-authenticator:${account}:${userId}`,
      groups: entry.kubernetesGroups,
      extra: { arn: [arn], canonicalArn: [principalOf(arn)], accessKeyId: [accessKeyId] },
    };
  };

  const server = createServer({ key: readFileSync(keyPath), cert: caPem }, (req, res) => {
    void handle(req, res);
  });
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let review: { apiVersion?: string; spec?: { token?: string } };
    try {
      review = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      res.writeHead(400).end();
      return;
    }
    let status: Record<string, unknown>;
    try {
      const user = await authenticate(review.spec?.token ?? '');
      status = { authenticated: true, user };
      reviews.push({ authenticated: true, username: user.username, groups: user.groups });
    } catch (err) {
      const error = err instanceof Refused ? err.message : `error: ${(err as Error).message}`;
      status = { authenticated: false, error };
      reviews.push({ authenticated: false, error });
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        apiVersion: review.apiVersion ?? 'authentication.k8s.io/v1',
        kind: 'TokenReview',
        status,
      }),
    );
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `https://127.0.0.1:${port}/authenticate`,
    caPem,
    reviews,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
