import { parseDuration } from '../../common/duration.ts';
import { InputError } from '../../common/errors.ts';
import { expectationsInput } from '../../smoke/expectations.ts';
import type { ProtocolName } from '../../smoke/protocols/types.ts';
import type { ExposeMode } from '../manifests.ts';
import type { AnalysisSpec, ComparisonOperator, MetricCheck } from './analysis.ts';
import type { CanaryStep, StrategyName, TrafficRouterName } from './types.ts';

/**
 * The progressive-delivery inputs of deploy: `strategy`, `canary-steps`,
 * `traffic-router`, the analysis (the smoke-test checks and Prometheus
 * queries) and `scale-down-delay`.
 */

export const STRATEGIES = ['rolling', 'canary', 'blue-green'] as const;
export const TRAFFIC_ROUTERS = ['gateway', 'istio', 'ambassador', 'replicas'] as const;

const STEPS_EXAMPLE = '10%:2m, 50%:5m, 100%';

/** `10%:2m, 50%:5m, 100%`: weights that rise to 100, each held for its duration. */
export function parseCanarySteps(text: string, input = 'canary-steps'): CanaryStep[] {
  const parts = text
    .split(/[,\n]/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) throw new InputError(input, 'has no steps', STEPS_EXAMPLE);
  const steps: CanaryStep[] = [];
  for (const part of parts) {
    const match = /^(\d+(?:\.\d+)?)\s*%\s*(?::\s*(\S+))?$/.exec(part);
    if (!match) {
      throw new InputError(
        input,
        `has '${part}', which is not a step: write <weight>%:<hold>, like 10%:2m`,
        STEPS_EXAMPLE,
      );
    }
    const weight = Number(match[1]);
    if (!Number.isInteger(weight) || weight < 1 || weight > 100) {
      throw new InputError(
        input,
        `has the weight ${match[1]}% in '${part}'; a weight is a whole percent from 1 to 100`,
        STEPS_EXAMPLE,
      );
    }
    let holdMs = 0;
    if (match[2] !== undefined) {
      const parsed = parseDuration(match[2]);
      if (parsed === undefined) {
        throw new InputError(
          input,
          `has the hold time '${match[2]}' in '${part}', which is not a duration like 30s, 2m or 1h`,
          STEPS_EXAMPLE,
        );
      }
      holdMs = parsed;
    }
    const previous = steps[steps.length - 1];
    if (previous && weight <= previous.weight) {
      throw new InputError(
        input,
        `has ${weight}% after ${previous.weight}%; the weights must increase from step to step`,
        STEPS_EXAMPLE,
      );
    }
    steps.push({ weight, holdMs });
  }
  const last = steps[steps.length - 1] as CanaryStep;
  if (last.weight !== 100) {
    throw new InputError(
      input,
      `ends at ${last.weight}%; the last step must be 100% so the new version takes all the traffic`,
      STEPS_EXAMPLE,
    );
  }
  return steps;
}

const OPERATORS: ComparisonOperator[] = ['<=', '>=', '==', '!=', '<', '>'];
export const QUERIES_EXAMPLE =
  '- name: error-rate\n  query: sum(rate(http_errors{deployment="{{ canary }}"}[1m]))\n  condition: < 0.01';

/** `< 0.01`, `>= 0.99`: an operator and a number. */
export function parseCondition(
  text: string,
  input: string,
  name: string,
): Omit<MetricCheck, 'name' | 'query'> {
  const value = text.trim();
  const operator = OPERATORS.find((op) => value.startsWith(op));
  const threshold = operator === undefined ? NaN : Number(value.slice(operator.length).trim());
  if (
    operator === undefined ||
    value.slice(operator.length).trim() === '' ||
    !Number.isFinite(threshold)
  ) {
    throw new InputError(
      input,
      `has the condition '${text}' for '${name}'; write an operator (<, <=, >, >=, ==, !=) and a number, like < 0.01`,
      QUERIES_EXAMPLE,
    );
  }
  return { operator, threshold };
}

export function parseMetricChecks(value: unknown, input = 'prometheus-queries'): MetricCheck[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    throw new InputError(input, 'must be a YAML list of {name, query, condition}', QUERIES_EXAMPLE);
  }
  return value.map((entry: unknown, i) => {
    const item = entry as Record<string, unknown> | null;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw new InputError(input, `has entry ${i + 1} that is not a mapping`, QUERIES_EXAMPLE);
    }
    const unknown = Object.keys(item).filter((k) => !['name', 'query', 'condition'].includes(k));
    if (unknown.length > 0) {
      throw new InputError(
        input,
        `has an unknown key '${unknown[0]}' in entry ${i + 1} (known: name, query, condition)`,
        QUERIES_EXAMPLE,
      );
    }
    const name =
      typeof item.name === 'string' && item.name.trim() ? item.name.trim() : `query ${i + 1}`;
    if (typeof item.query !== 'string' || item.query.trim() === '') {
      throw new InputError(input, `has no query in '${name}'`, QUERIES_EXAMPLE);
    }
    if (item.condition === undefined || item.condition === null) {
      throw new InputError(input, `has no condition in '${name}'`, QUERIES_EXAMPLE);
    }
    return {
      name,
      query: item.query.trim(),
      ...parseCondition(String(item.condition), input, name),
    };
  });
}

/** The progressive-delivery inputs as the action read them, before they are checked together. */
export interface StrategyInputValues {
  strategy: StrategyName | 'rolling';
  /** Undefined: the router that fits `expose`. */
  router: TrafficRouterName | undefined;
  canarySteps: string;
  analysisPath: string;
  /** The analysis request document; undefined: a GET of the path. */
  request: unknown;
  /** The `expect` document, before its expectations are read. */
  expect: unknown;
  sloP95Ms: number | undefined;
  sloErrorRate: number;
  prometheusUrl: string | undefined;
  prometheusQueries: unknown;
  protocol: ProtocolName | undefined;
  /** The served model name, when given. */
  model: string | undefined;
  modelVersion: string | undefined;
  analysisRequests: number;
  scaleDownDelayMs: number;
}

export interface StrategyInputs {
  strategy: StrategyName | 'rolling';
  /** The analysis protocol was given; otherwise it follows the runtime. */
  protocolGiven: boolean;
  /** The served model name was given; otherwise the image's, else the release name. */
  modelGiven: boolean;
  steps: CanaryStep[];
  router: TrafficRouterName;
  analysis: AnalysisSpec;
  scaleDownDelayMs: number;
}

/** The router that fits how the release is exposed, unless the input names one. */
export function defaultRouter(expose: ExposeMode): TrafficRouterName {
  return expose === 'gateway' || expose === 'istio' || expose === 'ambassador'
    ? expose
    : 'replicas';
}

const ROUTED_BY: Record<string, string> = {
  gateway: 'HTTPRoute and GRPCRoute',
  istio: 'VirtualService',
  ambassador: 'Mappings',
};

/** The strategy of a release, checked against how the release is exposed. */
export function parseStrategyInputs(
  values: StrategyInputValues,
  release: string,
  expose: ExposeMode,
): StrategyInputs {
  const { strategy } = values;
  const router = values.router ?? defaultRouter(expose);
  const steps = strategy === 'canary' ? parseCanarySteps(values.canarySteps) : [];
  if (strategy === 'canary' && router !== 'replicas' && expose !== router) {
    throw new InputError(
      'traffic-router',
      `is ${router}, which moves the weights of the release's own ${ROUTED_BY[router]}; expose is ${expose}`,
      `expose: ${router} (with host), or traffic-router: replicas`,
    );
  }
  checkAnalysisInputs(values);
  return {
    strategy,
    protocolGiven: values.protocol !== undefined,
    modelGiven: values.model !== undefined,
    steps,
    router,
    scaleDownDelayMs: values.scaleDownDelayMs,
    analysis: analysisSpec(values, release),
  };
}

function checkAnalysisInputs(values: StrategyInputValues): void {
  if (!values.analysisPath.startsWith('/'))
    throw new InputError(
      'analysis-path',
      `must start with /, not '${values.analysisPath}'`,
      'analysis-path: /predict',
    );
  const { protocol, strategy } = values;
  if (strategy !== 'rolling' && protocol !== undefined && protocol.endsWith('-grpc')) {
    // The API server's service proxy relays HTTP/1.1; gRPC needs HTTP/2 end to end.
    throw new InputError(
      'protocol',
      `is ${protocol}: the ${strategy} analysis reaches the new version's pods through the API server's service proxy, which speaks HTTP/1.1 only, and gRPC needs HTTP/2. The same pods serve the REST API, and the traffic router shifts REST and gRPC together`,
      `protocol: ${protocol.replace(/-grpc$/, '')} (the REST twin of ${protocol}); check gRPC with smoke-test after the rollout`,
    );
  }
}

/** The Prometheus checks with the server that answers them, if any. */
function prometheusAnalysis(values: StrategyInputValues): AnalysisSpec['prometheus'] {
  const { prometheusUrl } = values;
  const checks = parseMetricChecks(values.prometheusQueries);
  if (checks.length > 0 && prometheusUrl === undefined) {
    throw new InputError(
      'prometheus-url',
      'is required with prometheus-queries',
      'prometheus-url: http://prometheus.monitoring:9090',
    );
  }
  if (prometheusUrl !== undefined && !/^https?:\/\/[^/]/.test(prometheusUrl)) {
    throw new InputError(
      'prometheus-url',
      `must be an http(s) URL, not '${prometheusUrl}'`,
      'prometheus-url: http://prometheus.monitoring:9090',
    );
  }
  return checks.length > 0 ? { url: prometheusUrl as string, checks } : undefined;
}

function analysisSpec(values: StrategyInputValues, release: string): AnalysisSpec {
  const prometheus = prometheusAnalysis(values);
  return {
    smoke: {
      protocol: values.protocol ?? 'http',
      http: {
        method: values.request === undefined ? 'GET' : 'POST',
        path: values.analysisPath,
        readyPath: undefined,
      },
      target: { model: values.model ?? release, version: values.modelVersion },
      request: values.request,
      expect: values.expect === undefined ? undefined : expectationsInput(values.expect),
      openapi: undefined,
      requests: values.analysisRequests,
      concurrency: 2,
      warmup: 0,
      waitReadyMs: 60_000,
      timeoutMs: 15_000,
      slo: { p95Ms: values.sloP95Ms, errorRate: values.sloErrorRate },
    },
    ...(prometheus ? { prometheus } : {}),
  };
}
