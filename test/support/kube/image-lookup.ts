import type { ImageReference } from './image-reference.ts';

export type LookupResult = { found: true; digest: string } | { found: false; message: string };

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

export interface RegistryCredentials {
  username: string;
  password: string;
}

async function bearerToken(
  challenge: string,
  ref: ImageReference,
  credentials: RegistryCredentials | undefined,
): Promise<string | undefined> {
  const params = Object.fromEntries(
    [...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
  );
  if (!params.realm) return undefined;
  const url = new URL(params.realm);
  if (params.service) url.searchParams.set('service', params.service);
  url.searchParams.set('scope', `repository:${ref.repository}:pull`);
  const headers: Record<string, string> = {};
  if (credentials)
    headers.authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(5000) });
  if (!res.ok) return undefined;
  const body = (await res.json()) as { token?: string; access_token?: string };
  return body.token ?? body.access_token;
}

/**
 * Looks the image up in a real registry over plain HTTP (HEAD on its manifest),
 * following a Basic or Bearer challenge with the pod's pull secret when there is one.
 * The messages follow what containerd reports to the kubelet.
 */
export async function lookupImage(
  ref: ImageReference,
  credentials: RegistryCredentials | undefined,
): Promise<LookupResult> {
  // A reset keep-alive connection or a 5xx from the local registry is a
  // passing fault of this machine, not an answer about the image: look again
  // (as containerd's resolver does) before the pod is marked failed, so a
  // busy machine does not turn into a hopeless ErrImagePull.
  let result = await lookupOnce(ref, credentials);
  for (let attempt = 1; attempt < 4 && !result.found && 'transient' in result; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    result = await lookupOnce(ref, credentials);
  }
  return result.found ? result : { found: false, message: result.message };
}

async function lookupOnce(
  ref: ImageReference,
  credentials: RegistryCredentials | undefined,
): Promise<LookupResult | { found: false; message: string; transient: true }> {
  const url = `http://${ref.host}/v2/${ref.repository}/manifests/${ref.reference}`;
  const prefix = `failed to pull and unpack image "${ref.full}": failed to resolve reference "${ref.full}"`;
  try {
    let res = await fetch(url, {
      method: 'HEAD',
      headers: { accept: MANIFEST_TYPES },
      signal: AbortSignal.timeout(5000),
    });
    if (res.status === 401) {
      const challenge = res.headers.get('www-authenticate') ?? '';
      let authorization: string | undefined;
      if (/^basic/i.test(challenge) && credentials) {
        authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
      } else if (/^bearer/i.test(challenge)) {
        const token = await bearerToken(challenge, ref, credentials);
        if (token) authorization = `Bearer ${token}`;
      }
      if (authorization) {
        res = await fetch(url, {
          method: 'HEAD',
          headers: { accept: MANIFEST_TYPES, authorization },
          signal: AbortSignal.timeout(5000),
        });
      }
    }
    if (res.ok) return { found: true, digest: res.headers.get('docker-content-digest') ?? '' };
    if (res.status === 404)
      return {
        found: false,
        message: `rpc error: code = NotFound desc = ${prefix}: ${ref.full}: not found`,
      };
    if (res.status === 401 || res.status === 403) {
      return {
        found: false,
        message: `rpc error: code = Unknown desc = ${prefix}: pull access denied, repository does not exist or may require authorization: authorization failed: ${res.status}`,
      };
    }
    return {
      found: false,
      message: `rpc error: code = Unknown desc = ${prefix}: unexpected status from HEAD request to ${url}: ${res.status}`,
      ...(res.status >= 500 ? { transient: true as const } : {}),
    };
  } catch (err) {
    return {
      found: false,
      message: `rpc error: code = Unavailable desc = ${prefix}: ${(err as Error).message}`,
      transient: true,
    };
  }
}

/** Credentials for `host` from the pod's imagePullSecrets (kubernetes.io/dockerconfigjson). */
export function credentialsFromPullSecrets(
  secrets: Array<Record<string, unknown>>,
  host: string,
): RegistryCredentials | undefined {
  for (const secret of secrets) {
    const data = (secret.data ?? {}) as Record<string, string>;
    const encoded = data['.dockerconfigjson'];
    if (!encoded) continue;
    try {
      const config = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as {
        auths?: Record<string, { username?: string; password?: string; auth?: string }>;
      };
      const entry =
        config.auths?.[host] ??
        config.auths?.[`http://${host}`] ??
        config.auths?.[`https://${host}`];
      if (!entry) continue;
      if (entry.username && entry.password)
        return { username: entry.username, password: entry.password };
      if (entry.auth) {
        const [username, ...rest] = Buffer.from(entry.auth, 'base64').toString('utf8').split(':');
        return { username: username ?? '', password: rest.join(':') };
      }
    } catch {
      // an unreadable pull secret is ignored, as the kubelet does
    }
  }
  return undefined;
}
