import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCluster, parseClusterSpec } from '../../../shared/clouds/cluster-access.ts';
import { silentLogger } from '../../../shared/common/logger.ts';
import { KubeClient } from '../../../shared/kube/client.ts';
import { releaseEndpoint } from '../../../shared/kube/endpoint.ts';
import type { KubeObject } from '../../../shared/kube/objects.ts';
import { recordingLogger } from '../../support/deploy-fixture.ts';
import {
  kubectlJson,
  runDeploy,
  startWorld,
  type DeployWorld,
} from '../../support/deploy-fixture.ts';

/**
 * deploy's url says https where the exposure terminates TLS, read from the
 * real objects on the upstream control plane: the Gateway API Gateway's
 * listener for the host, the Istio Gateway's server for it, an AWS load
 * balancer's certificate annotation. smoke-test then sends its token over
 * TLS, and refuses plain http to a remote host.
 */
let world: DeployWorld;
beforeAll(async () => {
  world = await startWorld({ crds: ['gateway-api', 'istio'] });
  await world.cluster.apply(`
apiVersion: v1
kind: Namespace
metadata: { name: infra }
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: public, namespace: infra }
spec:
  gatewayClassName: cloud
  listeners:
    - { name: http, protocol: HTTP, port: 80, hostname: '*.models.example.com' }
    - name: https
      protocol: HTTPS
      port: 443
      hostname: '*.models.example.com'
      tls: { mode: Terminate, certificateRefs: [{ name: models-tls }] }
    - { name: plain, protocol: HTTP, port: 8080, hostname: plain.example.com }
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: mesh-in, namespace: infra }
spec:
  selector: { istio: ingressgateway }
  servers:
    - port: { number: 8443, name: https, protocol: HTTPS }
      hosts: ['*/tls.example.com']
      tls: { mode: SIMPLE, credentialName: tls-cert }
    - port: { number: 80, name: http, protocol: HTTP }
      hosts: ['*/redirect.example.com']
      tls: { httpsRedirect: true }
    - port: { number: 80, name: http-plain, protocol: HTTP }
      hosts: ['other/plain.example.com', '*/plain.example.com']
    - port: { number: 443, name: passthrough, protocol: HTTPS }
      hosts: ['*/passthrough.example.com']
      tls: { mode: PASSTHROUGH }
`);
}, 180_000);
afterAll(async () => {
  await world?.stop();
});

const inputs = (namespace: string, extra: Record<string, string>) => ({
  cluster: `kubeconfig:${world.cluster.kubeconfigPath}`,
  namespace,
  name: 'echo',
  image: world.images.v1.digestRef,
  runtime: 'custom',
  'health-path': '/',
  timeout: '60s',
  ...extra,
});

describe('the url scheme follows the TLS of the exposure', () => {
  it('gateway: the HTTPS listener for the host gives an https url', async () => {
    const result = await runDeploy(
      inputs('tls-gw', {
        expose: 'gateway',
        gateway: 'infra/public',
        host: 'resnet.models.example.com',
      }),
    );
    expect(result.failure).toBe('');
    expect(result.outputs).toMatchObject({
      url: 'https://resnet.models.example.com',
      reach: 'public',
      service: 'tls-gw/echo:http',
    });
  });

  it('gateway: a host only a plain listener takes stays http, with its port', async () => {
    const result = await runDeploy(
      inputs('plain-gw', { expose: 'gateway', gateway: 'infra/public', host: 'plain.example.com' }),
    );
    expect(result.failure).toBe('');
    expect(result.outputs.url).toBe('http://plain.example.com:8080');
  });

  it('gateway: a Gateway that does not exist leaves http and a warning naming it', async () => {
    const result = await runDeploy(
      inputs('no-gw', { expose: 'gateway', gateway: 'infra/absent', host: 'x.example.com' }),
    );
    expect(result.failure).toBe('');
    expect(result.outputs.url).toBe('http://x.example.com');
    expect(result.log).toContain(
      'warning: url says http: Gateway infra/absent, which the route attaches to, does not exist',
    );
  });

  it('istio: an HTTPS server with SIMPLE TLS gives https on its port', async () => {
    const result = await runDeploy(
      inputs('tls-istio', { expose: 'istio', gateway: 'infra/mesh-in', host: 'tls.example.com' }),
    );
    expect(result.failure).toBe('');
    expect(result.outputs.url).toBe('https://tls.example.com:8443');
  });

  it('istio: an http server that redirects to https gives https; passthrough and plain stay http', async () => {
    const redirect = await runDeploy(
      inputs('redir-istio', {
        expose: 'istio',
        gateway: 'infra/mesh-in',
        host: 'redirect.example.com',
      }),
    );
    expect(redirect.outputs.url).toBe('https://redirect.example.com');
    const passthrough = await runDeploy(
      inputs('pass-istio', {
        expose: 'istio',
        gateway: 'infra/mesh-in',
        host: 'passthrough.example.com',
      }),
    );
    // The gateway passes TLS through to pods that serve http: not terminated, not https.
    expect(passthrough.outputs.url).toBe('http://passthrough.example.com');
    expect(passthrough.log).toContain(
      'warning: url says http: Istio Gateway infra/mesh-in has no listener for host passthrough.example.com',
    );
    const plain = await runDeploy(
      inputs('plain-istio', {
        expose: 'istio',
        gateway: 'infra/mesh-in',
        host: 'plain.example.com',
      }),
    );
    expect(plain.outputs.url).toBe('http://plain.example.com');
  });
});

describe('an AWS load balancer with a certificate', () => {
  const service = (name: string, annotations: Record<string, string>): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'tls-lb', annotations },
    spec: {
      type: 'LoadBalancer',
      selector: { app: name },
      ports: [
        { name: 'http', port: 80, targetPort: 8080 },
        { name: 'https', port: 443, targetPort: 8080 },
      ],
    },
  });

  it('gives https on the ssl port, and http without the annotation', async () => {
    const client = new KubeClient(
      await connectCluster(parseClusterSpec(`kubeconfig:${world.cluster.kubeconfigPath}`), {
        logger: silentLogger,
      }),
    );
    await world.cluster.kubectl(['create', 'namespace', 'tls-lb']);
    const cert = 'arn:aws:acm:us-east-1:123456789012:certificate/abc';
    const objects = [
      service('with-cert', {
        'service.beta.kubernetes.io/aws-load-balancer-ssl-cert': cert,
        'service.beta.kubernetes.io/aws-load-balancer-ssl-ports': 'https',
      }),
      service('all-ports', { 'service.beta.kubernetes.io/aws-load-balancer-ssl-cert': cert }),
      service('no-cert', {}),
    ];
    for (const object of objects) {
      await world.cluster.kubectl(['apply', '-f', '-'], { input: JSON.stringify(object) });
    }
    const endpoint = async (name: string) => {
      const logger = recordingLogger();
      const found = await releaseEndpoint(
        client,
        objects.filter((o) => o.metadata.name === name),
        { addressTimeoutMs: 60_000, logger, pollMs: 200 },
      );
      const live = await kubectlJson(world.cluster.kubeconfigPath, [
        '-n',
        'tls-lb',
        'get',
        'service',
        name,
      ]);
      return { url: found?.url, address: live.status.loadBalancer.ingress[0].ip as string };
    };
    const withCert = await endpoint('with-cert');
    expect(withCert.url).toBe(`https://${withCert.address}`);
    // Every port terminates TLS: the first one, 80, over https.
    const allPorts = await endpoint('all-ports');
    expect(allPorts.url).toBe(`https://${allPorts.address}:80`);
    const noCert = await endpoint('no-cert');
    expect(noCert.url).toBe(`http://${noCert.address}`);
  });
});
