import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../shared/common/errors.ts';
import { silentLogger } from '../../../shared/common/logger.ts';
import { parsePlatform, resolveBaseImage } from '../../../shared/model/base-image.ts';
import { platformString } from '../../../shared/oci/types.ts';
import {
  hostArchitecture,
  pushBusyboxImage,
  pushMultiArchBusyboxImage,
  type PushedImage,
} from '../../support/images.ts';
import { startRegistry, type LocalRegistry } from '../../support/registry.ts';

describe('parsePlatform', () => {
  it('reads os/arch and an optional variant, naming the input otherwise', () => {
    expect(parsePlatform('linux/amd64')).toEqual({ os: 'linux', architecture: 'amd64' });
    expect(parsePlatform(' linux/arm/v7 ')).toEqual({
      os: 'linux',
      architecture: 'arm',
      variant: 'v7',
    });
    for (const bad of ['amd64', 'linux/amd64/v1/x', 'Linux/AMD64', 'linux/']) {
      expect(() => parsePlatform(bad, 'platforms')).toThrow(InputError);
    }
  });
});

describe('resolveBaseImage from a local registry', () => {
  let registry: LocalRegistry;
  let single: PushedImage;
  let multi: PushedImage;
  beforeAll(async () => {
    registry = await startRegistry({ auth: 'none' });
    single = await pushBusyboxImage(registry, 'base/single', '1');
    multi = await pushMultiArchBusyboxImage(registry, 'base/multi', '1');
  }, 120_000);
  afterAll(async () => {
    await registry?.stop();
  });
  const options = (platforms: string[] = []) => ({ platforms, logger: silentLogger });

  it('describes a single-platform base by its manifest and config, layers by digest only', async () => {
    const base = await resolveBaseImage(`${registry.host}/base/single:1`, options());
    expect(base.digest).toBe(single.digest);
    expect(base.isIndex).toBe(false);
    expect(base.repository).toBe(`${registry.host}/base/single`);
    expect(base.images).toHaveLength(1);
    expect(base.images[0]!.platform.architecture).toBe(hostArchitecture());
    expect(base.images[0]!.layers.map((l) => l.digest)).toEqual([single.layout.layer.digest]);
  });

  it('chooses the asked platforms of an index, and names one it lacks', async () => {
    const all = await resolveBaseImage(`${registry.host}/base/multi:1`, options());
    expect(all.isIndex).toBe(true);
    expect(all.digest).toBe(multi.digest);
    const platforms = all.images.map((i) => platformString(i.platform));
    expect(platforms.length).toBeGreaterThan(1);
    const one = await resolveBaseImage(`${registry.host}/base/multi:1`, options([platforms[1]!]));
    expect(one.images.map((i) => platformString(i.platform))).toEqual([platforms[1]]);
    await expect(
      resolveBaseImage(`${registry.host}/base/multi:1`, options(['linux/s390x'])),
    ).rejects.toMatchObject({ input: 'platforms' });
  });

  it('refuses a platform a single-platform base is not, and a tag the registry lacks', async () => {
    const other = hostArchitecture() === 'arm64' ? 'linux/amd64' : 'linux/arm64';
    await expect(
      resolveBaseImage(`${registry.host}/base/single:1`, options([other])),
    ).rejects.toThrow(/is a single/);
    await expect(
      resolveBaseImage(`${registry.host}/base/single:nope`, options()),
    ).rejects.toMatchObject({ input: 'base-image' });
  });
});
