import { describe, expect, it } from 'vitest';
import { protocolFor } from '../../../../shared/smoke/protocols/index.ts';
import {
  GRPC_PROTOCOLS,
  isGrpcProtocol,
  PROTOCOL_NAMES,
} from '../../../../shared/smoke/protocols/types.ts';

describe('protocol names', () => {
  it('tells the gRPC protocols, and each speaks the transport its name says', () => {
    expect(PROTOCOL_NAMES.filter(isGrpcProtocol)).toEqual([...GRPC_PROTOCOLS]);
    for (const name of PROTOCOL_NAMES) {
      const protocol = protocolFor(name, { method: 'GET', path: '/', readyPath: undefined });
      expect(protocol.name).toBe(name);
      expect(protocol.transport).toBe(isGrpcProtocol(name) ? 'grpc' : 'http');
    }
  });
});
