import { InputError } from '../common/errors.ts';
import { expectationsInput, type Expectations } from './expectations.ts';
import { OpenApiValidator } from './openapi-conformance.ts';
import { isGrpcProtocol, type ProtocolName } from './protocols/types.ts';

/**
 * The rules between a smoke test's inputs: each failure names the input and
 * shows an accepted value, as the action's own getters do.
 */

/** `url` or `service`: exactly one. */
export function oneEndpoint(url: string | undefined, service: string | undefined): void {
  if (url === undefined && service === undefined) {
    throw new InputError(
      'url',
      'is required unless service is given',
      'https://models.example.com or service: default/resnet50:8000',
    );
  }
  if (url !== undefined && service !== undefined) {
    throw new InputError(
      'service',
      'cannot be given together with url; choose one',
      'service: models/resnet50:8000',
    );
  }
}

/** The proxy is an HTTP/1.1 endpoint of the API server: it cannot carry HTTP/2 gRPC calls. */
export function serviceSpeaks(protocol: ProtocolName, service: string | undefined): void {
  if (service === undefined || !isGrpcProtocol(protocol)) return;
  throw new InputError(
    'service',
    `cannot reach a gRPC server: the API server's service proxy carries HTTP/1.1 only, and protocol ${protocol} needs HTTP/2; give url, the gRPC address deploy exposed (a GRPCRoute, Istio or Ambassador host, or a load balancer), or a local port from kubectl port-forward`,
    'url: grpc://127.0.0.1:8081',
  );
}

const NAMED_MODEL_PROTOCOLS: readonly ProtocolName[] = [
  'v2',
  'v2-grpc',
  'tfserving',
  'tfserving-grpc',
  'torchserve',
];

/** The protocols whose paths or calls name the model need `model`. */
export function modelFor(protocol: ProtocolName, model: string | undefined): string | undefined {
  if (model === undefined && NAMED_MODEL_PROTOCOLS.includes(protocol)) {
    throw new InputError('model', `is required for protocol ${protocol}`, 'model: resnet50');
  }
  return model;
}

/** `expect`, read; an HTTP status cannot be expected of a gRPC call. */
export function expectationsFor(
  protocol: ProtocolName,
  document: unknown,
): Expectations | undefined {
  if (document === undefined) return undefined;
  const expect = expectationsInput(document);
  if (isGrpcProtocol(protocol) && expect.status !== undefined) {
    throw new InputError(
      'expect',
      `has status ${expect.status}, an HTTP status, but protocol ${protocol} speaks gRPC, whose calls must answer OK; remove status`,
      '{"outputs": {"probabilities": [0.9, 0.1]}}',
    );
  }
  return expect;
}

/** `openapi`, compiled: a REST API's document, so not for a gRPC protocol. */
export function openApiFor(
  protocol: ProtocolName,
  document: unknown,
): OpenApiValidator | undefined {
  if (document === undefined) return undefined;
  if (isGrpcProtocol(protocol)) {
    throw new InputError(
      'openapi',
      `documents a REST API, and protocol ${protocol} speaks gRPC, whose messages are checked against the protocol's .proto; remove openapi or use the REST protocol`,
      'protocol: v2',
    );
  }
  try {
    return new OpenApiValidator(document);
  } catch (err) {
    throw new InputError(
      'openapi',
      `cannot be used: ${(err as Error).message}`,
      'openapi: ${{ steps.package.outputs.openapi }}',
    );
  }
}

/** A request path: absolute. */
export function requestPath<T extends string | undefined>(name: string, value: T): T {
  if (value !== undefined && !value.startsWith('/'))
    throw new InputError(name, `must start with /, not '${value}'`, `${name}: /predict`);
  return value;
}
