import { describe, expect, it } from 'vitest';
import { parseChallenges, pickChallenge } from '../../../shared/registry/challenge.ts';

describe('parseChallenges', () => {
  it('reads a Bearer challenge with realm, service and a multi-entry scope', () => {
    const header =
      'Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a/b:pull,push repository:c:pull"';
    expect(parseChallenges(header)).toEqual([
      {
        scheme: 'bearer',
        params: {
          realm: 'https://auth.example.com/token',
          service: 'registry.example.com',
          scope: 'repository:a/b:pull,push repository:c:pull',
        },
      },
    ]);
  });

  it('reads Basic and keeps escaped quotes inside values', () => {
    expect(parseChallenges('Basic realm="say \\"hi\\""')).toEqual([
      { scheme: 'basic', params: { realm: 'say "hi"' } },
    ]);
  });

  it('splits several challenges in one header and prefers Bearer', () => {
    const challenges = parseChallenges(
      'Basic realm="r1", Bearer realm="https://t/token", service=svc, error="invalid_token"',
    );
    expect(challenges.map((c) => c.scheme)).toEqual(['basic', 'bearer']);
    expect(challenges[1]?.params).toEqual({
      realm: 'https://t/token',
      service: 'svc',
      error: 'invalid_token',
    });
    expect(pickChallenge(challenges)?.scheme).toBe('bearer');
  });

  it('returns nothing for an absent or empty header', () => {
    expect(parseChallenges(null)).toEqual([]);
    expect(parseChallenges('')).toEqual([]);
    expect(pickChallenge([])).toBeUndefined();
  });
});
