import { describe, expect, it } from 'vitest';
import { fromRegistries } from '../../../shared/model/dockerfile.ts';

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
