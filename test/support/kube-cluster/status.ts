/**
 * Errors the test double answers with, shaped like the Kubernetes API server's
 * `Status` objects (kind Status, apiVersion v1, status Failure, reason, code,
 * details) so clients print the same messages they would against a real cluster.
 */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
  type?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export class ApiError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly details: StatusDetails | undefined;

  constructor(code: number, reason: string, message: string, details?: StatusDetails) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  toStatus(): Record<string, unknown> {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** `deployments.apps` or `pods` (the core group has no suffix), as real messages print it. */
export function qualifiedResource(resource: string, group: string): string {
  return group === '' ? resource : `${resource}.${group}`;
}

export function notFound(resource: string, group: string, name: string): ApiError {
  return new ApiError(
    404,
    'NotFound',
    `${qualifiedResource(resource, group)} "${name}" not found`,
    {
      name,
      ...(group ? { group } : {}),
      kind: resource,
    },
  );
}

export function alreadyExists(resource: string, group: string, name: string): ApiError {
  return new ApiError(
    409,
    'AlreadyExists',
    `${qualifiedResource(resource, group)} "${name}" already exists`,
    { name, ...(group ? { group } : {}), kind: resource },
  );
}

export function conflict(resource: string, group: string, name: string, why: string): ApiError {
  return new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(resource, group)} "${name}": ${why}`,
    { name, ...(group ? { group } : {}), kind: resource },
  );
}

export function staleResourceVersion(resource: string, group: string, name: string): ApiError {
  return conflict(
    resource,
    group,
    name,
    'the object has been modified; please apply your changes to the latest version and try again',
  );
}

export interface FieldProblem {
  field: string;
  /** e.g. `Required value`, `Invalid value: "x": must be ...` */
  detail: string;
  reason:
    'FieldValueRequired' | 'FieldValueInvalid' | 'FieldValueNotSupported' | 'FieldValueForbidden';
}

export function invalid(
  kind: string,
  group: string,
  name: string,
  problems: FieldProblem[],
): ApiError {
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  const listed = problems.map((p) => `${p.field}: ${p.detail}`);
  const message =
    `${qualifiedKind} "${name}" is invalid: ` +
    (listed.length === 1 ? listed[0] : `[${listed.join(', ')}]`);
  return new ApiError(422, 'Invalid', message, {
    name,
    ...(group ? { group } : {}),
    kind,
    causes: problems.map((p) => ({ reason: p.reason, message: p.detail, field: p.field })),
  });
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

export function unauthorized(): ApiError {
  return new ApiError(401, 'Unauthorized', 'Unauthorized');
}

export function methodNotAllowed(): ApiError {
  return new ApiError(
    405,
    'MethodNotAllowed',
    'the server does not allow this method on the requested resource',
  );
}

export function unsupportedMediaType(contentType: string): ApiError {
  return new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got ${contentType})`,
  );
}

export function gone(message: string): ApiError {
  return new ApiError(410, 'Expired', message);
}

export function successStatus(details: StatusDetails): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
}
