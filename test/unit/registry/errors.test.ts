import { Response } from 'undici';
import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../../shared/common/http.ts';
import { HttpStatusError } from '../../../shared/common/retry.ts';
import { describeRegistryError, unexpectedStatus } from '../../../shared/registry/errors.ts';

const response = (status: number, body: string, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers }) as unknown as HttpResponse;

describe('registry errors', () => {
  it("reads the Distribution spec's errors array", async () => {
    const body = JSON.stringify({
      errors: [
        { code: 'MANIFEST_INVALID', message: 'manifest invalid\nline two' },
        { code: 'DENIED' },
      ],
    });
    expect(await describeRegistryError(response(400, body))).toBe(
      'MANIFEST_INVALID: manifest invalid line two; DENIED',
    );
    expect(await describeRegistryError(response(502, '<html>\n bad gateway </html>'))).toBe(
      '<html> bad gateway </html>',
    );
  });

  it('makes an unexpected status an HttpStatusError that keeps Retry-After', async () => {
    const err = await unexpectedStatus(
      '127.0.0.1:5000',
      'uploading a blob',
      response(429, '{"errors": [{"code": "TOOMANYREQUESTS"}]}', { 'retry-after': '2' }),
    );
    expect(err).toBeInstanceOf(HttpStatusError);
    expect(err.status).toBe(429);
    expect(err.retryAfterMs).toBe(2000);
    expect(err.message).toBe(
      'uploading a blob at 127.0.0.1:5000 failed: HTTP 429 (TOOMANYREQUESTS)',
    );
  });
});
