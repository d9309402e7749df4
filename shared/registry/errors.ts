import { oneLine, UserError } from '../common/errors.ts';
import { HttpStatusError } from '../common/retry.ts';
import type { HttpResponse } from '../common/http.ts';
import { KiB, readText } from '../common/bounded-body.ts';

/** The `errors` array of the Distribution spec, shortened for a message. */
export async function describeRegistryError(response: HttpResponse): Promise<string> {
  let text: string;
  try {
    text = await readText(response.body, 64 * KiB, 'the registry');
  } catch {
    return '';
  }
  try {
    const parsed = JSON.parse(text) as { errors?: Array<{ code?: string; message?: string }> };
    if (Array.isArray(parsed.errors) && parsed.errors.length > 0) {
      return parsed.errors
        .map((e) => [e.code, e.message].filter(Boolean).join(': '))
        .join('; ')
        .replace(/\s*[\r\n]+\s*/g, ' ')
        .slice(0, 300);
    }
  } catch {
    // not JSON: fall through to the raw text
  }
  return oneLine(text).slice(0, 200);
}

/** A registry answered with a status we did not expect. Retried when 429/5xx. */
export async function unexpectedStatus(
  registry: string,
  what: string,
  response: HttpResponse,
): Promise<HttpStatusError> {
  const detail = await describeRegistryError(response);
  return new HttpStatusError(
    response.status,
    response.url,
    `${what} at ${registry} failed: HTTP ${response.status}${detail ? ` (${detail})` : ''}`,
    response.headers.get('retry-after'),
  );
}

/** The registry got bytes that do not hash to the digest we sent. */
export class DigestMismatchError extends UserError {
  constructor(message: string) {
    super(message, {
      hint: 'the bytes changed on the way (a proxy rewriting bodies, or a corrupted layout); run package again and retry',
    });
    this.name = 'DigestMismatchError';
  }
}

/** A streamed request met a 401 after its body was spent: the upload resumes with a fresh token. */
export class StaleTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StaleTokenError';
  }
}
