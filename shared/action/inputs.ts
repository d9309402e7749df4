import { readCloudIdentities } from '../clouds/registry.ts';
import type { CloudIdentities } from '../clouds/types.ts';
import { InputError } from '../common/errors.ts';
import { parseDuration } from '../common/duration.ts';
import { readDocumentInput } from '../common/document-input.ts';
import { actionsLogger } from './run.ts';
import * as core from './runner.ts';
import { parseYamlInput, YamlProblem } from '../common/yaml-problem.ts';

/**
 * Typed input getters. Every failure names the input and shows an accepted
 * example, so a user can fix the workflow without reading our source.
 */

interface Common {
  /** Shown in the error message as an accepted value. */
  example?: string;
}

function raw(name: string): string {
  return core.getInput(name, { trimWhitespace: true });
}

export function requiredString(name: string, options: Common = {}): string {
  const value = raw(name);
  if (value === '') {
    throw new InputError(name, 'is required but was not given', options.example);
  }
  return value;
}

export function optionalString(name: string): string | undefined;
export function optionalString(name: string, fallback: string): string;
export function optionalString(name: string, fallback?: string): string | undefined {
  const value = raw(name);
  return value === '' ? fallback : value;
}

/** A secret input: masked the moment it is read. */
export function secretString(name: string): string | undefined {
  const value = core.getInput(name, { trimWhitespace: false });
  if (value === '') return undefined;
  core.setSecret(value);
  return value;
}

/** Only `true` or `false` (any case): `yes`, `1` and typos are refused rather than guessed. */
export function booleanInput(name: string, fallback: boolean): boolean {
  const value = raw(name).toLowerCase();
  if (value === '') return fallback;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new InputError(name, `must be true or false, not '${raw(name)}'`, `${name}: true`);
}

interface IntegerBounds {
  min?: number;
  max?: number;
  /** A value a user would really write, for messages; a bound rarely is one. */
  example?: number;
}

/** The default is what most users run with, so it is the example unless one is given. */
export function integerInput(name: string, fallback: number, bounds: IntegerBounds = {}): number {
  return optionalInteger(name, { example: fallback, ...bounds }) ?? fallback;
}

export function optionalInteger(name: string, bounds: IntegerBounds = {}): number | undefined {
  const value = raw(name);
  if (value === '') return undefined;
  const example = `${name}: ${bounds.example ?? bounds.min ?? 1}`;
  if (!/^-?\d+$/.test(value)) {
    throw new InputError(name, `must be a whole number, not '${value}'`, example);
  }
  const n = Number(value);
  if (bounds.min !== undefined && n < bounds.min) {
    throw new InputError(name, `must be at least ${bounds.min}, not ${n}`, example);
  }
  if (bounds.max !== undefined && n > bounds.max) {
    throw new InputError(name, `must be at most ${bounds.max}, not ${n}`, example);
  }
  return n;
}

/** A number, such as a fraction or a latency; `example` is a realistic value of this input. */
export function numberInput(
  name: string,
  fallback: number | undefined,
  example: string,
): number | undefined {
  const value = raw(name);
  if (value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n)) {
    const unit = /^[\d.]+\s*[a-z%]+$/i.test(value);
    throw new InputError(
      name,
      `must be ${unit ? 'a plain number, without a unit or %,' : 'a number,'} not '${value}'`,
      `${name}: ${example}`,
    );
  }
  return n;
}

/** The service-level objectives both smoke-test and a canary's analysis judge by. */
export interface SloInputs {
  sloErrorRate: number;
  sloP95Ms: number | undefined;
}

export function sloInputs(): SloInputs {
  const sloErrorRate = numberInput('slo-error-rate', 0, '0.01') as number;
  if (sloErrorRate < 0 || sloErrorRate > 1) {
    throw new InputError(
      'slo-error-rate',
      `must be a fraction between 0 and 1, not ${sloErrorRate}`,
      'slo-error-rate: 0.01',
    );
  }
  const sloP95Ms = numberInput('slo-p95-ms', undefined, '250');
  if (sloP95Ms !== undefined && sloP95Ms <= 0) {
    throw new InputError(
      'slo-p95-ms',
      `must be a positive number of milliseconds, not ${sloP95Ms}`,
      'slo-p95-ms: 250',
    );
  }
  return { sloErrorRate, sloP95Ms };
}

/** A duration such as `30s`, `10m`, `1h30m`; returns milliseconds. */
export function durationInput(name: string, fallback: string): number {
  const value = raw(name) || fallback;
  const ms = parseDuration(value);
  if (ms === undefined) {
    // The default is this input's usual size: a request timeout is seconds, a rollout minutes.
    throw new InputError(
      name,
      `must be a duration like 30s, 10m or 1h, not '${value}'`,
      `${name}: ${fallback}`,
    );
  }
  return ms;
}

export function enumInput<T extends string>(name: string, allowed: readonly T[], fallback: T): T;
export function enumInput<T extends string>(
  name: string,
  allowed: readonly T[],
  fallback: undefined,
): T | undefined;
export function enumInput<T extends string>(
  name: string,
  allowed: readonly T[],
  fallback: T | undefined,
): T | undefined {
  const value = raw(name);
  if (value === '') return fallback;
  const match = allowed.find((a) => a === value.toLowerCase());
  if (match === undefined) {
    throw new InputError(
      name,
      `must be one of ${allowed.join(', ')}; got '${value}'`,
      `${name}: ${allowed[0]}`,
    );
  }
  return match;
}

/**
 * A list: one item per line, or comma-separated on one line. Blank lines and
 * `#` comments are ignored.
 */
export function listInput(name: string, options: Common & { required?: boolean } = {}): string[] {
  const value = raw(name);
  const items = value
    .split(/\r?\n/)
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter((line) => line !== '')
    .flatMap((line) => line.split(',').map((item) => item.trim()))
    .filter((item) => item !== '');
  if (options.required && items.length === 0) {
    throw new InputError(name, 'is required but was not given', options.example);
  }
  return items;
}

/** `KEY=value` pairs, one per line (also accepts a YAML/JSON mapping). */
export function mapInput(name: string, options: Common = {}): Record<string, string> {
  const value = raw(name);
  if (value === '') return {};
  if (value.startsWith('{')) {
    const parsed = jsonInput(name, { example: options.example ?? '{"KEY": "value"}' });
    return stringMap(name, parsed, options);
  }
  const out: Record<string, string> = {};
  for (const line of value.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const eq = trimmed.search(/[=:]/);
    if (eq <= 0) {
      throw new InputError(
        name,
        `has a line that is not KEY=value: '${trimmed}'`,
        options.example ?? 'KEY=value',
      );
    }
    out[trimmed.slice(0, eq).trim()] = trimmed.slice(eq + 1).trim();
  }
  return out;
}

function stringMap(name: string, parsed: unknown, options: Common): Record<string, string> {
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InputError(
      name,
      'must be a mapping of names to values',
      options.example ?? '{"KEY": "value"}',
    );
  }
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
}

export function jsonInput(name: string, options: Common = {}): unknown {
  const value = raw(name);
  if (value === '') return undefined;
  try {
    return JSON.parse(value);
  } catch (err) {
    throw new InputError(name, `is not valid JSON: ${(err as Error).message}`, options.example);
  }
}

/**
 * YAML (JSON is YAML too). A mistake is reported where it is (line, column)
 * and in plain words, with the input's accepted form; aliases are limited so
 * a "billion laughs" document fails instead of exhausting memory.
 */
export function yamlInput(name: string, options: Common = {}): unknown {
  const value = raw(name);
  if (value === '') return undefined;
  try {
    return parseYamlInput(value);
  } catch (err) {
    if (!(err instanceof YamlProblem)) throw err;
    throw new InputError(name, `is not valid YAML${err.detail}`, options.example);
  }
}

/** Registry hosts, `host` or `host:port` each: a URL or a path is refused rather than never matching. */
export function hostListInput(name: string): string[] {
  const hosts = listInput(name);
  for (const host of hosts) {
    if (!/^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/.test(host)) {
      throw new InputError(
        name,
        `has '${host}', which is not a host or host:port`,
        `${name}: registry.internal:5000`,
      );
    }
  }
  return hosts;
}

/** Every cloud's identity inputs for GitHub OIDC federation, as the job gives them, checked by the cloud. */
export function cloudIdentityInputs(): CloudIdentities {
  return readCloudIdentities((input) => optionalString(input));
}

/** `azure-client-id` and `azure-tenant-id`: both or neither, a GUID client id, a GUID or domain tenant. */
export function azureFederationInputs(): { clientId?: string; tenantId?: string } {
  const { clientId, tenantId } = cloudIdentityInputs().azure ?? {};
  return { ...(clientId ? { clientId } : {}), ...(tenantId ? { tenantId } : {}) };
}

/**
 * The served model name or id, as it goes into request paths: `/` is allowed
 * (OpenAI-style ids such as `org/model`), but not spaces, `..` segments, `?`,
 * `#` or `%`, which would change the URL rather than name a model.
 */
export function modelNameInput(name: string, fallback?: string): string | undefined {
  const value = optionalString(name) ?? fallback;
  if (value === undefined) return undefined;
  if (/[\s?#%\\]/.test(value) || value.split('/').some((part) => part === '..' || part === '.')) {
    throw new InputError(
      name,
      `must be the served model name, without spaces, '..', '?', '#' or '%'; got '${value}'`,
      `${name}: resnet50`,
    );
  }
  return value;
}

/** A duration that may be left unset: undefined then, rather than a default. */
export function optionalDuration(name: string, example: string): number | undefined {
  return raw(name) === '' ? undefined : durationInput(name, example);
}

/** A strict boolean that may be left unset: undefined then, rather than a default. */
export function optionalBoolean(name: string): boolean | undefined {
  return raw(name) === '' ? undefined : booleanInput(name, false);
}

/** Header names whose values are credentials. */
const SECRET_HEADER = /authorization|token|secret|api-?key|cookie|password/i;

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER.test(name);
}

/** Header values this long or longer are masked in the log whatever the header's name. */
const MASKED_HEADER_MIN = 6;

/**
 * Headers from a `Name=value` map input and a bearer token input, every
 * credential masked before anything can log it.
 */
export function headersInput(name: string, tokenInput: string): Record<string, string> {
  const headers = mapInput(name, { example: 'X-Tenant=ml-platform' });
  for (const [header, value] of Object.entries(headers)) {
    // RFC 9110 field names are tokens; a line break in a value would start a new header.
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(header) || /[\r\n\0]/.test(value)) {
      throw new InputError(
        name,
        `has the header '${header}', whose name is not a header token or whose value has a line break`,
        `${name}: X-Tenant=ml-platform`,
      );
    }
    // Header values often come from a secret whatever the header is called: all
    // are masked (but a few characters, which would blank out ordinary log text);
    // for a credential header the part after the scheme (`Bearer …`) too.
    if (isSecretHeader(header) || value.trim().length >= MASKED_HEADER_MIN) {
      actionsLogger.secret(value);
      const credential = /^\S+\s+(.+)$/.exec(value)?.[1];
      if (credential && isSecretHeader(header)) actionsLogger.secret(credential);
    }
  }
  const token = secretString(tokenInput);
  if (token !== undefined) headers.authorization = `Bearer ${token.trim()}`;
  return headers;
}

const GRPC_URL_EXAMPLE = 'grpcs://models.example.com:443 or grpc://10.0.0.7:8081';

/**
 * The URL of a server to call. For a protocol that speaks gRPC (`grpc`), the
 * address is a host and port (grpc://, grpcs://, http:// or https://), since
 * the protocol fixes the paths of its calls; otherwise http:// or https://.
 * Credentials in the URL are refused: they would be logged with it.
 */
export function serverUrlInput(
  name: string,
  options: { protocol?: string; grpc?: boolean } = {},
): string | undefined {
  const value = optionalString(name);
  if (value === undefined) return undefined;
  const url = parseUrlValue(name, value);
  const { protocol, grpc = false } = options;
  if (grpc && ['grpc:', 'grpcs:', 'http:', 'https:'].includes(url.protocol)) {
    if (url.pathname !== '' && url.pathname !== '/') {
      throw new InputError(
        name,
        `has the path '${url.pathname}', but a gRPC endpoint is only a host and port: protocol ${protocol} fixes the paths of its calls`,
        GRPC_URL_EXAMPLE,
      );
    }
  } else if (url.protocol === 'grpc:' || url.protocol === 'grpcs:') {
    throw new InputError(
      name,
      `is a gRPC address, and protocol ${protocol ?? 'v2'} speaks HTTP: use protocol v2-grpc or tfserving-grpc, or the server's HTTP URL`,
      'protocol: v2-grpc',
    );
  } else if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(
      name,
      `must be http:// or https://${grpc ? ' (or grpc://, grpcs:// for gRPC)' : ''}, not ${url.protocol}`,
      grpc ? GRPC_URL_EXAMPLE : 'https://models.example.com',
    );
  }
  if (url.username || url.password) {
    throw new InputError(
      name,
      'must not carry credentials; use `token` or `headers`',
      'https://models.example.com',
    );
  }
  return value;
}

function parseUrlValue(name: string, value: string): URL {
  try {
    return new URL(value);
  } catch {
    throw new InputError(name, `is not a URL: '${value}'`, 'https://models.example.com');
  }
}

/**
 * A document given inline (JSON, or YAML where allowed) or as the path of a
 * file in the workspace holding it.
 */
export function documentInput(name: string, options: { yaml: boolean; example: string }): unknown {
  return readDocumentInput(name, optionalString(name), options);
}
