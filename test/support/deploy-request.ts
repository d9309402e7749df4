import { parseStrategyInputs } from '../../shared/kube/strategies/inputs.ts';
import type { DeployRequest } from '../../shared/orchestrators/deploy/request.ts';

/** A valid request as getInputs builds it from the action's defaults, with `extra` over it. */
export function deployRequest(extra: Partial<DeployRequest> = {}): DeployRequest {
  return {
    cluster: { kind: 'default' },
    namespace: 'models',
    name: 'iris',
    image: `reg.example/iris@sha256:${'b'.repeat(64)}`,
    requireDigest: false,
    replicas: 1,
    resources: {},
    env: {},
    podAnnotations: {},
    expose: 'cluster-ip',
    valuesFiles: [],
    addressTimeoutMs: 300_000,
    insecureSkipTlsVerify: false,
    rollbackOnFailure: true,
    dryRun: false,
    prune: true,
    historyLimit: 10,
    strategy: parseStrategyInputs(
      {
        strategy: 'rolling',
        router: undefined,
        canarySteps: '10%:1m, 50%:2m, 100%',
        analysisPath: '/',
        request: undefined,
        expect: undefined,
        sloP95Ms: undefined,
        sloErrorRate: 0,
        prometheusUrl: undefined,
        prometheusQueries: undefined,
        protocol: undefined,
        model: undefined,
        modelVersion: undefined,
        analysisRequests: 20,
        scaleDownDelayMs: 30_000,
      },
      extra.name ?? 'iris',
      extra.expose ?? 'cluster-ip',
    ),
    ...extra,
  };
}
