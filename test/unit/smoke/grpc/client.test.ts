import { describe, expect, it } from 'vitest';
import { parseGrpcUrl } from '../../../../shared/smoke/grpc/client.ts';

describe('gRPC addresses', () => {
  it('takes grpc:// and grpcs:// (and http:// and https://) host and port, nothing more', () => {
    expect(parseGrpcUrl('grpc://10.0.0.7:8081')).toEqual({
      address: '10.0.0.7:8081',
      secure: false,
      origin: 'grpc://10.0.0.7:8081',
    });
    expect(parseGrpcUrl('https://models.example.com')).toEqual({
      address: 'models.example.com:443',
      secure: true,
      origin: 'grpcs://models.example.com:443',
    });
    expect(() =>
      parseGrpcUrl('https://api.example.com/api/v1/namespaces/m/services/s:grpc/proxy'),
    ).toThrow(
      "a gRPC endpoint has no path, but https://api.example.com comes with '/api/v1/namespaces/m/services/s:grpc/proxy'",
    );
  });
});
