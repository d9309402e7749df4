import { describe, expect, it } from 'vitest';
import { InputError } from '../../../shared/common/errors.ts';
import { refuseSecretsInTheClear } from '../../../shared/orchestrators/smoke-request.ts';

describe('refuseSecretsInTheClear', () => {
  it('refuses a token over plain http to another machine', () => {
    const err = (() => {
      try {
        refuseSecretsInTheClear({ url: 'http://models.example.com', managementUrl: undefined }, [
          'authorization',
        ]);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/the token would cross the network unencrypted/);
  });

  it('lets loopback, TLS and no secrets through', () => {
    expect(() =>
      refuseSecretsInTheClear({ url: 'http://127.0.0.1:8000', managementUrl: undefined }, [
        'authorization',
      ]),
    ).not.toThrow();
    expect(() =>
      refuseSecretsInTheClear({ url: 'https://models.example.com', managementUrl: undefined }, [
        'x-api-key',
      ]),
    ).not.toThrow();
    expect(() =>
      refuseSecretsInTheClear({ url: 'http://models.example.com', managementUrl: undefined }, []),
    ).not.toThrow();
  });

  it('checks the management URL too, naming the header', () => {
    expect(() =>
      refuseSecretsInTheClear(
        { url: 'https://models.example.com', managementUrl: 'http://10.0.0.7:8081' },
        ['x-api-key'],
      ),
    ).toThrow(/management-url.*header x-api-key/);
  });
});
