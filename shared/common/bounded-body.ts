import { UserError } from './errors.ts';

/** A byte stream as fetch (a web ReadableStream) and undici's request (a Node Readable) give it. */
export type BodyStream = AsyncIterable<Uint8Array> | null | undefined;

export const KiB = 1024;
export const MiB = 1024 * KiB;

/**
 * Reads a server's answer into memory, but no more than `limit` bytes: a
 * server (hostile or broken) that sends more gets the read stopped and a
 * message naming it, instead of filling the runner's memory.
 */
export async function readBytes(body: BodyStream, limit: number, what: string): Promise<Buffer> {
  if (body === null || body === undefined) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limit) {
      // Leaving the loop cancels the stream, so the rest is never downloaded.
      throw new UserError(`${what} sent more than ${formatLimit(limit)}; stopped reading`, {
        hint: 'check that the URL points at the server it should; an answer this large is not what this action expects',
      });
    }
    chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  return Buffer.concat(chunks, size);
}

export async function readText(body: BodyStream, limit: number, what: string): Promise<string> {
  return (await readBytes(body, limit, what)).toString('utf8');
}

function formatLimit(bytes: number): string {
  return bytes >= MiB ? `${bytes / MiB} MiB` : `${bytes / KiB} KiB`;
}
