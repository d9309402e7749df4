import { describe, expect, it } from 'vitest';
import {
  MANIFEST_ACCEPT,
  MediaType,
  isIndexMediaType,
  isManifestMediaType,
  toOciLayerMediaType,
} from '../../../shared/oci/media-types.ts';

describe('media types', () => {
  it('tells indexes from manifests in both OCI and Docker formats', () => {
    expect(isIndexMediaType(MediaType.ociIndex)).toBe(true);
    expect(isIndexMediaType(MediaType.dockerManifestList)).toBe(true);
    expect(isIndexMediaType(MediaType.ociManifest)).toBe(false);
    expect(isIndexMediaType(undefined)).toBe(false);
    expect(isManifestMediaType(MediaType.ociManifest)).toBe(true);
    expect(isManifestMediaType(MediaType.dockerManifest)).toBe(true);
    expect(isManifestMediaType(MediaType.ociIndex)).toBe(false);
  });

  it('asks registries for every manifest format', () => {
    for (const type of [
      MediaType.ociIndex,
      MediaType.ociManifest,
      MediaType.dockerManifestList,
      MediaType.dockerManifest,
    ]) {
      expect(MANIFEST_ACCEPT.split(', ')).toContain(type);
    }
  });

  it('gives Docker layers their OCI type and leaves the rest', () => {
    expect(toOciLayerMediaType(MediaType.dockerLayerGzip)).toBe(MediaType.ociLayerGzip);
    expect(toOciLayerMediaType(MediaType.dockerForeignLayerGzip)).toBe(
      'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
    );
    expect(toOciLayerMediaType(MediaType.ociLayerGzip)).toBe(MediaType.ociLayerGzip);
  });
});
