import { openAiCompatible } from './openai.ts';
import { plainHttp } from './plain-http.ts';
import { grpcTensorflowServing } from './tfserving-grpc.ts';
import { tensorflowServing } from './tfserving.ts';
import { torchServe } from './torchserve.ts';
import type { GrpcContents, PlainHttpSettings, Protocol, ProtocolName } from './types.ts';
import { grpcOpenInference } from './v2-grpc.ts';
import { openInferenceV2 } from './v2.ts';

export * from './types.ts';

export function protocolFor(
  name: ProtocolName,
  http: PlainHttpSettings,
  grpcContents: GrpcContents = 'typed',
): Protocol {
  switch (name) {
    case 'v2':
      return openInferenceV2;
    case 'v2-grpc':
      return grpcOpenInference(grpcContents);
    case 'tfserving':
      return tensorflowServing;
    case 'tfserving-grpc':
      return grpcTensorflowServing(grpcContents);
    case 'torchserve':
      return torchServe;
    case 'openai':
      return openAiCompatible;
    case 'http':
      return plainHttp(http);
  }
}
