import { describe, expect, it } from 'vitest';
import { grpcApiOf } from '../../../shared/model/grpc-api.ts';
import { RUNTIMES } from '../../../shared/model/runtimes/index.ts';
import { grpcHostFor, renderServing, type ServingSpec } from '../../../shared/kube/manifests.ts';
import { cloudProfile } from '../../../shared/kube/profiles.ts';
import { RUNTIME_NAMES, runtimeServing } from '../../../shared/model/runtimes/serving.ts';
import { labelForRelease, manifestsHash, type KubeObject } from '../../../shared/kube/objects.ts';

const digest = `sha256:${'a'.repeat(64)}`;

function spec(overrides: Partial<ServingSpec> = {}): ServingSpec {
  return {
    name: 'resnet50',
    namespace: 'models',
    image: `registry.example.com/models/resnet50@${digest}`,
    runtime: runtimeServing('triton', 'resnet50'),
    replicas: 1,
    resources: { cpu: '500m', memory: '2Gi' },
    env: { B: '2', A: '1' },
    expose: { mode: 'cluster-ip' },
    profile: cloudProfile('none'),
    progressDeadlineSeconds: 600,
    ...overrides,
  };
}

// Tests read deep into rendered JSON; typing every level would only restate the manifests.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Rendered = KubeObject & { spec: any };
const find = (objects: KubeObject[], kind: string) =>
  objects.find((o) => o.kind === kind) as Rendered;

describe('built-in manifests', () => {
  it('renders a Deployment with the runtime probes, resources and a hardened pod', () => {
    const objects = renderServing(spec());
    expect(objects.map((o) => o.kind)).toEqual(['ServiceAccount', 'Service', 'Deployment']);
    const deployment = find(objects, 'Deployment');
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    expect(container.image).toBe(`registry.example.com/models/resnet50@${digest}`);
    expect(container.ports).toEqual([
      { name: 'http', containerPort: 8000, protocol: 'TCP' },
      { name: 'grpc', containerPort: 8001, protocol: 'TCP' },
    ]);
    expect(container.readinessProbe.httpGet).toEqual({ path: '/v2/health/ready', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/v2/health/live', port: 'http' });
    expect(container.resources).toEqual({
      requests: { cpu: '500m', memory: '2Gi' },
      limits: { memory: '2Gi' },
    });
    expect(container.env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '2' },
    ]);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
    expect(pod.serviceAccountName).toBe('resnet50');
    const service = find(objects, 'Service');
    expect(service.spec.type).toBe('ClusterIP');
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
  });

  it('runs every runtime as a non-root uid, with a writable root only where the runtime writes', () => {
    const vllm = find(
      renderServing(spec({ runtime: runtimeServing('vllm', 'm'), resources: { gpu: 1 } })),
      'Deployment',
    ).spec.template.spec;
    expect(vllm.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(vllm.containers[0].securityContext.readOnlyRootFilesystem).toBe(false);
    // HOME and the caches under it on an emptyDir, /dev/shm in memory.
    expect(vllm.containers[0].env).toContainEqual({ name: 'HOME', value: '/home/model-server' });
    expect(vllm.volumes).toContainEqual({
      name: 'dshm',
      emptyDir: { medium: 'Memory', sizeLimit: '2Gi' },
    });
    for (const name of ['triton', 'tfserving', 'torchserve', 'mlserver', 'custom'] as const) {
      const pod = find(renderServing(spec({ runtime: runtimeServing(name, 'm') })), 'Deployment')
        .spec.template.spec;
      expect(pod.securityContext.runAsNonRoot, name).toBe(true);
      expect(pod.securityContext.runAsUser, name).toBeGreaterThan(0);
    }
  });

  it('requests GPUs with the cloud node selector and tolerations', () => {
    const gke = find(
      renderServing(
        spec({ profile: cloudProfile('gcp'), resources: { gpu: 2, gpuType: 'nvidia-l4' } }),
      ),
      'Deployment',
    ).spec.template.spec;
    expect(gke.containers[0].resources.limits['nvidia.com/gpu']).toBe('2');
    expect(gke.nodeSelector).toEqual({ 'cloud.google.com/gke-accelerator': 'nvidia-l4' });
    expect(gke.tolerations).toContainEqual({
      key: 'nvidia.com/gpu',
      operator: 'Exists',
      effect: 'NoSchedule',
    });
    const aks = find(
      renderServing(spec({ profile: cloudProfile('azure'), resources: { gpu: 1 } })),
      'Deployment',
    ).spec.template.spec;
    expect(aks.nodeSelector).toEqual({ 'kubernetes.azure.com/accelerator': 'nvidia' });
    expect(aks.tolerations).toContainEqual({
      key: 'sku',
      operator: 'Equal',
      value: 'gpu',
      effect: 'NoSchedule',
    });
    const cpuOnly = find(renderServing(spec({ profile: cloudProfile('gcp') })), 'Deployment').spec
      .template.spec;
    expect(cpuOnly.nodeSelector).toBeUndefined();
    expect(cpuOnly.tolerations).toBeUndefined();
  });

  it('annotates the ServiceAccount with the workload identity of each cloud', () => {
    const aws = find(
      renderServing(
        spec({ profile: cloudProfile('aws'), identity: 'arn:aws:iam::123456789012:role/x' }),
      ),
      'ServiceAccount',
    );
    expect(aws.metadata.annotations).toEqual({
      'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/x',
    });
    const azureObjects = renderServing(
      spec({ profile: cloudProfile('azure'), identity: '00000000-0000-0000-0000-000000000001' }),
    );
    expect(find(azureObjects, 'ServiceAccount').metadata.annotations).toEqual({
      'azure.workload.identity/client-id': '00000000-0000-0000-0000-000000000001',
    });
    expect(
      find(azureObjects, 'Deployment').spec.template.metadata.labels['azure.workload.identity/use'],
    ).toBe('true');
    const gcp = find(
      renderServing(
        spec({
          profile: cloudProfile('gcp'),
          identity: 'sa-name@my-project.iam.gserviceaccount.com',
        }),
      ),
      'ServiceAccount',
    );
    expect(gcp.metadata.annotations).toEqual({
      'iam.gke.io/gcp-service-account': 'sa-name@my-project.iam.gserviceaccount.com',
    });
    expect(cloudProfile('gcp').identity?.check('not-an-email')).toMatch(
      /not a Google service account/,
    );
  });

  it('adds load balancer annotations from the profile only', () => {
    const awsLb = find(
      renderServing(spec({ profile: cloudProfile('aws'), expose: { mode: 'load-balancer' } })),
      'Service',
    );
    expect(awsLb.spec.type).toBe('LoadBalancer');
    expect(awsLb.metadata.annotations?.['service.beta.kubernetes.io/aws-load-balancer-type']).toBe(
      'external',
    );
    const azureInternal = find(
      renderServing(
        spec({ profile: cloudProfile('azure'), expose: { mode: 'internal-load-balancer' } }),
      ),
      'Service',
    );
    expect(azureInternal.metadata.annotations).toEqual({
      'service.beta.kubernetes.io/azure-load-balancer-internal': 'true',
    });
    const gcpInternal = find(
      renderServing(
        spec({ profile: cloudProfile('gcp'), expose: { mode: 'internal-load-balancer' } }),
      ),
      'Service',
    );
    expect(gcpInternal.metadata.annotations).toEqual({
      'networking.gke.io/load-balancer-type': 'Internal',
    });
    expect(
      find(renderServing(spec({ expose: { mode: 'load-balancer' } })), 'Service').metadata
        .annotations,
    ).toBeUndefined();
  });

  it('hands replicas to the HPA and protects several replicas with a PDB', () => {
    const objects = renderServing(spec({ autoscaling: { min: 2, max: 8, targetCpu: 60 } }));
    expect(find(objects, 'Deployment').spec.replicas).toBeUndefined();
    const hpa = find(objects, 'HorizontalPodAutoscaler');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 8 });
    expect(hpa.spec.metrics[0].resource.target.averageUtilization).toBe(60);
    expect(find(objects, 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
  });

  it('routes through a Gateway API HTTPRoute or an Istio VirtualService', () => {
    const route = find(
      renderServing(
        spec({ expose: { mode: 'gateway', host: 'm.example.com', gateway: 'infra/public' } }),
      ),
      'HTTPRoute',
    );
    expect(route.spec.parentRefs).toEqual([{ name: 'public', namespace: 'infra' }]);
    expect(route.spec.hostnames).toEqual(['m.example.com']);
    expect(route.spec.rules[0].backendRefs).toEqual([{ name: 'resnet50', port: 80 }]);
    const vs = find(
      renderServing(spec({ expose: { mode: 'istio', host: 'm.example.com' } })),
      'VirtualService',
    );
    expect(vs.spec.hosts).toEqual(['m.example.com']);
    expect(vs.spec.http[0].route[0].destination.host).toBe('resnet50.models.svc.cluster.local');
  });

  it('labels every object and pod template with the release, and hashes stably', () => {
    const labelled = labelForRelease(renderServing(spec()), 'resnet50', 'models');
    for (const o of labelled) {
      expect(o.metadata.labels).toMatchObject({
        'app.kubernetes.io/managed-by': 'model-deploy',
        'model-deploy.io/release': 'resnet50',
      });
      expect(o.metadata.namespace).toBe('models');
    }
    expect(
      (find(labelled, 'Deployment').spec.template.metadata.labels as Record<string, string>)[
        'model-deploy.io/release'
      ],
    ).toBe('resnet50');
    const again = labelForRelease(
      renderServing(spec({ env: { A: '1', B: '2' } })),
      'resnet50',
      'models',
    );
    expect(manifestsHash(again)).toBe(manifestsHash(labelled));
    expect(manifestsHash([...again].reverse())).toBe(manifestsHash(labelled));
    const changed = labelForRelease(renderServing(spec({ replicas: 3 })), 'resnet50', 'models');
    expect(manifestsHash(changed)).not.toBe(manifestsHash(labelled));
  });

  it('gives a runtime that serves gRPC a grpc port on the Service, speaking h2c', () => {
    const ports: Record<string, number | undefined> = {};
    for (const runtime of RUNTIME_NAMES) {
      const objects = renderServing(spec({ runtime: runtimeServing(runtime, 'resnet50') }));
      const service = find(objects, 'Service');
      const grpc = service.spec.ports.find((p: { name: string }) => p.name === 'grpc');
      ports[runtime] = grpc?.port;
      if (grpc) {
        expect(grpc).toEqual({
          name: 'grpc',
          port: grpc.port,
          targetPort: 'grpc',
          protocol: 'TCP',
          appProtocol: 'kubernetes.io/h2c',
        });
        const container = find(objects, 'Deployment').spec.template.spec.containers[0];
        expect(container.ports).toContainEqual({
          name: 'grpc',
          containerPort: grpc.port,
          protocol: 'TCP',
        });
      }
      // REST stays the first port: the service proxy and the url output use it.
      expect(service.spec.ports[0].name).toBe('http');
    }
    expect(ports).toEqual({
      triton: 8001,
      tfserving: 8500,
      torchserve: 7070,
      mlserver: 8081,
      vllm: undefined,
      custom: undefined,
    });
  });

  it('matches gRPC on the protobuf package of the API the runtime serves', () => {
    for (const runtime of ['triton', 'mlserver', 'tfserving'] as const) {
      const api = grpcApiOf(RUNTIMES[runtime])!;
      expect(runtimeServing(runtime, 'm').grpc).toEqual({
        port: api.port,
        pathPrefix: `/${api.api.package}.`,
      });
      // Every RPC path of the API starts with the prefix.
      for (const service of api.api.services) {
        expect(`/${service}/Method`.startsWith(runtimeServing(runtime, 'm').grpc!.pathPrefix)).toBe(
          true,
        );
      }
    }
  });

  it('adds a GRPCRoute on a host of its own beside the HTTPRoute', () => {
    const objects = renderServing(
      spec({ expose: { mode: 'gateway', host: 'm.example.com', gateway: 'infra/public' } }),
    );
    const route = find(objects, 'GRPCRoute');
    expect(route.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(route.spec.parentRefs).toEqual([{ name: 'public', namespace: 'infra' }]);
    expect(route.spec.hostnames).toEqual(['m-grpc.example.com']);
    expect(route.spec.rules).toEqual([{ backendRefs: [{ name: 'resnet50', port: 8001 }] }]);
    const given = renderServing(
      spec({ expose: { mode: 'gateway', host: 'm.example.com', grpcHost: 'rpc.example.com' } }),
    );
    expect(find(given, 'GRPCRoute').spec.hostnames).toEqual(['rpc.example.com']);
    const rest = renderServing(
      spec({
        runtime: runtimeServing('custom', 'resnet50'),
        expose: { mode: 'gateway', host: 'm.example.com' },
      }),
    );
    expect(rest.map((o) => o.kind)).not.toContain('GRPCRoute');
  });

  it('derives the gRPC host within the REST host domain', () => {
    expect(grpcHostFor('resnet50.models.example.com')).toBe('resnet50-grpc.models.example.com');
    expect(grpcHostFor('localhost')).toBe('localhost-grpc');
    const long = `${'a'.repeat(63)}.example.com`;
    expect(grpcHostFor(long).split('.')[0]).toHaveLength(63);
  });

  it('refuses a wildcard REST host without grpc-host, naming the input to give', () => {
    expect(() =>
      renderServing(spec({ expose: { mode: 'gateway', host: '*.models.example.com' } })),
    ).toThrow(
      "input 'grpc-host' is needed: host *.models.example.com is a wildcard, and the runtime's gRPC API needs a GRPCRoute on a host other than the HTTPRoute's",
    );
    const given = renderServing(
      spec({
        expose: { mode: 'gateway', host: '*.models.example.com', grpcHost: 'rpc.example.com' },
      }),
    );
    expect(find(given, 'GRPCRoute').spec.hostnames).toEqual(['rpc.example.com']);
  });

  it('routes gRPC to the grpc port in the Istio VirtualService, the rest to REST', () => {
    const vs = find(
      renderServing(spec({ expose: { mode: 'istio', host: 'm.example.com' } })),
      'VirtualService',
    );
    expect(vs.spec.http).toEqual([
      {
        name: 'grpc',
        match: [{ uri: { prefix: '/inference.' } }],
        route: [
          {
            destination: { host: 'resnet50.models.svc.cluster.local', port: { number: 8001 } },
          },
        ],
      },
      {
        name: 'http',
        route: [
          { destination: { host: 'resnet50.models.svc.cluster.local', port: { number: 80 } } },
        ],
      },
    ]);
  });

  it('renders Emissary-ingress Mappings for REST and for gRPC on the host', () => {
    const objects = renderServing(
      spec({
        runtime: runtimeServing('tfserving', 'resnet50'),
        expose: { mode: 'ambassador', host: 'm.example.com' },
      }),
    );
    const mappings = objects.filter((o) => o.kind === 'Mapping') as Rendered[];
    expect(mappings.map((m) => [m.apiVersion, m.metadata.name])).toEqual([
      ['getambassador.io/v3alpha1', 'resnet50'],
      ['getambassador.io/v3alpha1', 'resnet50-grpc'],
    ]);
    expect(mappings[0]!.spec).toEqual({
      hostname: 'm.example.com',
      prefix: '/',
      service: 'resnet50.models:80',
    });
    expect(mappings[1]!.spec).toEqual({
      hostname: 'm.example.com',
      prefix: '/tensorflow.serving.',
      // Emissary would rewrite the prefix to / otherwise, and the server knows no such RPC.
      rewrite: '/tensorflow.serving.',
      grpc: true,
      service: 'resnet50.models:8500',
    });
  });
});
