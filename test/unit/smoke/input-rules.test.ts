import { describe, expect, it } from 'vitest';
import { InputError } from '../../../shared/common/errors.ts';
import {
  expectationsFor,
  modelFor,
  oneEndpoint,
  openApiFor,
  requestPath,
  serviceSpeaks,
} from '../../../shared/smoke/input-rules.ts';

function inputOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputError) return err.input;
    throw err;
  }
  return undefined;
}

describe('smoke-test input rules', () => {
  it('takes exactly one of url and service', () => {
    expect(inputOf(() => oneEndpoint(undefined, undefined))).toBe('url');
    expect(inputOf(() => oneEndpoint('http://127.0.0.1:1', 'models/iris:8000'))).toBe('service');
    expect(() => oneEndpoint('http://127.0.0.1:1', undefined)).not.toThrow();
    expect(() => oneEndpoint(undefined, 'models/iris:8000')).not.toThrow();
  });

  it('refuses the service proxy for a gRPC protocol only', () => {
    expect(inputOf(() => serviceSpeaks('v2-grpc', 'models/iris:8001'))).toBe('service');
    expect(() => serviceSpeaks('v2', 'models/iris:8000')).not.toThrow();
    expect(() => serviceSpeaks('tfserving-grpc', undefined)).not.toThrow();
  });

  it('needs a model for the protocols whose calls name it', () => {
    for (const protocol of ['v2', 'v2-grpc', 'tfserving', 'tfserving-grpc', 'torchserve'] as const)
      expect(inputOf(() => modelFor(protocol, undefined))).toBe('model');
    expect(modelFor('openai', undefined)).toBeUndefined();
    expect(modelFor('http', 'iris')).toBe('iris');
  });

  it('reads expect, and refuses an HTTP status for gRPC', () => {
    expect(expectationsFor('v2', undefined)).toBeUndefined();
    expect(expectationsFor('v2', { status: 400 })?.status).toBe(400);
    expect(inputOf(() => expectationsFor('v2-grpc', { status: 400 }))).toBe('expect');
    expect(expectationsFor('v2-grpc', { outputs: { y: [1] } })?.outputs).toHaveLength(1);
  });

  it('compiles openapi for REST, refuses it for gRPC and names a broken document', () => {
    const document = { openapi: '3.1.0', info: { title: 't', version: '1' }, paths: {} };
    expect(openApiFor('v2', document)?.documents('/v2/health/ready')).toBe(false);
    expect(inputOf(() => openApiFor('tfserving-grpc', document))).toBe('openapi');
    expect(() => openApiFor('v2', { openapi: 'x' })).toThrow(/openapi.*cannot be used/);
  });

  it('wants absolute request paths', () => {
    expect(requestPath('path', '/predict')).toBe('/predict');
    expect(requestPath('ready-path', undefined)).toBeUndefined();
    expect(inputOf(() => requestPath('ready-path', 'health'))).toBe('ready-path');
  });
});
