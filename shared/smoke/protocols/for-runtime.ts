import { RUNTIMES } from '../../model/runtimes/index.ts';
import type { Protocol, RuntimeName } from '../../model/runtimes/types.ts';
import type { ProtocolName } from './types.ts';

/** The smoke-test protocol that speaks each runtime API. */
const SMOKE_PROTOCOL: Record<Protocol, ProtocolName> = {
  'open-inference-v2': 'v2',
  tfserving: 'tfserving',
  torchserve: 'torchserve',
  openai: 'openai',
  http: 'http',
};

/** The smoke-test protocol that speaks a runtime's API: the analysis default. */
export function smokeProtocolOf(runtime: RuntimeName): ProtocolName {
  return SMOKE_PROTOCOL[RUNTIMES[runtime].protocol];
}
