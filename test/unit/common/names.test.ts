import { describe, expect, it } from 'vitest';
import { InputError } from '../../../shared/common/errors.ts';
import { checkDnsLabel } from '../../../shared/common/names.ts';

describe('checkDnsLabel', () => {
  it('accepts a DNS label as it is', () => {
    expect(checkDnsLabel('name', 'resnet50-v2', 'name: resnet50')).toBe('resnet50-v2');
  });

  it('refuses other names, suggesting one that would do', () => {
    expect(() => checkDnsLabel('name', 'ResNet_50', 'name: resnet50')).toThrow(
      /'ResNet_50' is not a valid name: .* \(e\.g\. 'resnet-50'\)/,
    );
    expect(() => checkDnsLabel('name', 'a'.repeat(64), 'name: a')).toThrow(InputError);
    expect(() => checkDnsLabel('name', '9lives', 'name: a', ', as a Service name')).toThrow(
      /, as a Service name \(e\.g\. 'lives'\)/,
    );
  });
});
