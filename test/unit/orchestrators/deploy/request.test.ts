import { describe, expect, it } from 'vitest';
import {
  checkDeployRequest,
  parseChartValues,
  parseProfileName,
} from '../../../../shared/orchestrators/deploy/request.ts';
import { deployRequest } from '../../../support/deploy-request.ts';

describe('the deploy request', () => {
  it('passes a valid request through unchanged', () => {
    const request = deployRequest({ expose: 'gateway', host: 'iris.example.com' });
    expect(checkDeployRequest(request)).toBe(request);
    expect(() =>
      checkDeployRequest(
        deployRequest({ expose: 'gateway', host: 'a.example.com', grpcHost: 'g.example.com' }),
      ),
    ).not.toThrow();
  });

  it.each([
    [{ name: 'ResNet_50' }, /input 'name' 'ResNet_50' is not a valid name/],
    [{ namespace: 'My NS' }, /input 'namespace' 'My NS' is not a valid name/],
    [{ rollbackTo: 'last' }, /input 'rollback-to' must be previous, a revision number/],
    [{ replicas: 0 }, /input 'replicas' is 0: a release with no replicas serves nothing/],
    [{ values: { a: 1 } }, /input 'values' was given without a chart/],
    [{ valuesFiles: ['v.yaml'] }, /input 'values' was given without a chart/],
    [{ healthPath: 'healthz' }, /input 'health-path' must start with '\/'/],
    [{ startTimeoutMs: 4000 }, /input 'start-timeout' is 4.0s; the startup probe looks every 5s/],
    [{ runAsUser: 0 }, /input 'run-as-user' is 0 \(root\)/],
    [{ host: 'https://iris.example.com' }, /input 'host' must be a host name/],
    [{ expose: 'gateway' as const }, /input 'host' is required with expose: gateway/],
    [{ expose: 'ambassador' as const }, /input 'host' is required with expose: ambassador/],
    [{ gateway: 'Infra/Public!' }, /input 'gateway' must be namespace\/name or name/],
    [{ grpcHost: 'g.example.com' }, /input 'grpc-host' is for expose: gateway/],
    [
      { expose: 'gateway' as const, host: 'a.example.com', grpcHost: 'a.example.com' },
      /input 'grpc-host' is the same as host/,
    ],
    [{ grpcHost: 'g.example.com:443' }, /input 'grpc-host' must be a host name/],
  ])('refuses %j', (extra, message) => {
    expect(() => checkDeployRequest(deployRequest(extra))).toThrow(message);
  });

  it('lets a restore run with no replicas and no image', () => {
    expect(() =>
      checkDeployRequest(deployRequest({ replicas: 0, rollbackTo: 'previous', image: '' })),
    ).not.toThrow();
  });

  it('names how to take a model out of service when replicas is 0', () => {
    expect(() => checkDeployRequest(deployRequest({ replicas: 0 }))).toThrow(
      expect.objectContaining({
        hint: expect.stringContaining('kubectl scale deployment/iris -n models --replicas=0'),
      }),
    );
  });

  it('reads the cloud profile in any case and refuses an unknown one', () => {
    expect(parseProfileName(undefined)).toBeUndefined();
    expect(parseProfileName('AWS')).toBe('aws');
    expect(parseProfileName('none')).toBe('none');
    expect(() => parseProfileName('oracle')).toThrow(
      /input 'cloud-profile' 'oracle' is not a known cloud profile \(known: aws, azure, gcp, none\)/,
    );
  });

  it('takes chart values as a mapping only', () => {
    expect(parseChartValues(undefined)).toBeUndefined();
    expect(parseChartValues(null)).toBeUndefined();
    expect(parseChartValues({ replicaCount: 2 })).toEqual({ replicaCount: 2 });
    expect(() => parseChartValues([1])).toThrow(/input 'values' must be a YAML mapping/);
    expect(() => parseChartValues('x')).toThrow(/input 'values' must be a YAML mapping/);
  });
});
