import { runAction, requiredString, listInput } from '../../shared/action/index.ts';
import { UserError } from '../../shared/common/errors.ts';

export interface Inputs {
  layout: string;
  destinations: string[];
}

export function getInputs(): Inputs {
  return {
    layout: requiredString('layout', { example: '${{ steps.package.outputs.layout }}' }),
    destinations: listInput('destinations', {
      required: true,
      example: '123456789012.dkr.ecr.us-east-1.amazonaws.com/models/resnet50',
    }),
  };
}

export async function run(): Promise<boolean> {
  return runAction('push', async () => {
    getInputs();
    throw new UserError('pushing is not available in this build yet');
  });
}
