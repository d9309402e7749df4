import { UserError } from './errors.ts';

/**
 * A Kubernetes API server's 403, read: which identity may not do what to
 * which resource, and where. The authorizer (RBAC, or the clouds' webhooks,
 * which answer in the same words) writes it into the Status message as
 * `User "u" cannot <verb> resource "<resource>[/<subresource>]" in API group
 * "<group>" in the namespace "<ns>"` (or `at the cluster scope`), with its
 * own reason after a colon. deploy's calls and smoke-test's service proxy
 * both turn it into one message that says what to grant.
 */

export interface DeniedAccess {
  user: string;
  verb: string;
  /** The resource as RBAC names it, with its subresource: `deployments`, `services/proxy`. */
  resource: string;
  /** The API group; `` is the core group. */
  group: string;
  /** Undefined at the cluster scope. */
  namespace?: string;
  /** What the authorizer added (a webhook's words), if anything. */
  reason?: string;
}

/** Where the permissions deploy and smoke-test need are written, for the hint. */
export const PERMISSIONS_DOC =
  "docs/rbac/deployer-role.yaml in model-deploy (README: 'Kubernetes permissions') lists every permission deploy and smoke-test need";

const DENIED =
  /User "((?:[^"\\]|\\.)*)" cannot (\S+) resource "([^"]+)" in API group "([^"]*)" (?:in the namespace "([^"]+)"|at the cluster scope)(?::\s*(.*))?$/s;

/** The denial in an API server's Status message, when it is one (not, say, a quota's 403). */
export function parseDenied(message: string): DeniedAccess | undefined {
  const match = DENIED.exec(message);
  if (!match) return undefined;
  const [, user = '', verb = '', resource = '', group = '', namespace, reason] = match;
  return {
    user: user.replace(/\\(.)/g, '$1'),
    verb,
    resource,
    group,
    ...(namespace ? { namespace } : {}),
    ...(reason?.trim() ? { reason: reason.trim() } : {}),
  };
}

/** `deployments in API group "apps"`, `pods in the core API group`. */
export function resourceInGroup(d: Pick<DeniedAccess, 'resource' | 'group'>): string {
  return d.group === ''
    ? `${d.resource} in the core API group`
    : `${d.resource} in API group "${d.group}"`;
}

/** One line: who may not do what, where (and the authorizer's own reason). */
export function describeDenied(d: DeniedAccess): string {
  const where = d.namespace ? `in namespace ${d.namespace}` : 'at the cluster scope';
  return (
    `${d.user} may not ${d.verb} ${resourceInGroup(d)} ${where}` +
    (d.reason ? ` (${d.reason})` : '')
  );
}

/** What to grant, as the RBAC rule to add, and how an admin checks it. */
export function grantHint(d: DeniedAccess): string {
  const [resource, subresource] = d.resource.split('/', 2) as [string, string | undefined];
  const rule = `{apiGroups: ["${d.group}"], resources: ["${d.resource}"], verbs: ["${d.verb}"]}`;
  const binding = d.namespace
    ? `a Role (or ClusterRole) bound to ${d.user} or its group by a RoleBinding in namespace ${d.namespace}`
    : `a ClusterRole bound to ${d.user} or its group by a ClusterRoleBinding`;
  const target = `${resource}${d.group ? `.${d.group}` : ''}`;
  const check =
    `kubectl auth can-i ${d.verb} ${target}` +
    (subresource ? ` --subresource=${subresource}` : '') +
    (d.namespace ? ` -n ${d.namespace}` : '') +
    ` --as ${d.user}`;
  return `grant verb ${d.verb} on ${resourceInGroup(d)}: add the rule ${rule} to ${binding} (check with: ${check}); ${PERMISSIONS_DOC}`;
}

/**
 * The API server itself refused a request it would have proxied (the
 * service proxy needs its own permission): not the model server's answer.
 */
export class ProxyAccessDenied extends UserError {
  readonly denied: DeniedAccess;

  constructor(what: string, denied: DeniedAccess) {
    super(`${what}: forbidden by the cluster: ${describeDenied(denied)}`, {
      hint: grantHint(denied),
    });
    this.name = 'ProxyAccessDenied';
    this.denied = denied;
  }
}

/**
 * The denial in a 403 body when the API server wrote it (a `Status` whose
 * reason is `Forbidden` and whose message is an authorizer's), else
 * undefined: a model server behind the proxy answering 403 is its own answer.
 */
export function apiServerDenial(body: string): DeniedAccess | undefined {
  let status: { kind?: unknown; reason?: unknown; message?: unknown };
  try {
    status = JSON.parse(body) as typeof status;
  } catch {
    return undefined;
  }
  if (status?.kind !== 'Status' || status.reason !== 'Forbidden') return undefined;
  return typeof status.message === 'string' ? parseDenied(status.message) : undefined;
}
