import { describe, expect, it } from 'vitest';
import type { ModelTree } from '../../../../shared/model/files.ts';
import {
  doesNotFit,
  extension,
  hasFile,
  placeTree,
  requireNumericVersion,
} from '../../../../shared/model/runtimes/placement.ts';

const file = (path: string) => ({ path, size: 1, executable: false, source: `/src/${path}` });
const tree: ModelTree = {
  root: '/src',
  singleFile: false,
  files: [file('model.onnx'), file('config.pbtxt'), file('sub/vocab.txt')],
  symlinks: [{ path: 'latest.onnx', target: 'model.onnx' }],
  directories: ['sub'],
  totalSize: 3,
};

describe('placement', () => {
  it('places files, links and folders under a prefix, skipping what is asked', () => {
    const plan = placeTree(tree, '/models/m/1', '/models/m', new Set(['config.pbtxt']));
    expect(plan.modelPath).toBe('/models/m');
    expect(plan.files.map((f) => f.imagePath)).toEqual([
      '/models/m/1/model.onnx',
      '/models/m/1/sub/vocab.txt',
    ]);
    expect(plan.files[0]!.file.source).toBe('/src/model.onnx');
    expect(plan.symlinks).toEqual([{ imagePath: '/models/m/1/latest.onnx', target: 'model.onnx' }]);
    expect(plan.directories).toEqual(['/models/m/1', '/models/m/1/sub']);
    expect(plan.generated).toEqual([]);
  });

  it('finds files and links by path, and extensions in lower case', () => {
    expect(hasFile(tree, 'sub/vocab.txt')).toBe(true);
    expect(hasFile(tree, 'latest.onnx')).toBe(true);
    expect(hasFile(tree, 'vocab.txt')).toBe(false);
    expect(extension('Model.ONNX')).toBe('.onnx');
    expect(extension('MLmodel')).toBe('');
  });

  it('names the model input or the version input when the files or version do not fit', () => {
    const error = doesNotFit('triton', 'no model.onnx', 'model: models/resnet');
    expect(error.input).toBe('model');
    expect(error.message).toContain('does not fit the triton runtime: no model.onnx');
    expect(() => requireNumericVersion('tfserving', '12')).not.toThrow();
    expect(() => requireNumericVersion('tfserving', 'v1')).toThrow(
      /input 'version' must be a whole number for the tfserving runtime/,
    );
  });
});
