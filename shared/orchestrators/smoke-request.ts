import { InputError } from '../common/errors.ts';
import { isLoopbackHost } from '../common/network.ts';
import type { SmokeTestRequest } from './run-smoke-test.ts';

/**
 * A credential sent over plain http (or plaintext gRPC) to another machine
 * can be read by anyone on the way: refused unless the step allows it.
 * Loopback is fine; the service proxy path uses the cluster's TLS.
 */
export function refuseSecretsInTheClear(
  request: Pick<SmokeTestRequest, 'url' | 'managementUrl'>,
  secretHeaders: string[],
): void {
  if (secretHeaders.length === 0) return;
  for (const [input, value] of [
    ['url', request.url],
    ['management-url', request.managementUrl],
  ] as const) {
    if (value === undefined) continue;
    const url = new URL(value);
    if ((url.protocol === 'http:' || url.protocol === 'grpc:') && !isLoopbackHost(url.host)) {
      throw new InputError(
        input,
        `is ${url.protocol.replace(':', '')}:// to ${url.host}, and ${secretHeaders.map((h) => (h.toLowerCase() === 'authorization' ? 'the token' : `header ${h}`)).join(', ')} would cross the network unencrypted`,
        `${input}: ${url.protocol === 'grpc:' ? 'grpcs' : 'https'}://${url.host}${url.pathname === '/' ? '' : url.pathname}`,
        'use the TLS address of the endpoint (a gateway or load balancer with a certificate), smoke-test through service (the API server carries it over TLS), or set allow-secrets-over-http: true on a network you trust',
      );
    }
  }
}
