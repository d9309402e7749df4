import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { collectModel } from '../../shared/model/files.ts';
import { mlserver as mlserverRuntime } from '../../shared/model/runtimes/mlserver.ts';
import type { RuntimePlan } from '../../shared/model/runtimes/types.ts';
import { freePort, startProcess, waitFor, type ManagedProcess } from './processes.ts';
import { pythonToolPath } from './python-tools.ts';

const execFileAsync = promisify(execFile);

/**
 * The real MLServer (PyPI `mlserver` + `mlserver-sklearn`, pinned in
 * python-tools.ts) serving a small scikit-learn model over the Open
 * Inference Protocol, REST and gRPC. The model repository is laid out by our
 * own `mlserver` runtime profile, as package puts it in the image, so what
 * MLServer loads is what users ship.
 */

/** Where the profile puts models in the image; the repository mirrors it in a temp folder. */
const IMAGE_MODELS = '/mnt/models';

export const IRIS_FEATURES = {
  setosa: [5.1, 3.5, 1.4, 0.2],
  versicolor: [5.9, 2.8, 4.3, 1.3],
  virginica: [6.7, 3.0, 5.2, 2.3],
} as const;

export interface TrainedModel {
  /** The folder holding model.joblib, as a user's repository would. */
  dir: string;
  /** predict_proba of each sample, as scikit-learn computed it at training time. */
  probabilities: Record<keyof typeof IRIS_FEATURES, number[]>;
  classes: string[];
  sklearnVersion: string;
}

/**
 * Trains a logistic regression on a fixed handful of iris rows in MLServer's
 * own Python and saves it with joblib. Deterministic: the same rows and the
 * lbfgs solver give the same coefficients on every run.
 */
export async function trainIrisModel(dir: string): Promise<TrainedModel> {
  mkdirSync(dir, { recursive: true });
  const python = join(dirname(pythonToolPath('mlserver')), 'python');
  const script = `
import json, sys, joblib, numpy, sklearn
from sklearn.linear_model import LogisticRegression
rows = [[5.1,3.5,1.4,0.2],[4.9,3.0,1.4,0.2],[4.7,3.2,1.3,0.2],[5.9,2.8,4.3,1.3],
        [6.0,2.2,4.0,1.0],[5.5,2.4,3.8,1.1],[6.7,3.0,5.2,2.3],[6.3,2.9,5.6,1.8],[7.2,3.6,6.1,2.5]]
labels = [0,0,0,1,1,1,2,2,2]
model = LogisticRegression(max_iter=1000).fit(numpy.array(rows), numpy.array(labels))
joblib.dump(model, sys.argv[1] + "/model.joblib")
samples = json.loads(sys.argv[2])
print(json.dumps({"probabilities": {k: model.predict_proba(numpy.array([v]))[0].tolist() for k, v in samples.items()},
                  "sklearn": sklearn.__version__}))
`;
  const { stdout } = await execFileAsync(python, [
    '-c',
    script,
    dir,
    JSON.stringify(IRIS_FEATURES),
  ]);
  const trained = JSON.parse(stdout) as {
    probabilities: TrainedModel['probabilities'];
    sklearn: string;
  };
  return {
    dir,
    probabilities: trained.probabilities,
    classes: ['setosa', 'versicolor', 'virginica'],
    sklearnVersion: trained.sklearn,
  };
}

/** Writes what the runtime plan puts under /mnt/models into `root`: the files and the generated settings. */
export function layOutRepository(plan: RuntimePlan, root: string): void {
  const local = (imagePath: string) => {
    if (!imagePath.startsWith(`${IMAGE_MODELS}/`)) {
      throw new Error(`the mlserver profile placed ${imagePath} outside ${IMAGE_MODELS}`);
    }
    return join(root, imagePath.slice(IMAGE_MODELS.length + 1));
  };
  for (const dir of plan.directories) {
    if (dir !== IMAGE_MODELS) mkdirSync(local(dir), { recursive: true });
  }
  for (const { file, imagePath } of plan.files) {
    mkdirSync(dirname(local(imagePath)), { recursive: true });
    copyFileSync(file.source, local(imagePath));
  }
  for (const { imagePath, content } of plan.generated) writeFileSync(local(imagePath), content);
}

export interface LocalMlserver {
  /** http://127.0.0.1:PORT, the REST endpoint. */
  httpUrl: string;
  /** grpc://127.0.0.1:PORT. */
  grpcUrl: string;
  pid: number;
  /** The model repository MLServer serves (the profile's /mnt/models). */
  repository: string;
  /** From the start of the process to the model answering ready, in ms. */
  startMs: number;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Packages the model folder as the `mlserver` profile does, starts `mlserver
 * start <repository>` (the profile's command) on free 127.0.0.1 ports, and
 * waits until REST says the server is ready and MLServer logs its gRPC
 * server running. Ports come from MLServer's environment settings, so the
 * repository is exactly what the image holds.
 */
export async function startMlserver(options: {
  modelDir: string;
  name: string;
  version: string;
}): Promise<LocalMlserver> {
  const bin = pythonToolPath('mlserver');
  const tree = await collectModel(options.modelDir);
  const plan = mlserverRuntime.plan({ name: options.name, version: options.version, tree });
  const repository = mkdtempSync(join(tmpdir(), 'md-mlserver-'));
  layOutRepository(plan, repository);
  const [, ...args] = mlserverRuntime.command({
    name: options.name,
    version: options.version,
    tree,
  }).cmd!;
  const commandArgs = args.map((a) => (a === IMAGE_MODELS ? repository : a));

  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const [http, grpc, metrics] = [await freePort(), await freePort(), await freePort()];
    const started = performance.now();
    const proc: ManagedProcess = startProcess('mlserver', bin, commandArgs, {
      cwd: repository,
      env: {
        ...process.env,
        MLSERVER_HOST: '127.0.0.1',
        MLSERVER_HTTP_PORT: String(http),
        MLSERVER_GRPC_PORT: String(grpc),
        MLSERVER_METRICS_PORT: String(metrics),
        // Python buffers a pipe; the log must arrive as it is written.
        PYTHONUNBUFFERED: '1',
      },
    });
    let exited = false;
    proc.child.once('exit', () => (exited = true));
    const httpUrl = `http://127.0.0.1:${http}`;
    try {
      await waitFor(
        `MLServer ready at ${httpUrl} with gRPC on ${grpc}`,
        async () => {
          if (exited) throw new Error(`mlserver exited:\n${proc.output().slice(-3000)}`);
          if (!proc.output().includes(`gRPC server running on http://127.0.0.1:${grpc}`)) {
            return false;
          }
          const res = await fetch(`${httpUrl}${mlserverRuntime.health.ready}`, {
            signal: AbortSignal.timeout(2000),
          });
          await res.arrayBuffer();
          return res.status === 200;
        },
        180_000,
        200,
      );
      return {
        httpUrl,
        grpcUrl: `grpc://127.0.0.1:${grpc}`,
        pid: proc.pid,
        repository,
        startMs: performance.now() - started,
        output: () => proc.output(),
        stop: async () => {
          await proc.stop();
          rmSync(repository, { recursive: true, force: true });
        },
      };
    } catch (err) {
      lastError = err;
      await proc.stop();
      if (!/address already in use|Errno 98/i.test(proc.output())) break;
    }
  }
  rmSync(repository, { recursive: true, force: true });
  throw lastError;
}

/** MLServer's own defaults, read from its settings classes: what the image serves on. */
export async function mlserverDefaults(): Promise<{
  httpPort: number;
  grpcPort: number;
  metricsPort: number;
  version: string;
}> {
  const python = join(dirname(pythonToolPath('mlserver')), 'python');
  const { stdout } = await execFileAsync(
    python,
    [
      '-c',
      'import json, mlserver; from mlserver.settings import Settings; s = Settings(); ' +
        'print(json.dumps({"httpPort": s.http_port, "grpcPort": s.grpc_port, "metricsPort": s.metrics_port, "version": mlserver.__version__}))',
    ],
    { cwd: tmpdir(), env: { PATH: process.env.PATH ?? '' } },
  );
  return JSON.parse(stdout);
}

export function readSettings(repository: string, name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(repository, name, 'model-settings.json'), 'utf8'));
}
