import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The demo model: examples/iris, a 4-feature → 3-class linear classifier
 * (softmax of W·x + b) whose weights are a text file and whose server is
 * busybox httpd with an awk CGI script. Three versions show the release
 * story: the shipped weights, retrained weights, and a broken export that
 * the server refuses to load.
 */

export const EXAMPLE_DIR = fileURLToPath(new URL('../../examples/iris/', import.meta.url));
export const LABELS = ['setosa', 'versicolor', 'virginica'] as const;
/** The flower the smoke test asks about: a virginica. */
export const SAMPLE = [6.7, 3.0, 5.2, 2.3] as const;

export interface ModelVersion {
  version: string;
  /** The folder handed to the package action. */
  dir: string;
  /** What the server must answer for SAMPLE; undefined for a version that cannot serve. */
  probabilities?: number[];
  description: string;
}

type Weights = number[][];

function parseWeights(text: string): Weights {
  return text
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number));
}

/** softmax(W·x + b) in double precision; the server's awk agrees to about 1e-9. */
export function classify(weights: Weights, features: readonly number[]): number[] {
  const logits = weights.map((row) =>
    row.slice(0, 4).reduce((sum, w, i) => sum + w * (features[i] ?? 0), row[4] ?? 0),
  );
  const top = Math.max(...logits);
  const exps = logits.map((l) => Math.exp(l - top));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

/** Writes the three versions under `work` and returns them in release order. */
export function prepareModelVersions(work: string): {
  good: ModelVersion;
  retrained: ModelVersion;
  broken: ModelVersion;
} {
  const shipped = join(EXAMPLE_DIR, 'model');
  const copy = (version: string, weights: string): string => {
    const dir = join(work, `iris-v${version}`);
    mkdirSync(dir, { recursive: true });
    cpSync(shipped, dir, { recursive: true });
    writeFileSync(join(dir, 'weights.txt'), weights);
    return dir;
  };
  const v1 = readFileSync(join(shipped, 'weights.txt'), 'utf8');
  const v2 = readFileSync(join(EXAMPLE_DIR, 'retrained-weights.txt'), 'utf8');
  // An export that lost the bias column: the server stops at start-up, as a real one would.
  const v3 = v2
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).slice(0, 4).join(' '))
    .join('\n');
  return {
    good: {
      version: '1',
      dir: copy('1', v1),
      probabilities: classify(parseWeights(v1), SAMPLE),
      description: 'the shipped weights',
    },
    retrained: {
      version: '2',
      dir: copy('2', v2),
      probabilities: classify(parseWeights(v2), SAMPLE),
      description: 'retrained weights',
    },
    broken: {
      version: '3',
      dir: copy('3', `${v3}\n`),
      description: 'a weights export without the bias column (the server cannot load it)',
    },
  };
}
