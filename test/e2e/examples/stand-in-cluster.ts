import { startCluster } from '../../support/kube-cluster/index.ts';

/**
 * The one place the example tests touch the local Kubernetes cluster, so
 * that moving to another `startCluster` (a real control plane) changes this
 * file only. The examples' clouds hand this cluster out: the ARM double as
 * an AKS cluster with local accounts, the GKE double as a GKE cluster.
 */
export interface StandInCluster {
  /** https://127.0.0.1:PORT */
  server: string;
  caPem: string;
  /** The bearer token the API server accepts. */
  token: string;
  /** A kubeconfig for kubectl in assertions. */
  kubeconfigPath: string;
  /**
   * Where the pods of a Service answer: the pods do not run the model server,
   * so the service proxy sends the Service's traffic to this local stand-in.
   */
  serveService(namespace: string, service: string, port: number, url: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startStandInCluster(): Promise<StandInCluster> {
  // No registryHosts: the simulated nodes do not pull, as nodes with pull rights on the
  // registry would succeed (the per-cloud pull rights are a documented prerequisite).
  const cluster = await startCluster({ pods: 'simulated' });
  return {
    server: cluster.server,
    caPem: cluster.caPem,
    token: cluster.token,
    kubeconfigPath: cluster.kubeconfigPath,
    serveService: (namespace, service, port, url) =>
      cluster.registerServiceBackend(namespace, service, port, url),
    stop: () => cluster.stop(),
  };
}
