import { describe, expect, it } from 'vitest';
import { InputError } from '../../../shared/common/errors.ts';
import { silentLogger } from '../../../shared/common/logger.ts';
import { fromRegistries, refuseUnsupportedSettings } from '../../../shared/model/dockerfile.ts';

describe("a Dockerfile's FROM registries", () => {
  it('names each registry once, skipping scratch and earlier stages', () => {
    expect(
      fromRegistries(
        [
          'FROM --platform=linux/amd64 ghcr.io/org/builder:1 AS build',
          'FROM build AS test',
          'FROM scratch',
          'from 127.0.0.1:5000/base/busybox:1',
          'FROM ghcr.io/org/other:2',
        ].join('\n'),
      ),
    ).toEqual({ hosts: ['ghcr.io', '127.0.0.1:5000'], opaque: false });
  });

  it('is opaque when a FROM comes from a build argument, whose registry is unknown until the build', () => {
    expect(fromRegistries('ARG BASE=127.0.0.1:5000/base:1\nFROM ${BASE}\n')).toEqual({
      hosts: [],
      opaque: true,
    });
  });
});

describe('the Dockerfile path refuses what it cannot build', () => {
  const request = (platforms: string[]) => ({
    dockerfile: 'Dockerfile',
    context: '.',
    output: 'out',
    tag: '1',
    name: 'resnet',
    version: '1',
    labels: {},
    sourceDateEpoch: 0,
    logger: silentLogger,
    platforms,
  });

  it('refuses several platforms, naming the input and showing one platform per run', () => {
    let error: unknown;
    try {
      refuseUnsupportedSettings(request(['linux/amd64', 'linux/arm64']));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).input).toBe('platforms');
    expect((error as InputError).message).toContain('linux/amd64, linux/arm64');
    expect((error as InputError).message).toContain('platforms: linux/amd64 (one per run');
  });

  it('accepts one platform or none, and refuses one that is not os/arch', () => {
    expect(() => refuseUnsupportedSettings(request([]))).not.toThrow();
    expect(() => refuseUnsupportedSettings(request(['linux/arm64/v8']))).not.toThrow();
    expect(() => refuseUnsupportedSettings(request(['arm64']))).toThrow(/platforms.*os\/arch/);
  });
});
