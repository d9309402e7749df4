import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ensureHelm, ensureKubectl, helm } from '../../support/helm.ts';

describe('the static helm binary', () => {
  it('is fetched once and reports v3.17', async () => {
    const path = await ensureHelm();
    expect(await ensureHelm()).toBe(path);
    const { stdout } = await helm(['version', '--short']);
    expect(stdout).toMatch(/^v3\.17\.\d+/);
  });

  it('renders a Deployment from the chart `helm create` makes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-helm-chart-'));
    await helm(['create', join(dir, 'model')]);
    const { stdout } = await helm([
      'template',
      'release1',
      join(dir, 'model'),
      '--set',
      'image.repository=127.0.0.1:5000/models/resnet',
      '--set',
      'image.tag=v7',
    ]);
    const docs = parseAllDocuments(stdout).map((d) => d.toJS() as Record<string, unknown>);
    const deployment = docs.find((d) => d.kind === 'Deployment') as
      | {
          metadata: { name: string };
          spec: { template: { spec: { containers: { image: string }[] } } };
        }
      | undefined;
    expect(deployment?.metadata.name).toBe('release1-model');
    expect(deployment?.spec.template.spec.containers[0]?.image).toBe(
      '127.0.0.1:5000/models/resnet:v7',
    );
  });

  it('fails on a chart that does not exist, naming it', async () => {
    await expect(helm(['template', 'x', '/nonexistent/md-chart'])).rejects.toThrow(/md-chart/);
  });
});

describe('the kubectl binary from the same package', () => {
  it('reports a v1.32 client', async () => {
    const { stdout } = await promisify(execFile)(await ensureKubectl(), [
      'version',
      '--client',
      '--output=json',
    ]);
    expect(JSON.parse(stdout).clientVersion.gitVersion).toMatch(/^v1\.32\./);
  });
});
