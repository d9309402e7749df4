import { describe, expect, it } from 'vitest';
import { HTTP_STATUS, statusLabel, type SmokeTransport } from '../../../shared/smoke/transport.ts';

describe('HTTP statuses for the smoke test', () => {
  it('judges 2xx a success, 5xx and 429 transient, 5xx the server’s fault', () => {
    expect([199, 200, 204, 299, 300].map(HTTP_STATUS.isSuccess)).toEqual([
      false,
      true,
      true,
      true,
      false,
    ]);
    expect([404, 429, 500, 503].map(HTTP_STATUS.isTransient)).toEqual([false, true, true, true]);
    expect([429, 500].map(HTTP_STATUS.isServerFault)).toEqual([false, true]);
    expect(HTTP_STATUS.describeCall({ method: 'POST', path: '/v2/models/m/infer' })).toBe(
      'POST /v2/models/m/infer',
    );
  });

  it('labels a status with its transport', () => {
    const http = { kind: 'http', describeStatus: HTTP_STATUS.describeStatus } as SmokeTransport;
    const grpc = { kind: 'grpc', describeStatus: () => 'UNAVAILABLE' } as unknown as SmokeTransport;
    expect(statusLabel(http, 503)).toBe('HTTP 503');
    expect(statusLabel(grpc, 14)).toBe('gRPC UNAVAILABLE');
  });
});
