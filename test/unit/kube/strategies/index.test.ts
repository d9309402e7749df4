import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../../shared/common/errors.ts';
import { applyObjects } from '../../../../shared/kube/apply.ts';
import { labelForRelease } from '../../../../shared/kube/objects.ts';
import { RolloutStopped, runStrategy } from '../../../../shared/kube/strategies/index.ts';
import { objectRefs, RolloutStateStore } from '../../../../shared/kube/strategies/rollout-state.ts';
import { releaseWorkload, sideBySide } from '../../../../shared/kube/strategies/workload.ts';
import type { KubeJson } from '../../../support/deploy-fixture.ts';
import {
  deployStable,
  history,
  quietLogger,
  render,
  startStrategyWorld,
  strategyRequest,
  type StrategyWorld,
} from '../../../support/strategies-fixture.ts';

let world: StrategyWorld;
beforeAll(async () => {
  // The Gateway API only: Istio is missing.
  world = await startStrategyWorld({ crds: ['gateway-api'] });
}, 120_000);
afterAll(async () => {
  await world?.stop();
});

const names = async (ns: string) =>
  (await world.kubectl(ns, ['get', 'deployments,services,configmaps'])).items
    .map((o: KubeJson) => `${o.kind}/${o.metadata.name}`)
    .filter((n: string) => n !== 'ConfigMap/kube-root-ca.crt')
    .sort();

describe('running a progressive strategy', () => {
  it('deploys the first release of a name directly, and then finds the same version already serving', async () => {
    const ns = 'first';
    const logger = quietLogger();
    const request = strategyRequest(world, {
      release: 'iris',
      namespace: ns,
      expose: 'gateway',
      logger,
    });
    // The namespace does not exist yet: the strategy makes it.
    const first = await runStrategy(world.client, request);
    expect(first).toMatchObject({
      strategy: 'canary',
      router: 'gateway',
      promoted: true,
      step: 0,
      steps: [],
      release: { status: 'deployed', revision: 1, image: world.images.v2.digestRef },
    });
    expect(first.release.waitedFor).toBeUndefined();
    expect(logger.lines).toContain(
      'iris has no serving revision yet: nothing to compare a canary with, so it is deployed directly',
    );
    // No canary beside it: the release's own objects only.
    expect(await names(ns)).toEqual(['Deployment/iris', 'Service/iris']);

    // The lock was let go: a second run takes it without waiting.
    const second = await runStrategy(world.client, { ...request, holder: 'second run' });
    // Nothing to apply: the release is unchanged, so nothing was promoted either.
    expect(second).toMatchObject({
      promoted: false,
      step: 0,
      steps: [],
      release: { status: 'unchanged', revision: 1 },
    });
    expect(second.release.waitedFor).toBeUndefined();
    expect(logger.lines).toContain('iris already serves this version (revision 1)');
    expect(await history(world, ns, 'iris')).toEqual({ '1': 'deployed' });
  });

  it('refuses a router the cluster does not serve before it takes the lock or changes the release', async () => {
    const ns = 'no-istio';
    const err = await runStrategy(
      world.client,
      strategyRequest(world, { release: 'iris', namespace: ns, expose: 'istio' }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/^traffic-router istio needs Istio/);
    // The namespace is made first; nothing else.
    expect(await names(ns)).toEqual([]);
    const leases = await world.kubectl(ns, ['get', 'leases']);
    expect(
      leases.items.filter((l: KubeJson) => l.spec.holderIdentity === 'canary test run'),
    ).toEqual([]);
  });

  it('refuses a canary whose router has no route of the serving revision to move', async () => {
    const ns = 'no-route';
    await deployStable(world, 'iris', ns, 'cluster-ip');
    const err = await runStrategy(
      world.client,
      strategyRequest(world, {
        release: 'iris',
        namespace: ns,
        expose: 'gateway',
        router: 'gateway',
      }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe(
      "traffic-router gateway moves the weights of the release's HTTPRoute, and revision 1 of iris has none",
    );
    expect((err as UserError).hint).toBe(
      'deploy with expose: gateway (and host) first, or use traffic-router: replicas',
    );
    // Nothing of the new version went up, and the history is as it was.
    expect(await names(ns)).toEqual(['Deployment/iris', 'Service/iris']);
    expect(await history(world, ns, 'iris')).toEqual({ '1': 'deployed' });
  });

  it('withdraws an unfinished rollout of another version left behind before it deploys', async () => {
    const ns = 'leftover';
    await deployStable(world, 'iris', ns, 'cluster-ip');
    // What a cancelled job of another version left: its canary and its state.
    const old = labelForRelease(
      render('iris', ns, world.images.v2.digestRef, 'cluster-ip'),
      'iris',
      ns,
    );
    const canary = sideBySide(releaseWorkload(old, 'iris'), 'iris', 'canary', {
      replicas: 1,
      shareService: true,
    });
    await applyObjects(world.client, [canary.service, canary.deployment]);
    await new RolloutStateStore(world.client, ns, 'iris').write({
      strategy: 'canary',
      router: 'replicas',
      hash: 'another-version',
      image: 'registry.example/iris:0',
      step: 1,
      weight: 50,
      phase: 'progressing',
      holder: 'run 0',
      objects: objectRefs([canary.service, canary.deployment]),
    });
    const logger = quietLogger();
    // The version serving now, asked for again: after the withdrawal there is nothing to roll out.
    const outcome = await runStrategy(
      world.client,
      strategyRequest(world, {
        release: 'iris',
        namespace: ns,
        expose: 'cluster-ip',
        image: world.images.v1.digestRef,
        objects: render('iris', ns, world.images.v1.digestRef, 'cluster-ip'),
        logger,
      }),
    );
    expect(outcome.recovered).toBe(
      'withdrew the unfinished canary of registry.example/iris:0 left by run 0',
    );
    expect(outcome).toMatchObject({
      promoted: false,
      step: 0,
      release: { status: 'unchanged', revision: 1 },
    });
    expect(logger.lines).toContain(
      'warning: found an unfinished canary of registry.example/iris:0 left by run 0 at step 2 (progressing): withdrawing it',
    );
    expect(await names(ns)).toEqual(['Deployment/iris', 'Service/iris']);
  });

  it('lets go of the lock and keeps the state when the run is stopped', async () => {
    const ns = 'stopped';
    await deployStable(world, 'iris', ns, 'cluster-ip');
    await world.cluster.registerServiceBackend(ns, 'iris', 80, world.good.url);
    const stop = new AbortController();
    const logger = quietLogger();
    const request = strategyRequest(world, {
      release: 'iris',
      namespace: ns,
      expose: 'cluster-ip',
      strategy: 'blue-green',
      logger,
      stopSignal: stop.signal,
      onStep: () => stop.abort(),
    });
    await expect(runStrategy(world.client, request)).rejects.toBeInstanceOf(RolloutStopped);
    expect(logger.lines).toContain('stopped: the rollout state stays for the next run');
    expect(await new RolloutStateStore(world.client, ns, 'iris').read()).toMatchObject({
      strategy: 'blue-green',
      phase: 'progressing',
    });
    const leases = await world.kubectl(ns, ['get', 'leases']);
    expect(
      leases.items.filter((l: KubeJson) => l.spec.holderIdentity === 'canary test run'),
    ).toEqual([]);
  });
});
