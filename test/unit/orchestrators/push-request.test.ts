import { describe, expect, it } from 'vitest';
import { parseDestination } from '../../../shared/clouds/registry-access.ts';
import { InputError } from '../../../shared/common/errors.ts';
import {
  checkedTags,
  loginHostFor,
  loginPair,
} from '../../../shared/orchestrators/push-request.ts';

function inputOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputError) return err.input;
    throw err;
  }
  return undefined;
}

const generic = (text: string) => parseDestination(text);

describe('checkedTags', () => {
  it('keeps valid tags and refuses an invalid one, naming it', () => {
    expect(checkedTags(['v3', 'latest', '1.2.3_rc-1'])).toEqual(['v3', 'latest', '1.2.3_rc-1']);
    expect(() => checkedTags(['v3', 'not a tag'])).toThrow(/invalid tag 'not a tag'/);
    expect(inputOf(() => checkedTags(['-leading-dash']))).toBe('tags');
  });
});

describe('loginPair', () => {
  it('takes both or neither', () => {
    expect(loginPair(undefined, undefined)).toEqual({ username: undefined, password: undefined });
    expect(loginPair('ci', 's3cret')).toEqual({ username: 'ci', password: 's3cret' });
    expect(inputOf(() => loginPair(undefined, 's3cret'))).toBe('username');
    expect(inputOf(() => loginPair('ci', undefined))).toBe('password');
  });
});

describe('loginHostFor', () => {
  const one = [generic('127.0.0.1:5000/models/a')];
  const two = [generic('127.0.0.1:5000/models/a'), generic('127.0.0.1:5001/models/a')];

  it('is the only generic registry when there is one', () => {
    expect(loginHostFor(one, undefined, 'ci')).toBe('127.0.0.1:5000');
  });

  it('is the one named by credentials-for among several', () => {
    expect(loginHostFor(two, '127.0.0.1:5001', 'ci')).toBe('127.0.0.1:5001');
  });

  it('is needed when a login would go to several registries', () => {
    expect(inputOf(() => loginHostFor(two, undefined, 'ci'))).toBe('credentials-for');
    // Without a login there is nothing to send anywhere.
    expect(loginHostFor(two, undefined, undefined)).toBeUndefined();
  });

  it('refuses a host that is not a generic destination', () => {
    expect(() => loginHostFor(one, 'registry.example.com', 'ci')).toThrow(
      /names 'registry.example.com', which is not the host of a generic destination \(127.0.0.1:5000\)/,
    );
  });
});
