import type { JobSummary } from '../../shared/action/index.ts';
import { formatBytes } from '../../shared/common/bytes.ts';
import type {
  BuildModelImageRequest,
  BuildModelImageResult,
} from '../../shared/orchestrators/build-model-image.ts';

function baseFact(inputs: BuildModelImageRequest, result: BuildModelImageResult): string {
  if (result.base) return `${result.base.name} \`${result.base.digest}\``;
  return inputs.dockerfile ? `built from ${inputs.dockerfile}` : 'none (scratch)';
}

/** The job summary: digests, model, runtime, base, platforms, layers and lineage. */
export function summarize(
  summary: JobSummary,
  inputs: BuildModelImageRequest,
  result: BuildModelImageResult,
): void {
  const { runtime } = result;
  summary.facts([
    ['Image digest', `\`${result.digest}\``],
    ['Model', `${inputs.name} ${result.version} (${result.source.kind}: ${inputs.model})`],
    ['Model digest', `\`${result.modelDigest}\``],
    ['Runtime', `${runtime.name} (${runtime.protocol}), model at \`${result.modelPath}\``],
    ['Base', baseFact(inputs, result)],
    ['Platforms', result.platforms.join(', ')],
    [
      'Base layers',
      result.base
        ? inputs.includeBaseLayers
          ? 'in the layout'
          : 'not downloaded; push copies them registry-to-registry'
        : undefined,
    ],
    ['Layout', `\`${result.layout}\``],
  ]);
  if (result.layers.length > 0) {
    summary.heading('Layers');
    summary.table(
      ['Layer', 'Media type', 'Digest', 'Size'],
      result.layers.map((l) => [
        l.path ? `${l.role}: \`${l.path}\`` : l.role,
        l.mediaType.replace('application/vnd.oci.image.', ''),
        `\`${l.digest.slice(0, 19)}…\``,
        formatBytes(l.size),
      ]),
    );
  }
  const lineage = Object.entries(result.annotations);
  if (lineage.length > 0) {
    summary.details('Lineage annotations', lineage.map(([k, v]) => `- \`${k}\`: ${v}`).join('\n'));
  }
}
