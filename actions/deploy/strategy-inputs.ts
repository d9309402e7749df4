import {
  durationInput,
  enumInput,
  integerInput,
  modelNameInput,
  sloInputs,
  optionalString,
  yamlInput,
} from '../../shared/action/index.ts';
import { parseDuration } from '../../shared/common/duration.ts';
import { InputError } from '../../shared/common/errors.ts';
import type { AnalysisSpec, ComparisonOperator, MetricCheck } from '../../shared/kube/analysis.ts';
import type { ExposeMode } from '../../shared/kube/manifests.ts';
import type {
  CanaryStep,
  StrategyName,
  TrafficRouterName,
} from '../../shared/kube/strategies/types.ts';
import {
  EXPECT_EXAMPLE,
  expectationsInput,
  type Expectations,
} from '../../shared/smoke/expectations.ts';
import { PROTOCOL_NAMES } from '../../shared/smoke/protocols/index.ts';
import { readDocumentInput } from '../../shared/common/document-input.ts';

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
const QUERIES_EXAMPLE =
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

export interface StrategyInputs {
  strategy: StrategyName | 'rolling';
  /** The analysis protocol was given; otherwise it follows the runtime (see deploy's run). */
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

export function getStrategyInputs(release: string, expose: ExposeMode): StrategyInputs {
  const strategy = enumInput('strategy', STRATEGIES, 'rolling');
  const router = enumInput('traffic-router', TRAFFIC_ROUTERS, defaultRouter(expose));
  const stepsText = optionalString('canary-steps', '10%:1m, 50%:2m, 100%');
  const steps = strategy === 'canary' ? parseCanarySteps(stepsText) : [];
  if (strategy === 'canary' && router !== 'replicas' && expose !== router) {
    throw new InputError(
      'traffic-router',
      `is ${router}, which moves the weights of the release's own ${ROUTED_BY[router]}; expose is ${expose}`,
      `expose: ${router} (with host), or traffic-router: replicas`,
    );
  }
  const expect = expectInput();
  const { sloErrorRate, sloP95Ms } = sloInputs();
  const path = optionalString('analysis-path', '/');
  if (!path.startsWith('/'))
    throw new InputError(
      'analysis-path',
      `must start with /, not '${path}'`,
      'analysis-path: /predict',
    );
  const requestText = optionalString('request');
  const request = readDocumentInput('request', requestText, {
    yaml: false,
    example: 'request: {"inputs": [...]} or request: tests/request.json',
  });
  const prometheusUrl = optionalString('prometheus-url');
  const checks = parseMetricChecks(yamlInput('prometheus-queries', { example: QUERIES_EXAMPLE }));
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
  const protocol = enumInput('protocol', PROTOCOL_NAMES, undefined);
  if (strategy !== 'rolling' && protocol !== undefined && protocol.endsWith('-grpc')) {
    // The API server's service proxy relays HTTP/1.1; gRPC needs HTTP/2 end to end.
    throw new InputError(
      'protocol',
      `is ${protocol}: the ${strategy} analysis reaches the new version's pods through the API server's service proxy, which speaks HTTP/1.1 only, and gRPC needs HTTP/2. The same pods serve the REST API, and the traffic router shifts REST and gRPC together`,
      `protocol: ${protocol.replace(/-grpc$/, '')} (the REST twin of ${protocol}); check gRPC with smoke-test after the rollout`,
    );
  }
  return {
    strategy,
    protocolGiven: protocol !== undefined,
    modelGiven: optionalString('model') !== undefined,
    steps,
    router,
    scaleDownDelayMs: durationInput('scale-down-delay', '30s'),
    analysis: {
      smoke: {
        protocol: protocol ?? 'http',
        http: { method: requestText === undefined ? 'GET' : 'POST', path, readyPath: undefined },
        target: {
          model: modelNameInput('model', release) as string,
          version: optionalString('model-version'),
        },
        request,
        expect,
        openapi: undefined,
        requests: integerInput('analysis-requests', 20, { min: 0, max: 100_000 }),
        concurrency: 2,
        warmup: 0,
        waitReadyMs: 60_000,
        timeoutMs: 15_000,
        slo: { p95Ms: sloP95Ms, errorRate: sloErrorRate },
      },
      ...(checks.length > 0 ? { prometheus: { url: prometheusUrl as string, checks } } : {}),
    },
  };
}

function expectInput(): Expectations | undefined {
  const document = readDocumentInput('expect', optionalString('expect'), {
    yaml: true,
    example: EXPECT_EXAMPLE,
  });
  return document === undefined ? undefined : expectationsInput(document);
}
