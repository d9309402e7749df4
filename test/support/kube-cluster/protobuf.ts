import { ApiError } from './status.ts';
import type { JsonObject } from './schema.ts';

/**
 * kubectl's typed commands (`kubectl create namespace|configmap|secret`) send
 * Kubernetes protobuf ("k8s\0" + runtime.Unknown). The test double decodes the
 * wire format generically and maps the fields these kinds use (ObjectMeta is
 * field 1 of every object); other kinds get a 415 that names the way around it.
 */
export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

type Field = { number: number; bytes?: Buffer; varint?: bigint };

function readVarint(buf: Buffer, offset: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    const byte = buf[offset++];
    if (byte === undefined) throw new Error('truncated varint');
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [result, offset];
    shift += 7n;
  }
}

function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let offset = 0;
  while (offset < buf.length) {
    const [key, next] = readVarint(buf, offset);
    offset = next;
    const number = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (wire === 0) {
      const [value, after] = readVarint(buf, offset);
      offset = after;
      out.push({ number, varint: value });
    } else if (wire === 2) {
      const [length, after] = readVarint(buf, offset);
      offset = after + Number(length);
      out.push({ number, bytes: buf.subarray(after, offset) });
    } else if (wire === 1) offset += 8;
    else if (wire === 5) offset += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
  return out;
}

const str = (f: Field | undefined) => f?.bytes?.toString('utf8');

function stringMap(
  all: Field[],
  number: number,
  binary = false,
): Record<string, string> | undefined {
  const entries = all.filter((f) => f.number === number && f.bytes);
  if (entries.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const entry of entries) {
    const kv = fields(entry.bytes!);
    const key = str(kv.find((f) => f.number === 1)) ?? '';
    const value = kv.find((f) => f.number === 2)?.bytes ?? Buffer.alloc(0);
    out[key] = binary ? value.toString('base64') : value.toString('utf8');
  }
  return out;
}

function objectMeta(buf: Buffer): JsonObject {
  const all = fields(buf);
  const meta: JsonObject = {};
  const name = str(all.find((f) => f.number === 1));
  const generateName = str(all.find((f) => f.number === 2));
  const namespace = str(all.find((f) => f.number === 3));
  if (name) meta.name = name;
  if (generateName) meta.generateName = generateName;
  if (namespace) meta.namespace = namespace;
  const labels = stringMap(all, 11);
  const annotations = stringMap(all, 12);
  if (labels) meta.labels = labels;
  if (annotations) meta.annotations = annotations;
  const finalizers = all.filter((f) => f.number === 14).map(str);
  if (finalizers.length) meta.finalizers = finalizers;
  return meta;
}

export function decodeProtobufObject(body: Buffer): JsonObject {
  if (!body.subarray(0, 4).equals(MAGIC))
    throw new ApiError(400, 'BadRequest', 'protobuf body without the k8s envelope');
  const unknown = fields(body.subarray(4));
  const typeMeta = fields(unknown.find((f) => f.number === 1)?.bytes ?? Buffer.alloc(0));
  const apiVersion = str(typeMeta.find((f) => f.number === 1)) ?? '';
  const kind = str(typeMeta.find((f) => f.number === 2)) ?? '';
  const raw = fields(unknown.find((f) => f.number === 2)?.bytes ?? Buffer.alloc(0));
  const metadata = objectMeta(raw.find((f) => f.number === 1)?.bytes ?? Buffer.alloc(0));
  const obj: JsonObject = { apiVersion, kind, metadata };
  switch (kind) {
    case 'Namespace':
      return obj;
    case 'ConfigMap': {
      const data = stringMap(raw, 2);
      const binaryData = stringMap(raw, 3, true);
      if (data) obj.data = data;
      if (binaryData) obj.binaryData = binaryData;
      return obj;
    }
    case 'Secret': {
      const data = stringMap(raw, 2, true);
      const type = str(raw.find((f) => f.number === 3));
      if (data) obj.data = data;
      if (type) obj.type = type;
      return obj;
    }
    default:
      throw new ApiError(
        415,
        'UnsupportedMediaType',
        `the test double cluster decodes protobuf only for Namespace, ConfigMap and Secret (got ${kind}); send JSON or YAML instead, e.g. kubectl apply -f`,
      );
  }
}
