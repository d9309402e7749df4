import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import protobuf from 'protobufjs';
import * as tar from 'tar-stream';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../shared/common/logger.ts';
import {
  grpcApiOf,
  OPEN_INFERENCE_GRPC,
  TENSORFLOW_SERVING_GRPC,
} from '../../../shared/model/grpc-api.ts';
import { GRPC_PROTO_DIR, MODEL_CARD_PATH, packageModel } from '../../../shared/model/package.ts';
import { RUNTIMES } from '../../../shared/model/runtimes/index.ts';
import { blobPath, readLayout } from '../../../shared/oci/layout.ts';
import type { ImageManifest } from '../../../shared/oci/types.ts';
import { serviceRoot } from '../../../shared/smoke/grpc/client.ts';

let work: string | undefined;
afterEach(() => {
  if (work) rmSync(work, { recursive: true, force: true });
  work = undefined;
});

async function layerFiles(bytes: Buffer): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => chunks.push(c as Buffer));
      stream.on('end', () => {
        files.set(`/${header.name.replace(/^\.?\//, '')}`, Buffer.concat(chunks).toString('utf8'));
        next();
      });
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  Readable.from(gunzipSync(bytes)).pipe(extract);
  await done;
  return files;
}

describe('the gRPC API of each runtime', () => {
  it('is the Open Inference Protocol for Triton and MLServer, TF Serving its own, none for the rest', () => {
    expect(grpcApiOf(RUNTIMES.triton)).toEqual({ port: 8001, api: OPEN_INFERENCE_GRPC });
    expect(grpcApiOf(RUNTIMES.mlserver)).toEqual({ port: 8081, api: OPEN_INFERENCE_GRPC });
    expect(grpcApiOf(RUNTIMES.tfserving)).toEqual({ port: 8500, api: TENSORFLOW_SERVING_GRPC });
    for (const name of ['torchserve', 'vllm', 'custom'] as const)
      expect(grpcApiOf(RUNTIMES[name])).toBeUndefined();
  });

  it('declares the services the smoke test calls, in the packages the specifications name', () => {
    const root = serviceRoot();
    const methods = (service: string) => Object.keys(root.lookupService(service).methods);
    expect(methods('inference.GRPCInferenceService')).toEqual([
      'ServerLive',
      'ServerReady',
      'ModelReady',
      'ServerMetadata',
      'ModelMetadata',
      'ModelInfer',
    ]);
    expect(methods('tensorflow.serving.PredictionService')).toEqual([
      'Predict',
      'GetModelMetadata',
    ]);
    expect(methods('tensorflow.serving.ModelService')).toEqual(['GetModelStatus']);
    // Spot checks of field numbers that real servers depend on.
    const field = (type: string, name: string) => root.lookupType(type).fields[name]!.id;
    expect(field('inference.ModelInferRequest', 'raw_input_contents')).toBe(7);
    expect(field('inference.ModelInferResponse', 'raw_output_contents')).toBe(6);
    expect(field('inference.InferTensorContents', 'fp32_contents')).toBe(6);
    expect(field('tensorflow.serving.ModelSpec', 'signature_name')).toBe(3);
    expect(field('tensorflow.serving.PredictResponse', 'model_spec')).toBe(2);
    expect(field('tensorflow.TensorProto', 'tensor_content')).toBe(4);
    expect(field('tensorflow.TensorInfo', 'dtype')).toBe(2);
  });
});

describe('the model card', () => {
  it('names the gRPC API and carries its .proto files in the image, beside the OpenAPI document', async () => {
    work = mkdtempSync(join(tmpdir(), 'md-grpc-card-'));
    const model = join(work, 'model');
    mkdirSync(model);
    writeFileSync(join(model, 'model.joblib'), 'not really a model');
    const result = await packageModel({
      modelPath: model,
      source: { kind: 'local', uri: model },
      name: 'iris',
      version: '1',
      runtime: RUNTIMES.mlserver,
      baseImage: 'scratch',
      platforms: [],
      env: {},
      labels: {},
      annotations: {},
      output: join(work, 'layout'),
      sourceDateEpoch: 0,
      includeBaseLayers: false,
      lineage: {},
      logger: silentLogger,
    });
    const layout = await readLayout(result.layout);
    const manifest = layout.manifests.get(result.digest) as ImageManifest;
    const config = manifest.layers.at(-1)!;
    const files = await layerFiles(readFileSync(blobPath(result.layout, config.digest)));
    const card = JSON.parse(files.get(MODEL_CARD_PATH)!);
    expect(card.grpc).toEqual({
      port: 8081,
      package: 'inference',
      services: ['inference.GRPCInferenceService'],
      proto: `${GRPC_PROTO_DIR}/open_inference_grpc.proto`,
    });
    const proto = files.get(card.grpc.proto)!;
    expect(proto).toBe(OPEN_INFERENCE_GRPC.files[0]!.text);
    // What the image carries is a whole .proto a client can load.
    const parsed = protobuf.parse(proto, { keepCase: true });
    expect(parsed.package).toBe('inference');
    expect(
      parsed.root.lookupService('inference.GRPCInferenceService').methods.ModelInfer,
    ).toBeDefined();
  });
});
