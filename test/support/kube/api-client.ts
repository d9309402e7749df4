import { Agent, request } from 'undici';

/** What a client needs to reach a test cluster's API server. */
export interface KubeTarget {
  /** https://127.0.0.1:PORT */
  server: string;
  token: string;
  caPem: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type KubeJson = any;

export class KubeApiError extends Error {
  readonly status: number;
  readonly body: string;
  constructor(status: number, body: string, what: string) {
    super(`${what} → ${status}: ${body.slice(0, 500)}`);
    this.status = status;
    this.body = body;
  }
}

/**
 * A small client for the helper's own processes (image check, node agent,
 * service backends): JSON requests and watches over HTTPS with the cluster's
 * CA and a bearer token. The product's code under test uses its own client.
 */
export class KubeApi {
  private readonly dispatcher: Agent;
  readonly target: KubeTarget;

  constructor(target: KubeTarget) {
    this.target = target;
    this.dispatcher = new Agent({ connect: { ca: target.caPem }, keepAliveTimeout: 10_000 });
  }

  async send(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<KubeJson> {
    const res = await request(`${this.target.server}${path}`, {
      method,
      dispatcher: this.dispatcher,
      headers: {
        authorization: `Bearer ${this.target.token}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': contentType }),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new KubeApiError(res.statusCode, text, `${method} ${path}`);
    return text ? JSON.parse(text) : undefined;
  }

  /** A GET whose answer is text (/readyz, logs). */
  async text(path: string): Promise<string> {
    const res = await request(`${this.target.server}${path}`, {
      dispatcher: this.dispatcher,
      headers: { authorization: `Bearer ${this.target.token}` },
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new KubeApiError(res.statusCode, text, `GET ${path}`);
    return text;
  }

  get(path: string): Promise<KubeJson> {
    return this.send('GET', path);
  }

  mergePatch(path: string, patch: unknown): Promise<KubeJson> {
    return this.send('PATCH', path, patch, 'application/merge-patch+json');
  }

  /**
   * Lists `path`, hands every object to `onEvent` as ADDED, then follows the
   * watch from the list's resourceVersion; lists again when the watch ends or
   * expires. Resolves when `signal` aborts.
   */
  async listAndWatch(
    path: string,
    onEvent: (type: string, object: KubeJson) => void | Promise<void>,
    signal: AbortSignal,
  ): Promise<void> {
    const sep = path.includes('?') ? '&' : '?';
    while (!signal.aborted) {
      try {
        const list = await this.get(path);
        for (const item of list.items ?? []) await onEvent('ADDED', item);
        let rv = String(list.metadata?.resourceVersion ?? '');
        for (;;) {
          if (signal.aborted) return;
          const res = await request(
            `${this.target.server}${path}${sep}watch=1&allowWatchBookmarks=true&timeoutSeconds=300&resourceVersion=${rv}`,
            {
              dispatcher: this.dispatcher,
              headers: { authorization: `Bearer ${this.target.token}`, accept: 'application/json' },
              signal,
              bodyTimeout: 0,
            },
          );
          if (res.statusCode !== 200) {
            await res.body.text();
            break;
          }
          let buffered = '';
          let expired = false;
          for await (const chunk of res.body) {
            buffered += chunk.toString();
            let newline: number;
            while ((newline = buffered.indexOf('\n')) >= 0) {
              const line = buffered.slice(0, newline).trim();
              buffered = buffered.slice(newline + 1);
              if (!line) continue;
              const event = JSON.parse(line) as { type: string; object: KubeJson };
              if (event.type === 'ERROR') {
                expired = true;
                continue;
              }
              rv = String(event.object?.metadata?.resourceVersion ?? rv);
              if (event.type !== 'BOOKMARK') await onEvent(event.type, event.object);
            }
          }
          if (expired) break;
        }
      } catch (err) {
        if (signal.aborted) return;
        process.stderr.write(`watch ${path}: ${(err as Error).message}\n`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  close(): Promise<void> {
    return this.dispatcher.close();
  }
}

/** The cluster target passed to the helper's child processes through the environment (never argv). */
export function targetFromEnv(): KubeTarget {
  const server = process.env.MD_KUBE_SERVER;
  const token = process.env.MD_KUBE_TOKEN;
  const caPem = process.env.MD_KUBE_CA_PEM;
  if (!server || !token || !caPem)
    throw new Error('MD_KUBE_SERVER, MD_KUBE_TOKEN and MD_KUBE_CA_PEM are required');
  return { server, token, caPem };
}

export function targetEnv(target: KubeTarget): Record<string, string> {
  return {
    MD_KUBE_SERVER: target.server,
    MD_KUBE_TOKEN: target.token,
    MD_KUBE_CA_PEM: target.caPem,
  };
}
