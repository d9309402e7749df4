import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import type { Logger } from '../common/logger.ts';
import type { Failure } from './failures.ts';
import type { HttpResult } from './http-client.ts';

/**
 * Checks each response against the OpenAPI document the package action
 * wrote for the runtime: the path template is matched, then the operation's
 * response for that status (exact, `2XX`-style range, or `default`), then its
 * JSON schema. OpenAPI 3.1 schemas are JSON Schema 2020-12 (its dialect),
 * 3.0 schemas a draft-04 subset with `nullable`; both go through ajv with
 * `$ref`s resolved inside the same document.
 */
interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: unknown }>; $ref?: string }>;
}

interface PathTemplate {
  template: string;
  pattern: RegExp;
  operations: Record<string, Operation>;
}

const DOCUMENT_ID = 'urn:model-deploy:openapi';
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function escapePointer(segment: string): string {
  return encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1'));
}

function templatePattern(template: string): RegExp {
  const parts = template.split(/\{[^}]+\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  // A parameter may hold a colon (TF Serving's `{name}:predict` splits there) but never a slash.
  return new RegExp(`^${parts.join('[^/]+')}$`);
}

export class OpenApiValidator {
  private readonly ajv: Ajv;
  private readonly paths: PathTemplate[];
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly document: unknown;

  constructor(document: unknown) {
    if (document === null || typeof document !== 'object' || !('paths' in document)) {
      throw new Error('it is not an OpenAPI document (no `paths`)');
    }
    this.document = document;
    const doc = document as { openapi?: unknown; paths: Record<string, Record<string, unknown>> };
    const version = typeof doc.openapi === 'string' ? doc.openapi : '';
    if (!/^3\.[01]\./.test(version)) {
      throw new Error(
        `only OpenAPI 3.0 and 3.1 are supported, this document says '${version || 'nothing'}'`,
      );
    }
    const options = { allErrors: true, strict: false, validateFormats: true } as const;
    this.ajv = version.startsWith('3.1') ? new Ajv2020(options) : new Ajv(options);
    addFormats.default(this.ajv);
    // Drop a `$schema`/`$id` the document may carry at the top: it is not a schema itself.
    const { $schema: _s, $id: _i, ...rest } = doc as Record<string, unknown>;
    this.ajv.addSchema({ ...rest, $id: DOCUMENT_ID } as object);
    this.paths = Object.entries(doc.paths)
      .map(([template, item]) => ({
        template,
        pattern: templatePattern(template),
        operations: Object.fromEntries(
          Object.entries(item ?? {}).filter(([m]) => METHODS.includes(m)),
        ) as Record<string, Operation>,
      }))
      // Literal paths win over templated ones, as the specification requires.
      .sort(
        (a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0),
      );
  }

  /** Whether the document describes this path at all (an undocumented path cannot be checked). */
  documents(path: string): boolean {
    const bare = path.split('?')[0] as string;
    return this.paths.some((p) => p.pattern.test(bare));
  }

  /** Problems with one response; empty when it conforms or its path is undocumented. */
  validate(
    method: string,
    path: string,
    status: number,
    contentType: string,
    body: string,
  ): string[] {
    const bare = path.split('?')[0] as string;
    const match = this.paths.find((p) => p.pattern.test(bare));
    const what = `${method} ${bare} → ${status}`;
    if (match === undefined) return [];
    const operation = match.operations[method.toLowerCase()];
    if (operation === undefined)
      return [`${what}: ${match.template} has no ${method} operation in the OpenAPI document`];
    const responses = operation.responses ?? {};
    const key = [
      String(status),
      `${String(status)[0]}XX`,
      `${String(status)[0]}xx`,
      'default',
    ].find((k) => k in responses);
    if (key === undefined) {
      return [
        `${what}: status ${status} is not a documented response of ${method} ${match.template}`,
      ];
    }
    let segments = ['paths', match.template, method.toLowerCase(), 'responses', key];
    let response = responses[key] ?? {};
    // A shared response under components: follow it, so its schema is checked too.
    if (typeof response.$ref === 'string' && response.$ref.startsWith('#/')) {
      segments = response.$ref
        .slice(2)
        .split('/')
        .map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'));
      response = (segments.reduce<unknown>(
        (node, segment) => (node as Record<string, unknown> | undefined)?.[segment],
        this.document,
      ) ?? {}) as typeof response;
    }
    const content = response.content ?? {};
    const media = Object.keys(content).find((m) => m.includes('json'));
    if (media === undefined) return [];
    if (!contentType.includes('json') && contentType !== '') {
      return [`${what}: answered ${contentType}, the document declares ${media}`];
    }
    const pointer = [...segments, 'content', media, 'schema'].map(escapePointer).join('/');
    let validate = this.compiled.get(pointer);
    if (validate === undefined) {
      if (content[media]?.schema === undefined) return [];
      validate = this.ajv.compile({ $ref: `${DOCUMENT_ID}#/${pointer}` });
      this.compiled.set(pointer, validate);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return [`${what}: the body is not JSON`];
    }
    if (validate(parsed)) return [];
    return (validate.errors ?? [])
      .slice(0, 5)
      .map(
        (e) => `${what}: body${e.instancePath} ${e.message ?? 'is invalid'} (${match.template})`,
      );
  }
}

export interface ConformanceCheck {
  /** How many responses were checked against the document. */
  validated: number;
  failures: Failure[];
}

/** The responses the document describes, validated; the others are named in the log. */
export function checkConformance(
  openapi: OpenApiValidator,
  responses: HttpResult[],
  logger: Logger,
): ConformanceCheck {
  const documented = responses.filter((r) => openapi.documents(r.path));
  const problems = documented.flatMap((r) =>
    openapi.validate(r.method, r.path, r.status, r.contentType, r.text),
  );
  const skipped = [
    ...new Set(
      responses.filter((r) => !openapi.documents(r.path)).map((r) => `${r.method} ${r.path}`),
    ),
  ];
  if (skipped.length > 0)
    logger.info(`not in the OpenAPI document, so not validated: ${skipped.join(', ')}`);
  if (problems.length > 0) {
    const message = [...new Set(problems)].slice(0, 5).join('; ');
    return { validated: documented.length, failures: [{ kind: 'schema-violation', message }] };
  }
  logger.info(`${documented.length} responses match the OpenAPI document`);
  return { validated: documented.length, failures: [] };
}
