import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../../shared/common/bytes.ts';

describe('formatBytes', () => {
  it('uses binary units, one decimal below 100', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(200 * 1024 * 1024)).toBe('200 MiB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GiB');
    expect(formatBytes(5000 * 1024 ** 4)).toBe('5000 TiB');
  });
});
