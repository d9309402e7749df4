import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  formatFindings,
  isMaskCommand,
  redact,
  scanForSecrets,
  secretForms,
  allSecretForms,
} from '../../support/secrets-scan.ts';

const password = 'pa55/w0rd+with spaces&?';
const token = 'ghs_9fJq2LmZx7RtYb3KcVwP';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('secrets scan', () => {
  it('finds the raw value with its line, column and redacted context', () => {
    const stdout = `starting\nlogin with ${token} now\ndone\n`;
    const findings = scanForSecrets({ streams: { stdout, stderr: '' }, secrets: [token] });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      secret: 'secret #1',
      form: 'raw',
      source: 'stdout',
      line: 2,
      column: 12,
    });
    expect(findings[0]?.context).toContain('login with «secret #1:raw» now');
    expect(findings[0]?.context).not.toContain(token);
    expect(formatFindings(findings)).not.toContain(token);
  });

  it('finds base64 at every alignment, as inside a Basic header or a docker config', () => {
    for (const user of ['u', 'us', 'use', 'user-name']) {
      const basic = Buffer.from(`${user}:${password}`).toString('base64');
      const line = `Authorization: Basic ${basic}`;
      const findings = scanForSecrets({
        streams: { stderr: line },
        secrets: [{ label: 'registry password', value: password }],
      });
      expect(
        findings.map((f) => f.form),
        `user ${user}`,
      ).toEqual(['base64']);
      expect(findings[0]?.secret).toBe('registry password');
    }
  });

  it('finds URL-, form- and JSON-encoded and hex forms', () => {
    const secret = { label: 'pw', value: 'a"b\\c~d+e/f?g h' };
    const cases: Array<[string, string]> = [
      ['url-encoded', `?password=${encodeURIComponent(secret.value)}&x=1`],
      ['form-encoded', `password=${encodeURIComponent(secret.value).replace(/%20/g, '+')}`],
      ['json-escaped', JSON.stringify({ password: secret.value })],
      ['hex', Buffer.from(secret.value).toString('hex')],
    ];
    for (const [form, text] of cases) {
      const findings = scanForSecrets({ streams: { out: text }, secrets: [secret] });
      expect(
        findings.map((f) => f.form),
        form,
      ).toContain(form);
    }
  });

  it('finds base64url where it differs from base64', () => {
    // '>>>' and '???' encode to 'Pj4+' and 'Pz8/': the two characters base64url replaces.
    const value = '>>>???>>>???';
    const text = `jwt=${Buffer.from(`ab${value}`).toString('base64url')}`;
    const findings = scanForSecrets({ streams: { out: text }, secrets: [value] });
    expect(findings.map((f) => f.form)).toEqual(['base64url']);
  });

  it('reports nothing for clean output, including masked values', () => {
    const stdout = `password: ***\nAuthorization: Bearer ***\ndigest sha256:${'a'.repeat(64)}\n`;
    expect(scanForSecrets({ streams: { stdout }, secrets: [password, token] })).toEqual([]);
  });

  it('counts every occurrence, in streams and in files under a folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-secrets-scan-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'nested'));
    writeFileSync(join(dir, 'nested', 'config.json'), JSON.stringify({ auth: token }));
    writeFileSync(join(dir, 'clean.txt'), 'nothing here');
    const findings = scanForSecrets({
      streams: { stdout: `${token} and again ${token}` },
      files: [dir],
      secrets: [{ label: 'token', value: token }],
    });
    expect(findings.map((f) => `${f.source}:${f.column}`)).toEqual([
      'stdout:1',
      `stdout:${token.length + 12}`,
      `${join(dir, 'nested', 'config.json')}:10`,
    ]);
  });

  it('refuses secrets too short to scan for meaningfully', () => {
    expect(() => secretForms({ label: 'pin', value: '1234' })).toThrow(/'pin' is 4 characters/);
  });

  it('redacts every form, longest first', () => {
    const forms = allSecretForms([{ label: 't', value: token }]);
    const text = `${token} ${Buffer.from(token).toString('base64')}`;
    const redacted = redact(text, forms);
    expect(redacted).toBe('«t:raw» «t:base64»' + redacted.slice('«t:raw» «t:base64»'.length));
    expect(redacted).not.toContain(token);
    expect(scanForSecrets({ streams: { x: redacted }, secrets: [token] })).toEqual([]);
  });

  it("skips the runner's mask commands when told to, and nothing else", () => {
    const stdout = `::add-mask::${token}\nlogged in\nAuthorization: Bearer ${token}\n`;
    const findings = scanForSecrets({
      streams: { stdout },
      secrets: [token],
      ignoreLine: isMaskCommand,
    });
    expect(findings.map((f) => f.line)).toEqual([3]);
    expect(scanForSecrets({ streams: { stdout }, secrets: [token] })).toHaveLength(2);
  });
});
