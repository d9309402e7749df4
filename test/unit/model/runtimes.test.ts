import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collectModel } from '../../../shared/model/files.ts';
import { RUNTIMES, runtimeByName } from '../../../shared/model/runtimes/index.ts';
import { signatureFromConfig } from '../../../shared/model/runtimes/triton.ts';
import { signatureFromMlmodel } from '../../../shared/model/mlmodel.ts';
import { openApiDocument } from '../../../shared/model/openapi-document.ts';
import { chooseModelCompression } from '../../../shared/model/compression.ts';
import {
  tritonOnnxFolder,
  savedModelFolder,
  torchserveArchive,
  sklearnFolder,
  huggingFaceFolder,
  float32Weights,
} from '../../support/model-files.ts';
import type { RuntimeName } from '../../../shared/model/runtimes/types.ts';

const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'md-rt-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function plan(runtime: RuntimeName, path: string, version = '2', name = 'm') {
  const tree = await collectModel(path);
  return RUNTIMES[runtime].plan({ name, version, tree });
}

describe('runtime layouts', () => {
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

  it('tfserving: SavedModel under /models/<name>/<version>, env for the official image', async () => {
    const p = await plan('tfserving', savedModelFolder(temp()));
    expect(p.files.map((f) => f.imagePath).sort()).toEqual([
      '/models/m/2/saved_model.pb',
      '/models/m/2/variables/variables.data-00000-of-00001',
      '/models/m/2/variables/variables.index',
    ]);
    expect(
      RUNTIMES.tfserving.env({
        name: 'm',
        version: '2',
        tree: await collectModel(savedModelFolder(temp())),
      }),
    ).toEqual({ MODEL_NAME: 'm', MODEL_BASE_PATH: '/models' });
  });

  it('torchserve: exactly one .mar in the model store', async () => {
    const p = await plan('torchserve', torchserveArchive(temp()));
    expect(p.files.map((f) => f.imagePath)).toEqual(['/home/model-server/model-store/m.mar']);
    const two = torchserveArchive(temp());
    writeFileSync(join(two, 'other.mar'), 'x');
    await expect(plan('torchserve', two)).rejects.toThrow('holds 2 .mar archives');
    await expect(plan('torchserve', savedModelFolder(temp()))).rejects.toThrow(
      'no .mar model archive',
    );
  });

  it('mlserver: model-settings.json generated from the file type, or refused when unknown', async () => {
    const p = await plan('mlserver', sklearnFolder(temp()));
    const settings = JSON.parse(p.generated[0]!.content.toString());
    expect(p.generated[0]!.imagePath).toBe('/mnt/models/m/model-settings.json');
    expect(settings).toEqual({
      name: 'm',
      implementation: 'mlserver_sklearn.SKLearnModel',
      parameters: { uri: './model.joblib', version: '2' },
    });
    const unknown = temp();
    writeFileSync(join(unknown, 'weights.xyz'), 'x');
    await expect(plan('mlserver', unknown)).rejects.toThrow(
      'no model-settings.json, and no file MLServer knows how to load',
    );
    const given = temp();
    writeFileSync(join(given, 'model-settings.json'), '{not json');
    await expect(plan('mlserver', given)).rejects.toThrow(
      'has a model-settings.json that is not JSON',
    );
  });

  it('mlserver: a .bst is LightGBM when it holds LightGBM text, XGBoost otherwise', async () => {
    const settingsOf = async (file: string, content: string | Buffer) => {
      const dir = temp();
      writeFileSync(join(dir, file), content);
      const p = await plan('mlserver', dir);
      return JSON.parse(p.generated[0]!.content.toString()) as {
        implementation: string;
        parameters: { uri: string };
      };
    };
    // How LightGBM's Booster.save_model starts its text format, whatever the file's name.
    const lightgbm = 'tree\nversion=v4\nnum_class=1\nnum_tree_per_iteration=1\nlabel_index=0\n';
    expect(await settingsOf('model.bst', lightgbm)).toMatchObject({
      implementation: 'mlserver_lightgbm.LightGBMModel',
      parameters: { uri: './model.bst' },
    });
    expect((await settingsOf('model.txt', lightgbm)).implementation).toBe(
      'mlserver_lightgbm.LightGBMModel',
    );
    // XGBoost's binary and UBJSON models.
    expect(
      (await settingsOf('model.bst', Buffer.from([0, 0, 0, 63, 1, 0, 0, 0]))).implementation,
    ).toBe('mlserver_xgboost.XGBoostModel');
    expect((await settingsOf('model.ubj', Buffer.from('{L\x00\x00\x00'))).implementation).toBe(
      'mlserver_xgboost.XGBoostModel',
    );
    // A text file that is not a LightGBM model is not taken for one.
    await expect(settingsOf('notes.txt', 'hello\n')).rejects.toThrow(
      'no model-settings.json, and no file MLServer knows how to load',
    );
  });

  it("torchserve: started with its config.properties named, a given one replacing the image's", async () => {
    const dir = torchserveArchive(temp());
    const cmd = RUNTIMES.torchserve.command({
      name: 'm',
      version: '1',
      tree: await collectModel(dir),
    }).cmd!;
    expect(cmd.slice(cmd.indexOf('--ts-config'), cmd.indexOf('--ts-config') + 2)).toEqual([
      '--ts-config',
      '/home/model-server/config.properties',
    ]);
    writeFileSync(join(dir, 'config.properties'), 'inference_address=http://0.0.0.0:8080\n');
    const p = await plan('torchserve', dir);
    expect(p.files.map((f) => f.imagePath)).toEqual([
      '/home/model-server/model-store/m.mar',
      '/home/model-server/config.properties',
    ]);
  });

  it('vllm: a Hugging Face folder under /models/<name>', async () => {
    const p = await plan('vllm', huggingFaceFolder(temp()));
    expect(p.modelPath).toBe('/models/m');
    expect(
      RUNTIMES.vllm.command({
        name: 'm',
        version: '1',
        tree: await collectModel(huggingFaceFolder(temp())),
      }).cmd,
    ).toContain('/models/m');
    const noConfig = temp();
    writeFileSync(join(noConfig, 'model.safetensors'), 'x');
    await expect(plan('vllm', noConfig)).rejects.toThrow('needs config.json');
  });

  it('custom: any files under /models/<name>/<version>', async () => {
    const dir = temp();
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'a.bin'), 'a');
    expect((await plan('custom', dir, 'v1.2')).files.map((f) => f.imagePath)).toEqual([
      '/models/m/v1.2/sub/a.bin',
    ]);
  });

  it('runtimeByName names the input on an unknown runtime', () => {
    expect(runtimeByName('TRITON').name).toBe('triton');
    expect(() => runtimeByName('onnx')).toThrow(
      "input 'runtime' must be one of triton, tfserving, torchserve, mlserver, vllm, custom; got 'onnx'",
    );
  });
});

describe('signatures and OpenAPI', () => {
  it('reads tensors from config.pbtxt and MLmodel', () => {
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
    const mlmodel = signatureFromMlmodel(
      'signature:\n  inputs: \'[{"name": "sepal", "type": "double"}]\'\n  outputs: \'[{"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}}]\'\n',
    );
    expect(mlmodel).toEqual({
      inputs: [{ name: 'sepal', datatype: 'FP64', shape: [-1] }],
      outputs: [{ name: 'output-0', datatype: 'INT64', shape: [-1] }],
    });
  });

  it.each([
    ['triton', '/v2/models/m/infer'],
    ['mlserver', '/v2/models/m/versions/3/infer'],
    ['tfserving', '/v1/models/m:predict'],
    ['torchserve', '/predictions/m'],
    ['vllm', '/v1/chat/completions'],
  ] as const)('%s documents %s and its health paths', (runtime, path) => {
    const doc = openApiDocument({ runtime: RUNTIMES[runtime], name: 'm', version: '3' }) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths).toHaveProperty([path]);
    expect(doc.paths).toHaveProperty([RUNTIMES[runtime].health.ready.replace('{name}', 'm')]);
  });
});

describe('model layer compression', () => {
  it('leaves float weights uncompressed and gzips text-like models', async () => {
    const weights = join(temp(), 'w.bin');
    writeFileSync(weights, float32Weights(1 << 20));
    const text = join(temp(), 'vocab.json');
    writeFileSync(
      text,
      JSON.stringify(Array.from({ length: 20000 }, (_, i) => `token-${i % 500}`)),
    );
    const files = (path: string, size: number) => [
      { path: 'f', size, executable: false, source: path },
    ];
    expect((await chooseModelCompression(files(weights, 1 << 20))).compression).toBe('none');
    const textChoice = await chooseModelCompression(
      files(text, (await import('node:fs')).statSync(text).size),
    );
    expect(textChoice.compression).toBe('gzip');
    expect(textChoice.ratio).toBeLessThan(0.3);
  });
});
