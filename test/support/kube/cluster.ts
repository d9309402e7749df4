import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { freePort, startProcess, type ManagedProcess } from '../processes.ts';
import { nodeWithTypeStripping } from '../registry.ts';
import { KubeApi, targetEnv, type KubeJson, type KubeTarget } from './api-client.ts';
import { crdModuleDirs, ensureKubeBinaries, type KubeBinaries } from './build.ts';
import { emissaryCrdDocuments, startEmissaryWebhook, type EmissaryWebhook } from './emissary.ts';
import { KWOK_NODE_PREFIX, kwokNode, writeKwokConfig, type KwokNodeShape } from './kwok.ts';
import { startKubeletNode, type KubeletNode } from './kubelet-node.ts';
import { allocateSubnet, type ClusterSubnet } from './local-network.ts';
import { issueClientCert, writeClusterPki } from './pki.ts';
import { ServiceBackends } from './service-backends.ts';

const execFileAsync = promisify(execFile);

/** CRD sets a cluster can install from the projects' own modules. */
export type CrdSet = 'gateway-api' | 'istio' | 'emissary';

export interface StartClusterOptions {
  /**
   * 'simulated' (default): kwok nodes only. 'real': one real node (kubelet and
   * containerd, pods pulled from the test registry) and no kwok node. 'both':
   * one of each; pods choose with a nodeSelector on `model-deploy.test/node`
   * (`kwok` or `kubelet`).
   */
  pods?: 'simulated' | 'real' | 'both';
  /** kwok nodes for simulated pods (default 1, or 0 with pods: 'real'). */
  kwokNodes?: number;
  /**
   * More kwok nodes, shaped as a cloud labels its nodes (GPU pools with
   * `nvidia.com/gpu` capacity, taints), named `kwok-<name>`.
   */
  shapedKwokNodes?: KwokNodeShape[];
  /** Registries (host:port, plain HTTP) whose images the kwok nodes' image check looks up. */
  registryHosts?: string[];
  /** CRDs installed before startCluster resolves. */
  crds?: CrdSet[];
  /**
   * 'assign' (default): a test double of the cloud's load-balancer controller
   * gives every LoadBalancer Service an address. 'none': no controller, as on
   * EKS without the AWS Load Balancer Controller: the address never comes.
   */
  loadBalancers?: 'assign' | 'none';
  /** Where to write process logs; default a folder in the cluster's temp dir. */
  logDir?: string;
  /**
   * How long the endpoints and EndpointSlice controllers hold a pod change
   * before they write it (`--endpoint-updates-batch-period`,
   * `--endpointslice-updates-batch-period`; a Go duration), as a busy cluster
   * lags: a Service keeps a deleted pod that long. Default 0, at once.
   */
  endpointsBatchPeriod?: string;
  /**
   * A token authentication webhook (`--authentication-token-webhook-config-file`,
   * TokenReview v1), as EKS runs aws-iam-authenticator: a bearer token that is
   * neither a static one nor a ServiceAccount's goes to `url` (https, served
   * with a certificate `caPem` vouches for).
   */
  tokenWebhook?: { url: string; caPem: string };
}

export interface StartupTimings {
  /** From the call to the API server answering /readyz. */
  apiServerReadyMs: number;
  /** From the call to the controllers and nodes being ready (what startCluster waits for). */
  totalMs: number;
}

export interface KubeCluster extends KubeTarget {
  /** An admin (system:masters) kubeconfig, written at start, mode 0600. */
  kubeconfigPath: string;
  binaries: KubeBinaries;
  subnet: ClusterSubnet;
  timings: StartupTimings;
  /** Folder with one log file per process. */
  logDir: string;
  /** Names of the kwok nodes. */
  kwokNodes: string[];
  /** Name of the real (kubelet) node, when there is one. */
  kubeletNode?: string;
  /** Writes an admin kubeconfig (optionally with a default namespace) to `path`. */
  writeKubeconfig(path: string, options?: { namespace?: string }): void;
  /** Runs the pinned kubectl as admin; rejects with its stderr on a non-zero exit. */
  kubectl(args: string[], options?: { input?: string }): Promise<string>;
  /** `kubectl ... -o json`, parsed. */
  kubectlJson(args: string[]): Promise<KubeJson>;
  /** Server-side applies YAML (one or more documents) as admin. */
  apply(yaml: string): Promise<void>;
  /** Installs CRD sets from their modules and waits until they are Established. */
  installCrds(sets: CrdSet[]): Promise<void>;
  /**
   * A kubeconfig for a ServiceAccount bound to exactly `rules` in `namespace`
   * (a Role and RoleBinding named after it), with a token from the TokenRequest API.
   */
  serviceAccountKubeconfig(options: {
    namespace: string;
    name: string;
    rules: RbacRule[];
    path?: string;
  }): Promise<{ path: string; token: string }>;
  /**
   * Sends what the API server's service proxy forwards to `service:port` in
   * `namespace` on to `target` (http://127.0.0.1:PORT, a test's server): each
   * simulated pod behind the Service gets a listener on its own pod IP and
   * target port that relays to `target`.
   */
  registerServiceBackend(
    namespace: string,
    service: string,
    port: number,
    target: string,
  ): Promise<void>;
  /** PIDs of every process this cluster runs (to check that stop() ended them). */
  pids(): number[];
  /** The API that the helper's own code uses (admin). */
  api: KubeApi;
  stop(): Promise<void>;
}

export interface RbacRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

const CONTROLLERS = [
  'serviceaccount-controller',
  'serviceaccount-token-controller',
  'root-ca-certificate-publisher-controller',
  'namespace-controller',
  'garbage-collector-controller',
  'deployment-controller',
  'replicaset-controller',
  'statefulset-controller',
  'daemonset-controller',
  'job-controller',
  'ttl-after-finished-controller',
  'endpoints-controller',
  'endpointslice-controller',
  'endpointslice-mirroring-controller',
  'service-cidr-controller',
  'horizontal-pod-autoscaler-controller',
  'disruption-controller',
  'pod-garbage-collector-controller',
  'node-lifecycle-controller',
  'taint-eviction-controller',
  'clusterrole-aggregation-controller',
];

const imageCheckScript = fileURLToPath(new URL('./image-check.ts', import.meta.url));
const loadBalancersScript = fileURLToPath(new URL('./load-balancers.ts', import.meta.url));

function token(): string {
  return randomBytes(24).toString('base64url');
}

function kubeconfigYaml(target: KubeTarget, user: string, namespace?: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'test-cluster',
        cluster: {
          server: target.server,
          'certificate-authority-data': Buffer.from(target.caPem).toString('base64'),
        },
      },
    ],
    users: [{ name: user, user: { token: target.token } }],
    contexts: [
      {
        name: 'test-cluster',
        context: { cluster: 'test-cluster', user, ...(namespace ? { namespace } : {}) },
      },
    ],
    'current-context': 'test-cluster',
  });
}

/** A kubeconfig with the CA inline and a bearer token, mode 0600 (it holds the token). */
export function writeKubeconfigFile(
  path: string,
  target: KubeTarget,
  user: string,
  namespace?: string,
): void {
  writeFileSync(path, kubeconfigYaml(target, user, namespace), { mode: 0o600 });
}

/**
 * Starts an upstream Kubernetes control plane on loopback ports: etcd →
 * kube-apiserver (TLS from a generated CA, Node+RBAC authorization,
 * service-account issuer and keys, the default admission plugins) →
 * kube-controller-manager and kube-scheduler, plus kwok for simulated nodes and
 * the image check that stands in for their image pulls. Every process is
 * recorded by pid (test/support/processes.ts) and ended by stop(), or by the
 * suite's teardown when a test dies first.
 */
export async function startCluster(options: StartClusterOptions = {}): Promise<KubeCluster> {
  const started = Date.now();
  const binaries = await ensureKubeBinaries();
  const dir = mkdtempSync(join(tmpdir(), 'md-kube-'));
  const logDir = options.logDir ?? join(dir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const processes: ManagedProcess[] = [];
  const subnet = await allocateSubnet();
  const backends = new ServiceBackends(subnet);
  let api: KubeApi | undefined;
  let realNode: KubeletNode | undefined;
  let emissary: Promise<EmissaryWebhook> | undefined;
  const stop = async () => {
    await backends.stop();
    await (await emissary?.catch(() => undefined))?.close();
    // The kubelet stops its pods through the API server: before the control plane goes.
    await realNode?.stop();
    // Reverse order: clients first, etcd last.
    for (const p of [...processes].reverse()) await p.stop();
    await api?.close();
    subnet.release();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const [etcdPort, etcdPeerPort, apiPort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
    ]);
    const pki = await writeClusterPki(dir, subnet.kubernetesServiceIp);
    const server = `https://127.0.0.1:${apiPort}`;
    // Static tokens: admin (system:masters) and one per component, each with
    // the identity the bootstrap RBAC policy already grants what it needs.
    const identities = {
      admin: { token: token(), user: 'model-deploy-admin', groups: ['system:masters'] },
      controllerManager: { token: token(), user: 'system:kube-controller-manager', groups: [] },
      scheduler: { token: token(), user: 'system:kube-scheduler', groups: [] },
      kwok: { token: token(), user: 'kwok-controller', groups: ['system:masters'] },
    };
    writeFileSync(
      join(dir, 'tokens.csv'),
      Object.values(identities)
        .map((id) => `${id.token},${id.user},${id.user},"${id.groups.join(',')}"`)
        .join('\n') + '\n',
      { mode: 0o600 },
    );
    const kubeletClient = await issueClientCert(
      pki,
      dir,
      'kube-apiserver-kubelet-client',
      'system:masters',
    );
    const kubeconfigFor = (id: keyof typeof identities): string => {
      const path = join(dir, `${id}.kubeconfig`);
      writeKubeconfigFile(
        path,
        { server, caPem: pki.caPem, token: identities[id].token },
        identities[id].user,
      );
      return path;
    };
    const start = (name: string, command: string, args: string[], env?: NodeJS.ProcessEnv) => {
      const p = startProcess(name, command, args, {
        logFile: join(logDir, `${name}.log`),
        ...(env ? { env } : {}),
      });
      processes.push(p);
      return p;
    };
    const exitedEarly = () => {
      const dead = processes.find((p) => p.child.exitCode !== null || p.child.signalCode !== null);
      if (dead)
        throw new Error(`${dead.name} exited during cluster start:\n${dead.output().slice(-4000)}`);
    };
    // Like waitFor, but a process that died ends the wait at once with its output.
    const until = async (what: string, check: () => Promise<boolean>) => {
      const deadline = Date.now() + 60_000;
      let last: unknown;
      for (;;) {
        exitedEarly();
        try {
          if (await check()) return;
        } catch (err) {
          last = err;
        }
        if (Date.now() > deadline) {
          throw new Error(
            `timed out after 60 s waiting for ${what}${last ? `: ${String(last)}` : ''}`,
          );
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    };

    start('etcd', binaries.etcd, [
      '--name=default',
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdPort}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdPort}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeerPort}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeerPort}`,
      `--initial-cluster=default=http://127.0.0.1:${etcdPeerPort}`,
      // A test cluster's data does not need to survive a power cut.
      '--unsafe-no-fsync',
      '--log-level=warn',
    ]);
    start('kube-apiserver', binaries.kubeApiserver, [
      `--etcd-servers=http://127.0.0.1:${etcdPort}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--cert-dir=${join(dir, 'apiserver')}`,
      `--tls-cert-file=${pki.servingCert}`,
      `--tls-private-key-file=${pki.servingKey}`,
      `--client-ca-file=${pki.caCert}`,
      `--token-auth-file=${join(dir, 'tokens.csv')}`,
      '--authorization-mode=Node,RBAC',
      // The defaults stay on; NodeRestriction goes with Node authorization.
      '--enable-admission-plugins=NodeRestriction',
      `--service-cluster-ip-range=${subnet.serviceCidr}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${pki.serviceAccountPub}`,
      `--service-account-signing-key-file=${pki.serviceAccountKey}`,
      '--allow-privileged=true',
      // Nodes are reached at their InternalIP (never a name to look up), with this client certificate.
      '--kubelet-preferred-address-types=InternalIP',
      `--kubelet-client-certificate=${kubeletClient.cert}`,
      `--kubelet-client-key=${kubeletClient.key}`,
      '--profiling=false',
      '--v=1',
      ...(options.tokenWebhook ? tokenWebhookArgs(dir, options.tokenWebhook) : []),
    ]);
    api = new KubeApi({ server, token: identities.admin.token, caPem: pki.caPem });
    const admin = api;
    await until('kube-apiserver /readyz', async () => {
      return admin.text('/readyz').then(
        (body) => body.trim() === 'ok',
        () => false,
      );
    });
    const apiServerReadyMs = Date.now() - started;

    start('kube-controller-manager', binaries.kubeControllerManager, [
      `--kubeconfig=${kubeconfigFor('controllerManager')}`,
      // Each controller acts as its own ServiceAccount, as kubeadm clusters run it.
      '--use-service-account-credentials=true',
      `--service-account-private-key-file=${pki.serviceAccountKey}`,
      `--root-ca-file=${pki.caCert}`,
      `--cluster-signing-cert-file=${pki.caCert}`,
      `--cluster-signing-key-file=${pki.caKey}`,
      // What workloads, Services, RBAC and namespaces need; storage, CSR
      // signing, quota and the other controllers stay off (each costs start time).
      `--controllers=${CONTROLLERS.join(',')}`,
      ...(options.endpointsBatchPeriod
        ? [
            `--endpoint-updates-batch-period=${options.endpointsBatchPeriod}`,
            `--endpointslice-updates-batch-period=${options.endpointsBatchPeriod}`,
          ]
        : []),
      '--leader-elect=false',
      '--secure-port=0',
      '--profiling=false',
      '--v=1',
    ]);
    start('kube-scheduler', binaries.kubeScheduler, [
      `--kubeconfig=${kubeconfigFor('scheduler')}`,
      '--leader-elect=false',
      '--secure-port=0',
      '--profiling=false',
      '--v=1',
    ]);
    start('kwok', binaries.kwok, [
      `--kubeconfig=${kubeconfigFor('kwok')}`,
      `--config=${await writeKwokConfig(dir)}`,
      `--manage-nodes-with-label-selector=model-deploy.test/node=kwok`,
      `--cidr=${subnet.podCidr}`,
      `--node-ip=${subnet.kwokNodeIp}`,
      '--node-lease-duration-seconds=40',
    ]);
    start('image-check', nodeWithTypeStripping(), [imageCheckScript], {
      ...process.env,
      ...targetEnv({ server, token: identities.kwok.token, caPem: pki.caPem }),
      MD_REGISTRY_HOSTS: (options.registryHosts ?? []).join(','),
      MD_KWOK_NODE_PREFIX: KWOK_NODE_PREFIX,
    });

    if ((options.loadBalancers ?? 'assign') === 'assign') {
      start('load-balancers', nodeWithTypeStripping(), [loadBalancersScript], {
        ...process.env,
        ...targetEnv({ server, token: identities.kwok.token, caPem: pki.caPem }),
        MD_LB_ADDRESS_PREFIX: `198.19.${subnet.index}.`,
      });
    }

    const pods = options.pods ?? 'simulated';
    const kwokNodes = Array.from(
      { length: options.kwokNodes ?? (pods === 'real' ? 0 : 1) },
      (_, i) => `${KWOK_NODE_PREFIX}${i}`,
    );
    for (const name of kwokNodes) await admin.send('POST', '/api/v1/nodes', kwokNode(name));
    for (const { name, ...shape } of options.shapedKwokNodes ?? []) {
      const full = `${KWOK_NODE_PREFIX}${name}`;
      await admin.send('POST', '/api/v1/nodes', kwokNode(full, shape));
      kwokNodes.push(full);
    }

    if (pods !== 'simulated') {
      realNode = await startKubeletNode({
        name: 'kubelet-0',
        dir,
        server,
        pki,
        subnet,
        kubelet: binaries.kubelet,
        registryHosts: options.registryHosts ?? [],
        api: admin,
        start: (name, command, args) => start(name, command, args),
      });
    }

    const kubeconfigPath = join(dir, 'admin.kubeconfig');
    const target: KubeTarget = { server, token: identities.admin.token, caPem: pki.caPem };
    writeKubeconfigFile(kubeconfigPath, target, identities.admin.user);

    const kubectl = async (args: string[], o: { input?: string } = {}): Promise<string> => {
      const child = execFileAsync(binaries.kubectl, ['--kubeconfig', kubeconfigPath, ...args], {
        maxBuffer: 64 * 1024 * 1024,
      });
      if (o.input !== undefined) {
        child.child.stdin?.end(o.input);
      }
      try {
        return (await child).stdout;
      } catch (err) {
        const e = err as { stderr?: string; message: string };
        throw new Error(`kubectl ${args.join(' ')} failed: ${e.stderr || e.message}`, {
          cause: err,
        });
      }
    };

    // Once per cluster, after the Emissary CRDs are in.
    const emissaryWebhook = () => (emissary ??= startEmissaryWebhook(admin, kubeconfigPath, start));
    const cluster: KubeCluster = {
      ...target,
      kubeconfigPath,
      binaries,
      subnet,
      logDir,
      kwokNodes,
      ...(realNode ? { kubeletNode: realNode.name } : {}),
      api: admin,
      timings: { apiServerReadyMs, totalMs: 0 },
      writeKubeconfig: (path, o) =>
        writeKubeconfigFile(path, target, identities.admin.user, o?.namespace),
      kubectl,
      kubectlJson: async (args) => JSON.parse(await kubectl([...args, '-o', 'json'])),
      apply: async (yaml) => {
        await kubectl(['apply', '--server-side', '--force-conflicts', '-f', '-'], { input: yaml });
      },
      installCrds: async (sets) => installCrds(cluster, sets, emissaryWebhook),
      serviceAccountKubeconfig: async (o) => serviceAccountKubeconfig(cluster, dir, o),
      registerServiceBackend: async (namespace, service, port, url) =>
        backends.register(admin, namespace, service, port, url),
      pids: () => processes.map((p) => p.pid),
      stop: once(stop),
    };

    // CRDs go in while the controllers start.
    const crdsInstalled = options.crds?.length
      ? installCrds(cluster, options.crds, emissaryWebhook)
      : Promise.resolve();
    crdsInstalled.catch(() => undefined);
    // Ready: the controllers run (the ServiceAccount controller made `default`),
    // the scheduler answers, and kwok has taken over its nodes.
    await until('kube-controller-manager (the default ServiceAccount)', async () => {
      await admin.get('/api/v1/namespaces/default/serviceaccounts/default');
      return true;
    });
    const nodeNames = [...kwokNodes, ...(realNode ? [realNode.name] : [])];
    await until(`the nodes (${nodeNames.join(', ')}) to be Ready`, async () => {
      const nodes = await admin.get('/api/v1/nodes');
      return (
        nodes.items.length === nodeNames.length &&
        nodes.items.every((n: KubeJson) =>
          (n.status?.conditions ?? []).some(
            (c: KubeJson) => c.type === 'Ready' && c.status === 'True',
          ),
        )
      );
    });
    await crdsInstalled;
    exitedEarly();
    cluster.timings.totalMs = Date.now() - started;
    return cluster;
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}

/** The webhook's kubeconfig (the API server is its client) and the flags that use it. */
function tokenWebhookArgs(dir: string, webhook: { url: string; caPem: string }): string[] {
  const path = join(dir, 'token-webhook.kubeconfig');
  writeFileSync(
    path,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'token-webhook',
          cluster: {
            server: webhook.url,
            'certificate-authority-data': Buffer.from(webhook.caPem).toString('base64'),
          },
        },
      ],
      users: [{ name: 'kube-apiserver', user: {} }],
      contexts: [
        { name: 'webhook', context: { cluster: 'token-webhook', user: 'kube-apiserver' } },
      ],
      'current-context': 'webhook',
    }),
  );
  return [
    `--authentication-token-webhook-config-file=${path}`,
    '--authentication-token-webhook-version=v1',
  ];
}

function once(action: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= action());
}

/**
 * Applies the CRDs of each set exactly as its project ships them (the YAML in
 * the pinned module), then waits until every one is Established.
 */
async function installCrds(
  cluster: KubeCluster,
  sets: CrdSet[],
  emissaryWebhook: () => Promise<EmissaryWebhook>,
): Promise<void> {
  const dirs = await crdModuleDirs();
  const documents: string[] = [];
  for (const set of new Set(sets)) {
    if (set === 'emissary') {
      documents.push(...(await emissaryCrdDocuments()));
    } else if (set === 'gateway-api') {
      const folder = join(dirs.gatewayApi, 'config', 'crd', 'standard');
      for (const file of readdirSync(folder).sort()) {
        // The standard channel's CRDs; its ValidatingAdmissionPolicy file is not a CRD.
        if (file.startsWith('gateway.networking.k8s.io_') && !file.includes('_vap_')) {
          documents.push(readFileSync(join(folder, file), 'utf8'));
        }
      }
    } else {
      // Istio ships all its CRDs in one file: take the networking.istio.io
      // documents, verbatim (security, telemetry and extensions are not used).
      const file = readFileSync(
        join(dirs.istioApi, 'kubernetes', 'customresourcedefinitions.gen.yaml'),
        'utf8',
      );
      documents.push(
        ...file.split(/^---$/m).filter((doc) => /^ {2}group: networking\.istio\.io$/m.test(doc)),
      );
    }
  }
  // Server-side apply of each document as shipped (the API takes YAML), all at once.
  const names = await Promise.all(
    documents.map(async (doc) => {
      const name = String((parse(doc) as { metadata: { name: string } }).metadata.name);
      await cluster.api.send(
        'PATCH',
        `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}?fieldManager=model-deploy-tests&force=true`,
        doc,
        'application/apply-patch+yaml',
      );
      return name;
    }),
  );
  // Established (the API server serves the new resource) is a condition the
  // CRD gets a moment after it is created; poll it (kubectl wait fails while
  // a fresh CRD has no conditions at all).
  const deadline = Date.now() + 120_000;
  for (const name of names) {
    for (;;) {
      const crd = await cluster.api.get(
        `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`,
      );
      const established = (crd.status?.conditions ?? []).some(
        (c: KubeJson) => c.type === 'Established' && c.status === 'True',
      );
      if (established) break;
      if (Date.now() > deadline) throw new Error(`CRD ${name} was not Established within 120 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  // Emissary's CRDs serve v3alpha1 only through its conversion webhook.
  if (sets.includes('emissary')) await emissaryWebhook();
}

async function serviceAccountKubeconfig(
  cluster: KubeCluster,
  dir: string,
  o: { namespace: string; name: string; rules: RbacRule[]; path?: string },
): Promise<{ path: string; token: string }> {
  const meta = { name: o.name, namespace: o.namespace };
  await cluster.apply(
    [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: o.namespace } },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta, rules: o.rules },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: meta,
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: o.name },
        subjects: [{ kind: 'ServiceAccount', name: o.name, namespace: o.namespace }],
      },
    ]
      .map((doc) => stringify(doc))
      .join('---\n'),
  );
  const request = await cluster.api.send(
    'POST',
    `/api/v1/namespaces/${o.namespace}/serviceaccounts/${o.name}/token`,
    {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: 7200 },
    },
  );
  const saToken = String(request.status.token);
  const path = o.path ?? join(dir, `sa-${o.namespace}-${o.name}.kubeconfig`);
  writeKubeconfigFile(
    path,
    { server: cluster.server, caPem: cluster.caPem, token: saToken },
    `system:serviceaccount:${o.namespace}:${o.name}`,
    o.namespace,
  );
  return { path, token: saToken };
}
