import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  readKubeconfigFiles,
  readKubeconfigText,
} from '../../../../shared/clouds/generic/kubeconfig.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'md-kubeconfig-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, doc: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof doc === 'string' ? doc : stringify(doc));
  return path;
};

describe('readKubeconfigText', () => {
  it("gives the current context's cluster and user with every field kubectl reads", () => {
    const selection = readKubeconfigText(
      stringify({
        clusters: [
          {
            name: 'c',
            cluster: {
              server: 'https://k:6443',
              'certificate-authority': 'pki/ca.crt',
              'certificate-authority-data': 'Q0E=',
              'insecure-skip-tls-verify': true,
            },
          },
        ],
        users: [
          {
            name: 'u',
            user: {
              token: 't',
              tokenFile: '/var/run/token',
              'client-certificate': 'pki/client.crt',
              'client-key-data': 'S0VZ',
              exec: {
                apiVersion: 'client.authentication.k8s.io/v1',
                command: './bin/plugin',
                args: ['get-token', 1],
                env: [{ name: 'A', value: 'b' }, { value: 'nameless' }],
                installHint: 'install it',
                provideClusterInfo: true,
              },
            },
          },
        ],
        contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'ctx',
      }),
      '/home/me/.kube',
    );
    expect(selection).toEqual({
      context: 'ctx',
      cluster: {
        server: 'https://k:6443',
        caFile: '/home/me/.kube/pki/ca.crt',
        caData: 'Q0E=',
        skipTLSVerify: true,
      },
      user: {
        token: 't',
        tokenFile: '/var/run/token',
        certFile: '/home/me/.kube/pki/client.crt',
        keyData: 'S0VZ',
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1',
          command: '/home/me/.kube/bin/plugin',
          args: ['get-token', '1'],
          env: [{ name: 'A', value: 'b' }],
          installHint: 'install it',
          provideClusterInfo: true,
        },
      },
    });
  });

  it('looks a bare plugin name up in PATH, and has no cluster for a missing context', () => {
    const selection = readKubeconfigText(
      stringify({
        clusters: [{ name: 'c', cluster: { server: 'https://k' } }],
        users: [{ name: 'u', user: { exec: { command: 'aws', args: ['eks', 'get-token'] } } }],
        contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'ctx',
      }),
      '/x',
    );
    expect(selection.user?.exec?.command).toBe('aws');
    expect(readKubeconfigText(stringify({ 'current-context': 'gone' }), '/x')).toEqual({
      context: 'gone',
      cluster: undefined,
      user: undefined,
    });
  });

  it('says what is wrong with a file that is not a kubeconfig', () => {
    expect(() => readKubeconfigText('just text', '/x')).toThrow(/not a YAML mapping/);
    expect(() => readKubeconfigText('clusters: 3', '/x')).toThrow('its clusters is not a list');
    expect(() => readKubeconfigText('a: [', '/x')).toThrow();
  });
});

describe('readKubeconfigFiles', () => {
  it('merges files in order: the first current-context and the first of each name win', () => {
    const first = file('first.yaml', {
      clusters: [
        { name: 'c', cluster: { server: 'https://first', 'certificate-authority': 'ca' } },
      ],
      users: [],
      contexts: [],
    });
    const second = file('sub/../second.yaml', {
      clusters: [
        { name: 'c', cluster: { server: 'https://second' } },
        { name: 'd', cluster: { server: 'https://d' } },
      ],
      users: [{ name: 'u', user: { token: 'second-token' } }],
      contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'ctx',
    });
    const third = file('third.yaml', {
      users: [{ name: 'u', user: { token: 'third-token' } }],
      'current-context': 'other',
    });
    const selection = readKubeconfigFiles([first, second, third]);
    expect(selection.context).toBe('ctx');
    expect(selection.cluster).toEqual({ server: 'https://first', caFile: join(dir, 'ca') });
    expect(selection.user).toEqual({ token: 'second-token' });
  });

  it('takes an empty file as empty', () => {
    expect(readKubeconfigFiles([file('empty.yaml', '')]).cluster).toBeUndefined();
  });
});
