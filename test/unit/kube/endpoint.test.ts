import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCluster, parseClusterSpec } from '../../../shared/clouds/cluster-access.ts';
import { formatDuration } from '../../../shared/common/duration.ts';
import { UserError } from '../../../shared/common/errors.ts';
import { silentLogger, type Logger } from '../../../shared/common/logger.ts';
import { KubeClient } from '../../../shared/kube/client.ts';
import { releaseEndpoint, type EndpointOptions } from '../../../shared/kube/endpoint.ts';
import type { KubeObject } from '../../../shared/kube/objects.ts';
import { cloudProfile } from '../../../shared/kube/profiles.ts';
import { startCluster, type KubeCluster } from '../../support/kube/cluster.ts';

/**
 * A real API server with the Gateway API and Istio CRDs, and no load balancer
 * controller: the test gives a Service its address the way a cloud's
 * controller does (the status subresource), when it chooses to.
 */
let cluster: KubeCluster;
let admin: KubeClient;
/** May read Services and events in the release namespace, not Gateways. */
let deployer: KubeClient;
const ns = 'serve';
const AWS = 'service.beta.kubernetes.io/aws-load-balancer-';

const connect = async (path: string) =>
  new KubeClient(
    await connectCluster(parseClusterSpec(`kubeconfig:${path}`), { logger: silentLogger }),
  );

beforeAll(async () => {
  cluster = await startCluster({
    pods: 'simulated',
    loadBalancers: 'none',
    crds: ['gateway-api', 'istio'],
  });
  admin = await connect(cluster.kubeconfigPath);
  await cluster.kubectl(['create', 'namespace', ns]);
  await cluster.kubectl(['create', 'namespace', 'infra']);
  deployer = await connect(
    (
      await cluster.serviceAccountKubeconfig({
        namespace: ns,
        name: 'deployer',
        rules: [{ apiGroups: [''], resources: ['services', 'events'], verbs: ['get', 'list'] }],
      })
    ).path,
  );
  await cluster.apply(`apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: infra}
spec:
  gatewayClassName: test
  listeners:
  - {name: http, protocol: HTTP, port: 80, hostname: "*.example.com"}
  - {name: https, protocol: HTTPS, port: 8443, hostname: "*.example.com", tls: {mode: Terminate, certificateRefs: [{name: cert}]}}
  - {name: other, protocol: HTTPS, port: 443, hostname: "models.other.org", tls: {mode: Terminate, certificateRefs: [{name: cert}]}}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: mesh-in, namespace: infra}
spec:
  servers:
  - {port: {number: 80, name: http, protocol: HTTP}, hosts: ["*/iris.example.com"], tls: {httpsRedirect: true}}
  - {port: {number: 80, name: http-plain, protocol: HTTP}, hosts: ["./plain.example.com"]}
  - {port: {number: 443, name: tls, protocol: HTTPS}, hosts: ["other-ns/secret.example.com"], tls: {mode: SIMPLE, credentialName: c}}
  - {port: {number: 443, name: pass, protocol: HTTPS}, hosts: ["pass.example.com"], tls: {mode: PASSTHROUGH}}
`);
}, 120_000);
afterAll(async () => {
  await cluster?.stop();
});

const service = (
  name: string,
  type: 'ClusterIP' | 'LoadBalancer',
  port = 80,
  annotations: Record<string, string> = {},
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: ns, annotations },
  spec: { type, selector: { app: name }, ports: [{ name: 'http', port, targetPort: 8080 }] },
});

const httpRoute = (parentRef: Record<string, string> | undefined): KubeObject => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'iris', namespace: ns },
  spec: parentRef ? { parentRefs: [parentRef] } : {},
});

const virtualService = (gateways: string[]): KubeObject => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'iris', namespace: ns },
  spec: { gateways },
});

const recorder = (onInfo?: (m: string) => void) => {
  const lines = { info: [] as string[], warning: [] as string[] };
  const logger: Logger = {
    ...silentLogger,
    info: (m) => {
      lines.info.push(m);
      onInfo?.(m);
    },
    warning: (m) => lines.warning.push(m),
  };
  return { logger, lines };
};

const options = (extra: Partial<EndpointOptions> = {}): EndpointOptions => ({
  addressTimeoutMs: 30_000,
  pollMs: 200,
  logger: silentLogger,
  ...extra,
});

const giveAddress = (name: string, address: Record<string, string>) =>
  cluster.kubectl([
    '-n',
    ns,
    'patch',
    'service',
    name,
    '--subresource=status',
    '--type=merge',
    '-p',
    JSON.stringify({ status: { loadBalancer: { ingress: [address] } } }),
  ]);

describe('in-cluster services', () => {
  it('has no endpoint without a Service', async () => {
    expect(await releaseEndpoint(admin, [], options())).toBeUndefined();
  });

  it('gives a ClusterIP Service its in-cluster address and the proxy target', async () => {
    expect(await releaseEndpoint(admin, [service('iris', 'ClusterIP')], options())).toEqual({
      url: 'http://iris.serve.svc.cluster.local',
      reach: 'cluster',
      service: 'serve/iris:http',
    });
    const unnamed: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'grpc' },
      spec: { ports: [{ port: 9000 }] },
    };
    expect(await releaseEndpoint(admin, [unnamed], options())).toEqual({
      url: 'http://grpc.default.svc.cluster.local:9000',
      reach: 'cluster',
      service: 'default/grpc:9000',
    });
  });

  it('ignores a route when no host is given', async () => {
    const endpoint = await releaseEndpoint(
      admin,
      [service('iris', 'ClusterIP'), httpRoute({ name: 'web', namespace: 'infra' })],
      options(),
    );
    expect(endpoint?.reach).toBe('cluster');
  });
});

describe('load balancers', () => {
  it('returns the address the cloud gave, public unless an annotation makes it internal', async () => {
    await cluster.apply(JSON.stringify(service('lb-ready', 'LoadBalancer', 8080)));
    await giveAddress('lb-ready', { hostname: 'abc.elb.example.com' });
    expect(
      await releaseEndpoint(admin, [service('lb-ready', 'LoadBalancer', 8080)], options()),
    ).toEqual({
      url: 'http://abc.elb.example.com:8080',
      reach: 'public',
      service: 'serve/lb-ready:http',
    });
    const internal = service('lb-ready', 'LoadBalancer', 8080, { [`${AWS}scheme`]: 'internal' });
    expect((await releaseEndpoint(admin, [internal], options()))?.reach).toBe('private');
    // Only the profiles asked for are honoured.
    expect(
      (await releaseEndpoint(admin, [internal], options({ profiles: [cloudProfile('gcp')] })))
        ?.reach,
    ).toBe('public');
  });

  it('says https on the port where the load balancer terminates TLS', async () => {
    const tls = service('lb-ready', 'LoadBalancer', 8080, {
      [`${AWS}ssl-cert`]: 'arn:aws:acm:us-east-1:123456789012:certificate/x',
      [`${AWS}ssl-ports`]: 'http',
    });
    expect((await releaseEndpoint(admin, [tls], options()))?.url).toBe(
      'https://abc.elb.example.com:8080',
    );
  });

  it('waits for the address, saying so, and uses it when it comes', async () => {
    await cluster.apply(JSON.stringify(service('lb-late', 'LoadBalancer')));
    let given: Promise<string> | undefined;
    const { logger, lines } = recorder((m) => {
      // The cloud answers once deploy is seen waiting: the wait is exercised, whatever the speed.
      if (m.startsWith('waiting up to') && given === undefined)
        given = giveAddress('lb-late', { ip: '198.19.7.100' });
    });
    const endpoint = await releaseEndpoint(
      admin,
      [service('lb-late', 'LoadBalancer')],
      options({ logger }),
    );
    await given;
    expect(endpoint).toEqual({
      url: 'http://198.19.7.100',
      reach: 'public',
      service: 'serve/lb-late:http',
    });
    expect(lines.info[0]).toBe(
      `waiting up to ${formatDuration(30_000)} for the cloud to give Service serve/lb-late a load balancer address`,
    );
    expect(lines.info.at(-1)).toMatch(/^load balancer address 198\.19\.7\.100 after /);
  });

  it('fails when no address comes, telling the Service’s warnings and what to check', async () => {
    await cluster.apply(JSON.stringify(service('lb-never', 'LoadBalancer')));
    const failure = (await releaseEndpoint(
      deployer,
      [service('lb-never', 'LoadBalancer')],
      options({ addressTimeoutMs: 600, profiles: [cloudProfile('aws')] }),
    ).catch((err: unknown) => err)) as UserError;
    expect(failure).toBeInstanceOf(UserError);
    expect(failure.message).toMatch(
      /^Service serve\/lb-never got no load balancer address within .*: the model is serving, but not reachable as expose asked; the Service has no warning events \(no controller has acted on it\)$/,
    );
    expect(failure.hint).toMatch(
      /^on EKS the AWS Load Balancer Controller .*; check the cloud quota for load balancers/,
    );

    await cluster.apply(`apiVersion: v1
kind: Event
metadata: {name: lb-never.quota, namespace: ${ns}}
involvedObject: {kind: Service, name: lb-never, namespace: ${ns}}
reason: SyncLoadBalancerFailed
message: "Error syncing load balancer: TooManyLoadBalancers: quota exceeded"
type: Warning
`);
    await expect(
      releaseEndpoint(
        deployer,
        [service('lb-never', 'LoadBalancer')],
        options({ addressTimeoutMs: 300 }),
      ),
    ).rejects.toThrow(
      '; events: Service/lb-never: SyncLoadBalancerFailed: Error syncing load balancer: TooManyLoadBalancers: quota exceeded',
    );
  });

  it('names the Service when it cannot be read', async () => {
    await expect(
      releaseEndpoint(admin, [service('lb-missing', 'LoadBalancer')], options()),
    ).rejects.toThrow(
      /^reading Service serve\/lb-missing for its load balancer address: HTTP 404 from /,
    );
  });
});

describe('gateway hosts', () => {
  const svc = service('iris', 'ClusterIP');

  it.each([
    [
      'the HTTPS listener, on its port',
      { name: 'web', namespace: 'infra' },
      'iris.example.com',
      'https://iris.example.com:8443',
    ],
    [
      'the listener the route names',
      { name: 'web', namespace: 'infra', sectionName: 'http' },
      'iris.example.com',
      'http://iris.example.com',
    ],
    [
      'a listener for that exact host',
      { name: 'web', namespace: 'infra' },
      'models.other.org',
      'https://models.other.org',
    ],
  ])('serves over %s', async (_, parent, host, url) => {
    const { logger, lines } = recorder();
    expect(
      await releaseEndpoint(admin, [svc, httpRoute(parent)], options({ host, logger })),
    ).toEqual({ url, reach: 'public', service: 'serve/iris:http' });
    expect(lines.warning).toEqual([]);
  });

  it('says http, and why, when the Gateway has no listener for the host', async () => {
    const { logger, lines } = recorder();
    const endpoint = await releaseEndpoint(
      admin,
      [svc, httpRoute({ name: 'web', namespace: 'infra' })],
      options({ host: 'example.com', logger }),
    );
    expect(endpoint?.url).toBe('http://example.com');
    expect(lines.warning).toEqual([
      'url says http: Gateway infra/web has no listener for host example.com; the route will not be served until it has one',
    ]);
  });

  it('says http, and why, when the Gateway is missing or may not be read', async () => {
    const missing = recorder();
    expect(
      (
        await releaseEndpoint(
          admin,
          [svc, httpRoute({ name: 'nope' })],
          options({ host: 'iris.example.com', logger: missing.logger }),
        )
      )?.url,
    ).toBe('http://iris.example.com');
    expect(missing.lines.warning).toEqual([
      'url says http: Gateway serve/nope, which the route attaches to, does not exist; create it (or give gateway: namespace/name)',
    ]);

    const forbidden = recorder();
    expect(
      (
        await releaseEndpoint(
          deployer,
          [svc, httpRoute({ name: 'web', namespace: 'infra' })],
          options({ host: 'iris.example.com', logger: forbidden.logger }),
        )
      )?.url,
    ).toBe('http://iris.example.com');
    expect(forbidden.lines.warning).toEqual([
      'url says http: Gateway infra/web could not be read to tell whether it terminates TLS (forbidden); grant get on gateways.gateway.networking.k8s.io in namespace infra to the deploying identity to have it told',
    ]);
  });

  it('reads nothing for a route with no parent, or an Emissary Mapping', async () => {
    // The deployer may not read Gateways: no warning means nothing was read.
    const { logger, lines } = recorder();
    expect(
      (
        await releaseEndpoint(
          deployer,
          [svc, httpRoute(undefined)],
          options({ host: 'a.example.com', logger }),
        )
      )?.url,
    ).toBe('http://a.example.com');
    const mapping: KubeObject = {
      apiVersion: 'getambassador.io/v3alpha1',
      kind: 'Mapping',
      metadata: { name: 'iris', namespace: ns },
    };
    expect(
      await releaseEndpoint(deployer, [mapping], options({ host: 'b.example.com', logger })),
    ).toEqual({ url: 'http://b.example.com', reach: 'public' });
    expect(lines.warning).toEqual([]);
  });

  it.each([
    [
      'an HTTP server that redirects to https',
      ['infra/mesh-in'],
      'iris.example.com',
      'https://iris.example.com',
    ],
    [
      'a plain HTTP server of the route’s namespace',
      ['mesh', 'infra/mesh-in'],
      'plain.example.com',
      'http://plain.example.com',
    ],
  ])('reads an Istio Gateway: %s', async (_, gateways, host, url) => {
    const { logger, lines } = recorder();
    expect(
      (await releaseEndpoint(admin, [svc, virtualService(gateways)], options({ host, logger })))
        ?.url,
    ).toBe(url);
    expect(lines.warning).toEqual([]);
  });

  it.each([
    ['exported to another namespace only', 'secret.example.com'],
    ['passing TLS through to the pods', 'pass.example.com'],
  ])('does not count an Istio server %s', async (_, host) => {
    const { logger, lines } = recorder();
    expect(
      (
        await releaseEndpoint(
          admin,
          [svc, virtualService(['infra/mesh-in'])],
          options({ host, logger }),
        )
      )?.url,
    ).toBe(`http://${host}`);
    expect(lines.warning).toEqual([
      `url says http: Istio Gateway infra/mesh-in has no listener for host ${host}; the route will not be served until it has one`,
    ]);
  });
});
