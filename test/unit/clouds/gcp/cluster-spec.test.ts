import { describe, expect, it } from 'vitest';
import { describeGkeSpec, parseGkeSpec } from '../../../../shared/clouds/gcp/cluster-spec.ts';

const fail = (problem: string): never => {
  throw new Error(problem);
};

describe('gke: cluster specs', () => {
  it('parse project, region or zone and name, and describe them back', () => {
    const spec = parseGkeSpec('my-project-1/europe-west4/serving', fail);
    expect(spec).toEqual({
      kind: 'gke',
      project: 'my-project-1',
      location: 'europe-west4',
      name: 'serving',
    });
    expect(describeGkeSpec(spec)).toBe('gke:my-project-1/europe-west4/serving');
    expect(parseGkeSpec('my-project-1/europe-west4-b/serving', fail).location).toBe(
      'europe-west4-b',
    );
  });

  it.each([
    ['my-project-1/serving', /must be gke:<project>\/<region or zone>\/<cluster name>/],
    ['P/europe-west4/c', /not a Google Cloud project id/],
    ['my-project-1/mars/c', /'mars', which is not a region or zone/],
    ['my-project-1/europe-west4/Bad_Name', /not a GKE cluster name/],
  ])('refuse %s', (rest, message) => {
    expect(() => parseGkeSpec(rest, fail)).toThrow(message);
  });
});
