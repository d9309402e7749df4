import { ProtocolError } from './types.ts';

/**
 * Tensor data as raw bytes, the way the Open Inference Protocol's
 * `raw_input_contents`/`raw_output_contents` and TensorFlow's
 * `tensor_content` carry it: flattened in row-major order, little-endian,
 * no padding. BYTES elements are each prefixed by their length as a 4-byte
 * little-endian integer (the Open Inference Protocol's convention).
 */

/** Element sizes of the fixed-size datatypes, by their Open Inference Protocol names. */
export const ELEMENT_BYTES: Readonly<Record<string, number>> = {
  BOOL: 1,
  UINT8: 1,
  INT8: 1,
  UINT16: 2,
  INT16: 2,
  FP16: 2,
  UINT32: 4,
  INT32: 4,
  FP32: 4,
  UINT64: 8,
  INT64: 8,
  FP64: 8,
};

export type Element = number | boolean | string;

function unknownDatatype(datatype: string): ProtocolError {
  return new ProtocolError(
    `the datatype '${datatype}' is not one of ${[...Object.keys(ELEMENT_BYTES), 'BYTES'].join(', ')}`,
  );
}

/** IEEE 754 half precision from a number, rounding to nearest even. */
export function toHalfBits(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  let mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa === 0 ? 0 : 0x200);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - e;
    const half = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const midpoint = 1 << (shift - 1);
    return sign | (half + (rest > midpoint || (rest === midpoint && (half & 1) === 1) ? 1 : 0));
  }
  const half = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  return sign | (half + (rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1) ? 1 : 0));
}

export function fromHalfBits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

function asNumber(value: Element, datatype: string): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  throw new ProtocolError(`a ${datatype} tensor holds the non-number ${JSON.stringify(value)}`);
}

export function encodeRaw(datatype: string, values: readonly Element[]): Buffer {
  const type = datatype.toUpperCase();
  if (type === 'BYTES') {
    return Buffer.concat(
      values.map((value) => {
        const bytes = Buffer.from(String(value), 'utf8');
        const length = Buffer.alloc(4);
        length.writeUInt32LE(bytes.length);
        return Buffer.concat([length, bytes]);
      }),
    );
  }
  const size = ELEMENT_BYTES[type];
  if (size === undefined) throw unknownDatatype(datatype);
  const out = Buffer.alloc(size * values.length);
  values.forEach((element, i) => {
    const value = asNumber(element, type);
    const at = i * size;
    switch (type) {
      case 'BOOL':
        return out.writeUInt8(value ? 1 : 0, at);
      case 'UINT8':
        return out.writeUInt8(value, at);
      case 'INT8':
        return out.writeInt8(value, at);
      case 'UINT16':
        return out.writeUInt16LE(value, at);
      case 'INT16':
        return out.writeInt16LE(value, at);
      case 'FP16':
        return out.writeUInt16LE(toHalfBits(value), at);
      case 'UINT32':
        return out.writeUInt32LE(value, at);
      case 'INT32':
        return out.writeInt32LE(value, at);
      case 'FP32':
        return out.writeFloatLE(value, at);
      case 'UINT64':
        return out.writeBigUInt64LE(BigInt(Math.trunc(value)), at);
      case 'INT64':
        return out.writeBigInt64LE(BigInt(Math.trunc(value)), at);
      default:
        return out.writeDoubleLE(value, at);
    }
  });
  return out;
}

export function decodeRaw(datatype: string, bytes: Buffer): Element[] {
  const type = datatype.toUpperCase();
  if (type === 'BYTES') {
    const out: string[] = [];
    for (let at = 0; at + 4 <= bytes.length;) {
      const length = bytes.readUInt32LE(at);
      if (at + 4 + length > bytes.length) {
        throw new ProtocolError('raw BYTES contents end inside an element');
      }
      out.push(bytes.toString('utf8', at + 4, at + 4 + length));
      at += 4 + length;
    }
    return out;
  }
  const size = ELEMENT_BYTES[type];
  if (size === undefined) throw unknownDatatype(datatype);
  if (bytes.length % size !== 0) {
    throw new ProtocolError(
      `raw ${type} contents of ${bytes.length} bytes are not whole ${size}-byte elements`,
    );
  }
  return Array.from({ length: bytes.length / size }, (_, i) => {
    const at = i * size;
    switch (type) {
      case 'BOOL':
        return bytes.readUInt8(at) !== 0;
      case 'UINT8':
        return bytes.readUInt8(at);
      case 'INT8':
        return bytes.readInt8(at);
      case 'UINT16':
        return bytes.readUInt16LE(at);
      case 'INT16':
        return bytes.readInt16LE(at);
      case 'FP16':
        return fromHalfBits(bytes.readUInt16LE(at));
      case 'UINT32':
        return bytes.readUInt32LE(at);
      case 'INT32':
        return bytes.readInt32LE(at);
      case 'FP32':
        return bytes.readFloatLE(at);
      case 'UINT64':
        return Number(bytes.readBigUInt64LE(at));
      case 'INT64':
        return Number(bytes.readBigInt64LE(at));
      default:
        return bytes.readDoubleLE(at);
    }
  });
}

/** Flattens nested arrays in row-major order; a scalar is one element. */
export function flattenElements(value: unknown, what: string): Element[] {
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') {
    return [value];
  }
  if (!Array.isArray(value)) {
    throw new ProtocolError(`${what} must be numbers, booleans or strings, nested in arrays`);
  }
  return value.flatMap((item) => flattenElements(item, what));
}

/** Numbers from decoded elements; JSON spells float specials as strings. */
export function numbersOf(values: readonly unknown[]): number[] | undefined {
  const out: number[] = [];
  for (const value of values) {
    if (typeof value === 'number') out.push(value);
    else if (typeof value === 'boolean') out.push(value ? 1 : 0);
    else if (value === 'NaN' || value === 'Infinity' || value === '-Infinity')
      out.push(Number(value));
    else return undefined;
  }
  return out;
}
