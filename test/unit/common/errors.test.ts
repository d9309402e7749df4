import { describe, expect, it } from 'vitest';
import {
  errorMessage,
  InputError,
  isUserError,
  oneLine,
  UserError,
} from '../../../shared/common/errors.ts';

describe('errors', () => {
  it('names the input and shows an accepted example', () => {
    const err = new InputError(
      'timeout',
      "must be a duration, not 'soon'",
      'timeout: 30s',
      'try 30s',
    );
    expect(err.message).toBe(
      "input 'timeout' must be a duration, not 'soon' (for example: timeout: 30s)",
    );
    expect(err.input).toBe('timeout');
    expect(err.hint).toBe('try 30s');
    expect(isUserError(err)).toBe(true);
    expect(new InputError('x', 'is bad').message).toBe("input 'x' is bad");
  });

  it('tells a user error from a bug', () => {
    const cause = new Error('socket');
    const err = new UserError('registry refused', { hint: 'log in', cause });
    expect(err.cause).toBe(cause);
    expect(isUserError(err)).toBe(true);
    expect(isUserError(new TypeError('undefined is not a function'))).toBe(false);
  });

  it('puts any text on one line, control characters as spaces', () => {
    expect(oneLine('line one\r\nline two\u001b[31m  red\u0000')).toBe('line one line two [31m red');
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage(42)).toBe('42');
  });
});
