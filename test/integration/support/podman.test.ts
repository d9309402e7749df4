import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushBusyboxImage, pushMultiArchBusyboxImage } from '../../support/images.ts';
import { freePort, waitFor } from '../../support/processes.ts';
import {
  listTestContainers,
  podman,
  runToCompletion,
  startContainer,
} from '../../support/podman.ts';
import { startRegistry, type LocalRegistry } from '../../support/registry.ts';

describe('podman with images from the local registry', () => {
  let registry: LocalRegistry;

  beforeAll(async () => {
    registry = await startRegistry({ auth: 'basic' });
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('uses runc and cgroupfs from the test containers.conf', async () => {
    const { stdout } = await podman([
      'info',
      '--format',
      '{{.Host.OCIRuntime.Name}} {{.Host.CgroupManager}}',
    ]);
    expect(stdout.trim()).toBe('runc cgroupfs');
  });

  it('runs the busybox-static image pulled with credentials', async () => {
    const image = await pushBusyboxImage(registry, 'podman/busybox', 'v1');
    const { stdout } = await runToCompletion(image.digestRef, ['echo', 'hello'], {
      registry,
      purpose: 'echo',
    });
    expect(stdout).toBe('hello\n');
  });

  it('applies the ulimits from the test containers.conf', async () => {
    const image = await pushBusyboxImage(registry, 'podman/limits', 'v1');
    const { stdout } = await runToCompletion(
      image.digestRef,
      ['sh', '-c', 'ulimit -n; ulimit -u'],
      {
        registry,
        purpose: 'ulimit',
      },
    );
    expect(stdout).toBe('1024\n1024\n');
  });

  it('picks the host platform from a multi-arch image', async () => {
    const image = await pushMultiArchBusyboxImage(registry, 'podman/multi', 'v1');
    const { stdout } = await runToCompletion(image.ref, ['sh', '-c', 'echo $((6 * 7))'], {
      registry,
      purpose: 'multi',
    });
    expect(stdout).toBe('42\n');
  });

  it('serves HTTP from a detached container on a published 127.0.0.1 port and removes it on stop', async () => {
    const image = await pushBusyboxImage(registry, 'podman/httpd', 'v1', {
      cmd: ['sh', '-c', 'echo served > /www/index.html && exec httpd -f -p 8080 -h /www'],
    });
    const hostPort = await freePort();
    const container = await startContainer(image.digestRef, {
      registry,
      purpose: 'httpd',
      publish: { 8080: hostPort },
    });
    try {
      let body = '';
      await waitFor('httpd in the container', async () => {
        const res = await fetch(`http://127.0.0.1:${hostPort}/index.html`);
        body = await res.text();
        return res.ok;
      });
      expect(body).toBe('served\n');
      expect(await listTestContainers()).toContain(container.name);
    } finally {
      await container.stop();
    }
    expect(await listTestContainers()).not.toContain(container.name);
  });

  it('refuses to pull without credentials', async () => {
    await pushBusyboxImage(registry, 'podman/private', 'v1');
    await expect(
      runToCompletion(`${registry.host}/podman/private:v1`, ['true'], {
        registry: { host: registry.host },
        purpose: 'anonymous',
      }),
    ).rejects.toThrow(/unauthorized|authentication required/i);
  });
});
