import { describe, expect, it } from 'vitest';
import {
  askedVersion,
  readiness,
  sampleColumns,
  servedVersions,
  signatureSpecs,
} from '../../../../shared/smoke/protocols/tfserving-model.ts';

describe('TF Serving pieces', () => {
  it('is ready when a version is AVAILABLE, and says why not otherwise', () => {
    expect(
      readiness([
        { version: '3', state: 'AVAILABLE' },
        { version: '2', state: 'END' },
      ]),
    ).toEqual({ ready: true, detail: 'version 3 AVAILABLE' });
    expect(
      readiness([{ version: '3', state: 'LOADING', status: { error_message: 'out of memory' } }]),
    ).toEqual({ ready: false, detail: 'version 3 LOADING (out of memory)' });
    expect(readiness([])).toEqual({ ready: false, detail: 'no version reported' });
  });

  it('lists the AVAILABLE versions, else the latest the metadata names', () => {
    expect(
      servedVersions(
        [
          { version: 1, state: 'AVAILABLE' },
          { version: 2, state: 'AVAILABLE' },
        ],
        2,
      ),
    ).toEqual(['1', '2']);
    expect(servedVersions([], 7)).toEqual(['7']);
    expect(servedVersions([], undefined)).toEqual([]);
  });

  it('reads a signature and asks for a served version only', () => {
    expect(
      signatureSpecs({
        x: { dtype: 'DT_FLOAT', tensor_shape: { dim: [{ size: '-1' }, { size: 4 }] } },
      }),
    ).toEqual([{ name: 'x', datatype: 'DT_FLOAT', shape: [-1, 4] }]);
    expect(signatureSpecs(null)).toBeUndefined();
    const metadata = { name: 'm', versions: ['1'], inputs: [], outputs: [] };
    expect(askedVersion({ model: 'm', version: '1' }, metadata)).toBe('1');
    expect(askedVersion({ model: 'm', version: '2' }, metadata)).toBeUndefined();
  });

  it('fills the default columns with ones, dynamic dimensions as 1', () => {
    const columns = sampleColumns({
      name: 'm',
      versions: [],
      inputs: [{ name: 'x', datatype: 'DT_FLOAT', shape: [-1, 2] }],
      outputs: [],
    });
    expect(columns).toEqual({ x: [[1, 1]] });
    expect(() => sampleColumns(undefined)).toThrow(/serving_default signature declares no inputs/);
  });
});
