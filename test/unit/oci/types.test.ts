import { describe, expect, it } from 'vitest';
import { platformString } from '../../../shared/oci/types.ts';

describe('platformString', () => {
  it('writes os/arch and the variant when there is one', () => {
    expect(platformString({ os: 'linux', architecture: 'amd64' })).toBe('linux/amd64');
    expect(platformString({ os: 'linux', architecture: 'arm64', variant: 'v8' })).toBe(
      'linux/arm64/v8',
    );
  });
});
