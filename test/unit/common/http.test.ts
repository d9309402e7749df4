import { describe, expect, it } from 'vitest';
import { allowsPlainHttp, assertSafeUrl, baseUrlFor } from '../../../shared/common/http.ts';
import { UserError } from '../../../shared/common/errors.ts';

describe('plain http policy', () => {
  it('allows loopback and listed hosts only', () => {
    expect(baseUrlFor('127.0.0.1:5000')).toBe('http://127.0.0.1:5000');
    expect(baseUrlFor('localhost:5000')).toBe('http://localhost:5000');
    expect(baseUrlFor('[::1]:5000')).toBe('http://[::1]:5000');
    expect(baseUrlFor('registry.internal:5000')).toBe('https://registry.internal:5000');
    expect(baseUrlFor('registry.internal:5000', ['registry.internal'])).toBe(
      'http://registry.internal:5000',
    );
    expect(allowsPlainHttp('registry.internal:5000', ['registry.internal:6000'])).toBe(false);
    expect(allowsPlainHttp('127.0.0.1.evil.com')).toBe(false);
  });

  it('refuses a plain-http token realm on another host', () => {
    expect(() => assertSafeUrl('http://auth.example.com/token')).toThrow(UserError);
    expect(assertSafeUrl('https://auth.example.com/token').host).toBe('auth.example.com');
    expect(assertSafeUrl('http://127.0.0.1:9/token').port).toBe('9');
  });
});
