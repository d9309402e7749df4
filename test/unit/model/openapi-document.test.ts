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

describe('the OpenAPI document in detail', () => {
  it('names the tensors of the signature and keeps the signature beside the paths', () => {
    const signature = {
      inputs: [{ name: 'pixels', datatype: 'FP32', shape: [-1, 3] }],
      outputs: [{ name: 'logits', datatype: 'FP32', shape: [-1, 10] }],
    };
    const doc = openApiDocument({
      runtime: RUNTIMES.triton,
      name: 'resnet',
      version: '2',
      signature,
    }) as Record<string, unknown> & { paths: Record<string, { post?: unknown }> };
    const infer = JSON.stringify(doc.paths['/v2/models/resnet/infer']);
    expect(infer).toContain('"enum":["pixels"]');
    expect(infer).toContain('"enum":["logits"]');
    expect(doc['x-model-signature']).toEqual(signature);
    expect(doc.servers).toEqual([{ url: 'http://localhost:8000' }]);
  });

  it('documents only the health path for a plain HTTP runtime', () => {
    const doc = openApiDocument({ runtime: RUNTIMES.custom, name: 'm', version: '1' }) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).toEqual([RUNTIMES.custom.health.live]);
  });
});
