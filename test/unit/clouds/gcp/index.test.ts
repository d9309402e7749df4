import { describe, expect, it } from 'vitest';
import { gcp } from '../../../../shared/clouds/gcp/index.ts';

const fail = (problem: string): never => {
  throw new Error(problem);
};

describe('the GCP cloud', () => {
  it('owns Artifact Registry and Container Registry hosts', () => {
    expect(gcp.registry.ownsHost?.('us-central1-docker.pkg.dev')).toBe(true);
    expect(gcp.registry.ownsHost?.('gcr.io')).toBe(true);
    expect(gcp.registry.ownsHost?.('docker.pkg.dev.example.com')).toBe(false);
  });

  it('uploads monolithically, as Artifact Registry wants', () => {
    expect(gcp.registry.uploadPolicy.monolithicMaxBytes).toBe(Infinity);
  });

  it('parses and describes gke: clusters, and recognises GKE API servers', () => {
    const gke = gcp.clusters?.find((kind) => kind.kind === 'gke');
    const spec = gke!.parse('my-project-1/europe-west4-a/serving', fail);
    expect(spec).toEqual({
      kind: 'gke',
      project: 'my-project-1',
      location: 'europe-west4-a',
      name: 'serving',
    });
    expect(gke!.describe(spec)).toBe('gke:my-project-1/europe-west4-a/serving');
    expect(() => gke!.parse('my-project-1/mars/serving', fail)).toThrow(/not a region or zone/);
    expect(gcp.ownsServer?.(new URL('https://gke-1.europe-west4.gke.goog'))).toBe(true);
    expect(gcp.ownsServer?.(new URL('https://127.0.0.1'))).toBe(false);
  });

  it('reads gs:// stores', () => {
    expect(gcp.objectStore?.schemes).toEqual(['gs']);
  });
});
