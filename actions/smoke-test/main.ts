import { runAction, optionalString, enumInput } from '../../shared/action/index.ts';
import { InputError, UserError } from '../../shared/common/errors.ts';

export const PROTOCOLS = ['v2', 'tfserving', 'torchserve', 'openai', 'http'] as const;

export interface Inputs {
  url: string | undefined;
  service: string | undefined;
  protocol: (typeof PROTOCOLS)[number];
}

export function getInputs(): Inputs {
  const url = optionalString('url');
  const service = optionalString('service');
  if (url === undefined && service === undefined) {
    throw new InputError(
      'url',
      'is required unless service is given',
      'https://models.example.com or service: default/resnet50:8000',
    );
  }
  return { url, service, protocol: enumInput('protocol', PROTOCOLS, 'v2') };
}

export async function run(): Promise<boolean> {
  return runAction('smoke-test', async () => {
    getInputs();
    throw new UserError('smoke testing is not available in this build yet');
  });
}
