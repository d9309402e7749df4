import { execFile } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { LABELS, prepareModelVersions, SAMPLE } from '../../scripts/demo/model.ts';
import { startAcrDouble, type AcrDouble } from '../../test/support/acr-double.ts';
import {
  startArtifactRegistryDouble,
  type ArtifactRegistryDouble,
} from '../../test/support/artifact-registry-double.ts';
import {
  startEntraDouble,
  startGithubOidcDouble,
  type EntraDouble,
} from '../../test/support/entra-double.ts';
import { startGoogleOAuthDouble } from '../../test/support/google-oauth-double.ts';
import { pushBusyboxImage } from '../../test/support/images.ts';
import { startCluster, type KubeCluster } from '../../test/support/kube/cluster.ts';
import { MOTO_ENV, startMoto, type LocalMoto } from '../../test/support/moto.ts';
import { startRegistry, type LocalRegistry } from '../../test/support/registry.ts';
import {
  startRegistryStandIn,
  type RegistryStandIn,
} from '../../test/support/registry-stand-ins.ts';
import { runActionBundle, type ActionRun } from '../action-process.ts';
import { summarize, type Summary } from '../measure.ts';
import type { SyntheticModel } from '../models.ts';
import {
  notMeasured,
  STAGES,
  SubjectRuns,
  type CaseResult,
  type ReleaseCloud as CloudName,
  type ReleaseFigures,
  type Stage,
} from '../results.ts';

/**
 * The paper's Table 1, reproduced: the time of a whole release (package,
 * push, deploy until the rollout is done, then the first correct answer from
 * the live model) of a ResNet50-size and a BERT-base-size model to three
 * cloud stand-ins in one run. Each cloud's registry is a real distribution
 * registry behind that cloud's sign-in and upload rules (ECR's token from
 * moto and its ≥ 5 MiB chunks; ACR's GitHub OIDC → Entra → /oauth2/exchange
 * → /oauth2/token flow and its monolithic cap; Artifact Registry's Google
 * token, repository creation over REST and monolithic uploads). The cluster
 * is one upstream control plane whose node runs every pod as a real
 * container (kubelet, containerd), pulling the image from that cloud's
 * registry. Every release is cold: its weights differ in their first bytes,
 * so every layer is new to the registry and to the node.
 *
 * What it does not do, stated beside the figures: the server is the iris
 * example (busybox httpd) that carries the weights file without loading it
 * into a framework, and deploy reaches the cluster with a kubeconfig, not
 * through the cloud's sign-in to its control plane.
 */

const execFileP = promisify(execFile);

const CLOUDS: CloudName[] = ['aws', 'azure', 'gcp'];

/** Table 1 of the paper: average deployment time per platform, in seconds. */
export const PAPER_SECONDS: Record<string, Record<CloudName, number>> = {
  '98M': { aws: 38.5, azure: 41.3, gcp: 36.8 },
  '420M': { aws: 52.1, azure: 54.6, gcp: 50.4 },
};
const MODEL_NAMES: Record<string, string> = { '98M': 'resnet50', '420M': 'bert-base' };

const CLIENT_ID = '22222222-3333-4444-5555-666666666666';
const NAMESPACE_PREFIX = 'release';

interface CloudStandIn {
  cloud: CloudName;
  /** Where the node pulls from: the registry behind the stand-in. */
  upstream: LocalRegistry;
  /** The push destination for a repository. */
  destination(repository: string): string;
  /** The image the node pulls, for a repository and digest. */
  pullRef(repository: string, digest: string): string;
  pushInputs: Record<string, string>;
  pushEnv: Record<string, string>;
}

interface World {
  base: string;
  cluster: KubeCluster;
  clouds: CloudStandIn[];
  stop(): Promise<void>;
}

async function ecrStandIn(moto: LocalMoto, upstream: LocalRegistry): Promise<RegistryStandIn> {
  const ecr = new ECRClient({
    region: 'us-east-1',
    endpoint: moto.endpoint,
    credentials: {
      accessKeyId: MOTO_ENV.AWS_ACCESS_KEY_ID,
      secretAccessKey: MOTO_ENV.AWS_SECRET_ACCESS_KEY,
    },
  });
  const answer = await ecr.send(new GetAuthorizationTokenCommand({}));
  const token = answer.authorizationData?.[0]?.authorizationToken;
  if (!token) throw new Error('moto gave no ECR authorization token');
  const [username, password] = Buffer.from(token, 'base64').toString('utf8').split(':');
  return startRegistryStandIn(upstream.url, {
    basicAuth: { username: username!, password: password! },
    minChunkBytes: 5 * 1024 * 1024,
    patchStatus: 201,
  });
}

async function startWorld(): Promise<World> {
  const stoppers: Array<() => Promise<unknown>> = [];
  const work = mkdtempSync(join(tmpdir(), 'md-bench-release-world-'));
  const stop = async () => {
    for (const s of stoppers.reverse()) await s().catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  };
  try {
    const [baseRegistry, aws, azure, gcp, moto, oidc, google] = await Promise.all([
      startRegistry(),
      startRegistry(),
      startRegistry(),
      startRegistry(),
      startMoto(),
      startGithubOidcDouble(),
      startGoogleOAuthDouble(),
    ]);
    stoppers.push(
      ...[baseRegistry, aws, azure, gcp, moto, oidc, google].map((s) => () => s.stop()),
    );
    const entra: EntraDouble = await startEntraDouble({
      federated: [
        {
          clientId: CLIENT_ID,
          issuer: oidc.issuer,
          subject: oidc.subject,
          issuerKey: oidc.publicKey,
        },
      ],
    });
    stoppers.push(() => entra.stop());
    const ecr = await ecrStandIn(moto, aws);
    const acr: AcrDouble = await startAcrDouble({
      upstream: azure.url,
      entraKey: entra.publicKey,
      tenantId: entra.tenantId,
    });
    const ar: ArtifactRegistryDouble = await startArtifactRegistryDouble({
      upstream: gcp.url,
      isValidGoogleToken: google.isValid,
    });
    stoppers.push(
      () => ecr.stop(),
      () => acr.stop(),
      () => ar.stop(),
    );
    const base = await pushBusyboxImage(baseRegistry, 'base/busybox', '1');
    const cluster = await startCluster({
      pods: 'real',
      registryHosts: [baseRegistry.host, aws.host, azure.host, gcp.host],
    });
    stoppers.push(() => cluster.stop());
    const home = join(work, 'gcp-home');
    mkdirSync(home, { recursive: true });
    const clouds: CloudStandIn[] = [
      standIn(
        'aws',
        aws,
        (r) => `aws:${ecr.host}/${r}`,
        {},
        {
          ...moto.env,
          AWS_ENDPOINT_URL_ECR: moto.endpoint,
        },
      ),
      standIn(
        'azure',
        azure,
        (r) => `azure:${acr.host}/${r}`,
        { 'azure-client-id': CLIENT_ID, 'azure-tenant-id': entra.tenantId },
        {
          NODE_EXTRA_CA_CERTS: entra.caPath,
          AZURE_AUTHORITY_HOST: entra.authorityHost,
          ACTIONS_ID_TOKEN_REQUEST_URL: oidc.requestUrl,
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidc.requestToken,
        },
      ),
      standIn(
        'gcp',
        gcp,
        (r) => `gcp:${ar.host}/${r}`,
        {},
        {
          HOME: home,
          GCE_METADATA_HOST: google.metadataHost,
          METADATA_SERVER_DETECTION: 'assume-present',
          CLOUDSDK_API_ENDPOINT_OVERRIDES_ARTIFACTREGISTRY: `${ar.url}/`,
          CLOUDSDK_ARTIFACTS_LOCATION: 'us-central1',
        },
      ),
    ];
    return { base: base.ref, cluster, clouds, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function standIn(
  cloud: CloudName,
  upstream: LocalRegistry,
  destination: (repository: string) => string,
  pushInputs: Record<string, string>,
  pushEnv: Record<string, string>,
): CloudStandIn {
  return {
    cloud,
    upstream,
    destination,
    pullRef: (repository, digest) => `${upstream.host}/${repository}@${digest}`,
    pushInputs,
    pushEnv,
  };
}

/** Artifact Registry paths are project/repository/image; the others take any path. */
function repositoryFor(cloud: CloudName, model: string, iteration: number): string {
  const image = `${model}-r${iteration}`;
  return cloud === 'gcp' ? `bench-project/models/${image}` : `models/${image}`;
}

/** The iris server plus this size's weights, whose first bytes make the release unique. */
function releaseModel(
  model: SyntheticModel,
  irisDir: string,
  work: string,
  unique: string,
): string {
  const dir = join(work, `model-${unique}`);
  mkdirSync(dir, { recursive: true });
  for (const file of ['predict.sh', 'serve.sh', 'weights.txt']) {
    copyFileSync(join(irisDir, file), join(dir, file));
  }
  for (const file of model.files) copyFileSync(join(model.dir, file), join(dir, file));
  const weights = model.files[0]!;
  const fd = openSync(join(dir, weights), 'r+');
  try {
    writeSync(fd, Buffer.from(unique.padEnd(32, '.').slice(0, 32)), 0, 32, 0);
  } finally {
    closeSync(fd);
  }
  return dir;
}

function expectation(probabilities: number[]): string {
  return JSON.stringify({
    outputs: { probabilities },
    abs: 1e-6,
    'top-k': { output: 'probabilities', k: 1, label: 'virginica', labels: [...LABELS] },
  });
}

function ok(step: string, run: ActionRun): ActionRun {
  if (run.exitCode !== 0) throw new Error(`${step} failed: ${run.failure}`);
  return run;
}

function seconds(run: ActionRun, output: string): number {
  const value = Number(run.outputs[output]);
  if (!Number.isFinite(value)) throw new Error(`no ${output} output: '${run.outputs[output]}'`);
  return value * 1000;
}

interface ReleaseTimes {
  stages: Record<Stage, number>;
  reported: Record<'rollout' | 'ready' | 'firstInference', number>;
}

async function release(
  world: World,
  cloud: CloudStandIn,
  model: SyntheticModel,
  modelName: string,
  iteration: number,
  context: { irisDir: string; probabilities: number[]; work: string },
): Promise<ReleaseTimes> {
  const unique = `${cloud.cloud}-${model.label}-${iteration}`;
  const dir = releaseModel(model, context.irisDir, context.work, unique);
  const layout = join(context.work, `layout-${unique}`);
  const repository = repositoryFor(cloud.cloud, modelName, iteration);
  // One per release: a namespace deleted a moment ago may still be terminating.
  const namespace = `${NAMESPACE_PREFIX}-${cloud.cloud}-${model.label.toLowerCase()}-${iteration}`;
  const kubectl = world.cluster.binaries.kubectl;
  const kubeconfig = ['--kubeconfig', world.cluster.kubeconfigPath];
  await execFileP(kubectl, [...kubeconfig, 'create', 'namespace', namespace]);
  try {
    const packaged = ok(
      'package',
      await runActionBundle('package', {
        model: dir,
        name: modelName,
        version: '1',
        runtime: 'custom',
        'base-image': world.base,
        cmd: `["sh", "/models/${modelName}/1/serve.sh"]`,
        output: layout,
      }),
    );
    const pushed = ok(
      'push',
      await runActionBundle(
        'push',
        {
          layout: packaged.outputs.layout ?? layout,
          destinations: cloud.destination(repository),
          ...cloud.pushInputs,
        },
        { env: cloud.pushEnv },
      ),
    );
    const cluster = `kubeconfig:${world.cluster.kubeconfigPath}`;
    const deployed = ok(
      'deploy',
      await runActionBundle('deploy', {
        cluster,
        namespace,
        name: modelName,
        image: cloud.pullRef(repository, pushed.outputs.digest!),
        runtime: 'custom',
        'model-version': '1',
        'cloud-profile': cloud.cloud,
        timeout: '5m',
      }),
    );
    const answered = ok(
      'smoke-test',
      await runActionBundle('smoke-test', {
        service: `${namespace}/${modelName}:http`,
        cluster,
        protocol: 'http',
        method: 'POST',
        path: '/cgi-bin/predict',
        'ready-path': '/health',
        request: JSON.stringify({ features: [...SAMPLE] }),
        expect: expectation(context.probabilities),
        requests: '1',
        concurrency: '1',
        warmup: '0',
        'wait-ready': '2m',
      }),
    );
    return {
      stages: {
        package: packaged.wallMs,
        push: pushed.wallMs,
        deploy: deployed.wallMs,
        'first correct answer': answered.wallMs,
      },
      reported: {
        rollout: seconds(deployed, 'rollout-seconds'),
        ready: seconds(answered, 'ready-seconds'),
        firstInference: seconds(answered, 'first-inference-seconds'),
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(layout, { recursive: true, force: true });
    // The next release starts on an idle node; the images stay in containerd, as on a real node.
    await execFileP(kubectl, [
      ...kubeconfig,
      'delete',
      'namespace',
      namespace,
      '--wait=false',
    ]).catch(() => undefined);
  }
}

function figuresFor(model: SyntheticModel, cloud: CloudName, runs: ReleaseTimes[]): ReleaseFigures {
  const stage = (s: Stage) => summarize(runs.map((r) => r.stages[s]));
  const reported = (k: keyof ReleaseTimes['reported']) => summarize(runs.map((r) => r.reported[k]));
  return {
    model: model.kind,
    cloud,
    stagesMs: Object.fromEntries(STAGES.map((s) => [s, stage(s)])) as Record<Stage, Summary>,
    reported: {
      rollout: reported('rollout'),
      ready: reported('ready'),
      firstInference: reported('firstInference'),
    },
    totalMs: summarize(runs.map((r) => STAGES.reduce((sum, s) => sum + r.stages[s], 0))),
    paperSeconds: PAPER_SECONDS[model.label]![cloud],
  };
}

function caseResult(model: SyntheticModel, cloud: CloudName, runs: ReleaseTimes[]): CaseResult {
  const figures = figuresFor(model, cloud, runs);
  const total = new SubjectRuns(
    `package + push + deploy + smoke-test to the first correct answer (dist/ bundles, as the runner starts them)`,
  );
  for (const r of runs) {
    total.add({ wallMs: STAGES.reduce((sum, s) => sum + r.stages[s], 0), peakRssKb: undefined });
  }
  const medianSeconds = figures.totalMs.median / 1000;
  return {
    id: `release-${model.label}-${cloud}`,
    title: `release ${model.kind} to the ${cloud} stand-in`,
    size: model.label,
    status: 'measured',
    runs: runs.length,
    subjects: { 'model-deploy': total.figures() },
    ratios: {
      paper: {
        definition: `our release ÷ the paper's ${figures.paperSeconds} s (Table 1, ${cloud})`,
        summary: summarize(
          runs.map(
            (r) => STAGES.reduce((sum, s) => sum + r.stages[s], 0) / 1000 / figures.paperSeconds,
          ),
        ),
      },
    },
    goals: [
      {
        text: `a whole release faster than the paper's ${figures.paperSeconds} s (${cloud})`,
        value: `${medianSeconds.toFixed(1)} s`,
        met: medianSeconds < figures.paperSeconds,
      },
    ],
    notes: [
      'the server is busybox httpd carrying the weights file (not loading it into a framework); deploy connects with a kubeconfig, not the cloud sign-in to the control plane',
    ],
    release: figures,
  };
}

/**
 * One warm-up iteration, then `runs` iterations; in each, every model goes to
 * every cloud, the clouds in a rotating order so drift spreads over all three.
 */
export async function releaseCase(
  models: SyntheticModel[],
  runs: number,
  workDir: string,
): Promise<CaseResult[]> {
  const table = models.filter((m) => PAPER_SECONDS[m.label]);
  if (table.length === 0) {
    return [notMeasured('release', 'release (Table 1)', 'needs --sizes 98M and/or 420M')];
  }
  const work = mkdtempSync(join(workDir, 'release-'));
  const versions = prepareModelVersions(join(work, 'iris'));
  const context = {
    irisDir: versions.good.dir,
    probabilities: versions.good.probabilities!,
    work,
  };
  const world = await startWorld();
  const times = new Map<string, ReleaseTimes[]>();
  try {
    for (let i = 0; i <= runs; i++) {
      for (const model of table) {
        const order = CLOUDS.map((_, k) => world.clouds[(k + i) % CLOUDS.length]!);
        for (const cloud of order) {
          const measured = await release(
            world,
            cloud,
            model,
            MODEL_NAMES[model.label]!,
            i,
            context,
          );
          if (i === 0) continue;
          const key = `${model.label}/${cloud.cloud}`;
          times.set(key, [...(times.get(key) ?? []), measured]);
        }
      }
    }
  } finally {
    await world.stop();
    rmSync(work, { recursive: true, force: true });
  }
  return table.flatMap((model) =>
    CLOUDS.map((cloud) => caseResult(model, cloud, times.get(`${model.label}/${cloud}`) ?? [])),
  );
}
