import { describe, expect, it } from 'vitest';
import { eksToken, TOKEN_PREFIX } from '../../../../shared/clouds/aws/cluster.ts';

describe('EKS token', () => {
  it('is k8s-aws-v1. + base64url (no padding) of a presigned STS GetCallerIdentity URL signed with x-k8s-aws-id', async () => {
    const token = await eksToken({
      region: 'eu-west-1',
      clusterName: 'prod-models',
      credentials: {
        accessKeyId: 'AKIDEXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
        sessionToken: 'session',
      },
      now: new Date('2026-11-28T12:00:00Z'),
    });
    expect(token.startsWith(TOKEN_PREFIX)).toBe(true);
    const encoded = token.slice(TOKEN_PREFIX.length);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    const url = new URL(Buffer.from(encoded, 'base64url').toString('utf8'));
    expect(url.origin).toBe('https://sts.eu-west-1.amazonaws.com');
    expect(url.searchParams.get('Action')).toBe('GetCallerIdentity');
    expect(url.searchParams.get('Version')).toBe('2011-06-15');
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
    expect(url.searchParams.get('X-Amz-Date')).toBe('20261128T120000Z');
    expect(url.searchParams.get('X-Amz-Credential')).toBe(
      'AKIDEXAMPLE/20261128/eu-west-1/sts/aws4_request',
    );
    expect(url.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toEqual([
      'host',
      'x-k8s-aws-id',
    ]);
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe('session');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    // The cluster name is signed, so a token for one cluster is useless on another.
    const other = await eksToken({
      region: 'eu-west-1',
      clusterName: 'other',
      credentials: {
        accessKeyId: 'AKIDEXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
        sessionToken: 'session',
      },
      now: new Date('2026-11-28T12:00:00Z'),
    });
    const otherUrl = new URL(
      Buffer.from(other.slice(TOKEN_PREFIX.length), 'base64url').toString('utf8'),
    );
    expect(otherUrl.searchParams.get('X-Amz-Signature')).not.toBe(
      url.searchParams.get('X-Amz-Signature'),
    );
  });
});
