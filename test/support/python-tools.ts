import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * Python tools the tests run (moto's server; later MLflow, DVC, MLServer),
 * pinned, each in its own virtual environment in a cache folder outside the
 * clone, made once per machine and reused by every later run.
 */
export const PYTHON_TOOLS = {
  moto: { requirements: ['moto[server]==5.2.5'], bin: 'moto_server' },
  // The tracking server and the client that registers models, with the
  // libraries MLflow uses for artifact roots on S3, Cloud Storage and Azure Blob.
  mlflow: {
    requirements: [
      // 3.18.0 is listed, but its mlflow-skinny==3.18.0 is not served: 3.17.2 is the newest that installs.
      'mlflow==3.17.2',
      'scikit-learn==1.9.1',
      'boto3==1.44.5',
      'google-cloud-storage==3.17.1',
      'azure-storage-blob==12.31.1',
      'azure-identity==1.27.0',
    ],
    bin: 'mlflow',
  },
  // DVC's own venv: its pins (fsspec, s3fs, aiobotocore) clash with MLflow's boto3.
  dvc: { requirements: ['dvc==3.67.1', 'dvc-s3==3.3.0'], bin: 'dvc' },
  // MLServer 1.7.1 with its scikit-learn runtime. Its dependencies are open
  // ranges, so those that broke it are pinned to versions of its time:
  // uvloop 0.22 removed the implicit event loop its inference workers use.
  mlserver: {
    requirements: [
      'mlserver==1.7.1',
      'mlserver-sklearn==1.7.1',
      'scikit-learn==1.6.1',
      'joblib==1.5.1',
      'numpy==2.2.6',
      'pandas==2.2.3',
      'uvloop==0.21.0',
    ],
    bin: 'mlserver',
  },
} as const;

export type PythonTool = keyof typeof PYTHON_TOOLS;

/** The machine-wide cache of the test tools, outside any clone. */
export function toolCache(): string {
  const root =
    process.env.MODEL_DEPLOY_TOOL_CACHE ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'model-deploy');
  mkdirSync(root, { recursive: true });
  return root;
}

function venvDir(tool: PythonTool): string {
  const pins = PYTHON_TOOLS[tool].requirements.join('\n');
  const key = createHash('sha256').update(pins).digest('hex').slice(0, 12);
  return join(toolCache(), `python-${tool}-${key}`);
}

/** The path of a tool's executable (or of another program in its venv, such as `python`). */
export function pythonToolPath(tool: PythonTool, program: string = PYTHON_TOOLS[tool].bin): string {
  const path = join(venvDir(tool), 'bin', program);
  if (!existsSync(join(venvDir(tool), '.complete'))) {
    throw new Error(
      `the tests need ${PYTHON_TOOLS[tool].requirements.join(' ')}, which is not set up in ${venvDir(tool)}: run the suite through \`npm test\`, whose global setup installs it`,
    );
  }
  return path;
}

/**
 * Makes the tool's virtual environment when it is missing. A lock (flock)
 * serialises concurrent suites on one machine; the `.complete` marker is
 * written last, so a broken install is redone, never used.
 */
export async function ensurePythonTool(
  tool: PythonTool,
  log: (line: string) => void = (line) => console.log(line),
): Promise<string> {
  const dir = venvDir(tool);
  if (existsSync(join(dir, '.complete'))) return pythonToolPath(tool);
  const requirements = PYTHON_TOOLS[tool].requirements;
  log(`setting up ${requirements.join(' ')} in ${dir} (once per machine)…`);
  const started = Date.now();
  const script = [
    'set -eu',
    'dir="$1"; shift',
    '[ -f "$dir/.complete" ] && exit 0',
    'rm -rf "$dir"',
    'python3 -m venv "$dir"',
    '"$dir/bin/pip" install --quiet --disable-pip-version-check "$@"',
    'touch "$dir/.complete"',
  ].join('\n');
  try {
    await execFileAsync(
      'flock',
      [`${dir}.lock`, 'sh', '-c', script, 'setup', dir, ...requirements],
      { maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(
      `installing ${requirements.join(' ')} with pip failed: ${(e.stderr || e.message).trim().split('\n').slice(-5).join('\n')}`,
      { cause: err },
    );
  }
  log(`${tool} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return pythonToolPath(tool);
}
