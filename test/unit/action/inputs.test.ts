import { afterEach, describe, expect, it } from 'vitest';
import {
  booleanInput,
  durationInput,
  enumInput,
  integerInput,
  jsonInput,
  listInput,
  mapInput,
  requiredString,
  optionalString,
  yamlInput,
  secretString,
  serverUrlInput,
  headersInput,
  isSecretHeader,
  documentInput,
} from '../../../shared/action/inputs.ts';
import { withActionEnv, type ActionEnv } from '../../support/actions-env.ts';

let env: ActionEnv | undefined;
const use = (inputs: Record<string, string>) => (env = withActionEnv(inputs));
afterEach(() => env?.restore());

describe('typed inputs', () => {
  it('reads required and optional strings, naming a missing one with an example', () => {
    use({ name: ' resnet50 ' });
    expect(requiredString('name')).toBe('resnet50');
    expect(optionalString('namespace', 'default')).toBe('default');
    expect(() => requiredString('image', { example: 'reg/repo@sha256:abc' })).toThrow(
      "input 'image' is required but was not given (for example: reg/repo@sha256:abc)",
    );
  });

  it('accepts only true or false for booleans', () => {
    use({ a: 'TRUE', b: 'false', c: 'yes' });
    expect(booleanInput('a', false)).toBe(true);
    expect(booleanInput('b', true)).toBe(false);
    expect(booleanInput('missing', true)).toBe(true);
    expect(() => booleanInput('c', false)).toThrow("input 'c' must be true or false, not 'yes'");
  });

  it('parses durations into milliseconds', () => {
    use({ t1: '30s', t2: '10m', t3: '1h30m', t4: '45', bad: '10 minutes' });
    expect(durationInput('t1', '1m')).toBe(30_000);
    expect(durationInput('t2', '1m')).toBe(600_000);
    expect(durationInput('t3', '1m')).toBe(5_400_000);
    expect(durationInput('t4', '1m')).toBe(45_000);
    expect(durationInput('none', '2m')).toBe(120_000);
    expect(() => durationInput('bad', '1m')).toThrow(/input 'bad' must be a duration like 30s/);
  });

  it('checks enums and integers', () => {
    use({ runtime: 'Triton', other: 'tensorrt', replicas: '3', neg: '-1', frac: '1.5' });
    expect(enumInput('runtime', ['triton', 'vllm'] as const, 'vllm')).toBe('triton');
    expect(() => enumInput('other', ['triton', 'vllm'] as const, 'vllm')).toThrow(
      "input 'other' must be one of triton, vllm; got 'tensorrt'",
    );
    expect(integerInput('replicas', 1, { min: 0 })).toBe(3);
    expect(() => integerInput('neg', 1, { min: 0 })).toThrow("input 'neg' must be at least 0");
    expect(() => integerInput('frac', 1)).toThrow("input 'frac' must be a whole number");
  });

  it('reads lists by line or comma, skipping comments', () => {
    use({ destinations: 'a.example/x\n# a comment\n\n b.example/y , c.example/z' });
    expect(listInput('destinations')).toEqual(['a.example/x', 'b.example/y', 'c.example/z']);
    expect(() => listInput('tags', { required: true })).toThrow("input 'tags' is required");
  });

  it('reads KEY=value maps and JSON maps', () => {
    use({ env: 'A=1\nB = two=2\n', json: '{"X": 1}', bad: 'novalue' });
    expect(mapInput('env')).toEqual({ A: '1', B: 'two=2' });
    expect(mapInput('json')).toEqual({ X: '1' });
    expect(() => mapInput('bad')).toThrow("input 'bad' has a line that is not KEY=value");
  });

  it('parses JSON and YAML, refusing alias bombs', () => {
    const bomb = [
      'a: &a [x,x,x,x,x,x,x,x,x]',
      ...'bcdefghi'
        .split('')
        .map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
    ].join('\n');
    use({ j: '{"k": [1, 2]}', badj: '{k:', y: 'a: 1\nb: [x, y]', bomb });
    expect(jsonInput('j')).toEqual({ k: [1, 2] });
    expect(() => jsonInput('badj')).toThrow(/input 'badj' is not valid JSON/);
    expect(yamlInput('y')).toEqual({ a: 1, b: ['x', 'y'] });
    expect(() => yamlInput('bomb')).toThrow(/input 'bomb' is not valid YAML/);
  });

  it('masks secret inputs through the runner protocol', () => {
    use({ password: 's3cr3t-value' });
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => {
      lines.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    try {
      expect(secretString('password')).toBe('s3cr3t-value');
    } finally {
      process.stdout.write = write;
    }
    expect(lines.join('')).toContain('::add-mask::s3cr3t-value');
  });
});

describe('server inputs', () => {
  it('reads a server URL: http(s) for REST, a bare host and port for gRPC, never credentials', () => {
    use({
      rest: 'https://models.example.com/prefix',
      grpc: 'grpcs://models.example.com:443',
      pathy: 'grpc://10.0.0.7:8081/v2',
      login: 'https://user:pw@models.example.com',
      ftp: 'ftp://models.example.com',
    });
    expect(serverUrlInput('rest')).toBe('https://models.example.com/prefix');
    expect(serverUrlInput('absent')).toBeUndefined();
    expect(serverUrlInput('grpc', { protocol: 'v2-grpc', grpc: true })).toBe(
      'grpcs://models.example.com:443',
    );
    expect(() => serverUrlInput('grpc', { protocol: 'v2' })).toThrow(
      /is a gRPC address, and protocol v2 speaks HTTP/,
    );
    expect(() => serverUrlInput('pathy', { protocol: 'v2-grpc', grpc: true })).toThrow(
      /has the path '\/v2', but a gRPC endpoint is only a host and port/,
    );
    expect(() => serverUrlInput('login')).toThrow(/must not carry credentials/);
    expect(() => serverUrlInput('ftp')).toThrow(/must be http:\/\/ or https:\/\/, not ftp:/);
  });

  it('reads headers and the token, masking credentials and refusing a line break', () => {
    const written: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    try {
      use({ headers: 'X-Tenant=ml\nX-Api-Key=abcdefgh', token: ' tok-123456 ' });
      expect(headersInput('headers', 'token')).toEqual({
        'X-Tenant': 'ml',
        'X-Api-Key': 'abcdefgh',
        authorization: 'Bearer tok-123456',
      });
    } finally {
      process.stdout.write = write;
    }
    const masks = written.join('').match(/::add-mask::.*/g) ?? [];
    expect(masks.some((m) => m.includes('abcdefgh'))).toBe(true);
    expect(masks.some((m) => m.includes('tok-123456'))).toBe(true);
    // Two characters would blank out ordinary log text.
    expect(masks.some((m) => m.endsWith('::ml'))).toBe(false);
    expect(isSecretHeader('Authorization')).toBe(true);
    expect(isSecretHeader('X-Tenant')).toBe(false);
    env?.restore();
    use({ headers: '{"Bad Name": "x"}' });
    expect(() => headersInput('headers', 'token')).toThrow(/is not a header token/);
  });

  it('reads a document inline or from a file', () => {
    use({ request: '{"inputs": [1]}' });
    expect(documentInput('request', { yaml: false, example: 'x' })).toEqual({
      inputs: [1],
    });
    expect(documentInput('absent', { yaml: false, example: 'x' })).toBeUndefined();
  });
});
