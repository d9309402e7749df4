import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort, startProcess, waitFor, type ManagedProcess } from './processes.ts';
import { pythonToolPath } from './python-tools.ts';

const execFileAsync = promisify(execFile);

export interface MlflowServerOptions {
  /**
   * `proxy`: `--serve-artifacts`, artifacts under a local folder served through
   * the tracking server (`mlflow-artifacts:`). `direct`: `--no-serve-artifacts`
   * with `defaultArtifactRoot` (s3://, gs://, wasbs://), which clients read and
   * write themselves.
   */
  mode: 'proxy' | 'direct';
  defaultArtifactRoot?: string;
  /** For the server and the registering client: the stores' endpoints and credentials. */
  env?: Record<string, string>;
}

export interface ExperimentPlan {
  label: string;
  /** The registered model's name. */
  model: string;
  /** The experiment's own artifact location (s3://, gs://, wasbs://); the server's default when absent. */
  artifact_location?: string;
  /** Also a deleted and a pending version, a run-only model, a run without a model. */
  everything?: boolean;
  /**
   * Names of the signature's one input and one output tensor, as a model
   * logged with named arrays has them (unnamed when absent).
   */
  tensor_names?: { input: string; output: string };
}

export interface RegisteredModels {
  experiment_id: string;
  versions: Record<string, { run_id: string; model_id: string; artifact_location: string }>;
  deleted_version?: string;
  pending_version?: string;
  run_only?: { run_id: string; model_id: string; name: string };
  run_without_model?: string;
}

export interface LocalMlflow {
  /** http://127.0.0.1:PORT */
  url: string;
  pid: number;
  /** How long the server took to answer /health, in ms. */
  startMs: number;
  /** In proxy mode: the folder behind `mlflow-artifacts:/` (--artifacts-destination). */
  artifactsDir: string;
  /** Logs and registers models with MLflow's Python client; the ids by experiment label. */
  register(experiments: ExperimentPlan[]): Promise<Record<string, RegisteredModels>>;
  stop(): Promise<void>;
}

/**
 * Starts the real MLflow tracking server (pinned in python-tools.ts) on a free
 * 127.0.0.1 port with a fresh SQLite backend store.
 */
export async function startMlflow(options: MlflowServerOptions): Promise<LocalMlflow> {
  const mlflow = pythonToolPath('mlflow');
  const python = pythonToolPath('mlflow', 'python');
  const dir = mkdtempSync(join(tmpdir(), 'md-mlflow-'));
  const database = join(dir, 'mlflow.db');
  const env = {
    ...process.env,
    ...options.env,
    // Keep MLflow off the network: no telemetry, no version checks.
    MLFLOW_DISABLE_TELEMETRY: 'true',
    DO_NOT_TRACK: 'true',
    GIT_PYTHON_REFRESH: 'quiet',
  };
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const artifacts =
      options.mode === 'proxy'
        ? ['--serve-artifacts', '--artifacts-destination', join(dir, 'artifacts')]
        : ['--no-serve-artifacts', '--default-artifact-root', options.defaultArtifactRoot ?? ''];
    const started = Date.now();
    const proc: ManagedProcess = startProcess(
      'mlflow-server',
      mlflow,
      [
        'server',
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--workers',
        '1',
        '--backend-store-uri',
        `sqlite:///${database}`,
        ...artifacts,
      ],
      { env, cwd: dir },
    );
    let exited = false;
    proc.child.once('exit', () => (exited = true));
    try {
      await waitFor(
        `mlflow server at ${url}`,
        async () => {
          if (exited) throw new Error(`mlflow server exited:\n${proc.output().slice(-3000)}`);
          const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
          await res.arrayBuffer();
          return res.ok;
        },
        180_000,
        200,
      );
      const startMs = Date.now() - started;
      return {
        url,
        pid: proc.pid,
        startMs,
        artifactsDir: join(dir, 'artifacts'),
        async register(experiments) {
          const script = fileURLToPath(new URL('./mlflow_models.py', import.meta.url));
          const plan = JSON.stringify({ tracking_uri: url, database, experiments });
          try {
            const { stdout } = await execFileAsync(python, [script, plan], {
              env,
              cwd: dir,
              maxBuffer: 32 * 1024 * 1024,
            });
            const last = stdout.trim().split('\n').pop() ?? '';
            return JSON.parse(last) as Record<string, RegisteredModels>;
          } catch (err) {
            const e = err as { stderr?: string; message: string };
            throw new Error(
              `registering models with MLflow failed: ${(e.stderr || e.message).slice(-4000)}\nserver:\n${proc.output().slice(-2000)}`,
              { cause: err },
            );
          }
        },
        async stop() {
          await proc.stop();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    } catch (err) {
      lastError = err;
      await proc.stop();
      if (!/address already in use/i.test(proc.output())) break;
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastError;
}
