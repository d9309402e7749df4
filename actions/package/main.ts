import { runAction, requiredString, optionalString, enumInput } from '../../shared/action/index.ts';
import { UserError } from '../../shared/common/errors.ts';

export const RUNTIMES = [
  'triton',
  'tfserving',
  'torchserve',
  'mlserver',
  'vllm',
  'custom',
] as const;

export interface Inputs {
  model: string;
  name: string;
  version: string | undefined;
  runtime: (typeof RUNTIMES)[number];
}

export function getInputs(): Inputs {
  return {
    model: requiredString('model', { example: 'models/resnet50 or models:/resnet50/3' }),
    name: requiredString('name', { example: 'resnet50' }),
    version: optionalString('version'),
    runtime: enumInput('runtime', RUNTIMES, 'triton'),
  };
}

export async function run(): Promise<boolean> {
  return runAction('package', async () => {
    getInputs();
    throw new UserError('packaging is not available in this build yet');
  });
}
