import type { Runtime, RuntimeContext } from './types.ts';
import { sharedMemory, SCRATCH_HOME } from './pod.ts';
import { doesNotFit, extension, hasFile, placeTree } from './placement.ts';

/** vLLM serves a Hugging Face model folder through its OpenAI-compatible server. */
export const vllm: Runtime = {
  name: 'vllm',
  protocol: 'openai',
  defaultBaseImage: 'docker.io/vllm/vllm-openai:v0.6.3',
  ports: [{ name: 'http', port: 8000 }],
  health: { live: '/health', ready: '/health' },
  // The vllm-openai image runs as root with HOME=/root, where vLLM, Hugging
  // Face, Triton (the compiler) and torch keep their caches. As uid 1000 they
  // go to an emptyDir HOME instead; USER stands in for the passwd entry the
  // uid lacks (getpass reads it before asking the passwd file). Tensor
  // parallelism needs /dev/shm larger than a container's 64 MiB. Images of ~9 GB.
  pod: {
    runAsUser: 1000,
    readOnlyRootFilesystem: false,
    startupSeconds: 900,
    pullSeconds: 600,
    shutdownSeconds: 60,
    defaultRequests: { cpu: '4', memory: '16Gi' },
    scratch: [{ name: 'home', mountPath: SCRATCH_HOME }, sharedMemory('2Gi')],
    env: { HOME: SCRATCH_HOME, USER: 'vllm' },
    requiresGpu: true,
  },
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
