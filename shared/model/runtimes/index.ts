import { InputError } from '../../common/errors.ts';
import { custom } from './custom.ts';
import { mlserver } from './mlserver.ts';
import { tfserving } from './tfserving.ts';
import { torchserve } from './torchserve.ts';
import { triton } from './triton.ts';
import { RUNTIME_NAMES, type Runtime, type RuntimeName } from './types.ts';
import { vllm } from './vllm.ts';

export const RUNTIMES: Record<RuntimeName, Runtime> = {
  triton,
  tfserving,
  torchserve,
  mlserver,
  vllm,
  custom,
};

export function runtimeByName(name: string, input = 'runtime'): Runtime {
  const runtime = (RUNTIMES as Record<string, Runtime | undefined>)[name.toLowerCase()];
  if (runtime === undefined) {
    throw new InputError(
      input,
      `must be one of ${RUNTIME_NAMES.join(', ')}; got '${name}'`,
      'runtime: triton',
    );
  }
  return runtime;
}
