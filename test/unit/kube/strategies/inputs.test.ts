import { describe, expect, it } from 'vitest';
import {
  parseCanarySteps,
  parseCondition,
  parseMetricChecks,
  parseStrategyInputs,
  type StrategyInputValues,
} from '../../../../shared/kube/strategies/inputs.ts';

describe('canary-steps', () => {
  it('reads weights and hold times', () => {
    expect(parseCanarySteps('10%:2m, 50%:5m, 100%')).toEqual([
      { weight: 10, holdMs: 120_000 },
      { weight: 50, holdMs: 300_000 },
      { weight: 100, holdMs: 0 },
    ]);
    expect(parseCanarySteps('5% : 30s\n25%:1m30s\n100%:10s')).toEqual([
      { weight: 5, holdMs: 30_000 },
      { weight: 25, holdMs: 90_000 },
      { weight: 100, holdMs: 10_000 },
    ]);
    expect(parseCanarySteps('100%')).toEqual([{ weight: 100, holdMs: 0 }]);
  });

  it.each([
    ['', /input 'canary-steps' has no steps/],
    [
      '10:2m, 100%',
      /input 'canary-steps' has '10:2m', which is not a step: write <weight>%:<hold>/,
    ],
    ['ten%:1m, 100%', /has 'ten%:1m', which is not a step/],
    ['10%:soon, 100%', /has the hold time 'soon' in '10%:soon', which is not a duration/],
    ['0%:1m, 100%', /has the weight 0% in '0%:1m'; a weight is a whole percent from 1 to 100/],
    ['10%, 150%', /has the weight 150%/],
    ['12.5%:1m, 100%', /has the weight 12.5%/],
    ['50%:1m, 20%:1m, 100%', /has 20% after 50%; the weights must increase from step to step/],
    ['50%:1m, 50%:1m, 100%', /has 50% after 50%; the weights must increase/],
    ['10%:1m, 50%:1m', /ends at 50%; the last step must be 100%/],
  ])('refuses %j', (text, message) => {
    expect(() => parseCanarySteps(text)).toThrow(message);
    expect(() => parseCanarySteps(text)).toThrow(/for example: 10%:2m, 50%:5m, 100%/);
  });
});

describe('prometheus-queries', () => {
  it('reads each check with its condition', () => {
    expect(
      parseMetricChecks([
        { name: 'error-rate', query: 'sum(rate(errors[1m]))', condition: '< 0.01' },
        { query: 'up', condition: '>=1' },
      ]),
    ).toEqual([
      { name: 'error-rate', query: 'sum(rate(errors[1m]))', operator: '<', threshold: 0.01 },
      { name: 'query 2', query: 'up', operator: '>=', threshold: 1 },
    ]);
    expect(parseCondition('!= 0', 'x', 'y')).toEqual({ operator: '!=', threshold: 0 });
    expect(parseCondition('<=2.5', 'x', 'y')).toEqual({ operator: '<=', threshold: 2.5 });
  });

  it.each([
    [{ query: 'up' }, /input 'prometheus-queries' has no condition in 'query 1'/],
    [{ name: 'p', condition: '< 1' }, /has no query in 'p'/],
    [
      { name: 'p', query: 'up', condition: 'below 1' },
      /has the condition 'below 1' for 'p'; write an operator/,
    ],
    [{ name: 'p', query: 'up', condition: '<' }, /has the condition '<' for 'p'/],
    [
      { name: 'p', query: 'up', condition: '< 1', when: 'always' },
      /has an unknown key 'when' in entry 1/,
    ],
  ])('refuses %j', (entry, message) => {
    expect(() => parseMetricChecks([entry])).toThrow(message);
  });

  it('must be a list', () => {
    expect(() => parseMetricChecks({ query: 'up' })).toThrow(
      /input 'prometheus-queries' must be a YAML list of \{name, query, condition\}/,
    );
  });
});

const NONE: StrategyInputValues = {
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
};

describe('the strategy inputs of deploy', () => {
  it('defaults to rolling, the router from expose, and the analysis target from the release', () => {
    const inputs = parseStrategyInputs(NONE, 'iris', 'cluster-ip');
    expect(inputs.strategy).toBe('rolling');
    expect(inputs.router).toBe('replicas');
    expect(inputs.steps).toEqual([]);
    expect(inputs.protocolGiven).toBe(false);
    expect(inputs.modelGiven).toBe(false);
    expect(inputs.analysis.smoke.target.model).toBe('iris');
    expect(inputs.analysis.smoke.http.method).toBe('GET');
    expect(inputs.analysis.prometheus).toBeUndefined();
    expect(parseStrategyInputs(NONE, 'iris', 'gateway').router).toBe('gateway');
    expect(parseStrategyInputs(NONE, 'iris', 'istio').router).toBe('istio');
    expect(parseStrategyInputs({ ...NONE, model: 'm' }, 'iris', 'istio')).toMatchObject({
      modelGiven: true,
      analysis: { smoke: { target: { model: 'm' } } },
    });
  });

  it('reads a canary with analysis and Prometheus checks', () => {
    const inputs = parseStrategyInputs(
      {
        ...NONE,
        strategy: 'canary',
        canarySteps: '20%:1s, 100%',
        router: 'gateway',
        protocol: 'v2',
        request: { inputs: [] },
        expect: { text: { contains: 'ok' } },
        sloP95Ms: 250,
        sloErrorRate: 0.01,
        prometheusUrl: 'http://127.0.0.1:9090',
        prometheusQueries: [{ name: 'errors', query: 'sum(errors)', condition: '< 0.01' }],
        scaleDownDelayMs: 120_000,
      },
      'iris',
      'gateway',
    );
    expect(inputs).toMatchObject({
      strategy: 'canary',
      router: 'gateway',
      protocolGiven: true,
      steps: [
        { weight: 20, holdMs: 1000 },
        { weight: 100, holdMs: 0 },
      ],
      scaleDownDelayMs: 120_000,
    });
    expect(inputs.analysis.smoke).toMatchObject({
      protocol: 'v2',
      request: { inputs: [] },
      slo: { p95Ms: 250, errorRate: 0.01 },
      http: { method: 'POST', path: '/' },
    });
    expect(inputs.analysis.smoke.expect).toBeDefined();
    expect(inputs.analysis.prometheus).toEqual({
      url: 'http://127.0.0.1:9090',
      checks: [{ name: 'errors', query: 'sum(errors)', operator: '<', threshold: 0.01 }],
    });
  });

  it.each([
    [
      { strategy: 'canary', router: 'gateway' },
      /input 'traffic-router' is gateway, which moves the weights of the release's own HTTPRoute and GRPCRoute; expose is cluster-ip/,
    ],
    [
      { strategy: 'canary', router: 'ambassador' },
      /input 'traffic-router' is ambassador, which moves the weights of the release's own Mappings; expose is cluster-ip/,
    ],
    [
      { strategy: 'blue-green', protocol: 'tfserving-grpc' },
      /input 'protocol' is tfserving-grpc: the blue-green analysis .* speaks HTTP\/1\.1 only.*protocol: tfserving \(the REST twin of tfserving-grpc\)/,
    ],
    [{ strategy: 'canary', canarySteps: '10%, 5%, 100%' }, /input 'canary-steps' has 5% after 10%/],
    [
      { prometheusQueries: [{ name: 'e', query: 'up', condition: '< 1' }] },
      /input 'prometheus-url' is required with prometheus-queries/,
    ],
    [{ prometheusUrl: 'prometheus:9090' }, /input 'prometheus-url' must be an http\(s\) URL/],
    [{ analysisPath: 'predict' }, /input 'analysis-path' must start with \//],
    [{ expect: { sometimes: 1 } }, /input 'expect'/],
  ])('refuses %j', (given, message) => {
    const values = { ...NONE, ...given } as StrategyInputValues;
    expect(() => parseStrategyInputs(values, 'iris', 'cluster-ip')).toThrow(message);
  });

  it('lets a rolling release name a gRPC protocol, which the analysis does not use', () => {
    const values: StrategyInputValues = { ...NONE, protocol: 'v2-grpc' };
    expect(parseStrategyInputs(values, 'iris', 'cluster-ip').analysis.smoke.protocol).toBe(
      'v2-grpc',
    );
  });
});
