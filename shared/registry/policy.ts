/**
 * How blobs are sent to a registry. Registries differ: Artifact Registry wants
 * one monolithic PUT, ACR refuses request bodies over about 20 MB, ECR wants
 * chunks of at least 5 MiB (except the last) and answers PATCH with 201.
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

const MiB = 1024 * 1024;

export const UploadPolicies = {
  /** Distribution, GHCR, Harbor, Quay...: one streamed PUT is fastest and universally accepted. */
  generic: {
    name: 'generic',
    monolithicMaxBytes: Infinity,
    chunkBytes: 64 * MiB,
    minChunkBytes: 0,
  },
  /** ECR: layer parts of at least 5 MiB; chunked always, so one code path serves every size. */
  ecr: { name: 'ecr', monolithicMaxBytes: 0, chunkBytes: 32 * MiB, minChunkBytes: 5 * MiB },
  /** ACR: bodies above ~20 MB are refused, so larger blobs go in 16 MiB chunks. */
  acr: { name: 'acr', monolithicMaxBytes: 16 * MiB, chunkBytes: 16 * MiB, minChunkBytes: 0 },
  /** Artifact Registry: monolithic uploads. */
  artifactRegistry: {
    name: 'artifact-registry',
    monolithicMaxBytes: Infinity,
    chunkBytes: 64 * MiB,
    minChunkBytes: 0,
  },
} as const satisfies Record<string, UploadPolicy>;
