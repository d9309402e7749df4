import { afterEach, describe, expect, it } from 'vitest';
import {
  getStrategyInputs,
  parseCanarySteps,
  parseCondition,
  parseMetricChecks,
} from '../../../actions/deploy/strategy-inputs.ts';
import { withActionEnv, type ActionEnv } from '../../support/actions-env.ts';

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

describe('the strategy inputs of deploy', () => {
  let env: ActionEnv | undefined;
  afterEach(() => env?.restore());

  it('defaults to rolling, the router from expose, and the analysis from the smoke-test inputs', () => {
    env = withActionEnv({});
    const inputs = getStrategyInputs('iris', 'cluster-ip');
    expect(inputs.strategy).toBe('rolling');
    expect(inputs.router).toBe('replicas');
    expect(inputs.steps).toEqual([]);
    expect(inputs.analysis.smoke.target.model).toBe('iris');
    expect(inputs.analysis.prometheus).toBeUndefined();
    expect(getStrategyInputs('iris', 'gateway').router).toBe('gateway');
    expect(getStrategyInputs('iris', 'istio').router).toBe('istio');
  });

  it('reads a canary with analysis and Prometheus checks', () => {
    env = withActionEnv({
      strategy: 'canary',
      'canary-steps': '20%:1s, 100%',
      'traffic-router': 'gateway',
      protocol: 'v2',
      request: '{"inputs": []}',
      expect: '{"text": {"contains": "ok"}}',
      'slo-p95-ms': '250',
      'slo-error-rate': '0.01',
      'prometheus-url': 'http://127.0.0.1:9090',
      'prometheus-queries': '- name: errors\n  query: sum(errors)\n  condition: < 0.01',
      'scale-down-delay': '2m',
    });
    const inputs = getStrategyInputs('iris', 'gateway');
    expect(inputs).toMatchObject({
      strategy: 'canary',
      router: 'gateway',
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
    expect(inputs.analysis.prometheus).toEqual({
      url: 'http://127.0.0.1:9090',
      checks: [{ name: 'errors', query: 'sum(errors)', operator: '<', threshold: 0.01 }],
    });
  });

  it.each([
    [{ strategy: 'linear' }, /input 'strategy'/],
    [{ strategy: 'canary', 'traffic-router': 'nginx' }, /input 'traffic-router'/],
    [
      { strategy: 'canary', 'traffic-router': 'gateway' },
      /input 'traffic-router' is gateway, which moves the weights of the release's own HTTPRoute and GRPCRoute; expose is cluster-ip/,
    ],
    [
      { strategy: 'canary', 'traffic-router': 'ambassador' },
      /input 'traffic-router' is ambassador, which moves the weights of the release's own Mappings; expose is cluster-ip/,
    ],
    [
      { strategy: 'blue-green', protocol: 'tfserving-grpc' },
      /input 'protocol' is tfserving-grpc: the blue-green analysis .* speaks HTTP\/1\.1 only.*protocol: tfserving \(the REST twin of tfserving-grpc\)/,
    ],
    [
      { strategy: 'canary', 'canary-steps': '10%, 5%, 100%' },
      /input 'canary-steps' has 5% after 10%/,
    ],
    [{ 'slo-error-rate': '5' }, /input 'slo-error-rate' must be a fraction between 0 and 1/],
    [
      { 'prometheus-queries': '- {name: e, query: up, condition: "< 1"}' },
      /input 'prometheus-url' is required with prometheus-queries/,
    ],
    [{ 'scale-down-delay': 'later' }, /input 'scale-down-delay' must be a duration/],
    [{ 'analysis-path': 'predict' }, /input 'analysis-path' must start with \//],
  ])('refuses %j', (given, message) => {
    env = withActionEnv(given as Record<string, string>);
    expect(() => getStrategyInputs('iris', 'cluster-ip')).toThrow(message);
  });
});
