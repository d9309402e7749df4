import { describe, expect, it } from 'vitest';
import { extendConfig, runConfig } from '../../../shared/oci/image-config.ts';
import type { ImageConfig } from '../../../shared/oci/types.ts';

const A = `sha256:${'a'.repeat(64)}` as const;
const B = `sha256:${'b'.repeat(64)}` as const;

const base: ImageConfig = {
  architecture: 'arm64',
  os: 'linux',
  variant: 'v8',
  config: {
    Env: ['PATH=/usr/bin', 'LANG=C'],
    Entrypoint: ['/entry'],
    Cmd: ['serve'],
    ExposedPorts: { '9000/tcp': {} },
    Labels: { 'org.opencontainers.image.title': 'base', vendor: 'x' },
    WorkingDir: '/app',
  },
  rootfs: { type: 'layers', diff_ids: [A] },
  history: [{ created_by: 'base layer' }],
};

const changes = {
  created: '1970-01-01T00:00:00Z',
  layers: [{ diffId: B, createdBy: 'model' }],
  env: [
    ['LANG', 'C.UTF-8'],
    ['MODEL', 'm'],
  ] as Array<[string, string]>,
  exposedPorts: ['8000/tcp'],
  labels: { 'org.opencontainers.image.title': 'm' },
};

describe('extendConfig', () => {
  it('appends diff ids and history, overrides env by name, merges ports and labels', () => {
    const config = extendConfig(base, { os: 'linux', architecture: 'amd64' }, changes);
    expect(config.architecture).toBe('arm64');
    expect(config.variant).toBe('v8');
    expect(config.rootfs.diff_ids).toEqual([A, B]);
    expect(config.history).toEqual([
      { created_by: 'base layer' },
      { created: '1970-01-01T00:00:00Z', created_by: 'model' },
    ]);
    expect(config.config?.Env).toEqual(['PATH=/usr/bin', 'LANG=C.UTF-8', 'MODEL=m']);
    expect(config.config?.ExposedPorts).toEqual({ '8000/tcp': {}, '9000/tcp': {} });
    expect(config.config?.Labels).toEqual({ 'org.opencontainers.image.title': 'm', vendor: 'x' });
    expect(config.config?.Entrypoint).toEqual(['/entry']);
    expect(config.config?.Cmd).toEqual(['serve']);
    expect(config.config?.WorkingDir).toBe('/app');
  });

  it('a new entrypoint drops the base command unless a command is given', () => {
    expect(
      extendConfig(
        base,
        { os: 'linux', architecture: 'arm64' },
        { ...changes, entrypoint: ['/new'] },
      ).config?.Cmd,
    ).toBeUndefined();
    const both = extendConfig(
      base,
      { os: 'linux', architecture: 'arm64' },
      { ...changes, entrypoint: ['/new'], cmd: ['x'] },
    );
    expect([both.config?.Entrypoint, both.config?.Cmd]).toEqual([['/new'], ['x']]);
    expect(
      extendConfig(base, { os: 'linux', architecture: 'arm64' }, { ...changes, cmd: ['y'] }).config
        ?.Entrypoint,
    ).toEqual(['/entry']);
  });

  it('without a base: the platform, a default PATH, and stable key order for the same input', () => {
    const a = extendConfig(undefined, { os: 'linux', architecture: 'amd64' }, changes);
    expect(a.architecture).toBe('amd64');
    expect(a.config?.Env?.[0]).toMatch(/^PATH=/);
    const reordered = extendConfig(
      undefined,
      { os: 'linux', architecture: 'amd64' },
      { ...changes, exposedPorts: ['9', '1'], labels: { z: '1', a: '2' } },
    );
    expect(Object.keys(reordered.config?.ExposedPorts ?? {})).toEqual(['1', '9']);
    expect(Object.keys(reordered.config?.Labels ?? {})).toEqual(['a', 'z']);
  });
});

describe('runConfig', () => {
  it('applies settings over a container config without adding a PATH unless asked', () => {
    const base = { Env: ['MODE=old'], Entrypoint: ['/old'], Cmd: ['a'], Labels: { z: '1' } };
    const settings = {
      env: [['MODE', 'new'] as [string, string], ['EXTRA', '1'] as [string, string]],
      entrypoint: ['/new'],
      exposedPorts: ['9000/tcp'],
      labels: { a: '2' },
    };
    const run = runConfig(base, settings, { defaultPath: false });
    expect(run.Env).toEqual(['MODE=new', 'EXTRA=1']);
    expect(run.Entrypoint).toEqual(['/new']);
    // A new entrypoint without a command clears the old command.
    expect(run.Cmd).toBeUndefined();
    expect(run.ExposedPorts).toEqual({ '9000/tcp': {} });
    expect(Object.keys(run.Labels ?? {})).toEqual(['a', 'z']);
    expect(base.Env).toEqual(['MODE=old']);
    const withPath = runConfig({}, { ...settings, env: [] }, { defaultPath: true });
    expect(withPath.Env?.[0]).toMatch(/^PATH=/);
  });
});
