import { execFile } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as packageRun } from '../../../actions/package/main.ts';
import { readLayout } from '../../../shared/oci/layout.ts';
import { formatArgvFindings, watchArgv } from '../../support/argv-watch.ts';
import { pushBusyboxImage } from '../../support/images.ts';
import { tritonOnnxFolder } from '../../support/model-files.ts';
import { containersConfPath } from '../../support/podman.ts';
import { startRegistry, type LocalRegistry } from '../../support/registry.ts';
import { formatFindings, scanForSecrets } from '../../support/secrets-scan.ts';
import { requireTool } from '../../support/tools.ts';
import { runWithInputs } from '../../support/bad-input-table.ts';

const exec = promisify(execFile);
const root = mkdtempSync(join(tmpdir(), 'md-docker-path-'));
const bin = join(root, 'bin');
const calls = join(root, 'docker-calls');
const runnerTemp = join(root, 'runner-temp');
const home = join(root, 'home');
let registry: LocalRegistry;

beforeAll(async () => {
  requireTool('podman', 'podman');
  requireTool('skopeo', 'skopeo');
  requireTool('umoci', 'umoci');
  for (const dir of [bin, runnerTemp, home]) mkdirSync(dir);
  registry = await startRegistry({ auth: 'basic' });
  await pushBusyboxImage(registry, 'private/busybox', '1');
  // Docker trusts plain HTTP to 127.0.0.0/8 by default; podman needs it said.
  const registriesConf = join(root, 'registries.conf');
  writeFileSync(registriesConf, `[[registry]]\nlocation = "${registry.host}"\ninsecure = true\n`);
  // The docker CLI answered by a real engine, as Debian's podman-docker does it.
  // Only the subcommand is recorded: the arguments are checked by the argv watch.
  writeFileSync(
    join(bin, 'docker'),
    [
      '#!/bin/sh',
      `echo "$1" >> '${calls}'`,
      `PATH=/usr/sbin:/usr/bin:/sbin:/bin CONTAINERS_CONF='${containersConfPath}' CONTAINERS_REGISTRIES_CONF='${registriesConf}' exec /usr/bin/podman "$@"`,
      '',
    ].join('\n'),
  );
  chmodSync(join(bin, 'docker'), 0o755);
  symlinkSync('/usr/bin/skopeo', join(bin, 'skopeo'));
}, 60_000);
afterAll(async () => {
  if (registry) {
    await exec('podman', ['rmi', '--force', `${registry.host}/private/busybox:1`], {
      env: { ...process.env, CONTAINERS_CONF: containersConfPath },
    }).catch(() => undefined);
  }
  await registry?.stop();
  rmSync(root, { recursive: true, force: true });
});

/** PATH holds docker and skopeo but no podman, so the docker path is the one taken. */
const env = () => ({ PATH: bin, RUNNER_TEMP: runnerTemp, HOME: home });

describe('package action: the Dockerfile path with docker (podman absent from PATH)', () => {
  it('builds with docker build, saves the image and converts it to the OCI layout with skopeo', async () => {
    const context = mkdtempSync(join(root, 'context-'));
    tritonOnnxFolder(join(context, 'resnet'));
    writeFileSync(
      join(context, 'Dockerfile'),
      'FROM scratch\nCOPY resnet/model.onnx /models/resnet/1/model.onnx\n',
    );
    writeFileSync(calls, '');
    const outcome = await runWithInputs(
      packageRun,
      {
        model: join(context, 'resnet'),
        name: 'resnet',
        dockerfile: join(context, 'Dockerfile'),
        context,
      },
      env(),
    );
    expect(outcome.ok, outcome.failure).toBe(true);
    const used = readFileSync(calls, 'utf8').trim().split('\n');
    expect(used).toEqual(expect.arrayContaining(['build', 'save', 'rmi']));
    expect(used).not.toContain('push');

    const layoutPath = outcome.outputs.layout!;
    const layout = await readLayout(layoutPath);
    expect(layout.top.digest).toBe(outcome.outputs.digest);
    const inspected = JSON.parse(
      (await exec('skopeo', ['inspect', `oci:${layoutPath}:1`])).stdout,
    ) as { Digest: string; Layers: string[] };
    expect(inspected.Digest).toBe(outcome.outputs.digest);
    expect(inspected.Layers.length).toBeGreaterThan(0);
    const bundle = join(context, 'bundle');
    await exec('umoci', ['unpack', '--rootless', '--image', `${layoutPath}:1`, bundle]);
    expect(
      readFileSync(join(bundle, 'rootfs', 'models', 'resnet', '1', 'model.onnx')).equals(
        readFileSync(join(context, 'resnet', 'model.onnx')),
      ),
    ).toBe(true);
  }, 120_000);

  it('builds FROM a private registry with base-image credentials through an auth file, never argv', async () => {
    const context = mkdtempSync(join(root, 'context-'));
    writeFileSync(join(context, 'model.bin'), 'private weights');
    writeFileSync(
      join(context, 'Dockerfile'),
      `FROM ${registry.host}/private/busybox:1\nCOPY model.bin /models/m/model.bin\n`,
    );
    const inputs = {
      model: join(context, 'model.bin'),
      name: 'm',
      runtime: 'custom',
      dockerfile: join(context, 'Dockerfile'),
      context,
    };
    const denied = await runWithInputs(packageRun, inputs, env());
    expect(denied.ok).toBe(false);
    expect(denied.failure).toMatch(/unauthorized|authentication required|401/i);

    writeFileSync(calls, '');
    const watch = watchArgv({ rootPid: process.pid, secrets: [registry.password!] });
    let outcome;
    let report;
    try {
      outcome = await runWithInputs(
        packageRun,
        {
          ...inputs,
          'base-image-username': registry.username!,
          'base-image-password': registry.password!,
        },
        env(),
      );
    } finally {
      report = watch.stop();
    }
    expect(outcome.ok, outcome.failure).toBe(true);
    expect(readFileSync(calls, 'utf8')).toContain('build');
    expect(report.findings, formatArgvFindings(report.findings)).toEqual([]);
    // The auth file lived only for the build.
    expect(readdirSync(runnerTemp).filter((n) => n.startsWith('md-podman-auth-'))).toEqual([]);
    const findings = scanForSecrets({
      files: [runnerTemp, home, outcome.runnerFiles],
      secrets: [registry.password!],
    });
    expect(findings, formatFindings(findings)).toEqual([]);
    expect(existsSync(join(home, '.docker', 'config.json'))).toBe(false);

    const bundle = join(context, 'bundle');
    await exec('umoci', ['unpack', '--rootless', '--image', `${outcome.outputs.layout}:1`, bundle]);
    expect(readFileSync(join(bundle, 'rootfs', 'models', 'm', 'model.bin'), 'utf8')).toBe(
      'private weights',
    );
    // The busybox base's files came through the saved archive too.
    expect(existsSync(join(bundle, 'rootfs', 'bin', 'busybox'))).toBe(true);
  }, 180_000);
});
