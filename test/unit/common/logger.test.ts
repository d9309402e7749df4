import { describe, expect, it } from 'vitest';
import { inertCommands } from '../../../shared/common/logger.ts';

describe('inertCommands', () => {
  it('keeps a line from a server from being read as a workflow command', () => {
    const hostile = '::set-output name=passed::true\n  ::add-mask::x\nplain ##[error]fake';
    const inert = inertCommands(hostile);
    for (const line of inert.split('\n')) expect(line.trimStart().startsWith('::')).toBe(false);
    expect(inert).not.toContain('##[');
    // Invisible to a reader: only word joiners were added.
    expect(inert.replace(/\u2060/g, '')).toBe(hostile);
  });

  it('leaves ordinary text as it is', () => {
    expect(inertCommands('p95 12.3 ms: a::b')).toBe('p95 12.3 ms: a::b');
  });
});
