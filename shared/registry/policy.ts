/**
 * How blobs are sent to a registry. Registries differ: some want one
 * monolithic PUT, some refuse large request bodies, some want chunks of a
 * minimum size (except the last); each cloud says which of its registries
 * want what.
 */
export interface UploadPolicy {
  name: string;
  /** Blobs up to this size go in one PUT; larger ones in PATCH chunks. */
  monolithicMaxBytes: number;
  /** Chunk size when chunking. */
  chunkBytes: number;
  /** The registry refuses smaller chunks (except the last); chunk size never shrinks below it. */
  minChunkBytes: number;
}
