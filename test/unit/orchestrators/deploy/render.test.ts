import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../shared/common/logger.ts';
import type { KubeClient } from '../../../../shared/kube/client.ts';
import { renderRelease } from '../../../../shared/orchestrators/deploy/render.ts';
import { deployRequest } from '../../../support/deploy-request.ts';

const untouched = new Proxy({} as KubeClient, {
  get: (_target, key) => {
    throw new Error(`rendering asked the cluster (${String(key)})`);
  },
});

const target = { client: untouched, profileName: 'none' as const };

describe('rendering a release', () => {
  it('renders nothing for a restore, and sets the analysis protocol from the runtime', async () => {
    const request = deployRequest({ image: '', rollbackTo: 'previous', runtime: 'torchserve' });
    const titles: string[] = [];
    const rendered = await renderRelease(
      request,
      { reference: 'revision previous', repository: '' },
      target,
      {
        logger: silentLogger,
        group: (title, body) => {
          titles.push(title);
          return body();
        },
      },
    );
    expect(rendered.objects).toEqual([]);
    expect(rendered.servingPlan).toBeUndefined();
    expect(rendered.request.strategy.analysis.smoke.protocol).toBe('torchserve');
    expect(titles).toEqual([]);
  });

  it('renders the built-in manifests when the image cannot be read and the runtime is given', async () => {
    const reference = `127.0.0.1:1/iris@sha256:${'9'.repeat(64)}`;
    const warnings: string[] = [];
    const titles: string[] = [];
    const rendered = await renderRelease(
      deployRequest({ image: reference, runtime: 'mlserver' }),
      { reference, repository: '127.0.0.1:1/iris', digest: `sha256:${'9'.repeat(64)}` },
      target,
      {
        logger: { ...silentLogger, warning: (m) => void warnings.push(m) },
        group: (title, body) => {
          titles.push(title);
          return body();
        },
      },
    );
    expect(titles).toEqual(['Rendering manifests']);
    expect(warnings.join('\n')).toMatch(/deploying as runtime mlserver without checking/);
    expect(rendered.servingPlan?.spec.image).toBe(reference);
    expect(rendered.request.runtime).toBe('mlserver');
    expect(rendered.request.strategy.analysis.smoke.protocol).toBe('v2');
    const kinds = rendered.objects.map((o) => o.kind);
    expect(kinds).toContain('Deployment');
    expect(kinds).toContain('Service');
  }, 60_000);
});
