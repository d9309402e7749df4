import { describe, expect, it } from 'vitest';
import { RUNTIMES } from '../../../shared/model/runtimes/index.ts';
import { openApiDocument } from '../../../shared/model/openapi-document.ts';

describe('the OpenAPI document', () => {
  it.each([
    ['triton', '/v2/models/m/infer'],
    ['mlserver', '/v2/models/m/versions/3/infer'],
    ['tfserving', '/v1/models/m:predict'],
    ['torchserve', '/predictions/m'],
    ['vllm', '/v1/chat/completions'],
  ] as const)('%s documents %s and its health paths', (runtime, path) => {
    const doc = openApiDocument({ runtime: RUNTIMES[runtime], name: 'm', version: '3' }) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths).toHaveProperty([path]);
    expect(doc.paths).toHaveProperty([RUNTIMES[runtime].health.ready.replace('{name}', 'm')]);
  });
});
