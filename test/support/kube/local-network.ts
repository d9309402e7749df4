import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isAlive } from '../processes.ts';
import { requireTool } from '../tools.ts';

const execFileAsync = promisify(execFile);

/**
 * Addresses the test clusters give simulated pods, nodes and Services.
 *
 * The API server's service proxy only sends traffic to an Endpoints address,
 * and Endpoints may not hold loopback addresses; so simulated pods need real,
 * non-loopback IPs, and a test's HTTP server must be able to listen on them.
 * 198.18.0.0/15 (the benchmarking range, RFC 2544) is routed as `local` on
 * `lo` (the "AnyIP" route): every address in it belongs to this machine, so a
 * server can bind any of them and no packet to them ever leaves the machine —
 * not even one for a pod nobody serves (it is refused locally).
 */
export const LOCAL_RANGE = '198.18.0.0/15';

/**
 * Each cluster's share: kwok pods 198.18.N.0/24, nodes 198.19.N.x, Services
 * 198.19.255.0/24 (no kube-proxy: nothing answers there, and nothing leaves),
 * and real pods 10.89.N.0/24 on the bridge mdkubeN.
 */
export interface ClusterSubnet {
  index: number;
  podCidr: string;
  kwokNodeIp: string;
  /** The real node's address: added to lo while the cluster runs, so its kubelet can bind it. */
  kubeletNodeIp: string;
  /** The real node's pods: a CNI bridge of their own (addresses in network namespaces this cluster made). */
  kubeletPodCidr: string;
  kubeletBridge: string;
  serviceCidr: string;
  /** First address of the Service range: the `kubernetes` Service. */
  kubernetesServiceIp: string;
  /** Is `ip` one of this cluster's pod addresses? */
  containsPodIp(ip: string): boolean;
  release(): void;
}

let routeReady: Promise<void> | undefined;

/** Adds the local route once per machine (idempotent: `ip route replace`). Needs root. */
export function ensureLocalRoute(): Promise<void> {
  routeReady ??= (async () => {
    const ip = requireTool('ip', 'iproute2');
    const { stdout } = await execFileAsync(ip, ['route', 'show', 'table', 'local', LOCAL_RANGE]);
    if (stdout.includes(LOCAL_RANGE.split('/')[0]!)) return;
    if (process.getuid?.() !== 0) {
      throw new Error(
        `the test clusters need the local route ${LOCAL_RANGE} on lo, which only root can add: ` +
          `sudo ip route replace local ${LOCAL_RANGE} dev lo`,
      );
    }
    await execFileAsync(ip, ['route', 'replace', 'local', LOCAL_RANGE, 'dev', 'lo']);
  })();
  routeReady.catch(() => (routeReady = undefined));
  return routeReady;
}

const leaseDir = join(tmpdir(), 'model-deploy-kube-subnets');

/**
 * Takes a free /24 for one cluster: a lease file per index, created
 * exclusively and naming the owning process, so concurrent clusters (also of
 * other suites on the machine) never share pod addresses. A lease whose owner
 * is gone is taken over.
 */
export async function allocateSubnet(): Promise<ClusterSubnet> {
  await ensureLocalRoute();
  mkdirSync(leaseDir, { recursive: true });
  const start = 1 + Math.floor(Math.random() * 250);
  for (let i = 0; i < 250; i++) {
    const index = 1 + ((start + i) % 250);
    const file = join(leaseDir, String(index));
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
    } catch {
      let owner: number;
      try {
        owner = Number(readFileSync(file, 'utf8'));
      } catch {
        continue;
      }
      if (Number.isInteger(owner) && isAlive(owner)) continue;
      rmSync(file, { force: true });
      try {
        writeFileSync(file, String(process.pid), { flag: 'wx' });
      } catch {
        continue;
      }
    }
    return subnet(index, () => rmSync(file, { force: true }));
  }
  throw new Error(`no free test-cluster subnet left in ${leaseDir}`);
}

function subnet(index: number, release: () => void): ClusterSubnet {
  const prefix = `198.18.${index}.`;
  return {
    index,
    podCidr: `${prefix}0/24`,
    kwokNodeIp: `198.19.${index}.1`,
    kubeletNodeIp: `198.19.${index}.2`,
    kubeletPodCidr: `10.89.${index}.0/24`,
    kubeletBridge: `mdkube${index}`,
    serviceCidr: '198.19.255.0/24',
    kubernetesServiceIp: '198.19.255.1',
    containsPodIp: (ip) => ip.startsWith(prefix),
    release,
  };
}
