import { describe, expect, it } from 'vitest';
import {
  sampleInputs,
  servedMetadata,
  servesVersion,
  tensorSpecs,
} from '../../../../shared/smoke/protocols/open-inference.ts';
import { ProtocolError } from '../../../../shared/smoke/protocols/types.ts';

describe('Open Inference Protocol pieces', () => {
  it('reads a metadata message, an undeclared signature as given', () => {
    const body = {
      name: 'iris',
      versions: [1, '2'],
      inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 4] }],
    };
    expect(servedMetadata(body)).toEqual({
      name: 'iris',
      versions: ['1', '2'],
      inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 4] }],
      outputs: undefined,
    });
    expect(servedMetadata({}, []).outputs).toEqual([]);
    expect(tensorSpecs('not a list')).toBeUndefined();
  });

  it('asks for a version only when it is served', () => {
    const target = { model: 'iris', version: '2' };
    const metadata = { name: 'iris', versions: ['1'], inputs: [], outputs: [] };
    expect(servesVersion(target, metadata)).toBe(false);
    expect(servesVersion(target, { ...metadata, versions: ['1', '2'] })).toBe(true);
    expect(servesVersion(target, { ...metadata, versionServed: true })).toBe(true);
    expect(servesVersion({ model: 'iris', version: undefined }, metadata)).toBe(false);
  });

  it('builds the smallest default request from the declared inputs', () => {
    const request = sampleInputs({
      name: 'm',
      versions: [],
      inputs: [
        { name: 'x', datatype: 'FP32', shape: [-1, 3] },
        { name: 'flag', datatype: 'BOOL', shape: [2] },
        { name: 'text', datatype: 'BYTES', shape: [1] },
      ],
      outputs: [],
    });
    expect(request.inputs).toEqual([
      { name: 'x', shape: [1, 3], datatype: 'FP32', data: [1, 1, 1] },
      { name: 'flag', shape: [2], datatype: 'BOOL', data: [false, false] },
      { name: 'text', shape: [1], datatype: 'BYTES', data: [''] },
    ]);
    expect(() => sampleInputs(undefined)).toThrow(ProtocolError);
  });
});
