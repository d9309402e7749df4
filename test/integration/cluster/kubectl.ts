import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { LocalCluster } from '../../support/kube-cluster/index.ts';

export const KUBECTL = '/usr/bin/kubectl';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

const cacheDir = mkdtempSync(join(tmpdir(), 'md-kubectl-cache-'));

/** The real kubectl against the test double; never throws, the exit code is in the result. */
export function kubectl(
  cluster: LocalCluster,
  args: string[],
  input?: string,
): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile(
      KUBECTL,
      ['--kubeconfig', cluster.kubeconfigPath, ...args],
      {
        env: { ...process.env, KUBECACHEDIR: cacheDir },
        maxBuffer: 16 * 1024 * 1024,
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end(input ?? '');
  });
}

/** kubectl that must succeed; returns stdout. */
export async function kubectlOk(
  cluster: LocalCluster,
  args: string[],
  input?: string,
): Promise<string> {
  const result = await kubectl(cluster, args, input);
  if (result.code !== 0) {
    throw new Error(
      `kubectl ${args.join(' ')} exited ${result.code}: ${result.stderr}${result.stdout}`,
    );
  }
  return result.stdout;
}

export interface AppOptions {
  name: string;
  image: string;
  replicas?: number;
  /** Pod template annotations (the test double's failure injections). */
  annotations?: Record<string, string>;
  progressDeadlineSeconds?: number;
  container?: Record<string, unknown>;
}

/** A Deployment and its Service, as YAML documents for `kubectl apply -f -`. */
export function appYaml(options: AppOptions): string {
  const labels = { app: options.name };
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: options.name, labels },
    spec: {
      replicas: options.replicas ?? 2,
      ...(options.progressDeadlineSeconds
        ? { progressDeadlineSeconds: options.progressDeadlineSeconds }
        : {}),
      selector: { matchLabels: labels },
      template: {
        metadata: { labels, ...(options.annotations ? { annotations: options.annotations } : {}) },
        spec: {
          containers: [
            {
              name: 'app',
              image: options.image,
              ports: [{ containerPort: 8080, name: 'http' }],
              ...options.container,
            },
          ],
        },
      },
    },
  };
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: options.name },
    spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  };
  const plain = { aliasDuplicateObjects: false };
  return `${stringify(deployment, plain)}---\n${stringify(service, plain)}`;
}
