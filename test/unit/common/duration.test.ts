import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../shared/common/duration.ts';

describe('durations', () => {
  it('parses units, compounds and bare seconds into milliseconds', () => {
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration(' 45 ')).toBe(45_000);
  });

  it('refuses what it cannot read whole', () => {
    expect(parseDuration('10 minutes')).toBeUndefined();
    expect(parseDuration('10m junk')).toBeUndefined();
    expect(parseDuration('')).toBeUndefined();
    expect(parseDuration('5d')).toBeUndefined();
  });

  it('formats for people, and round-trips through the parser', () => {
    expect(formatDuration(420.4)).toBe('420ms');
    expect(formatDuration(12_345)).toBe('12.3s');
    expect(formatDuration(120_000)).toBe('2m');
    expect(formatDuration(125_000)).toBe('2m5s');
    for (const ms of [420, 120_000, 125_000]) expect(parseDuration(formatDuration(ms))).toBe(ms);
  });
});
