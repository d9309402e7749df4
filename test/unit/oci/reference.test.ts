import { describe, expect, it } from 'vitest';
import {
  formatReference,
  manifestReference,
  parseReference,
  registryApiHost,
} from '../../../shared/oci/reference.ts';
import { InputError, UserError } from '../../../shared/common/errors.ts';

const D = `sha256:${'a'.repeat(64)}`;

describe('parseReference', () => {
  it.each([
    ['busybox', { registry: 'docker.io', repository: 'library/busybox' }],
    ['busybox:1.36', { registry: 'docker.io', repository: 'library/busybox', tag: '1.36' }],
    ['team/model', { registry: 'docker.io', repository: 'team/model' }],
    ['localhost/model', { registry: 'localhost', repository: 'model' }],
    ['127.0.0.1:5000/a/b:v1', { registry: '127.0.0.1:5000', repository: 'a/b', tag: 'v1' }],
    [`ghcr.io/o/m@${D}`, { registry: 'ghcr.io', repository: 'o/m', digest: D }],
    [`host:443/m:t@${D}`, { registry: 'host:443', repository: 'm', tag: 't', digest: D }],
    ['index.docker.io/x/y', { registry: 'docker.io', repository: 'x/y' }],
    ['Upper/model', { registry: 'Upper', repository: 'model' }],
  ])('%s', (text, expected) => {
    expect(parseReference(text)).toEqual(expected);
  });

  it.each([
    ['', 'is empty'],
    ['Model', 'invalid repository'],
    ['a/b:bad tag', 'invalid tag'],
    ['a/b@sha256:1234', 'digest'],
    ['host:5000/', 'invalid repository'],
    [D, 'a digest without its repository'],
  ])('refuses %j', (text, message) => {
    expect(() => parseReference(text)).toThrow(UserError);
    expect(() => parseReference(text)).toThrow(message);
  });

  it('names the input when given', () => {
    expect(() => parseReference('a b', 'base-image')).toThrow(InputError);
    expect(() => parseReference('a b', 'base-image')).toThrow("input 'base-image'");
  });

  it('formats back and chooses what to ask the registry for', () => {
    const ref = parseReference(`127.0.0.1:5000/a/b:v1@${D}`);
    expect(formatReference(ref)).toBe(`127.0.0.1:5000/a/b:v1@${D}`);
    expect(manifestReference(ref)).toBe(D);
    expect(manifestReference(parseReference('x/y'))).toBe('latest');
    expect(registryApiHost(parseReference('busybox'))).toBe('registry-1.docker.io');
  });
});
