import { describe, expect, it } from 'vitest';
import { cloudOfServer } from '../../../shared/clouds/generic/cluster.ts';
import { classifyKubeError, kubeFailure } from '../../../shared/kube/client.ts';
import { KubeApiError } from '../../../shared/kube/http.ts';
import { HttpStatusError } from '../../../shared/common/retry.ts';
import type { UserError } from '../../../shared/common/errors.ts';
import { apiServerDenial, parseDenied } from '../../../shared/common/kube-forbidden.ts';

const statusError = (code: number, message: string, details: Record<string, string> = {}) =>
  new KubeApiError(
    code,
    'GET',
    '/api/v1/x',
    JSON.stringify({
      kind: 'Status',
      status: 'Failure',
      message,
      reason: 'Forbidden',
      details,
      code,
    }),
    {},
  );

const apiError = (code: number, headers: Record<string, string> = {}) =>
  new KubeApiError(
    code,
    'GET',
    '/api/v1/x',
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
    // A 403 that is no authorizer's denial (here: a quota) is not called a missing permission.
    const quota = kubeFailure(
      'applying Service/m',
      statusError(
        403,
        'services "m" is forbidden: exceeded quota: q, requested: services.loadbalancers=1',
      ),
      'c',
    );
    expect(quota.message).toBe(
      'applying Service/m: the cluster c refused it (403): services "m" is forbidden: exceeded quota: q, requested: services.loadbalancers=1',
    );
    expect((quota as UserError).hint).toMatch(/^the message says who refused: an admission policy/);
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

  it('names the verb, the resource with its API group and the namespace of a denial, and what to grant', () => {
    const denied = kubeFailure(
      'applying Deployment/iris',
      statusError(
        403,
        'deployments.apps "iris" is forbidden: User "system:serviceaccount:models:deployer" cannot patch resource "deployments" in API group "apps" in the namespace "models"',
        { name: 'iris', group: 'apps', kind: 'deployments' },
      ),
      'c',
    ) as UserError;
    expect(denied.message).toBe(
      'applying Deployment/iris: forbidden by the cluster: system:serviceaccount:models:deployer may not patch deployments in API group "apps" in namespace models',
    );
    expect(denied.hint).toBe(
      'grant verb patch on deployments in API group "apps": add the rule {apiGroups: ["apps"], resources: ["deployments"], verbs: ["patch"]} to a Role (or ClusterRole) bound to system:serviceaccount:models:deployer or its group by a RoleBinding in namespace models (check with: kubectl auth can-i patch deployments.apps -n models --as system:serviceaccount:models:deployer); ' +
        "docs/rbac/deployer-role.yaml in model-deploy (README: 'Kubernetes permissions') lists every permission deploy and smoke-test need",
    );
  });

  it.each([
    [
      'core group',
      'pods is forbidden: User "u" cannot list resource "pods" in API group "" in the namespace "ns"',
      'u may not list pods in the core API group in namespace ns',
      'kubectl auth can-i list pods -n ns --as u',
    ],
    [
      'subresource',
      'services "iris" is forbidden: User "u" cannot create resource "services/proxy" in API group "" in the namespace "ns"',
      'u may not create services/proxy in the core API group in namespace ns',
      'kubectl auth can-i create services --subresource=proxy -n ns --as u',
    ],
    [
      'cluster scope',
      'namespaces is forbidden: User "arn:aws:sts::123456789012:assumed-role/release/s" cannot create resource "namespaces" in API group "" at the cluster scope',
      'arn:aws:sts::123456789012:assumed-role/release/s may not create namespaces in the core API group at the cluster scope',
      'kubectl auth can-i create namespaces --as arn:aws:sts::123456789012:assumed-role/release/s',
    ],
    [
      "a webhook authorizer's reason",
      'deployments.apps "m" is forbidden: User "alice@example.com" cannot delete resource "deployments" in API group "apps" in the namespace "ns": User does not have access to the resource in Azure. Update role assignment to allow access.',
      'alice@example.com may not delete deployments in API group "apps" in namespace ns (User does not have access to the resource in Azure. Update role assignment to allow access.)',
      'kubectl auth can-i delete deployments.apps -n ns --as alice@example.com',
    ],
  ])('reads a denial: %s', (_, message, described, check) => {
    const failure = kubeFailure('x', statusError(403, message), 'c') as UserError;
    expect(failure.message).toBe(`x: forbidden by the cluster: ${described}`);
    expect(failure.hint).toContain(`(check with: ${check})`);
    if (/at the cluster scope/.test(message))
      expect(failure.hint).toContain('a ClusterRole bound to');
  });

  it("tells the API server's own refusal through the service proxy from a model server's 403", () => {
    const body = JSON.stringify({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      message:
        'services "iris" is forbidden: User "u" cannot get resource "services/proxy" in API group "" in the namespace "ns"',
      reason: 'Forbidden',
      details: { name: 'iris', kind: 'services' },
      code: 403,
    });
    expect(apiServerDenial(body)).toEqual({
      user: 'u',
      verb: 'get',
      resource: 'services/proxy',
      group: '',
      namespace: 'ns',
    });
    expect(apiServerDenial('{"error":"forbidden"}')).toBeUndefined();
    expect(apiServerDenial('forbidden')).toBeUndefined();
    expect(
      parseDenied('User "a\\"b" cannot get resource "pods" in API group "" in the namespace "n"')
        ?.user,
    ).toBe('a"b');
  });
});
