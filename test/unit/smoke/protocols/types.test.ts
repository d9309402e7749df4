import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../../shared/smoke/protocols/types.ts';

describe('ProtocolError', () => {
  it('keeps the status a server refused with', () => {
    const err = new ProtocolError('model metadata answered 503', 503);
    expect(err.status).toBe(503);
    expect(err.name).toBe('ProtocolError');
    expect(new ProtocolError('no outputs').status).toBeUndefined();
  });
});
