import {
  classify,
  IRIS_LABELS,
  SAMPLES,
  type FixtureProtocol,
  type ModelServer,
} from './model-server-fixture.ts';

/**
 * For each protocol: how the smoke test is pointed at the fixture, and what a
 * correct answer for the setosa sample is. Shared by the protocol tests and
 * the action tests.
 */
export interface ProtocolCase {
  protocol: FixtureProtocol;
  model: string | undefined;
  version: string | undefined;
  request: unknown;
  expect: Record<string, unknown>;
  http?: { method: 'POST'; path: string; readyPath: string };
  management?: (server: ModelServer) => string | undefined;
}

const probabilities = classify(SAMPLES.setosa);
const topK = { label: 'setosa', labels: [...IRIS_LABELS] };

export const CASES: ProtocolCase[] = [
  {
    protocol: 'v2',
    model: 'iris',
    version: '1',
    request: {
      inputs: [{ name: 'input', shape: [1, 4], datatype: 'FP32', data: [...SAMPLES.setosa] }],
    },
    expect: {
      outputs: { probabilities },
      'top-k': topK,
      signature: { inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 4] }] },
    },
  },
  {
    protocol: 'tfserving',
    model: 'iris',
    version: '1',
    request: { instances: [[...SAMPLES.setosa]] },
    expect: {
      outputs: { predictions: probabilities },
      'top-k': { ...topK, output: 'predictions' },
    },
  },
  {
    protocol: 'torchserve',
    model: 'iris',
    version: '1',
    request: { data: [...SAMPLES.setosa] },
    expect: {
      outputs: { scores: Object.fromEntries(IRIS_LABELS.map((l, i) => [l, probabilities[i]])) },
      'top-k': { label: 'setosa' },
    },
    management: (server) => server.managementUrl,
  },
  {
    protocol: 'openai',
    model: 'iris',
    version: undefined,
    request: {
      messages: [
        {
          role: 'user',
          content: `Which iris species has sepal ${SAMPLES.setosa[0]} ${SAMPLES.setosa[1]} and petal ${SAMPLES.setosa[2]} ${SAMPLES.setosa[3]}?`,
        },
      ],
      max_tokens: 4,
    },
    expect: { text: { equals: 'setosa' } },
  },
  {
    protocol: 'http',
    model: undefined,
    version: undefined,
    request: { features: [...SAMPLES.setosa] },
    expect: {
      outputs: { probabilities },
      'top-k': { ...topK, output: 'probabilities' },
      schema: { type: 'object', required: ['label'] },
    },
    http: { method: 'POST', path: '/predict', readyPath: '/healthz' },
  },
];
