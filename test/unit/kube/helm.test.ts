import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseManifests, pinImage, workspacePath } from '../../../shared/kube/helm.ts';
import { silentLogger } from '../../../shared/common/logger.ts';

describe('chart output handling', () => {
  it('reads multi-document output, unwraps Lists and leaves hooks out', () => {
    const objects = parseManifests(
      [
        '---',
        '# Source: x/templates/empty.yaml',
        '---',
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: a',
        '---',
        'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: b',
        '---',
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  annotations:\n    helm.sh/hook: test',
      ].join('\n'),
      silentLogger,
    );
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Service/a',
      'ConfigMap/b',
    ]);
    expect(() => parseManifests('kind: Service\nmetadata: {name: a}', silentLogger)).toThrow(
      /without apiVersion/,
    );
  });

  it('pins containers of the deployed repository to the digest', () => {
    const objects = parseManifests(
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      containers:\n      - {name: a, image: "localhost:5000/models/m:latest"}\n      - {name: b, image: "busybox:1.36"}',
      silentLogger,
    );
    const reference = `localhost:5000/models/m@sha256:${'b'.repeat(64)}`;
    pinImage(objects, { repository: 'localhost:5000/models/m', reference });
    const containers = (
      objects[0]?.spec as { template: { spec: { containers: Array<{ image: string }> } } }
    ).template.spec.containers;
    expect(containers.map((c) => c.image)).toEqual([reference, 'busybox:1.36']);
  });

  it('refuses paths that leave the workspace, also through a symlink', () => {
    const root = mkdtempSync(join(tmpdir(), 'md-ws-'));
    const workspace = join(root, 'ws');
    mkdirSync(join(workspace, 'charts'), { recursive: true });
    writeFileSync(join(root, 'secret.yaml'), 'a: 1');
    symlinkSync(join(root, 'secret.yaml'), join(workspace, 'link.yaml'));
    expect(workspacePath('chart', 'charts', workspace)).toBe(join(workspace, 'charts'));
    expect(() => workspacePath('values-files', '../secret.yaml', workspace)).toThrow(
      /input 'values-files' names '..\/secret.yaml', which is outside the workspace/,
    );
    expect(() => workspacePath('values-files', 'link.yaml', workspace)).toThrow(
      /outside the workspace/,
    );
    expect(() => workspacePath('chart', 'nope', workspace)).toThrow(
      /input 'chart' names 'nope', which does not exist/,
    );
  });
});
