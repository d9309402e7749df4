import { InputError } from '../common/errors.ts';
import type { KubeObject } from './objects.ts';
import type { CloudProfile, LoadBalancerController } from './profiles.ts';
import type { RuntimeServing } from '../model/runtimes/serving.ts';

/** Everything the built-in manifests are made from; already validated. */
export interface ServingSpec {
  name: string;
  namespace: string;
  /** `host/repo@sha256:…` (or a tag when digests are not required). */
  image: string;
  runtime: RuntimeServing;
  replicas: number;
  resources: ResourceSpec;
  autoscaling?: AutoscalingSpec;
  env: Record<string, string>;
  expose: ExposeSpec;
  profile: CloudProfile;
  /** A cloud identity (role ARN, client id, Google service account). */
  identity?: string;
  /** How long a rollout may go without progress before the Deployment reports it. */
  progressDeadlineSeconds: number;
  /** Recorded on the pod template for traceability. */
  modelVersion?: string;
  /** Extra pod template annotations (metrics scraping, mesh injection, …). */
  podAnnotations?: Record<string, string>;
  /** Default: 25% surge, none unavailable (old pods serve until new ones are ready). */
  rollingUpdate?: { maxSurge: number | string; maxUnavailable: number | string };
  /** A preStop pause so load balancers and kube-proxy stop sending before the server stops. */
  drainSeconds?: number;
  terminationGracePeriodSeconds?: number;
  /** Spread replicas over zones and nodes (soft: a single-zone cluster still schedules). */
  topologySpread?: boolean;
  /** Who serves the LoadBalancer Service; picks the profile's annotations. */
  loadBalancerController?: LoadBalancerController;
}

export interface ResourceSpec {
  cpu?: string;
  memory?: string;
  cpuLimit?: string;
  memoryLimit?: string;
  gpu?: number;
  gpuType?: string;
  /** Requests deploy filled in from the runtime: they get no limit (a guess must not OOM-kill). */
  defaulted?: Array<'cpu' | 'memory'>;
}

export interface AutoscalingSpec {
  min: number;
  max: number;
  /** Average CPU utilisation, percent of the request. */
  targetCpu: number;
}

export type ExposeMode =
  'cluster-ip' | 'load-balancer' | 'internal-load-balancer' | 'gateway' | 'istio' | 'ambassador';

export interface ExposeSpec {
  mode: ExposeMode;
  host?: string;
  /** Gateway API: the host name of the GRPCRoute (default: see grpcHostFor). */
  grpcHost?: string;
  /** `namespace/name` of the Gateway (Gateway API) or the Istio gateway. */
  gateway?: string;
}

export const SERVICE_PORT = 80;
/** The name of the Service and container port a runtime serves gRPC on. */
export const GRPC_PORT_NAME = 'grpc';
/** Tells proxies (Gateway API implementations, Istio, cloud load balancers) to speak HTTP/2 in clear text. */
export const GRPC_APP_PROTOCOL = 'kubernetes.io/h2c';
export const EMISSARY_API_VERSION = 'getambassador.io/v3alpha1';

/**
 * A Gateway listener takes either an HTTPRoute or a GRPCRoute for one host
 * name, never both (the Gateway API accepts the older and rejects the other),
 * so gRPC gets a host of its own beside the REST one: the first label with
 * `-grpc` added, so a wildcard DNS record and certificate for the REST host's
 * domain cover it too.
 */
export function grpcHostFor(host: string): string {
  const dot = host.indexOf('.');
  const first = dot === -1 ? host : host.slice(0, dot);
  const rest = dot === -1 ? '' : host.slice(dot);
  if (first === '*') return host;
  return `${first.slice(0, 63 - '-grpc'.length)}-grpc${rest}`;
}

export function renderServing(spec: ServingSpec): KubeObject[] {
  const objects: KubeObject[] = [serviceAccount(spec), service(spec), deployment(spec)];
  if (spec.autoscaling) objects.push(horizontalPodAutoscaler(spec, spec.autoscaling));
  const minReplicas = spec.autoscaling?.min ?? spec.replicas;
  if (minReplicas >= 2) objects.push(podDisruptionBudget(spec));
  if (spec.expose.mode === 'gateway') {
    objects.push(httpRoute(spec));
    if (spec.runtime.grpc) objects.push(grpcRoute(spec, spec.runtime.grpc.port));
  }
  if (spec.expose.mode === 'istio') objects.push(virtualService(spec));
  if (spec.expose.mode === 'ambassador') objects.push(...ambassadorMappings(spec));
  return objects;
}

function meta(
  spec: ServingSpec,
  extra: Partial<KubeObject['metadata']> = {},
): KubeObject['metadata'] {
  return {
    name: spec.name,
    namespace: spec.namespace,
    labels: { 'app.kubernetes.io/name': spec.name, 'app.kubernetes.io/component': 'model-server' },
    ...extra,
  };
}

/** The selector never changes between revisions: Deployment selectors are immutable. */
export function podSelector(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name, 'model-deploy.io/release': name };
}

function serviceAccount(spec: ServingSpec): KubeObject {
  const annotations: Record<string, string> = {};
  if (spec.identity && spec.profile.identity) {
    annotations[spec.profile.identity.annotation] = spec.identity;
  }
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: meta(spec, Object.keys(annotations).length ? { annotations } : {}),
  };
}

function service(spec: ServingSpec): KubeObject {
  const loadBalancer =
    spec.expose.mode === 'load-balancer' || spec.expose.mode === 'internal-load-balancer';
  const annotations = loadBalancer
    ? spec.profile.loadBalancerAnnotations(
        spec.expose.mode === 'internal-load-balancer',
        spec.loadBalancerController,
      )
    : {};
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(spec, Object.keys(annotations).length ? { annotations } : {}),
    spec: {
      type: loadBalancer ? 'LoadBalancer' : 'ClusterIP',
      selector: podSelector(spec.name),
      ports: [
        { name: 'http', port: SERVICE_PORT, targetPort: 'http', protocol: 'TCP' },
        // gRPC keeps the runtime's own port number, the one its clients know.
        ...(spec.runtime.grpc
          ? [
              {
                name: GRPC_PORT_NAME,
                port: spec.runtime.grpc.port,
                targetPort: GRPC_PORT_NAME,
                protocol: 'TCP',
                appProtocol: GRPC_APP_PROTOCOL,
              },
            ]
          : []),
      ],
    },
  };
}

function resources(spec: ServingSpec): Record<string, Record<string, string>> {
  const r = spec.resources;
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  if (r.cpu) requests.cpu = r.cpu;
  if (r.memory) requests.memory = r.memory;
  if (r.cpuLimit) limits.cpu = r.cpuLimit;
  // Memory is not compressible: a pod over its request is the first one evicted,
  // so the limit defaults to the request the user gave.
  const memoryLimit = r.memoryLimit ?? (r.defaulted?.includes('memory') ? undefined : r.memory);
  if (memoryLimit) limits.memory = memoryLimit;
  if (r.gpu) {
    limits['nvidia.com/gpu'] = String(r.gpu);
    requests['nvidia.com/gpu'] = String(r.gpu);
  }
  const out: Record<string, Record<string, string>> = {};
  if (Object.keys(requests).length) out.requests = requests;
  if (Object.keys(limits).length) out.limits = limits;
  return out;
}

function probe(path: string, failureThreshold: number, periodSeconds: number) {
  return {
    httpGet: { path, port: 'http' },
    periodSeconds,
    timeoutSeconds: 5,
    failureThreshold,
  };
}

function modelContainer(spec: ServingSpec): Record<string, unknown> {
  const runtime = spec.runtime;
  const env = { ...runtime.env, ...spec.env };
  const scratch = runtime.scratch ?? [];
  return {
    name: 'model',
    image: spec.image,
    imagePullPolicy: 'IfNotPresent',
    ...(runtime.args ? { args: runtime.args } : {}),
    // A model server that crashes says why on stderr: the kubelet puts the
    // log tail in lastState.terminated.message, which the rollout diagnosis shows.
    terminationMessagePolicy: 'FallbackToLogsOnError',
    ports: [
      { name: 'http', containerPort: runtime.port, protocol: 'TCP' },
      ...(runtime.grpc
        ? [{ name: GRPC_PORT_NAME, containerPort: runtime.grpc.port, protocol: 'TCP' }]
        : []),
    ],
    ...(Object.keys(env).length
      ? {
          env: Object.entries(env)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([name, value]) => ({ name, value })),
        }
      : {}),
    resources: resources(spec),
    startupProbe: probe(runtime.readinessPath, Math.ceil(runtime.startupSeconds / 5), 5),
    readinessProbe: probe(runtime.readinessPath, 3, 5),
    livenessProbe: probe(runtime.livenessPath, 3, 10),
    ...(spec.drainSeconds
      ? { lifecycle: { preStop: { sleep: { seconds: spec.drainSeconds } } } }
      : {}),
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: runtime.readOnlyRootFilesystem,
      capabilities: { drop: ['ALL'] },
    },
    volumeMounts: [
      { name: 'tmp', mountPath: '/tmp' },
      ...scratch.map((v) => ({ name: v.name, mountPath: v.mountPath })),
    ],
  };
}

function podSecurityContext(spec: ServingSpec): Record<string, unknown> {
  const podSecurity: Record<string, unknown> = { seccompProfile: { type: 'RuntimeDefault' } };
  if (spec.runtime.runAsUser !== undefined) {
    podSecurity.runAsNonRoot = true;
    podSecurity.runAsUser = spec.runtime.runAsUser;
    podSecurity.fsGroup = spec.runtime.runAsUser;
  }
  return podSecurity;
}

function podVolumes(spec: ServingSpec): Array<Record<string, unknown>> {
  return [
    { name: 'tmp', emptyDir: {} },
    ...(spec.runtime.scratch ?? []).map((v) => ({
      name: v.name,
      emptyDir: {
        ...(v.medium ? { medium: v.medium } : {}),
        ...(v.sizeLimit ? { sizeLimit: v.sizeLimit } : {}),
      },
    })),
  ];
}

/** Where the pods may run: GPU nodes by the profile's selector, affinity and tolerations; spread over zones and nodes. */
function podScheduling(spec: ServingSpec): Record<string, unknown> {
  const gpu = (spec.resources.gpu ?? 0) > 0;
  const placement = gpu ? spec.profile.gpuPlacement(spec.resources.gpuType) : undefined;
  const nodeSelector = placement?.nodeSelector ?? {};
  const affinity = placement?.nodeAffinityTerms
    ? {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: placement.nodeAffinityTerms.map((matchExpressions) => ({
              matchExpressions,
            })),
          },
        },
      }
    : undefined;
  const spread = spec.topologySpread
    ? ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map((topologyKey) => ({
        maxSkew: 1,
        topologyKey,
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: podSelector(spec.name) },
        // Spread each revision's pods, not old and new together.
        matchLabelKeys: ['pod-template-hash'],
      }))
    : undefined;
  return {
    ...(Object.keys(nodeSelector).length ? { nodeSelector } : {}),
    ...(affinity ? { affinity } : {}),
    ...(placement ? { tolerations: placement.tolerations } : {}),
    ...(spread ? { topologySpreadConstraints: spread } : {}),
  };
}

function podTemplate(spec: ServingSpec): Record<string, unknown> {
  const podLabels: Record<string, string> = {
    ...podSelector(spec.name),
    'app.kubernetes.io/component': 'model-server',
    ...(spec.identity ? (spec.profile.identity?.podLabels ?? {}) : {}),
  };
  const annotations: Record<string, string> = { ...spec.podAnnotations };
  if (spec.modelVersion) annotations['model-deploy.io/model-version'] = spec.modelVersion;
  return {
    metadata: {
      labels: podLabels,
      ...(Object.keys(annotations).length ? { annotations } : {}),
    },
    spec: {
      serviceAccountName: spec.name,
      ...(spec.terminationGracePeriodSeconds !== undefined
        ? { terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds }
        : {}),
      securityContext: podSecurityContext(spec),
      containers: [modelContainer(spec)],
      volumes: podVolumes(spec),
      ...podScheduling(spec),
    },
  };
}

function deployment(spec: ServingSpec): KubeObject {
  const deploymentSpec: Record<string, unknown> = {
    selector: { matchLabels: podSelector(spec.name) },
    revisionHistoryLimit: 10,
    progressDeadlineSeconds: spec.progressDeadlineSeconds,
    // Old pods keep serving until new ones are ready: a broken model never takes traffic.
    strategy: {
      type: 'RollingUpdate',
      rollingUpdate: spec.rollingUpdate ?? { maxSurge: '25%', maxUnavailable: 0 },
    },
    template: podTemplate(spec),
  };
  // With an HPA the replica count is the autoscaler's; applying it would fight it.
  if (!spec.autoscaling) deploymentSpec.replicas = spec.replicas;
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(spec), spec: deploymentSpec };
}

function horizontalPodAutoscaler(spec: ServingSpec, scaling: AutoscalingSpec): KubeObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: meta(spec),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: spec.name },
      minReplicas: scaling.min,
      maxReplicas: scaling.max,
      metrics: [
        {
          type: 'Resource',
          resource: {
            name: 'cpu',
            target: { type: 'Utilization', averageUtilization: scaling.targetCpu },
          },
        },
      ],
    },
  };
}

function podDisruptionBudget(spec: ServingSpec): KubeObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: meta(spec),
    spec: { maxUnavailable: 1, selector: { matchLabels: podSelector(spec.name) } },
  };
}

function splitRef(ref: string | undefined, namespace: string): { namespace: string; name: string } {
  const value = ref ?? 'gateway';
  const slash = value.indexOf('/');
  return slash === -1
    ? { namespace, name: value }
    : { namespace: value.slice(0, slash), name: value.slice(slash + 1) };
}

function httpRoute(spec: ServingSpec): KubeObject {
  const gateway = splitRef(spec.expose.gateway, spec.namespace);
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: meta(spec),
    spec: {
      parentRefs: [{ name: gateway.name, namespace: gateway.namespace }],
      ...(spec.expose.host ? { hostnames: [spec.expose.host] } : {}),
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: '/' } }],
          backendRefs: [{ name: spec.name, port: SERVICE_PORT }],
        },
      ],
    },
  };
}

function grpcRoute(spec: ServingSpec, port: number): KubeObject {
  const gateway = splitRef(spec.expose.gateway, spec.namespace);
  const host =
    spec.expose.grpcHost ?? (spec.expose.host ? grpcHostFor(spec.expose.host) : undefined);
  if (host !== undefined && host === spec.expose.host) {
    // A wildcard host has no first label to derive a gRPC host from.
    throw new InputError(
      'grpc-host',
      `is needed: host ${spec.expose.host} is a wildcard, and the runtime's gRPC API needs a GRPCRoute on a host other than the HTTPRoute's`,
      `grpc-host: grpc${spec.expose.host.slice(1)}`,
    );
  }
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'GRPCRoute',
    metadata: meta(spec),
    spec: {
      parentRefs: [{ name: gateway.name, namespace: gateway.namespace }],
      ...(host ? { hostnames: [host] } : {}),
      // No matches: every service and method of the host goes to the model server.
      rules: [{ backendRefs: [{ name: spec.name, port }] }],
    },
  };
}

function serviceFqdn(spec: ServingSpec): string {
  return `${spec.name}.${spec.namespace}.svc.cluster.local`;
}

function virtualService(spec: ServingSpec): KubeObject {
  const gateway = splitRef(spec.expose.gateway ?? 'istio-system/ingressgateway', spec.namespace);
  const to = (port: number) => [
    { destination: { host: serviceFqdn(spec), port: { number: port } } },
  ];
  const grpc = spec.runtime.grpc;
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: meta(spec),
    spec: {
      hosts: [spec.expose.host ?? serviceFqdn(spec)],
      gateways: [`${gateway.namespace}/${gateway.name}`],
      http: [
        // One host for both: a gRPC call is a POST whose path starts with its
        // protobuf package; it goes to the gRPC port, the rest to REST.
        ...(grpc
          ? [
              {
                name: GRPC_PORT_NAME,
                match: [{ uri: { prefix: grpc.pathPrefix } }],
                route: to(grpc.port),
              },
            ]
          : []),
        { name: 'http', route: to(SERVICE_PORT) },
      ],
    },
  };
}

/**
 * Emissary-ingress (Ambassador): a Mapping for REST on the host, and one with
 * `grpc: true` for the runtime's RPCs (the longer prefix wins). Emissary
 * rewrites a matched prefix to `/` unless told otherwise; gRPC paths must
 * reach the server whole.
 */
function ambassadorMappings(spec: ServingSpec): KubeObject[] {
  const hostname = spec.expose.host ?? '*';
  const service = (port: number) => `${spec.name}.${spec.namespace}:${port}`;
  const mappings: KubeObject[] = [
    {
      apiVersion: EMISSARY_API_VERSION,
      kind: 'Mapping',
      metadata: meta(spec),
      spec: { hostname, prefix: '/', service: service(SERVICE_PORT) },
    },
  ];
  const grpc = spec.runtime.grpc;
  if (grpc) {
    mappings.push({
      apiVersion: EMISSARY_API_VERSION,
      kind: 'Mapping',
      metadata: meta(spec, { name: `${spec.name}-${GRPC_PORT_NAME}` }),
      spec: {
        hostname,
        prefix: grpc.pathPrefix,
        rewrite: grpc.pathPrefix,
        grpc: true,
        service: service(grpc.port),
      },
    });
  }
  return mappings;
}
