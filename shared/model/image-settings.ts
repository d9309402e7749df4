import { InputError } from '../common/errors.ts';

/** An argv (entrypoint, cmd): `["python", "serve.py"]` (JSON) or one argument per line. */
export function parseArgv(input: string, value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  if (!value.startsWith('[')) {
    return value
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (err) {
    throw new InputError(
      input,
      `is not a valid JSON array: ${(err as Error).message}`,
      `${input}: '["python", "serve.py"]'`,
    );
  }
  if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string')) {
    throw new InputError(
      input,
      'must be a JSON array of strings',
      `${input}: '["python", "serve.py"]'`,
    );
  }
  return parsed;
}

/** Seconds since 1970, a whole number (`SOURCE_DATE_EPOCH`). */
export function parseSourceDateEpoch(value: string): number {
  if (!/^\d+$/.test(value.trim())) {
    throw new InputError(
      'source-date-epoch',
      `must be seconds since 1970 (a whole number), not '${value}'`,
      'source-date-epoch: 1717200000, the commit time in seconds as git log -1 --format=%ct prints it',
    );
  }
  return Number(value.trim());
}

/** The version becomes a folder in the image for several runtimes. */
export function checkModelVersion(version: string | undefined): string | undefined {
  if (
    version !== undefined &&
    (/[/\\]/.test(version) || [...version].some((c) => c < ' ') || /^\.+$/.test(version))
  ) {
    throw new InputError(
      'version',
      `must not contain '/', '\\' or control characters, or be only dots; got '${version}'`,
      'version: 3',
    );
  }
  return version;
}

/** Ports come as `8000` or `8000,8001`; each must be a TCP port. */
export function parsePorts(values: string[], input = 'ports'): number[] | undefined {
  if (values.length === 0) return undefined;
  return values.map((v) => {
    const port = Number(v.replace(/\/tcp$/, ''));
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new InputError(input, `has '${v}', which is not a TCP port`, 'ports: 8080');
    }
    return port;
  });
}
