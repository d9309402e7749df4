import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { cloudOfServer } from '../../../shared/clouds/generic/cluster.ts';
import { classifyKubeError, kubeFailure } from '../../../shared/kube/client.ts';
import { HttpStatusError } from '../../../shared/common/retry.ts';

const apiError = (code: number, headers: Record<string, string> = {}) =>
  new ApiException(
    code,
    `HTTP ${code}`,
    JSON.stringify({ kind: 'Status', message: `status ${code} from the API` }),
    headers,
  );

describe('Kubernetes call failures', () => {
  it('retries what passes and nothing the user must fix', () => {
    expect(classifyKubeError(apiError(503))).toEqual({ retry: true });
    expect(classifyKubeError(apiError(429, { 'retry-after': '2' }))).toEqual({
      retry: true,
      afterMs: 2000,
    });
    for (const code of [400, 401, 403, 404, 409, 422])
      expect(classifyKubeError(apiError(code))).toEqual({ retry: false });
    expect(classifyKubeError(new SyntaxError('Unexpected end of JSON input'))).toEqual({
      retry: true,
    });
    expect(
      classifyKubeError(
        Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } }),
      ),
    ).toEqual({ retry: true });
    expect(classifyKubeError(new HttpStatusError(502, 'u', 'bad gateway'))).toEqual({
      retry: true,
    });
    expect(classifyKubeError(new Error('something else'))).toEqual({ retry: false });
  });

  it('turns refusals into messages that say what to do', () => {
    expect(kubeFailure('applying Deployment/m', apiError(401), 'eks:us-east-1/prod').message).toBe(
      'applying Deployment/m: the cluster eks:us-east-1/prod rejected the credentials (401)',
    );
    const forbidden = kubeFailure('applying Deployment/m', apiError(403), 'c');
    expect(forbidden.message).toBe(
      "applying Deployment/m: forbidden by the cluster's RBAC: status 403 from the API",
    );
    expect((forbidden as { hint?: string }).hint).toMatch(/edit rights/);
    expect(kubeFailure('applying Service/m', apiError(422), 'c').message).toBe(
      'applying Service/m: the cluster refused it: status 422 from the API',
    );
    expect(
      kubeFailure(
        'x',
        Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }),
        'c',
      ).message,
    ).toBe(
      'x: cannot reach the cluster API server at c: the connection was refused: nothing listens on that port (ECONNREFUSED)',
    );
  });

  it('guesses the cloud of a kubeconfig from its API server address', () => {
    expect(cloudOfServer('https://ABC.gr7.us-east-1.eks.amazonaws.com')).toBe('aws');
    expect(cloudOfServer('https://prod-dns-1a2b.hcp.westeurope.azmk8s.io:443')).toBe('azure');
    expect(cloudOfServer('https://gke-1234.europe-west4.gke.goog')).toBe('gcp');
    expect(cloudOfServer('https://127.0.0.1:6443')).toBe('generic');
  });
});
