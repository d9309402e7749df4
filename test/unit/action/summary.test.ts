import { afterEach, describe, expect, it } from 'vitest';
import { JobSummary } from '../../../shared/action/summary.ts';
import { withActionEnv, type ActionEnv } from '../../support/actions-env.ts';

let env: ActionEnv | undefined;
afterEach(() => env?.restore());

describe('JobSummary', () => {
  it('drops empty facts and escapes what would break a table', () => {
    const markdown = new JobSummary('push <ok>')
      .facts([
        ['Digest', '`sha256:1`'],
        ['Skipped', undefined],
        ['Note', 'a | b\nc'],
      ])
      .toMarkdown();
    expect(markdown).toContain('## push &lt;ok&gt;');
    expect(markdown).toContain('| Digest | `sha256:1` |');
    expect(markdown).not.toContain('Skipped');
    expect(markdown).toContain('| Note | a \\| b<br>c |');
  });

  it('writes no table without rows, and fences code that holds a fence', () => {
    const markdown = new JobSummary('t').table(['a'], []).code('x ``` y', 'text').toMarkdown();
    expect(markdown).not.toContain('| a |');
    expect(markdown).toContain('````text\nx ``` y\n````');
  });

  it('appends to the step summary file of the runner', async () => {
    env = withActionEnv({});
    await new JobSummary('smoke-test ✅ passed').mermaid('xychart-beta').write();
    expect(env.summary()).toContain('## smoke-test ✅ passed');
    expect(env.summary()).toContain('```mermaid\nxychart-beta\n```');
  });
});
