import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../shared/common/logger.ts';
import { readImageFacts } from '../../../shared/model/image-facts.ts';
import { packageModel } from '../../../shared/model/package.ts';
import { RUNTIMES } from '../../../shared/model/runtimes/index.ts';
import { parseReference } from '../../../shared/oci/reference.ts';
import { copyLayoutToRegistry } from '../../support/images.ts';
import { tritonOnnxFolder } from '../../support/model-files.ts';
import { startRegistry, type LocalRegistry } from '../../support/registry.ts';

const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'md-facts-'));
  dirs.push(d);
  return d;
};
let registry: LocalRegistry;
beforeAll(async () => {
  registry = await startRegistry({ auth: 'none' });
}, 120_000);
afterAll(async () => {
  await registry?.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('readImageFacts', () => {
  it('reads the runtime, model, ports, health and command that package wrote', async () => {
    const output = join(temp(), 'layout');
    await packageModel({
      modelPath: tritonOnnxFolder(join(temp(), 'resnet')),
      source: { kind: 'local', uri: 'models/resnet' },
      name: 'resnet',
      version: '5',
      runtime: RUNTIMES.triton,
      baseImage: 'scratch',
      platforms: [],
      env: {},
      ports: [9000, 9001],
      labels: {},
      annotations: {},
      output,
      sourceDateEpoch: 0,
      includeBaseLayers: false,
      lineage: {},
      logger: silentLogger,
    });
    await copyLayoutToRegistry(output, '5', registry, 'models/resnet', false);
    const facts = await readImageFacts(parseReference(`${registry.host}/models/resnet:5`), {
      logger: silentLogger,
    });
    expect(facts).toMatchObject({
      runtime: 'triton',
      version: '5',
      modelName: 'resnet',
      ports: [9000, 9001],
      health: { live: '/v2/health/live', ready: '/v2/health/ready' },
      cmd: ['tritonserver', '--model-repository=/models'],
    });
    expect(facts.sources).toEqual(
      expect.arrayContaining(['annotations', 'image config', 'model card']),
    );
  });

  it('names the image when the registry does not have it', async () => {
    await expect(
      readImageFacts(parseReference(`${registry.host}/models/missing:1`), {
        logger: silentLogger,
      }),
    ).rejects.toThrow(`could not read ${registry.host}/models/missing:1`);
  });
});
