import { runAction, requiredString, optionalString } from '../../shared/action/index.ts';
import { UserError } from '../../shared/common/errors.ts';

export interface Inputs {
  name: string;
  image: string;
  namespace: string;
}

export function getInputs(): Inputs {
  return {
    name: requiredString('name', { example: 'resnet50' }),
    image: requiredString('image', {
      example: 'myreg.azurecr.io/models/resnet50@sha256:…',
    }),
    namespace: optionalString('namespace', 'default'),
  };
}

export async function run(): Promise<boolean> {
  return runAction('deploy', async () => {
    getInputs();
    throw new UserError('deploying is not available in this build yet');
  });
}
