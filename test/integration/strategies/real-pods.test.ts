import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, request } from 'undici';
import type { AnalysisSpec } from '../../../shared/kube/strategies/analysis.ts';
import { runStrategy } from '../../../shared/kube/strategies/index.ts';
import { parseExpectations } from '../../../shared/smoke/expectations.ts';
import { pushBusyboxImage, type PushedImage } from '../../support/images.ts';
import {
  history,
  render,
  startStrategyWorld,
  strategyRequest,
  type StrategyWorld,
} from '../../support/strategies-fixture.ts';
import { runRelease } from '../../../shared/kube/release.ts';
import { quietLogger } from '../../support/strategies-fixture.ts';

/**
 * Real pods (containerd on the kubelet node): traffic through the Services reaches real
 * model servers, so what each Service answers shows where traffic goes.
 */
let world: StrategyWorld;
const images: Record<string, PushedImage> = {};

function server(answer: string) {
  return {
    cmd: [
      'sh',
      '-c',
      `mkdir -p /tmp/www && echo "${answer}" > /tmp/www/index.html && exec httpd -f -p 8080 -h /tmp/www`,
    ],
    exposedPorts: ['8080/tcp'],
  };
}

beforeAll(async () => {
  world = await startStrategyWorld({ pods: 'real', crds: [] });
  for (const [tag, answer] of [
    ['v1', 'model v1'],
    ['v2', 'model v2'],
    ['broken', 'model v2 lost its weights'],
  ] as const) {
    images[tag] = await pushBusyboxImage(world.registry, 'models/text', tag, server(answer));
  }
}, 180_000);
afterAll(async () => {
  await world?.stop();
});

function textAnalysis(contains: string): AnalysisSpec {
  return {
    smoke: {
      protocol: 'http',
      http: { method: 'GET', path: '/index.html', readyPath: undefined },
      target: { model: undefined, version: undefined },
      request: undefined,
      expect: parseExpectations({ text: { equals: `${contains}\n` } }),
      openapi: undefined,
      requests: 5,
      concurrency: 1,
      warmup: 0,
      waitReadyMs: 30_000,
      timeoutMs: 10_000,
      slo: { p95Ms: undefined, errorRate: 0 },
    },
  };
}

/** What a Service answers through the API server's service proxy, from the real containers. */
async function answerOf(namespace: string, service: string): Promise<string> {
  const dispatcher = new Agent({ connect: { ca: world.cluster.caPem } });
  try {
    const response = await request(
      `${world.cluster.server}/api/v1/namespaces/${namespace}/services/${service}:80/proxy/index.html`,
      { headers: { authorization: `Bearer ${world.cluster.token}` }, dispatcher },
    );
    return `${response.statusCode} ${(await response.body.text()).trim()}`;
  } finally {
    await dispatcher.close();
  }
}

async function deployV1(namespace: string): Promise<void> {
  const outcome = await runRelease(world.client, {
    release: 'text',
    namespace,
    objects: render('text', namespace, images.v1!.digestRef, 'cluster-ip', 1),
    image: images.v1!.digestRef,
    timeoutMs: 90_000,
    rollbackOnFailure: true,
    prune: true,
    dryRun: false,
    historyLimit: 10,
    holder: 'stable deploy',
    logger: quietLogger(),
    pollMs: 200,
  });
  expect(outcome.status).toBe('deployed');
}

describe('progressive delivery with real pods', () => {
  it('blue-green: the main Service answers from the new pods after the switch, from the stable ones before', async () => {
    const ns = 'real-bg';
    await deployV1(ns);
    const answers: string[] = [];
    const outcome = await runStrategy(
      world.client,
      strategyRequest(world, {
        strategy: 'blue-green',
        release: 'text',
        namespace: ns,
        expose: 'cluster-ip',
        objects: render('text', ns, images.v2!.digestRef, 'cluster-ip', 1),
        image: images.v2!.digestRef,
        analysis: textAnalysis('model v2'),
        scaleDownDelayMs: 500,
        timeoutMs: 90_000,
        onStep: async ({ phase }) => {
          answers.push(
            `${phase}: main ${await answerOf(ns, 'text')}, preview ${await answerOf(ns, 'text-preview')}`,
          );
        },
      }),
    );
    expect(outcome.promoted).toBe(true);
    expect(answers).toEqual([
      'step: main 200 model v1, preview 200 model v2',
      'switched: main 200 model v2, preview 200 model v2',
    ]);
    expect(await answerOf(ns, 'text')).toBe('200 model v2');
    expect(await history(world, ns, 'text')).toEqual({ '1': 'superseded', '2': 'deployed' });
  }, 180_000);

  it('canary: a new version that answers wrongly is withdrawn at 10%, and the stable one keeps answering', async () => {
    const ns = 'real-canary';
    await deployV1(ns);
    const outcome = await runStrategy(
      world.client,
      strategyRequest(world, {
        release: 'text',
        namespace: ns,
        expose: 'cluster-ip',
        replicas: 1,
        objects: render('text', ns, images.broken!.digestRef, 'cluster-ip', 1),
        image: images.broken!.digestRef,
        analysis: textAnalysis('model v2'),
        steps: [
          { weight: 10, holdMs: 0 },
          { weight: 100, holdMs: 0 },
        ],
        timeoutMs: 90_000,
      }),
    );
    expect(outcome.promoted).toBe(false);
    expect(outcome.aborted).toMatchObject({ step: 1, weight: 10 });
    expect(outcome.aborted!.verdict).toContain('model v2 lost its weights');
    expect(await answerOf(ns, 'text')).toBe('200 model v1');
    const deployments = await world.kubectl(ns, ['get', 'deployments']);
    expect(deployments.items.map((d: { metadata: { name: string } }) => d.metadata.name)).toEqual([
      'text',
    ]);
  }, 180_000);
});
