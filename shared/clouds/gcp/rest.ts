import { oneLine } from '../../common/errors.ts';
import { httpFetch } from '../../common/http.ts';
import { HttpStatusError, withRetry } from '../../common/retry.ts';
import { MiB, readText } from '../../common/bounded-body.ts';

/**
 * One JSON call to a Google REST API (`{ error: { code, status, message } }`
 * on failure) with a bearer token: transient failures are retried, the final
 * one is an HttpStatusError whose message is Google's status and message on
 * one line, never the raw body.
 */
export async function googleJson<T>(
  url: string,
  token: string,
  init: { method?: 'GET' | 'POST'; body?: unknown; server?: string } = {},
): Promise<T> {
  return withRetry(async () => {
    const response = await httpFetch(url, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${token}`,
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      timeoutMs: 30_000,
      server: init.server ?? 'Google API',
    });
    const text = await readText(response.body, 4 * MiB, new URL(url).host);
    if (!response.ok) {
      throw new HttpStatusError(
        response.status,
        url,
        googleMessage(text),
        response.headers.get('retry-after'),
      );
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new Error(`${new URL(url).host} answered HTTP ${response.status} without JSON`);
    }
  });
}

/** Google's error status and message, on one line and bounded. */
export function googleMessage(body: string): string {
  let message = body;
  try {
    const parsed = JSON.parse(body) as { error?: { status?: string; message?: string } };
    if (parsed.error)
      message = `${parsed.error.status ?? ''}: ${parsed.error.message ?? ''}`.replace(/^: /, '');
  } catch {
    // not JSON: shown as it came, on one line
  }
  return oneLine(message).slice(0, 300);
}
