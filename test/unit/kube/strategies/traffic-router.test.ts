import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCluster, parseClusterSpec } from '../../../../shared/clouds/cluster-access.ts';
import { silentLogger, type Logger } from '../../../../shared/common/logger.ts';
import { UserError } from '../../../../shared/common/errors.ts';
import { KubeClient } from '../../../../shared/kube/client.ts';
import { checkRouterApi, routeKindFor } from '../../../../shared/kube/strategies/traffic-router.ts';
import { startCluster, type KubeCluster } from '../../../support/kube/cluster.ts';

function recordingLogger(): Logger & { debugs: string[] } {
  const debugs: string[] = [];
  return { ...silentLogger, debugs, debug: (m) => void debugs.push(m) };
}

describe('the route kind of each router', () => {
  it('is the object whose weights the router moves; the replica split has none', () => {
    expect(routeKindFor('gateway')).toBe('HTTPRoute');
    expect(routeKindFor('istio')).toBe('VirtualService');
    expect(routeKindFor('ambassador')).toBe('Mapping');
    expect(routeKindFor('replicas')).toBeUndefined();
  });
});

describe('whether the cluster serves the router’s API', () => {
  let cluster: KubeCluster;
  let client: KubeClient;
  beforeAll(async () => {
    // The Gateway API only: Istio and Emissary are missing.
    cluster = await startCluster({ crds: ['gateway-api'] });
    const connection = await connectCluster(
      parseClusterSpec(`kubeconfig:${cluster.kubeconfigPath}`),
      { logger: silentLogger },
    );
    client = new KubeClient(connection);
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('passes a router whose CRDs are installed', async () => {
    const logger = recordingLogger();
    await checkRouterApi(client, 'gateway', logger);
    expect(logger.debugs).toEqual(['the cluster serves gateway.networking.k8s.io']);
  });

  it('asks nothing for the replica split, which needs no CRD', async () => {
    const logger = recordingLogger();
    await checkRouterApi(client, 'replicas', logger);
    expect(logger.debugs).toEqual([]);
  });

  it('refuses Istio when the cluster does not serve networking.istio.io, naming the cluster and the way out', async () => {
    const err = await checkRouterApi(client, 'istio', silentLogger).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe(
      `traffic-router istio needs Istio (networking.istio.io), and the cluster ${client.connection.displayName} does not serve it: its CRDs are not installed`,
    );
    expect((err as UserError).hint).toBe(
      'install Istio CRDs in the cluster, or use traffic-router: replicas for an approximate split by replica counts',
    );
  });

  it('refuses Emissary when the cluster does not serve getambassador.io', async () => {
    await expect(checkRouterApi(client, 'ambassador', silentLogger)).rejects.toThrow(
      /^traffic-router ambassador needs Emissary-ingress \(getambassador\.io\)/,
    );
  });
});
