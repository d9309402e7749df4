import { describe, expect, it } from 'vitest';
import { OpenApiValidator } from '../../../shared/smoke/openapi-conformance.ts';

const json = (schema: object) => ({ content: { 'application/json': { schema } } });

const v31 = {
  openapi: '3.1.0',
  info: { title: 't', version: '1' },
  paths: {
    '/v1/models/{name}:predict': {
      post: {
        responses: {
          '200': json({ $ref: '#/components/schemas/Predictions' }),
          '4XX': json({ type: 'object', required: ['error'] }),
        },
      },
    },
    '/v1/models/{name}': {
      get: { responses: { default: { $ref: '#/components/responses/Status' } } },
    },
    '/v1/models/special': { get: { responses: { '200': json({ const: 'literal wins' }) } } },
  },
  components: {
    schemas: {
      Predictions: {
        type: 'object',
        required: ['predictions'],
        properties: { predictions: { type: 'array', items: { type: ['array', 'null'] } } },
      },
    },
    responses: { Status: json({ type: 'object', required: ['model_version_status'] }) },
  },
};

describe('OpenAPI response validation', () => {
  const validator = new OpenApiValidator(v31);
  const ok = (method: string, path: string, status: number, body: unknown) =>
    validator.validate(method, path, status, 'application/json', JSON.stringify(body));

  it('matches templated paths (a parameter may hold no slash) and follows $ref into components', () => {
    expect(ok('POST', '/v1/models/iris:predict', 200, { predictions: [[1], null] })).toEqual([]);
    expect(ok('POST', '/v1/models/iris:predict', 200, { outputs: [] })).toEqual([
      "POST /v1/models/iris:predict → 200: body must have required property 'predictions' (/v1/models/{name}:predict)",
    ]);
    expect(ok('GET', '/v1/models/iris', 200, { model_version_status: [] })).toEqual([]);
    expect(ok('GET', '/v1/models/iris', 503, {})).toEqual([
      "GET /v1/models/iris → 503: body must have required property 'model_version_status' (/v1/models/{name})",
    ]);
    expect(validator.documents('/v1/models/a/b')).toBe(false);
  });

  it('prefers a literal path over a template, and uses status ranges', () => {
    expect(ok('GET', '/v1/models/special', 200, 'literal wins')).toEqual([]);
    expect(ok('POST', '/v1/models/iris:predict', 404, { error: 'x' })).toEqual([]);
    expect(ok('POST', '/v1/models/iris:predict', 503, {})).toEqual([
      'POST /v1/models/iris:predict → 503: status 503 is not a documented response of POST /v1/models/{name}:predict',
    ]);
    expect(ok('PUT', '/v1/models/iris:predict', 200, {})).toEqual([
      'PUT /v1/models/iris:predict → 200: /v1/models/{name}:predict has no PUT operation in the OpenAPI document',
    ]);
  });

  it('reports a body that is not JSON, or of another media type', () => {
    expect(
      validator.validate('POST', '/v1/models/iris:predict', 200, 'application/json', 'oops'),
    ).toEqual(['POST /v1/models/iris:predict → 200: the body is not JSON']);
    expect(
      validator.validate('POST', '/v1/models/iris:predict', 200, 'text/html', '<html>'),
    ).toEqual([
      'POST /v1/models/iris:predict → 200: answered text/html, the document declares application/json',
    ]);
  });

  it('reads OpenAPI 3.0 schemas with nullable', () => {
    const v30 = new OpenApiValidator({
      openapi: '3.0.3',
      paths: {
        '/ping': {
          get: {
            responses: {
              '200': json({
                type: 'object',
                properties: { status: { type: 'string', nullable: true } },
              }),
            },
          },
        },
      },
    });
    expect(v30.validate('GET', '/ping', 200, 'application/json', '{"status": null}')).toEqual([]);
    expect(v30.validate('GET', '/ping', 200, 'application/json', '{"status": 1}')).toEqual([
      'GET /ping → 200: body/status must be string (/ping)',
    ]);
  });

  it('refuses what is not an OpenAPI 3 document', () => {
    expect(() => new OpenApiValidator({ swagger: '2.0', paths: {} })).toThrow(
      "only OpenAPI 3.0 and 3.1 are supported, this document says 'nothing'",
    );
    expect(() => new OpenApiValidator([1])).toThrow('it is not an OpenAPI document (no `paths`)');
  });
});
