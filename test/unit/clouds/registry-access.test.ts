import { describe, expect, it } from 'vitest';
import {
  cloudOfHost,
  destinationTags,
  parseDestination,
  takesLogin,
} from '../../../shared/clouds/registry-access.ts';
import { InputError } from '../../../shared/common/errors.ts';

describe('destinations', () => {
  it('recognises the cloud from the host', () => {
    expect(cloudOfHost('123456789012.dkr.ecr.us-east-1.amazonaws.com')).toBe('aws');
    expect(cloudOfHost('123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com')).toBe('aws');
    expect(cloudOfHost('myreg.azurecr.io')).toBe('azure');
    expect(cloudOfHost('us-central1-docker.pkg.dev')).toBe('gcp');
    expect(cloudOfHost('ghcr.io')).toBe('generic');
    expect(cloudOfHost('127.0.0.1:5000')).toBe('generic');
    expect(cloudOfHost('evil.azurecr.io.example.com')).toBe('generic');
  });

  it('lets a prefix choose the cloud for a custom endpoint', () => {
    const d = parseDestination('azure:127.0.0.1:5000/models/resnet50:v3');
    expect(d).toMatchObject({
      cloud: 'azure',
      host: '127.0.0.1:5000',
      name: '127.0.0.1:5000/models/resnet50',
      text: '127.0.0.1:5000/models/resnet50:v3',
    });
    expect(d.reference.tag).toBe('v3');
    // A registry host that happens to be called `aws` keeps its port.
    expect(parseDestination('aws:5000/models/x')).toMatchObject({
      cloud: 'generic',
      host: 'aws:5000',
    });
  });

  it('refuses a digest, naming the input', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(() => parseDestination(`127.0.0.1:5000/m@${digest}`)).toThrow(InputError);
    expect(() => parseDestination(`127.0.0.1:5000/m@${digest}`)).toThrow(/destinations/);
  });

  it('tags a destination written with a tag as written, and says what it does not get', () => {
    const plain = parseDestination('ghcr.io/org/m');
    const own = parseDestination('ghcr.io/org/m:latest');
    expect(destinationTags(plain, [], '1.2.0')).toEqual({
      tags: ['1.2.0'],
      source: 'package version',
      notApplied: [],
    });
    expect(destinationTags(plain, ['v3', 'latest'], '1.2.0')).toEqual({
      tags: ['v3', 'latest'],
      source: 'tags',
      notApplied: [],
    });
    expect(destinationTags(own, [], '1.2.0')).toEqual({
      tags: ['latest'],
      source: 'destination',
      notApplied: ['1.2.0'],
      notAppliedSource: 'package version',
    });
    expect(destinationTags(own, ['v3', 'latest'], '1.2.0')).toEqual({
      tags: ['latest'],
      source: 'destination',
      notApplied: ['v3'],
      notAppliedSource: 'tags',
    });
    expect(destinationTags(own, [], undefined)).toEqual({
      tags: ['latest'],
      source: 'destination',
      notApplied: [],
    });
  });
});

describe('the login inputs', () => {
  it('go only to a registry no cloud owns', () => {
    expect(takesLogin(parseDestination('127.0.0.1:5000/models/m'))).toBe(true);
    expect(takesLogin(parseDestination('ghcr.io/org/m'))).toBe(true);
    expect(takesLogin(parseDestination('myreg.azurecr.io/models/m'))).toBe(false);
    expect(takesLogin(parseDestination('aws:127.0.0.1:5000/models/m'))).toBe(false);
  });
});
