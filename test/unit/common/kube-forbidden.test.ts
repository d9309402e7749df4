import { describe, expect, it } from 'vitest';
import {
  apiServerDenial,
  describeDenied,
  parseDenied,
  ProxyAccessDenied,
} from '../../../shared/common/kube-forbidden.ts';

const MESSAGE =
  'services "iris" is forbidden: User "system:serviceaccount:ci:deployer" cannot get resource "services/proxy" in API group "" in the namespace "models": RBAC: access denied';

describe('Kubernetes denials', () => {
  it('reads who may not do what, where, and why', () => {
    const denied = parseDenied(MESSAGE)!;
    expect(denied).toEqual({
      user: 'system:serviceaccount:ci:deployer',
      verb: 'get',
      resource: 'services/proxy',
      group: '',
      namespace: 'models',
      reason: 'RBAC: access denied',
    });
    expect(describeDenied(denied)).toBe(
      'system:serviceaccount:ci:deployer may not get services/proxy in the core API group in namespace models (RBAC: access denied)',
    );
    expect(parseDenied('exceeded quota: compute-resources')).toBeUndefined();
  });

  it("tells the API server's own 403 from a model server's", () => {
    const status = JSON.stringify({ kind: 'Status', reason: 'Forbidden', message: MESSAGE });
    expect(apiServerDenial(status)?.resource).toBe('services/proxy');
    expect(apiServerDenial('{"error": "forbidden"}')).toBeUndefined();
    expect(apiServerDenial('<html>403</html>')).toBeUndefined();
  });

  it('words a denied service proxy with the grant that would allow it', () => {
    const err = new ProxyAccessDenied('GET /v2/health/ready', parseDenied(MESSAGE)!);
    expect(err.message).toMatch(/^GET \/v2\/health\/ready: forbidden by the cluster: /);
    expect(err.hint).toContain('services/proxy');
  });
});
