import { describe, expect, it } from 'vitest';
import {
  decodeRaw,
  encodeRaw,
  fromHalfBits,
  toHalfBits,
} from '../../../../shared/smoke/protocols/tensor-bytes.ts';

describe('raw tensor bytes', () => {
  it('round-trips every fixed-size datatype little-endian, and BYTES with length prefixes', () => {
    expect(encodeRaw('FP32', [1.5, -2])).toEqual(Buffer.from([0, 0, 0xc0, 0x3f, 0, 0, 0, 0xc0]));
    expect(encodeRaw('INT16', [1, -1])).toEqual(Buffer.from([1, 0, 0xff, 0xff]));
    expect(encodeRaw('BYTES', ['ab', ''])).toEqual(
      Buffer.from([2, 0, 0, 0, 0x61, 0x62, 0, 0, 0, 0]),
    );
    for (const [datatype, values] of [
      ['BOOL', [true, false]],
      ['UINT8', [0, 255]],
      ['INT8', [-128, 127]],
      ['UINT16', [65535]],
      ['UINT32', [4294967295]],
      ['INT32', [-5]],
      ['INT64', [-(2 ** 40)]],
      ['UINT64', [2 ** 40]],
      ['FP64', [Math.PI]],
      ['FP16', [0.5, -2, 65504]],
      ['BYTES', ['setosa', 'ñ']],
    ] as const) {
      expect(decodeRaw(datatype, encodeRaw(datatype, values)), datatype).toEqual(values);
    }
  });

  it('converts half precision, rounding to nearest even', () => {
    expect(toHalfBits(1)).toBe(0x3c00);
    expect(toHalfBits(-0)).toBe(0x8000);
    expect(toHalfBits(1 / 3)).toBe(0x3555);
    expect(toHalfBits(1e6)).toBe(0x7c00);
    expect(fromHalfBits(0x3555)).toBeCloseTo(1 / 3, 3);
    expect(fromHalfBits(0x0001)).toBe(2 ** -24);
    expect(Number.isNaN(fromHalfBits(0x7e00))).toBe(true);
  });

  it('refuses contents that are not whole elements, naming the datatype', () => {
    expect(() => decodeRaw('FP32', Buffer.alloc(6))).toThrow(
      'raw FP32 contents of 6 bytes are not whole 4-byte elements',
    );
    expect(() => encodeRaw('COMPLEX', [1])).toThrow("the datatype 'COMPLEX' is not one of");
  });
});
