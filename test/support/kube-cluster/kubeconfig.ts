import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

export interface KubeconfigTarget {
  server: string;
  token: string;
  caPem: string;
}

export const CONTEXT_NAME = 'test-double';

/** A kubeconfig for the test double: CA data inline, bearer token, one context. Written 0600: it holds the token. */
export function kubeconfigYaml(target: KubeconfigTarget, namespace?: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: CONTEXT_NAME,
        cluster: {
          server: target.server,
          'certificate-authority-data': Buffer.from(target.caPem).toString('base64'),
        },
      },
    ],
    users: [{ name: CONTEXT_NAME, user: { token: target.token } }],
    contexts: [
      {
        name: CONTEXT_NAME,
        context: { cluster: CONTEXT_NAME, user: CONTEXT_NAME, ...(namespace ? { namespace } : {}) },
      },
    ],
    'current-context': CONTEXT_NAME,
    preferences: {},
  });
}

export function writeKubeconfigFile(
  path: string,
  target: KubeconfigTarget,
  namespace?: string,
): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, kubeconfigYaml(target, namespace), { mode: 0o600 });
}
