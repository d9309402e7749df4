import type { Runtime, RuntimeContext } from './types.ts';
import { doesNotFit, extension, hasFile, placeTree } from './placement.ts';

/** vLLM serves a Hugging Face model folder through its OpenAI-compatible server. */
export const vllm: Runtime = {
  name: 'vllm',
  protocol: 'openai',
  defaultBaseImage: 'docker.io/vllm/vllm-openai:v0.6.3',
  ports: [{ name: 'http', port: 8000 }],
  health: { live: '/health', ready: '/health' },
  numericVersion: false,
  // The image's entrypoint is the API server; these are its arguments.
  command: (ctx) => ({
    cmd: ['--model', `/models/${ctx.name}`, '--served-model-name', ctx.name, '--port', '8000'],
  }),
  env: () => ({}),
  plan(ctx: RuntimeContext) {
    const { tree } = ctx;
    const missing: string[] = [];
    if (tree.singleFile || !hasFile(tree, 'config.json')) missing.push('config.json');
    const weights = tree.files.some((f) =>
      ['.safetensors', '.bin', '.pt', '.gguf'].includes(extension(f.path)),
    );
    if (!weights) missing.push('weights (*.safetensors or *.bin)');
    if (missing.length > 0) {
      throw doesNotFit(
        'vllm',
        `a Hugging Face model folder needs ${missing.join(' and ')}`,
        'model: models/llama (config.json, model.safetensors, tokenizer.json)',
      );
    }
    return placeTree(tree, `/models/${ctx.name}`, `/models/${ctx.name}`);
  },
};
