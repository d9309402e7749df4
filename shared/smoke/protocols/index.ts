import { openAiCompatible } from './openai.ts';
import { plainHttp } from './plain-http.ts';
import { tensorflowServing } from './tfserving.ts';
import { torchServe } from './torchserve.ts';
import type { PlainHttpSettings, Protocol, ProtocolName } from './types.ts';
import { openInferenceV2 } from './v2.ts';

export * from './types.ts';

export function protocolFor(name: ProtocolName, http: PlainHttpSettings): Protocol {
  switch (name) {
    case 'v2':
      return openInferenceV2;
    case 'tfserving':
      return tensorflowServing;
    case 'torchserve':
      return torchServe;
    case 'openai':
      return openAiCompatible;
    case 'http':
      return plainHttp(http);
  }
}
