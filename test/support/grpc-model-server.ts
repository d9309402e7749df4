import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import { serviceRoot } from '../../shared/smoke/grpc/client.ts';
import { classify, type FixtureMode } from './model-server-fixture.ts';

const execFileAsync = promisify(execFile);

/**
 * A gRPC model server for the smoke test's gRPC protocols, following the
 * public specifications: the Open Inference Protocol's
 * `inference.GRPCInferenceService` and TensorFlow Serving's
 * `tensorflow.serving.PredictionService` and `ModelService`. It serves the
 * same iris-like classifier as the HTTP fixture, with the same misbehaving
 * modes. It is a test double: MLServer is the real Open Inference server in
 * the tests; no TensorFlow Serving can run here.
 *
 * Like MLServer, it answers raw outputs to a request that sent raw inputs,
 * and typed contents otherwise.
 */

export interface GrpcModelServerOptions {
  mode?: FixtureMode;
  model?: string;
  version?: string;
  slowMs?: number;
  /** Serve TLS with a certificate from a private CA made for this server. */
  tls?: boolean;
  /** Refuse calls without `authorization: Bearer <token>`. */
  token?: string;
}

export interface GrpcModelServer {
  /** grpc://127.0.0.1:PORT or grpcs://127.0.0.1:PORT. */
  url: string;
  /** PEM of the CA that signed the server certificate, with tls. */
  caPem: string | undefined;
  caPath: string | undefined;
  inferences(): number;
  /** The metadata of the last call, as the server saw it. */
  lastMetadata(): Record<string, string>;
  stop(): Promise<void>;
}

/** A private CA and a certificate it signed for 127.0.0.1, made with openssl. */
async function privateCa(dir: string): Promise<{ ca: string; key: string; cert: string }> {
  const openssl = (args: string[]) => execFileAsync('openssl', args, { cwd: dir });
  const days = ['-days', '2'];
  await openssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    ...days,
    '-subj',
    '/CN=md-test-ca',
  ]);
  await openssl([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
    '-subj',
    '/CN=127.0.0.1',
  ]);
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  await openssl([
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    ...days,
    '-extfile',
    'san.ext',
  ]);
  return {
    ca: readFileSync(join(dir, 'ca.pem'), 'utf8'),
    key: readFileSync(join(dir, 'server.key'), 'utf8'),
    cert: readFileSync(join(dir, 'server.pem'), 'utf8'),
  };
}

const FROM_WIRE: protobuf.IConversionOptions = {
  longs: Number,
  enums: String,
  bytes: Buffer,
  arrays: true,
  objects: true,
};

type Handler = (request: Record<string, unknown>) => Promise<Record<string, unknown>>;

class CallFailure extends Error {
  readonly code: grpc.status;
  constructor(code: grpc.status, details: string) {
    super(details);
    this.code = code;
  }
}

function serviceDefinition(
  root: protobuf.Root,
  service: string,
  methods: string[],
): grpc.ServiceDefinition {
  const declared = root.lookupService(service);
  return Object.fromEntries(
    methods.map((name) => {
      const method = declared.methods[name]!;
      const requestType = method.resolvedRequestType!;
      const responseType = method.resolvedResponseType!;
      return [
        name,
        {
          path: `/${service}/${name}`,
          requestStream: false,
          responseStream: false,
          requestSerialize: (value: object) =>
            Buffer.from(requestType.encode(requestType.fromObject(value)).finish()),
          requestDeserialize: (bytes: Buffer) =>
            requestType.toObject(requestType.decode(bytes), FROM_WIRE),
          responseSerialize: (value: object) =>
            Buffer.from(responseType.encode(responseType.fromObject(value)).finish()),
          responseDeserialize: (bytes: Buffer) =>
            responseType.toObject(responseType.decode(bytes), FROM_WIRE),
        },
      ];
    }),
  ) as grpc.ServiceDefinition;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function rowsOf(flat: number[], shape: number[]): number[][] {
  if (shape.length !== 2 || shape[1] !== 4 || flat.length !== (shape[0] ?? 0) * 4) {
    throw new CallFailure(
      grpc.status.INVALID_ARGUMENT,
      `unexpected shape [${shape.join(',')}] with ${flat.length} values, expecting [-1,4]`,
    );
  }
  return Array.from({ length: shape[0]! }, (_, i) => flat.slice(i * 4, i * 4 + 4));
}

function floatsFromRaw(raw: Buffer): number[] {
  return Array.from({ length: raw.length / 4 }, (_, i) => raw.readFloatLE(i * 4));
}

function floatsToRaw(values: number[]): Buffer {
  const out = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => out.writeFloatLE(v, i * 4));
  return out;
}

export async function startGrpcModelServer(
  options: GrpcModelServerOptions = {},
): Promise<GrpcModelServer> {
  const mode = options.mode ?? 'good';
  const model = options.model ?? 'iris';
  const version =
    mode === 'wrong-version'
      ? String(Number(options.version ?? '1') + 1)
      : (options.version ?? '1');
  const ready = mode !== 'never-ready';
  let inferenceCount = 0;
  let lastMetadata: Record<string, string> = {};
  const root = serviceRoot();

  const predict = (features: number[]): number[] => {
    const p = classify(features);
    return mode === 'wrong-answer' ? [p[2]!, p[1]!, p[0]!] : p;
  };
  /** Every inference passes here: counting, slowness and UNAVAILABLE bursts (3 of every 10). */
  const infer = async <T>(compute: () => T): Promise<T> => {
    const n = inferenceCount++;
    if (mode === 'slow') await sleep(options.slowMs ?? 120);
    if (mode === 'errors' && n % 10 >= 4 && n % 10 <= 6) {
      throw new CallFailure(grpc.status.UNAVAILABLE, 'model overloaded');
    }
    return compute();
  };
  const checkModel = (name: unknown, asked: unknown) => {
    if (name !== model)
      throw new CallFailure(grpc.status.NOT_FOUND, `Model ${String(name)} not found`);
    if (asked !== undefined && asked !== '' && String(asked) !== version) {
      throw new CallFailure(
        grpc.status.NOT_FOUND,
        `Model ${model} with version ${String(asked)} not found`,
      );
    }
  };

  const inference: Record<string, Handler> = {
    ServerLive: async () => ({ live: true }),
    ServerReady: async () => ({ ready }),
    ModelReady: async (request) => {
      checkModel(request.name, request.version);
      return { ready };
    },
    ServerMetadata: async () => ({ name: 'grpc-model-server', version: '1', extensions: [] }),
    ModelMetadata: async (request) => {
      checkModel(request.name, request.version);
      return {
        name: model,
        versions: [version],
        platform: 'onnxruntime_onnx',
        inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 4] }],
        outputs: [{ name: 'probabilities', datatype: 'FP32', shape: [-1, 3] }],
      };
    },
    ModelInfer: async (request) => {
      checkModel(request.model_name, request.model_version);
      if (!ready) throw new CallFailure(grpc.status.UNAVAILABLE, `Model ${model} is not ready yet`);
      const inputs = request.inputs as Array<{
        name: string;
        datatype: string;
        shape: number[];
        contents?: { fp32_contents?: number[] };
      }>;
      const raw = request.raw_input_contents as Buffer[];
      const index = inputs.findIndex((i) => i.name === 'input');
      const input = inputs[index];
      if (input === undefined || input.datatype !== 'FP32') {
        throw new CallFailure(
          grpc.status.INVALID_ARGUMENT,
          "expected input 'input' of datatype FP32",
        );
      }
      const useRaw = raw.length > 0;
      const flat = useRaw
        ? floatsFromRaw(raw[index] ?? Buffer.alloc(0))
        : (input.contents?.fp32_contents ?? []);
      const rows = rowsOf(flat, input.shape);
      return infer(() => {
        const values = rows.flatMap(predict);
        const output = { name: 'probabilities', datatype: 'FP32', shape: [rows.length, 3] };
        return {
          model_name: model,
          model_version: version,
          id: request.id,
          outputs: [useRaw ? output : { ...output, contents: { fp32_contents: values } }],
          raw_output_contents: useRaw ? [floatsToRaw(values)] : [],
        };
      });
    },
  };

  const signatureDefMap = root.lookupType('tensorflow.serving.SignatureDefMap');
  const shape = (dims: number[]) => ({ dim: dims.map((size) => ({ size })) });
  const servable = (spec: { name?: unknown; version?: { value?: unknown } } | undefined) => {
    const name = spec?.name;
    const asked = spec?.version?.value;
    if (name !== model || (asked !== undefined && String(asked) !== version)) {
      const which =
        asked === undefined
          ? `Latest(${String(name)})`
          : `Specific(${String(name)}, ${String(asked)})`;
      throw new CallFailure(grpc.status.NOT_FOUND, `Servable not found for request: ${which}`);
    }
  };
  const modelStatus: Record<string, Handler> = {
    GetModelStatus: async (request) => {
      const spec = request.model_spec as { name?: unknown } | undefined;
      if (spec?.name !== model) {
        throw new CallFailure(
          grpc.status.NOT_FOUND,
          `Could not find any versions of model ${String(spec?.name)}`,
        );
      }
      return {
        model_version_status: [
          {
            version: Number(version),
            state: ready ? 'AVAILABLE' : 'LOADING',
            status: { error_code: 0, error_message: '' },
          },
        ],
      };
    },
  };
  const prediction: Record<string, Handler> = {
    GetModelMetadata: async (request) => {
      servable(request.model_spec as never);
      if (!ready)
        throw new CallFailure(
          grpc.status.NOT_FOUND,
          `Servable not found for request: Latest(${model})`,
        );
      const fields = request.metadata_field as string[];
      if (!fields.includes('signature_def')) {
        throw new CallFailure(
          grpc.status.INVALID_ARGUMENT,
          'Metadata field signature_def is not requested',
        );
      }
      const map = signatureDefMap.fromObject({
        signature_def: {
          serving_default: {
            inputs: {
              features: {
                name: 'serving_default_features:0',
                dtype: 'DT_FLOAT',
                tensor_shape: shape([-1, 4]),
              },
            },
            outputs: {
              probabilities: {
                name: 'StatefulPartitionedCall:0',
                dtype: 'DT_FLOAT',
                tensor_shape: shape([-1, 3]),
              },
            },
            method_name: 'tensorflow/serving/predict',
          },
        },
      });
      return {
        model_spec: { name: model, version: { value: Number(version) }, signature_name: '' },
        metadata: {
          signature_def: {
            type_url: 'type.googleapis.com/tensorflow.serving.SignatureDefMap',
            value: Buffer.from(signatureDefMap.encode(map).finish()),
          },
        },
      };
    },
    Predict: async (request) => {
      servable(request.model_spec as never);
      if (!ready)
        throw new CallFailure(
          grpc.status.NOT_FOUND,
          `Servable not found for request: Latest(${model})`,
        );
      const spec = request.model_spec as { signature_name?: string };
      if (spec.signature_name && spec.signature_name !== 'serving_default') {
        throw new CallFailure(
          grpc.status.INVALID_ARGUMENT,
          `Serving signature key "${spec.signature_name}" not found.`,
        );
      }
      const inputs = request.inputs as Record<
        string,
        {
          dtype: string;
          tensor_shape?: { dim?: Array<{ size: number }> };
          float_val?: number[];
          tensor_content?: Buffer;
        }
      >;
      const features = inputs.features;
      if (features === undefined || features.dtype !== 'DT_FLOAT') {
        throw new CallFailure(
          grpc.status.INVALID_ARGUMENT,
          'input features must be a DT_FLOAT tensor',
        );
      }
      const useRaw = features.tensor_content !== undefined && features.tensor_content.length > 0;
      const flat = useRaw ? floatsFromRaw(features.tensor_content!) : (features.float_val ?? []);
      const rows = rowsOf(
        flat,
        (features.tensor_shape?.dim ?? []).map((d) => d.size),
      );
      return infer(() => {
        const values = rows.flatMap(predict);
        const tensor = { dtype: 'DT_FLOAT', tensor_shape: shape([rows.length, 3]) };
        return {
          model_spec: {
            name: model,
            version: { value: Number(version) },
            signature_name: 'serving_default',
          },
          outputs: {
            probabilities: useRaw
              ? { ...tensor, tensor_content: floatsToRaw(values) }
              : { ...tensor, float_val: values },
          },
        };
      });
    },
  };

  const implement = (handlers: Record<string, Handler>): grpc.UntypedServiceImplementation =>
    Object.fromEntries(
      Object.entries(handlers).map(([name, handler]) => [
        name,
        (
          call: grpc.ServerUnaryCall<Record<string, unknown>, unknown>,
          callback: grpc.sendUnaryData<unknown>,
        ) => {
          lastMetadata = Object.fromEntries(
            Object.entries(call.metadata.getMap()).map(([k, v]) => [k, String(v)]),
          );
          if (
            options.token !== undefined &&
            lastMetadata.authorization !== `Bearer ${options.token}`
          ) {
            callback({
              code: grpc.status.UNAUTHENTICATED,
              details: 'missing or wrong bearer token',
            });
            return;
          }
          handler(call.request).then(
            (response) => callback(null, response),
            (err: unknown) =>
              callback({
                code: err instanceof CallFailure ? err.code : grpc.status.INTERNAL,
                details: (err as Error).message,
              }),
          );
        },
      ]),
    );

  const server = new grpc.Server();
  server.addService(
    serviceDefinition(root, 'inference.GRPCInferenceService', Object.keys(inference)),
    implement(inference),
  );
  server.addService(
    serviceDefinition(root, 'tensorflow.serving.ModelService', Object.keys(modelStatus)),
    implement(modelStatus),
  );
  server.addService(
    serviceDefinition(root, 'tensorflow.serving.PredictionService', Object.keys(prediction)),
    implement(prediction),
  );

  let dir: string | undefined;
  let credentials = grpc.ServerCredentials.createInsecure();
  let caPem: string | undefined;
  if (options.tls) {
    dir = mkdtempSync(join(tmpdir(), 'md-grpc-tls-'));
    const pki = await privateCa(dir);
    caPem = pki.ca;
    credentials = grpc.ServerCredentials.createSsl(null, [
      { private_key: Buffer.from(pki.key), cert_chain: Buffer.from(pki.cert) },
    ]);
  }
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', credentials, (err, bound) =>
      err ? reject(err) : resolve(bound),
    ),
  );
  return {
    url: `${options.tls ? 'grpcs' : 'grpc'}://127.0.0.1:${port}`,
    caPem,
    caPath: dir === undefined ? undefined : join(dir, 'ca.pem'),
    inferences: () => inferenceCount,
    lastMetadata: () => lastMetadata,
    stop: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => {
          if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        // Calls still running (a slow inference) must not hold a test up.
        setTimeout(() => server.forceShutdown(), 2000).unref();
      }),
  };
}
