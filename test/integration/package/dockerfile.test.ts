import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../../actions/package/main.ts';
import { withActionEnv } from '../../support/actions-env.ts';
import { containersConfPath } from '../../support/podman.ts';
import { tritonOnnxFolder } from '../../support/model-files.ts';
import { requireTool } from '../../support/tools.ts';
import { readLayout } from '../../../shared/oci/layout.ts';

const exec = promisify(execFile);
const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

describe('package action: the Dockerfile path', () => {
  it('builds the Dockerfile with podman and writes the image as the OCI layout', async () => {
    requireTool('podman', 'podman');
    requireTool('umoci', 'umoci');
    const context = mkdtempSync(join(tmpdir(), 'md-dockerfile-'));
    temps.push(context);
    tritonOnnxFolder(join(context, 'resnet'));
    writeFileSync(
      join(context, 'Dockerfile'),
      'FROM scratch\nCOPY resnet/model.onnx /models/resnet/1/model.onnx\nLABEL stage=test\n',
    );
    const env = withActionEnv(
      {
        model: join(context, 'resnet'),
        name: 'resnet',
        dockerfile: join(context, 'Dockerfile'),
        context,
      },
      { CONTAINERS_CONF: containersConfPath },
    );
    let ok: boolean;
    let outputs: Record<string, string>;
    try {
      ok = await run();
      outputs = env.outputs();
    } finally {
      env.restore();
    }
    expect(ok).toBe(true);
    expect(outputs.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    const layout = await readLayout(outputs.layout!);
    expect(layout.top.digest).toBe(outputs.digest);
    expect(layout.metadata).toMatchObject({
      name: 'resnet',
      version: '1',
      tag: '1',
      externalBlobs: {},
    });
    const bundle = join(context, 'bundle');
    await exec('umoci', ['unpack', '--rootless', '--image', `${outputs.layout}:1`, bundle]);
    expect(
      readFileSync(join(bundle, 'rootfs', 'models', 'resnet', '1', 'model.onnx')).equals(
        readFileSync(join(context, 'resnet', 'model.onnx')),
      ),
    ).toBe(true);
    expect(JSON.parse(readFileSync(outputs.openapi!, 'utf8')).paths).toHaveProperty(
      '/v2/models/resnet/infer',
    );
  });
});
