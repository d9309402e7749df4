import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Finds secrets in what a run printed or wrote: the raw value and the forms a
 * leak usually takes (base64 at any byte alignment, as inside a Basic
 * `user:password` header or a docker config; URL and form encoding; JSON
 * escaping; hex). Findings carry redacted context, so a failing assertion
 * never prints the secret it caught.
 */

export interface Secret {
  /** What the secret is, shown in findings, e.g. 'registry password'. */
  label: string;
  value: string;
}

export interface SecretForm {
  label: string;
  /** 'raw', 'base64', 'base64url', 'url-encoded', 'form-encoded', 'json-escaped', 'hex'. */
  form: string;
  text: string;
}

export interface SecretFinding {
  /** The secret's label. */
  secret: string;
  form: string;
  /** Where: a stream name such as 'stdout', or a file path. */
  source: string;
  /** 1-based. */
  line: number;
  column: number;
  /** The surrounding text with every secret form replaced by «label:form». */
  context: string;
}

/** Shorter values match by chance in ordinary output; tests must use distinctive secrets. */
export const MIN_SECRET_LENGTH = 8;
/** A base64 fragment shorter than this is too likely to appear by chance. */
const MIN_FRAGMENT_LENGTH = 8;
const CONTEXT_CHARS = 40;

function normalise(secret: Secret | string, index: number): Secret {
  return typeof secret === 'string' ? { label: `secret #${index + 1}`, value: secret } : secret;
}

/**
 * The part of base64(prefix + value) that depends only on `value`, for each of
 * the three alignments at which the value can start inside a longer encoding.
 */
function base64Fragments(value: Buffer): string[] {
  const fragments: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), value]).toString('base64');
    // Characters mixing prefix bits at the start, or following bytes at the end, are dropped.
    const start = Math.ceil((offset * 8) / 6);
    const end = Math.floor(((offset + value.length) * 8) / 6);
    const fragment = encoded.slice(start, end);
    if (fragment.length >= MIN_FRAGMENT_LENGTH) fragments.push(fragment);
  }
  return fragments;
}

export function secretForms(secret: Secret | string, index = 0): SecretForm[] {
  const { label, value } = normalise(secret, index);
  if (value.length < MIN_SECRET_LENGTH) {
    throw new Error(
      `secret '${label}' is ${value.length} characters; scanning for fewer than ${MIN_SECRET_LENGTH} finds noise, so use a longer, distinctive value`,
    );
  }
  const bytes = Buffer.from(value, 'utf8');
  const candidates: Array<[string, string]> = [
    ['raw', value],
    ['url-encoded', encodeURIComponent(value)],
    ['form-encoded', encodeURIComponent(value).replace(/%20/g, '+')],
    ['json-escaped', JSON.stringify(value).slice(1, -1)],
    ['hex', bytes.toString('hex')],
  ];
  for (const fragment of base64Fragments(bytes)) {
    candidates.push(['base64', fragment]);
    candidates.push(['base64url', fragment.replace(/\+/g, '-').replace(/\//g, '_')]);
  }
  const seen = new Set<string>();
  const forms: SecretForm[] = [];
  for (const [form, text] of candidates) {
    if (seen.has(text)) continue;
    seen.add(text);
    forms.push({ label, form, text });
  }
  return forms;
}

export function allSecretForms(secrets: ReadonlyArray<Secret | string>): SecretForm[] {
  return secrets.flatMap((secret, index) => secretForms(secret, index));
}

/** `text` with every form of every secret replaced by «label:form». */
export function redact(text: string, forms: readonly SecretForm[]): string {
  // Longest first, so a form inside a longer one does not leave a partial leak.
  const ordered = [...forms].sort((a, b) => b.text.length - a.text.length);
  let result = text;
  for (const form of ordered) result = result.split(form.text).join(`«${form.label}:${form.form}»`);
  return result;
}

function findIn(source: string, text: string, forms: readonly SecretForm[]): SecretFinding[] {
  const findings: SecretFinding[] = [];
  for (const form of forms) {
    for (let at = text.indexOf(form.text); at !== -1; at = text.indexOf(form.text, at + 1)) {
      const before = text.slice(0, at);
      const line = before.split('\n').length;
      const column = at - before.lastIndexOf('\n');
      const window = text.slice(
        Math.max(0, at - CONTEXT_CHARS),
        at + form.text.length + CONTEXT_CHARS,
      );
      findings.push({
        secret: form.label,
        form: form.form,
        source,
        line,
        column,
        context: redact(window, forms).replace(/\r?\n/g, '⏎'),
      });
    }
  }
  return findings.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Regular files under `path` (itself when it is one); symlinks are not followed. */
function filesUnder(path: string): string[] {
  const stat = lstatSync(path);
  if (stat.isFile()) return [path];
  if (!stat.isDirectory()) return [];
  return readdirSync(path).flatMap((entry) => filesUnder(join(path, entry)));
}

export interface ScanInput {
  /** Captured text by name, e.g. { stdout, stderr }. */
  streams?: Record<string, string>;
  /** Files, or folders scanned recursively. */
  files?: string[];
  secrets: ReadonlyArray<Secret | string>;
  /** Lines where a secret is expected, such as the runner's own mask commands. */
  ignoreLine?: (line: string) => boolean;
}

/**
 * `::add-mask::<value>` is how an action tells the runner what to mask; the
 * runner consumes the line and never shows it, so a secret there is no leak.
 */
export function isMaskCommand(line: string): boolean {
  return line.startsWith('::add-mask::');
}

export function scanForSecrets(input: ScanInput): SecretFinding[] {
  const forms = allSecretForms(input.secrets);
  const findings: SecretFinding[] = [];
  const scan = (source: string, text: string) => {
    const lines = text.split('\n');
    const ignore = input.ignoreLine;
    for (const finding of findIn(source, text, forms)) {
      if (ignore === undefined || !ignore(lines[finding.line - 1] ?? '')) findings.push(finding);
    }
  };
  for (const [name, text] of Object.entries(input.streams ?? {})) scan(name, text);
  for (const path of (input.files ?? []).flatMap(filesUnder)) {
    scan(path, readFileSync(path, 'utf8'));
  }
  return findings;
}

/** One line per finding, for an assertion message. */
export function formatFindings(findings: readonly SecretFinding[]): string {
  return findings
    .map((f) => `${f.source}:${f.line}:${f.column} ${f.secret} (${f.form}): …${f.context}…`)
    .join('\n');
}
