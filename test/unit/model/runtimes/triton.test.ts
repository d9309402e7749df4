import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planFor, tempFolders } from '../../../support/runtime-plans.ts';
import { signatureFromConfig } from '../../../../shared/model/runtimes/triton.ts';
import { tritonOnnxFolder, float32Weights } from '../../../support/model-files.ts';

const temp = tempFolders();
const plan = planFor;

describe('triton: where the files go', () => {
  it('triton: version folder, given config kept, minimal config generated for a single ONNX file', async () => {
    const given = tritonOnnxFolder(temp(), { config: true });
    const folder = await plan('triton', given, '2', 'resnet');
    expect(folder.files.map((f) => f.imagePath).sort()).toEqual([
      '/models/resnet/2/model.onnx',
      '/models/resnet/config.pbtxt',
    ]);
    expect(folder.generated).toEqual([]);
    // max_batch_size 8: Triton puts the batch dimension in front of the configured dims.
    expect(folder.signature?.inputs).toEqual([
      { name: 'input__0', datatype: 'FP32', shape: [-1, 3, 224, 224] },
    ]);
    // The config names the model 'resnet': served as anything else, Triton would not load it.
    await expect(plan('triton', given)).rejects.toThrow(
      "config.pbtxt names the model 'resnet', but it is served as 'm'",
    );
    const single = join(temp(), 'resnet.onnx');
    writeFileSync(single, float32Weights(64));
    const file = await plan('triton', single);
    expect(file.files.map((f) => f.imagePath)).toEqual(['/models/m/2/model.onnx']);
    expect(file.generated[0]?.imagePath).toBe('/models/m/config.pbtxt');
    expect(file.generated[0]?.content.toString()).toBe('name: "m"\nbackend: "onnxruntime"\n');
    const pt = join(temp(), 'model.pt');
    writeFileSync(pt, 'x');
    await expect(plan('triton', pt)).rejects.toThrow('a TorchScript model needs a config.pbtxt');
  });

  it('triton: a model folder with its own version folders is kept as it is', async () => {
    const dir = temp();
    tritonOnnxFolder(join(dir, '7'), { config: false });
    writeFileSync(join(dir, 'config.pbtxt'), 'name: "m"\nbackend: "onnxruntime"\n');
    const p = await plan('triton', dir);
    expect(p.files.map((f) => f.imagePath).sort()).toEqual([
      '/models/m/7/model.onnx',
      '/models/m/config.pbtxt',
    ]);
    const empty = temp();
    mkdirSync(join(empty, '1'));
    writeFileSync(join(empty, '1', 'weights.bin'), 'x');
    writeFileSync(join(empty, 'config.pbtxt'), 'name: "m"\n');
    await expect(plan('triton', empty)).rejects.toThrow(
      'none of the version folders (1) holds a model.onnx',
    );
  });
});

describe('signatures', () => {
  it('reads tensors from config.pbtxt', () => {
    expect(signatureFromConfig('name: "x"\nbackend: "onnxruntime"\n')).toBeUndefined();
    // Repeated fields, <> messages, scalar lists written field by field, comments, no batching.
    expect(
      signatureFromConfig(
        [
          'name: "bert"  # the served name',
          'input { name: "input_ids" data_type: TYPE_INT64 dims: [ -1 ] }',
          'input < name: "mask", data_type: TYPE_INT64, dims: -1 >',
          'output [{ name: "logits" data_type: TYPE_FP16 dims: 2 dims: 3 }]',
        ].join('\n'),
      ),
    ).toEqual({
      inputs: [
        { name: 'input_ids', datatype: 'INT64', shape: [-1] },
        { name: 'mask', datatype: 'INT64', shape: [-1] },
      ],
      outputs: [{ name: 'logits', datatype: 'FP16', shape: [2, 3] }],
    });
  });
});
