import type { StepResult } from '../../test/support/local-runner.ts';
import type { DemoEnvironment, PhaseResult } from './scenario.ts';

/** What the demo promises, checked on the step results (the e2e test asserts more). */

export interface Check {
  what: string;
  ok: boolean;
  detail: string;
}

const short = (digest = '') => (digest.startsWith('sha256:') ? `${digest.slice(0, 19)}…` : digest);

/** The outputs that matter most of each action, for the final table. */
export function keyOutputs(uses: string, step: StepResult): string {
  const o = step.outputs;
  if (step.conclusion === 'skipped') return '';
  switch (uses) {
    case 'package':
      return `digest ${short(o.digest)}`;
    case 'push': {
      const images = Object.values(JSON.parse(o.images || '{}') as Record<string, string>);
      const kib = (n?: string) => `${(Number(n ?? 0) / 1024).toFixed(1)} KiB`;
      return `${images.length} registries, one digest; sent ${kib(o['bytes-uploaded'])}, skipped ${kib(o['bytes-skipped'])}`;
    }
    case 'deploy':
      return `status ${o.status ?? '?'}, revision ${o.revision || '–'} (before: ${o['previous-revision'] || 'none'})`;
    case 'smoke-test':
      return o.passed === 'true'
        ? `passed, p95 ${Number(o['p95-ms']).toFixed(1)} ms, ${o['requests-per-second']} req/s`
        : 'not passed';
    default:
      return '';
  }
}

function step(result: PhaseResult | undefined, id: string): StepResult | undefined {
  return result?.run.steps.find((s) => s.id === id);
}

export function checkScenario(results: PhaseResult[], env: DemoEnvironment): Check[] {
  const checks: Check[] = [];
  const check = (what: string, ok: boolean, detail: string) => checks.push({ what, ok, detail });
  const [first, second, broken, rollback] = results;
  const v = env.versions;

  const pushed = (r: PhaseResult | undefined) => {
    const push = step(r, 'push');
    const images = Object.values(
      JSON.parse(push?.outputs.images || '{}') as Record<string, string>,
    );
    return { digest: push?.outputs.digest ?? '', images };
  };
  for (const [r, version] of [
    [first, v.good],
    [second, v.retrained],
  ] as const) {
    const { digest, images } = pushed(r);
    check(
      `v${version.version} is in both registries under one digest`,
      /^sha256:[0-9a-f]{64}$/.test(digest) &&
        images.length === 2 &&
        images.every((i) => i.endsWith(`@${digest}`)),
      `push outputs: ${JSON.stringify(step(r, 'push')?.outputs ?? {})}`,
    );
  }
  const deployOf = (r: PhaseResult | undefined, id = 'deploy') => step(r, id)?.outputs ?? {};
  check(
    'v1 deployed as revision 1 and passed its smoke test',
    deployOf(first).status === 'deployed' &&
      deployOf(first).revision === '1' &&
      step(first, 'smoke-test')?.outputs.passed === 'true',
    `deploy ${JSON.stringify(deployOf(first))}, smoke ${step(first, 'smoke-test')?.conclusion}`,
  );
  check(
    'v2 deployed as revision 2 and passed its smoke test',
    deployOf(second).status === 'deployed' &&
      deployOf(second).revision === '2' &&
      step(second, 'smoke-test')?.outputs.passed === 'true',
    `deploy ${JSON.stringify(deployOf(second))}, smoke ${step(second, 'smoke-test')?.conclusion}`,
  );
  check(
    'the broken v3 failed its rollout and was rolled back to revision 2 by itself',
    step(broken, 'deploy')?.conclusion === 'failure' &&
      deployOf(broken).status === 'rolled-back' &&
      deployOf(broken).revision === '2',
    `deploy ${step(broken, 'deploy')?.conclusion} ${JSON.stringify(deployOf(broken))}`,
  );
  check(
    'v2 kept serving: the smoke test against the restored release passed',
    step(broken, 'smoke-test-restored')?.outputs.passed === 'true',
    `smoke ${step(broken, 'smoke-test-restored')?.conclusion}`,
  );
  const restored = deployOf(rollback, 'rollback');
  check(
    'rollback-to: 1 brought v1 back, and v1 passed its smoke test',
    step(rollback, 'rollback')?.conclusion === 'success' &&
      restored.status === 'deployed' &&
      Number(restored.revision) > 2 &&
      step(rollback, 'smoke-test')?.outputs.passed === 'true',
    `rollback ${step(rollback, 'rollback')?.conclusion} ${JSON.stringify(restored)}, smoke ${step(rollback, 'smoke-test')?.conclusion}`,
  );
  return checks;
}
