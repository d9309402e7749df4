import {
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
} from '@aws-sdk/client-ecr';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startArmDouble, type ArmDouble } from '../support/aks-arm-double.ts';
import { startAcrDouble, type AcrDouble } from '../support/acr-double.ts';
import {
  startArtifactRegistryDouble,
  type ArtifactRegistryDouble,
} from '../support/artifact-registry-double.ts';
import {
  startEntraDouble,
  startGithubOidcDouble,
  verifyJwt,
  type EntraDouble,
  type GithubOidcDouble,
} from '../support/entra-double.ts';
import { startGkeDouble, type GkeDouble } from '../support/gke-container-double.ts';
import { startGoogleOAuthDouble, type GoogleOAuthDouble } from '../support/google-oauth-double.ts';
import { pushBusyboxImage } from '../support/images.ts';
import type { StepResult } from '../support/local-runner.ts';
import { startMlflow, type LocalMlflow } from '../support/mlflow-server.ts';
import { huggingFaceFolder, writeFloat32File } from '../support/model-files.ts';
import { assumeRole, MOTO_ENV, startMoto, type LocalMoto } from '../support/moto.ts';
import { startRegistry, type LocalRegistry } from '../support/registry.ts';
import { startRegistryStandIn, type RegistryStandIn } from '../support/registry-stand-ins.ts';
import {
  startFraudModelServer,
  startGatewayStandIn,
  startLlmServer,
  startTritonResnetServer,
  type GatewayStandIn,
  type StandInServer,
} from '../support/examples/model-stand-ins.ts';
import {
  startStandInCluster,
  startStandInEks,
  type StandInCluster,
  type StandInEks,
} from '../support/examples/stand-in-cluster.ts';
import {
  exampleJob,
  exampleWorkspace,
  runExampleJob,
  type ExampleRun,
  type StandIns,
} from '../support/examples/workflow-job.ts';

/**
 * The "Done when" test of the three examples under examples/: each example
 * workflow's job runs through the local runner, our actions from their built
 * dist/ bundles, with the workflow's own inputs and expressions, and every
 * cloud-specific value mapped to a local stand-in (the `StandIns` of each
 * example below say what stands for what, and why). Each goes as far as the
 * stand-ins reach, and the test says where it stops.
 *
 * Run `npm run build` first: the bundles in dist/ are what runs.
 */
const execFileAsync = promisify(execFile);
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const MiB = 1024 * 1024;

function step(run: ExampleRun, id: string): StepResult {
  const found = run.steps.find((s) => s.id === id);
  if (!found) throw new Error(`no step ${id}; steps: ${run.steps.map((s) => s.id).join(', ')}`);
  return found;
}

/** The step's conclusion, with the job's log when it is not the expected one. */
function expectStep(run: ExampleRun, id: string, conclusion: StepResult['conclusion']): void {
  expect(step(run, id).conclusion, run.log).toBe(conclusion);
}

/** kubectl's JSON, read deep by assertions; typing every level would only restate the API. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type KubeJson = any;

async function kubectl(kubeconfig: string, args: string[]): Promise<KubeJson> {
  const { stdout } = await execFileAsync(
    'kubectl',
    ['--kubeconfig', kubeconfig, ...args, '-o', 'json'],
    {
      maxBuffer: 16 * MiB,
    },
  );
  return JSON.parse(stdout);
}

const stoppers: Array<() => Promise<unknown>> = [];
const temps: string[] = [];
afterAll(async () => {
  for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});
function stopLater<T extends { stop(): Promise<unknown> }>(thing: T): T {
  stoppers.push(() => thing.stop());
  return thing;
}

/**
 * (a) An ONNX ResNet50 to EKS with Triton.
 *
 * | in the example                             | stand-in                                                                 |
 * | ------------------------------------------ | ------------------------------------------------------------------------ |
 * | aws-actions/configure-aws-credentials      | the credentials of moto's AssumeRole for vars.AWS_ROLE_ARN, session      |
 * |                                            | release-resnet50, in the job environment (what it exports)              |
 * | AWS APIs (ECR, EKS, STS)                   | moto, through AWS_ENDPOINT_URL_ECR/EKS/STS; for EKS, a stand-in in front |
 * |                                            | of moto's API that answers DescribeCluster with the local cluster's     |
 * |                                            | endpoint and CA (moto makes both up and cannot be told them)             |
 * | vars.ECR_REPOSITORY (an ECR host)          | `aws:` + a registry stand-in with ECR's upload rules and moto's token    |
 * | vars.EKS_CLUSTER eks:us-east-1/prod        | an upstream kube-apiserver (kwok node), created as `prod` in moto; its   |
 * |                                            | token webhook is the aws-iam-authenticator test double (moto's STS says  |
 * |                                            | who signed the token)                                                   |
 * | the EKS access entry of the role           | group `model-deployers`, bound to docs/rbac/deployer-role.yaml in models |
 * | the GPU node group (g4dn.xlarge)           | a kwok node with that instance type, 4 nvidia.com/gpu, the GPU taint    |
 * | pulls by the node role                     | none: the simulated node does not pull (the pull rights are documented)  |
 * | AWS Load Balancer Controller and the NLB   | the stand-in as the load-balancer controller: it listens on a 127.x      |
 * |                                            | address of its own, relaying to the Triton stand-in, then publishes it   |
 * | base-image nvcr.io/…/tritonserver          | a busybox image on the local registry                                    |
 * | Triton in the pods                         | a v2 stand-in with config.pbtxt's signature, version 3                   |
 * | models/resnet50/model.onnx (Git LFS)       | 6 MiB of float32 weights, next to the example's config.pbtxt             |
 * | the tag resnet50-v3                        | github.ref refs/tags/resnet50-v3                                         |
 * | slo-p95-ms 250                             | 5000: a latency gate is not a test of a shared machine                   |
 *
 * Goes all the way: package, push, deploy, smoke test.
 */
describe('example (a): resnet50 to EKS with Triton', () => {
  const ROLE_ARN = 'arn:aws:iam::123456789012:role/model-release';
  let moto: LocalMoto;
  let registry: LocalRegistry;
  let ecrStandIn: RegistryStandIn;
  let eks: StandInEks;
  let triton: StandInServer;
  let run: ExampleRun;
  const awsClient = () => ({
    region: 'us-east-1',
    endpoint: moto.endpoint,
    credentials: {
      accessKeyId: MOTO_ENV.AWS_ACCESS_KEY_ID,
      secretAccessKey: MOTO_ENV.AWS_SECRET_ACCESS_KEY,
      sessionToken: MOTO_ENV.AWS_SESSION_TOKEN,
    },
  });

  beforeAll(async () => {
    [moto, registry, triton] = await Promise.all([
      startMoto(),
      startRegistry({ auth: 'none' }),
      startTritonResnetServer('3'),
    ]);
    stopLater(moto);
    stopLater(registry);
    stopLater(triton);
    // What configure-aws-credentials exports for role-to-assume and role-session-name.
    const session = await assumeRole(moto, ROLE_ARN, 'release-resnet50');
    eks = stopLater(
      await startStandInEks({
        moto,
        name: 'prod',
        namespace: 'models',
        roleArn: ROLE_ARN,
        group: 'model-deployers',
        secrets: { [session.AWS_ACCESS_KEY_ID]: session.AWS_SECRET_ACCESS_KEY },
        gpuNode: { labels: { 'node.kubernetes.io/instance-type': 'g4dn.xlarge' }, gpus: 4 },
        loadBalancerTarget: triton.url,
      }),
    );
    // The registry accepts exactly the Basic credentials moto's GetAuthorizationToken hands out.
    const ecr = new ECRClient(awsClient());
    const auth = await ecr.send(new GetAuthorizationTokenCommand({}));
    ecr.destroy();
    const [username, password] = Buffer.from(
      auth.authorizationData?.[0]?.authorizationToken ?? '',
      'base64',
    )
      .toString('utf8')
      .split(':') as [string, string];
    ecrStandIn = stopLater(
      await startRegistryStandIn(registry.url, {
        basicAuth: { username, password },
        minChunkBytes: 5 * MiB,
        patchStatus: 201,
      }),
    );
    await pushBusyboxImage(registry, 'base/tritonserver', '24.08-py3');
    const workspace = exampleWorkspace('resnet50-eks-triton');
    temps.push(workspace);
    await writeFloat32File(join(workspace, 'models', 'resnet50', 'model.onnx'), 6 * MiB, 50);

    const standIns: StandIns = {
      vars: {
        AWS_ROLE_ARN: ROLE_ARN,
        AWS_REGION: 'us-east-1',
        ECR_REPOSITORY: `aws:${ecrStandIn.host}/models/resnet50`,
        EKS_CLUSTER: 'eks:us-east-1/prod',
      },
      github: { ref: 'refs/tags/resnet50-v3', eventName: 'push' },
      replaced: {
        'aws-actions/configure-aws-credentials':
          "the role session's credentials from moto's AssumeRole, and the region, in the job environment",
      },
      env: {
        ...MOTO_ENV,
        ...session,
        AWS_ENDPOINT_URL_ECR: moto.endpoint,
        AWS_ENDPOINT_URL_EKS: eks.eks.eksEndpoint,
        AWS_ENDPOINT_URL_STS: moto.endpoint,
      },
      stepInputs: {
        package: { 'base-image': `${registry.host}/base/tritonserver:24.08-py3` },
        // The production objective, 250 ms, would gate on how busy the shared test machine is.
        smoke: { 'slo-p95-ms': '5000' },
      },
    };
    run = await runExampleJob(exampleJob('resnet50-eks-triton'), standIns, {
      workspace,
      timeoutMs: 3 * 60_000,
    });
  }, 420_000);

  it('replaces only the checkout and the AWS login', () => {
    expect(run.replaced.map((r) => r.uses)).toEqual([
      'actions/checkout',
      'aws-actions/configure-aws-credentials',
    ]);
  });

  it('takes version 3 from the tag and packages the model for Triton', () => {
    expectStep(run, 'version', 'success');
    expect(step(run, 'version').outputs.version).toBe('3');
    expectStep(run, 'package', 'success');
    const packaged = step(run, 'package').outputs;
    expect(packaged.digest).toMatch(DIGEST);
    expect(JSON.parse(packaged.annotations ?? '{}')).toMatchObject({
      'org.opencontainers.image.version': '3',
      'dev.model-deploy.runtime': 'triton',
      'dev.model-deploy.model.name': 'resnet50',
    });
  });

  it("pushes to ECR's stand-in with moto's token: repository created immutable, chunks of 5 MiB", async () => {
    expectStep(run, 'push', 'success');
    const pushed = step(run, 'push').outputs;
    const digest = step(run, 'package').outputs.digest as string;
    const repository = `${ecrStandIn.host}/models/resnet50`;
    expect(pushed.digest).toBe(digest);
    expect(pushed.image).toBe(`${repository}@${digest}`);
    expect(JSON.parse(pushed.images ?? '{}')).toEqual({ [repository]: `${repository}@${digest}` });
    expect(ecrStandIn.stats.patches).toBeGreaterThan(0);
    expect(ecrStandIn.stats.refused.filter((r) => r.status !== 401)).toEqual([]);
    const ecr = new ECRClient(awsClient());
    const { repositories } = await ecr.send(
      new DescribeRepositoriesCommand({ repositoryNames: ['models/resnet50'] }),
    );
    ecr.destroy();
    expect(repositories?.[0]?.imageTagMutability).toBe('IMMUTABLE');
    const tagged = await fetch(`${registry.url}/v2/models/resnet50/manifests/3`, {
      method: 'HEAD',
      headers: {
        accept:
          'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json',
      },
    });
    expect(tagged.headers.get('docker-content-digest')).toBe(digest);
  });

  it('deploys to EKS as the role session, with the documented permissions: GPU nodes, an NLB, reach public', async () => {
    expectStep(run, 'deploy', 'success');
    const digest = step(run, 'package').outputs.digest as string;
    const deployed = step(run, 'deploy').outputs;
    expect(deployed).toMatchObject({
      status: 'deployed',
      revision: '1',
      reach: 'public',
      service: 'models/resnet50:http',
    });
    expect(deployed.url).toBe(`http://${eks.loadBalancers.get('models/resnet50')}`);
    expect(deployed.url).toMatch(/^http:\/\/127\.\d+\.\d+\.\d+$/);
    // DescribeCluster went to moto through the stand-in, and moto's own endpoint was replaced.
    expect(eks.eks.standIn.rewritten.prod).toBeGreaterThan(0);
    expect(eks.eks.motoEndpointOfCluster).toMatch(/\.eks\.amazonaws\.com\/?$/i);
    expect(eks.eks.authenticator.reviews).toContainEqual({
      authenticated: true,
      username: 'arn:aws:sts::123456789012:assumed-role/model-release/release-resnet50',
      groups: ['model-deployers'],
    });
    const deployment = await kubectl(eks.kubeconfigPath, [
      '-n',
      'models',
      'get',
      'deployment',
      'resnet50',
    ]);
    expect(deployment.spec.template.spec.containers[0].image).toBe(
      `${ecrStandIn.host}/models/resnet50@${digest}`,
    );
    expect(deployment.spec.template.spec.nodeSelector).toMatchObject({
      'node.kubernetes.io/instance-type': 'g4dn.xlarge',
    });
    const pods = await kubectl(eks.kubeconfigPath, [
      '-n',
      'models',
      'get',
      'pods',
      '-l',
      'app.kubernetes.io/name=resnet50',
    ]);
    expect(pods.items.map((p: { spec: { nodeName: string } }) => p.spec.nodeName)).toEqual([
      'kwok-gpu-0',
      'kwok-gpu-0',
    ]);
    expect(deployment.spec.template.spec.containers[0].resources.limits['nvidia.com/gpu']).toBe(
      '1',
    );
    expect(deployment.status.availableReplicas).toBe(2);
    const service = await kubectl(eks.kubeconfigPath, [
      '-n',
      'models',
      'get',
      'service',
      'resnet50',
    ]);
    expect(service.spec.type).toBe('LoadBalancer');
    expect(service.metadata.annotations).toMatchObject({
      'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
    });
  });

  it("smoke-tests the load balancer's address: the served signature, the answer's shape, the OpenAPI document", () => {
    expectStep(run, 'smoke', 'success');
    expect(step(run, 'smoke').outputs.passed).toBe('true');
    expect(triton.inferences()).toBeGreaterThanOrEqual(200);
    expect(triton.requests).toContain('GET /v2/models/resnet50/versions/3');
  });
});

/**
 * (b) An MLflow `models:/fraud@champion` scikit-learn model to AKS with
 * MLServer behind an internal load balancer, smoke-tested through the
 * service proxy.
 *
 * | in the example                                   | stand-in                                                                |
 * | ------------------------------------------------ | ----------------------------------------------------------------------- |
 * | vars.MLFLOW_TRACKING_URI, secrets.MLFLOW_TRACKING_TOKEN | the real MLflow server (alias champion → version 2, registered by MLflow); the token is sent |
 * | the job's GitHub OIDC token (id-token: write)    | the GitHub OIDC double, subject `…:environment:production`              |
 * | Entra ID, vars.AZURE_CLIENT_ID / AZURE_TENANT_ID | the Entra double, federating that subject only                          |
 * | vars.ACR_REPOSITORY (an azurecr.io host)         | `azure:` + the ACR double (token exchange) over the local registry     |
 * | vars.AKS_CLUSTER, ARM                            | the ARM double handing out the local cluster (local accounts)           |
 * | base-image docker.io/seldonio/mlserver           | a busybox image on the local registry                                   |
 * | MLServer in the pods                             | a v2 stand-in serving the fraud model, behind the Service's proxy      |
 * | slo-p95-ms 300                                   | 5000: a latency gate is not a test of a shared machine                  |
 *
 * Goes all the way: package, push, deploy, smoke test.
 */
describe('example (b): fraud@champion to AKS with MLServer, internal', () => {
  const SUBSCRIPTION = '0b1f6471-1bf0-4dda-aec3-444455556666';
  const CLIENT_ID = '33333333-4444-5555-6666-777777777777';
  const MLFLOW_TOKEN = 'mlflow-example-token';
  let registry: LocalRegistry;
  let oidc: GithubOidcDouble;
  let entra: EntraDouble;
  let acr: AcrDouble;
  let arm: ArmDouble;
  let mlflow: LocalMlflow;
  let cluster: StandInCluster;
  let fraud: StandInServer;
  let run: ExampleRun;

  beforeAll(async () => {
    [registry, oidc, cluster, fraud] = await Promise.all([
      startRegistry({ auth: 'none' }).then(stopLater),
      startGithubOidcDouble({
        subject: 'repo:model-deploy/example-models:environment:production',
      }).then(stopLater),
      startStandInCluster().then(stopLater),
      startFraudModelServer().then(stopLater),
    ]);
    entra = stopLater(
      await startEntraDouble({
        federated: [
          {
            clientId: CLIENT_ID,
            issuer: oidc.issuer,
            subject: oidc.subject,
            issuerKey: oidc.publicKey,
          },
        ],
      }),
    );
    acr = stopLater(
      await startAcrDouble({
        upstream: registry.url,
        entraKey: entra.publicKey,
        tenantId: entra.tenantId,
      }),
    );
    arm = stopLater(
      await startArmDouble({
        acceptToken: (token) =>
          verifyJwt(token, entra.publicKey)?.payload.aud === 'https://management.azure.com',
      }),
    );
    arm.addCluster({
      subscription: SUBSCRIPTION,
      resourceGroup: 'rg-fraud',
      name: 'aks-prod',
      server: cluster.server,
      caPem: cluster.caPem,
      localToken: cluster.token,
    });
    // The real MLflow server, with models registered by MLflow itself: versions 1-3, champion on 2.
    mlflow = stopLater(await startMlflow({ mode: 'proxy' }));
    // The example's signature: transactions FP64 [-1, 4] in, is_fraud INT64 [-1] out.
    await mlflow.register([
      {
        label: 'fraud',
        model: 'fraud',
        tensor_names: { input: 'transactions', output: 'is_fraud' },
      },
    ]);
    await pushBusyboxImage(registry, 'base/mlserver', '1.6.1');
    // The pods are simulated: the Service's traffic goes to the model server stand-in.
    await cluster.serveService('fraud', 'fraud', 80, fraud.url);
    const workspace = exampleWorkspace('fraud-aks-mlserver');
    temps.push(workspace);

    const standIns: StandIns = {
      vars: {
        MLFLOW_TRACKING_URI: mlflow.url,
        ACR_REPOSITORY: `azure:${acr.host}/models/fraud`,
        AKS_CLUSTER: `aks:${SUBSCRIPTION}/rg-fraud/aks-prod`,
        AZURE_CLIENT_ID: CLIENT_ID,
        AZURE_TENANT_ID: entra.tenantId,
      },
      secrets: { MLFLOW_TRACKING_TOKEN: MLFLOW_TOKEN },
      github: { ref: 'refs/heads/main', eventName: 'workflow_dispatch' },
      replaced: {},
      env: {
        // What GitHub gives a job with id-token: write.
        ACTIONS_ID_TOKEN_REQUEST_URL: oidc.requestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidc.requestToken,
        // Entra and ARM at their stand-ins (MSAL talks https only: trust the double's certificate).
        AZURE_AUTHORITY_HOST: entra.authorityHost,
        NODE_EXTRA_CA_CERTS: entra.caPath,
        MODEL_DEPLOY_ARM_ENDPOINT: arm.endpoint,
      },
      stepInputs: {
        package: { 'base-image': `${registry.host}/base/mlserver:1.6.1` },
        // The production objective, 300 ms, would gate on how busy the shared test machine is.
        smoke: { 'slo-p95-ms': '5000' },
      },
    };
    run = await runExampleJob(exampleJob('fraud-aks-mlserver'), standIns, {
      workspace,
      timeoutMs: 3 * 60_000,
    });
  }, 420_000);

  it('replaces only the checkout: push, deploy and smoke-test sign in with the OIDC token themselves', () => {
    expect(run.replaced.map((r) => r.uses)).toEqual(['actions/checkout']);
    expect(oidc.audiences.length).toBeGreaterThan(0);
    expect(new Set(oidc.audiences)).toEqual(new Set(['api://AzureADTokenExchange']));
  });

  it('packages the version behind the alias champion, with the tracking token, for MLServer', () => {
    expectStep(run, 'package', 'success');
    // MLflow resolved champion to version 2 of 3: the image is that version, and says so.
    expect(JSON.parse(step(run, 'package').outputs.annotations ?? '{}')).toMatchObject({
      'org.opencontainers.image.version': '2',
      'dev.model-deploy.runtime': 'mlserver',
      'dev.model-deploy.model.name': 'fraud',
      'dev.model-deploy.mlflow.model': 'fraud',
      'dev.model-deploy.mlflow.version': '2',
    });
  });

  it('pushes to ACR through the token exchange', () => {
    expectStep(run, 'push', 'success');
    const digest = step(run, 'package').outputs.digest as string;
    expect(step(run, 'push').outputs.image).toBe(`${acr.host}/models/fraud@${digest}`);
    expect(acr.stats.exchanges).toBeGreaterThan(0);
    expect(acr.stats.grantedScopes).toContain('repository:models/fraud:pull,push');
  });

  it("deploys to AKS: the champion's version recorded, internal load balancer, autoscaler; reach private", async () => {
    expectStep(run, 'deploy', 'success');
    const digest = step(run, 'package').outputs.digest as string;
    expect(step(run, 'deploy').outputs).toMatchObject({
      status: 'deployed',
      revision: '1',
      reach: 'private',
      service: 'fraud/fraud:http',
    });
    expect(
      arm.requests.some((r) =>
        r.path.endsWith(
          '/resourceGroups/rg-fraud/providers/Microsoft.ContainerService/managedClusters/aks-prod/listClusterUserCredential',
        ),
      ),
    ).toBe(true);
    const service = await kubectl(cluster.kubeconfigPath, [
      '-n',
      'fraud',
      'get',
      'service',
      'fraud',
    ]);
    expect(service.spec.type).toBe('LoadBalancer');
    expect(service.metadata.annotations).toEqual({
      'service.beta.kubernetes.io/azure-load-balancer-internal': 'true',
    });
    const hpa = await kubectl(cluster.kubeconfigPath, [
      '-n',
      'fraud',
      'get',
      'horizontalpodautoscaler',
      'fraud',
    ]);
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 6 });
    const deployment = await kubectl(cluster.kubeconfigPath, [
      '-n',
      'fraud',
      'get',
      'deployment',
      'fraud',
    ]);
    expect(deployment.spec.template.spec.containers[0].image).toBe(
      `${acr.host}/models/fraud@${digest}`,
    );
    expect(deployment.spec.template.spec.containers[0].ports[0].containerPort).toBe(8080);
    expect(deployment.spec.template.metadata.annotations['model-deploy.io/model-version']).toBe(
      '2',
    );
  });

  it('smoke-tests through the service proxy: both transactions judged right, under the SLO', () => {
    expectStep(run, 'smoke', 'success');
    expect(step(run, 'smoke').outputs.passed).toBe('true');
    // 100 measured requests and the warm-up, all answered by the model behind the Service,
    // reached with a kubeconfig from ARM for the federated identity, like deploy's.
    expect(fraud.inferences()).toBeGreaterThanOrEqual(100);
    const credentialCalls = arm.requests.filter((r) =>
      r.path.endsWith('/managedClusters/aks-prod/listClusterUserCredential'),
    );
    expect(credentialCalls.length).toBeGreaterThanOrEqual(2);
  });
});

/**
 * (c) A safetensors LLM to GKE with vLLM and a canary, released twice (the
 * first release is a plain rollout, the second a canary).
 *
 * | in the example                                   | stand-in                                                                  |
 * | ------------------------------------------------ | ------------------------------------------------------------------------- |
 * | google-github-actions/auth                       | the credentials file it writes (external account: the job's OIDC token   |
 * |                                                  | exchanged at the Google OAuth double's STS), in GOOGLE_APPLICATION_CREDENTIALS; |
 * |                                                  | impersonating GCP_DEPLOYER_SERVICE_ACCOUNT is not stood in               |
 * | Google access tokens                             | the OAuth double, issuing the token the local cluster accepts, as GKE    |
 * |                                                  | accepts a Google token                                                    |
 * | vars.GAR_REPOSITORY (a -docker.pkg.dev host)     | `gcp:` + the Artifact Registry double over the local registry            |
 * | vars.GKE_CLUSTER, the container API              | the GKE double handing out the local cluster                              |
 * | the cluster's GPU node pool                      | a kwok node with 8 nvidia.com/gpu, tainted nvidia.com/gpu:NoSchedule      |
 * | base-image docker.io/vllm/vllm-openai            | a busybox image on the local registry                                     |
 * | models/llm (Git LFS)                             | a Hugging Face folder with 32 KiB of safetensors weights                  |
 * | canary-steps 10%:5m, 50%:10m, 100%               | the same weights, held a second each                                      |
 * | vLLM in the pods                                 | OpenAI-server stand-ins behind the stable and the canary Services        |
 * | DNS and the Gateway for vars.LLM_HOST            | a forward proxy (HTTP_PROXY of the smoke-test step) sending that host to |
 * |                                                  | the stable stand-in                                                       |
 *
 * Goes all the way, twice.
 */
describe('example (c): an LLM to GKE with vLLM and a canary', () => {
  const PROVIDER =
    'projects/123456789/locations/global/workloadIdentityPools/github/providers/github';
  let registry: LocalRegistry;
  let oidc: GithubOidcDouble;
  let cluster: StandInCluster;
  let google: GoogleOAuthDouble;
  let ar: ArtifactRegistryDouble;
  let gke: GkeDouble;
  let stable: StandInServer;
  let canary: StandInServer;
  let gateway: GatewayStandIn;
  let workspace: string;
  let standIns: StandIns;
  const runs: ExampleRun[] = [];

  beforeAll(async () => {
    [registry, oidc, cluster, stable, canary] = await Promise.all([
      startRegistry({ auth: 'none' }).then(stopLater),
      startGithubOidcDouble({
        subject: 'repo:model-deploy/example-models:environment:production',
      }).then(stopLater),
      // The Gateway API's CRDs for the release's HTTPRoute; a GPU node for vLLM's pods.
      startStandInCluster({
        crds: ['gateway-api'],
        gpuNode: { labels: { 'cloud.google.com/gke-accelerator': 'nvidia-l4' }, gpus: 8 },
      }).then(stopLater),
      startLlmServer('llm').then(stopLater),
      startLlmServer('llm').then(stopLater),
    ]);
    google = stopLater(
      await startGoogleOAuthDouble({ projectId: 'my-project', accessToken: cluster.token }),
    );
    ar = stopLater(
      await startArtifactRegistryDouble({
        upstream: registry.url,
        isValidGoogleToken: google.isValid,
      }),
    );
    gke = stopLater(await startGkeDouble({ acceptToken: google.isValid }));
    gke.addCluster({
      project: 'my-project',
      location: 'us-central1',
      name: 'serving',
      endpoint: cluster.server.replace(/^https:\/\//, ''),
      caPem: cluster.caPem,
    });
    gateway = stopLater(await startGatewayStandIn('llm.example.com', stable.url));
    await cluster.serveService('llm', 'llm', 80, stable.url);
    await cluster.serveService('llm', 'llm-canary', 80, canary.url);
    await pushBusyboxImage(registry, 'base/vllm-openai', 'v0.6.3');
    workspace = exampleWorkspace('llm-gke-vllm');
    temps.push(workspace);
    huggingFaceFolder(join(workspace, 'models', 'llm'));

    // What google-github-actions/auth leaves: a credentials file that exchanges the job's OIDC token.
    const credentials = join(mkdtempSync(join(tmpdir(), 'md-example-gcp-')), 'credentials.json');
    temps.push(join(credentials, '..'));
    writeFileSync(
      credentials,
      JSON.stringify({
        type: 'external_account',
        audience: `//iam.googleapis.com/${PROVIDER}`,
        subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
        token_url: google.tokenUrl,
        credential_source: {
          url: `${oidc.requestUrl}&audience=${encodeURIComponent(`https://iam.googleapis.com/${PROVIDER}`)}`,
          headers: { Authorization: `Bearer ${oidc.requestToken}` },
          format: { type: 'json', subject_token_field_name: 'value' },
        },
      }),
    );
    standIns = {
      vars: {
        GCP_WORKLOAD_IDENTITY_PROVIDER: PROVIDER,
        GCP_DEPLOYER_SERVICE_ACCOUNT: 'model-release@my-project.iam.gserviceaccount.com',
        GAR_REPOSITORY: `gcp:${ar.host}/my-project/models/llm`,
        GKE_CLUSTER: 'gke:my-project/us-central1/serving',
        LLM_HOST: 'llm.example.com',
        LLM_GATEWAY: 'gateway-system/external-http',
        LLM_SERVING_SERVICE_ACCOUNT: 'llm-serving@my-project.iam.gserviceaccount.com',
      },
      github: { ref: 'refs/tags/llm-v1', eventName: 'push' },
      replaced: {
        'google-github-actions/auth':
          'GOOGLE_APPLICATION_CREDENTIALS: the external-account credentials file it writes',
      },
      env: {
        ACTIONS_ID_TOKEN_REQUEST_URL: oidc.requestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidc.requestToken,
        GOOGLE_APPLICATION_CREDENTIALS: credentials,
        GOOGLE_GHA_CREDS_PATH: credentials,
        CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE: credentials,
        GOOGLE_CLOUD_PROJECT: 'my-project',
        CLOUDSDK_CORE_PROJECT: 'my-project',
        CLOUDSDK_API_ENDPOINT_OVERRIDES_ARTIFACTREGISTRY: `${ar.url}/`,
        CLOUDSDK_ARTIFACTS_LOCATION: 'us-central1',
        MODEL_DEPLOY_GKE_ENDPOINT: gke.endpoint,
      },
      stepInputs: {
        package: { 'base-image': `${registry.host}/base/vllm-openai:v0.6.3` },
        deploy: { 'canary-steps': '10%:1s, 50%:1s, 100%' },
      },
      stepEnv: { smoke: { HTTP_PROXY: gateway.url, NO_PROXY: '127.0.0.1,localhost' } },
    };
    runs.push(
      await runExampleJob(exampleJob('llm-gke-vllm'), standIns, {
        workspace,
        timeoutMs: 3 * 60_000,
      }),
    );
  }, 420_000);

  it('replaces only the checkout and the Google login', () => {
    expect(runs[0]!.replaced.map((r) => r.uses)).toEqual([
      'actions/checkout',
      'google-github-actions/auth',
    ]);
    expect(google.issued.some((i) => i.via.endsWith('token-exchange'))).toBe(true);
  });

  it('llm-v1: packages for vLLM, pushes to Artifact Registry, rolls out behind the gateway', async () => {
    const run = runs[0]!;
    for (const id of ['version', 'package', 'push', 'deploy', 'smoke'])
      expectStep(run, id, 'success');
    expect(JSON.parse(step(run, 'package').outputs.annotations ?? '{}')).toMatchObject({
      'org.opencontainers.image.version': '1',
      'dev.model-deploy.runtime': 'vllm',
    });
    const digest = step(run, 'package').outputs.digest as string;
    expect(step(run, 'push').outputs.image).toBe(`${ar.host}/my-project/models/llm@${digest}`);
    expect(
      ar.repositories.has('projects/my-project/locations/us-central1/repositories/models'),
    ).toBe(true);
    expect(step(run, 'deploy').outputs).toMatchObject({
      status: 'deployed',
      revision: '1',
      url: 'http://llm.example.com',
      reach: 'public',
      service: 'llm/llm:http',
    });
    const route = await kubectl(cluster.kubeconfigPath, ['-n', 'llm', 'get', 'httproute', 'llm']);
    expect(route.spec.hostnames).toEqual(['llm.example.com']);
    expect(route.spec.parentRefs).toEqual([
      expect.objectContaining({ namespace: 'gateway-system', name: 'external-http' }),
    ]);
    const account = await kubectl(cluster.kubeconfigPath, [
      '-n',
      'llm',
      'get',
      'serviceaccount',
      'llm',
    ]);
    expect(account.metadata.annotations['iam.gke.io/gcp-service-account']).toBe(
      'llm-serving@my-project.iam.gserviceaccount.com',
    );
    const deployment = await kubectl(cluster.kubeconfigPath, [
      '-n',
      'llm',
      'get',
      'deployment',
      'llm',
    ]);
    expect(deployment.spec.template.spec.containers[0].resources.limits['nvidia.com/gpu']).toBe(
      '1',
    );
  });

  it('llm-v1: the smoke test calls the public host, which the gateway stand-in sends to the model', () => {
    const run = runs[0]!;
    expect(step(run, 'smoke').outputs.passed).toBe('true');
    expect(gateway.hosts).toContain('llm.example.com');
    expect(stable.inferences()).toBeGreaterThanOrEqual(20);
    expect(canary.inferences()).toBe(0);
  });

  it('llm-v2: goes out as a canary, analysed at each step through the service proxy, and is promoted', async () => {
    await writeFloat32File(join(workspace, 'models', 'llm', 'model.safetensors'), 32 * 1024, 8);
    const before = { stable: stable.inferences(), hosts: gateway.hosts.length };
    const run = await runExampleJob(
      exampleJob('llm-gke-vllm'),
      { ...standIns, github: { ref: 'refs/tags/llm-v2', eventName: 'push' } },
      { workspace, timeoutMs: 3 * 60_000 },
    );
    runs.push(run);
    for (const id of ['version', 'package', 'push', 'deploy', 'smoke'])
      expectStep(run, id, 'success');
    const digest = step(run, 'package').outputs.digest as string;
    expect(digest).not.toBe(step(runs[0]!, 'package').outputs.digest);
    expect(step(run, 'deploy').outputs).toMatchObject({
      status: 'deployed',
      revision: '2',
      'previous-revision': '1',
      promoted: 'true',
      step: '3',
    });
    expect(run.summary).toContain('### Canary: promoted');
    // The analysis requests went to the canary's Service, the smoke test to the public host.
    expect(canary.inferences()).toBeGreaterThan(0);
    expect(stable.inferences()).toBeGreaterThan(before.stable);
    expect(gateway.hosts.length).toBeGreaterThan(before.hosts);
    const deployment = await kubectl(cluster.kubeconfigPath, [
      '-n',
      'llm',
      'get',
      'deployment',
      'llm',
    ]);
    expect(deployment.spec.template.spec.containers[0].image).toBe(
      `${ar.host}/my-project/models/llm@${digest}`,
    );
    const route = await kubectl(cluster.kubeconfigPath, ['-n', 'llm', 'get', 'httproute', 'llm']);
    expect(route.spec.rules[0].backendRefs.map((r: { name: string }) => r.name)).toEqual(['llm']);
  }, 300_000);
});
