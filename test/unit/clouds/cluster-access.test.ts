import { describe, expect, it } from 'vitest';
import { parseClusterSpec, describeClusterSpec } from '../../../shared/clouds/cluster-access.ts';
import { InputError } from '../../../shared/common/errors.ts';

describe('cluster input', () => {
  it('reads each kind of spec', () => {
    expect(parseClusterSpec('eks:us-east-1/prod')).toEqual({
      kind: 'eks',
      region: 'us-east-1',
      name: 'prod',
    });
    expect(parseClusterSpec('aks:0b1f6471-1bf0-4dda-aec3-111122223333/rg-models/prod-aks')).toEqual(
      {
        kind: 'aks',
        subscription: '0b1f6471-1bf0-4dda-aec3-111122223333',
        resourceGroup: 'rg-models',
        name: 'prod-aks',
      },
    );
    expect(parseClusterSpec('gke:my-project-1/europe-west4/serving')).toEqual({
      kind: 'gke',
      project: 'my-project-1',
      location: 'europe-west4',
      name: 'serving',
    });
    expect(parseClusterSpec('gke:my-project-1/europe-west4-a/serving')).toMatchObject({
      location: 'europe-west4-a',
    });
    expect(parseClusterSpec('kubeconfig:./ci/kubeconfig')).toEqual({
      kind: 'kubeconfig',
      path: './ci/kubeconfig',
    });
    expect(parseClusterSpec('')).toEqual({ kind: 'default' });
    expect(parseClusterSpec(undefined)).toEqual({ kind: 'default' });
    expect(describeClusterSpec(parseClusterSpec('EKS:eu-west-1/a'))).toBe('eks:eu-west-1/a');
  });

  it.each([
    ['prod', /must start with eks:, aks:, gke: or kubeconfig:/],
    ['ecs:us-east-1/prod', /unknown kind 'ecs'/],
    ['eks:prod', /must be eks:<region>\/<cluster name>/],
    ['eks:useast1/prod', /'useast1', which is not an AWS region/],
    ['eks:us-east-1/prod/extra', /must be eks:<region>\/<cluster name>/],
    ['aks:not-a-guid/rg/name', /not a subscription id/],
    ['aks:0b1f6471-1bf0-4dda-aec3-111122223333/rg', /must be aks:<subscription id>/],
    ['gke:P/europe-west4/c', /not a Google Cloud project id/],
    ['gke:my-project-1/mars/c', /'mars', which is not a region or zone/],
    ['gke:my-project-1/europe-west4/Bad_Name', /not a GKE cluster name/],
    ['kubeconfig:', /must name a file/],
  ])('refuses %s with a message naming the input', (spec, message) => {
    let error: unknown;
    try {
      parseClusterSpec(spec);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/^input 'cluster' /);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain('for example: eks:us-east-1/prod');
  });
});
