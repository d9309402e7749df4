import { execFile, execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  rmdirSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { buildBusyboxLayout, hostArchitecture } from '../images.ts';
import { freePort, isAlive, waitFor, type ManagedProcess } from '../processes.ts';
import { findTool, requireTool } from '../tools.ts';
import type { KubeApi, KubeJson } from './api-client.ts';
import type { ClusterSubnet } from './local-network.ts';
import { issueClientCert, type ClusterPki } from './pki.ts';

const execFileAsync = promisify(execFile);

/** The sandbox ("pause") image: busybox sleeping, imported into containerd at start, never pulled. */
const SANDBOX_IMAGE = 'model-deploy.test/pause:1';
const CNI_BIN = '/usr/lib/cni';

export interface KubeletNode {
  name: string;
  /** Stops the kubelet and containerd and removes every trace (pods first, through the kubelet). */
  stop(): Promise<void>;
}

export interface KubeletNodeOptions {
  name: string;
  dir: string;
  server: string;
  pki: ClusterPki;
  subnet: ClusterSubnet;
  kubelet: string;
  registryHosts: string[];
  api: KubeApi;
  start(name: string, command: string, args: string[]): ManagedProcess;
}

/**
 * A real node: Debian's containerd (with runc and the CNI bridge plugin from
 * containernetworking-plugins) and the kubelet built from the same Kubernetes
 * module, registered as system:node:<name> with a client certificate from the
 * cluster CA. What this machine needs of them (cgroup v1 hybrid, no
 * CAP_SYS_RESOURCE):
 * - kubelet: `failCgroupV1: false`, the cgroupfs driver, its own cgroupRoot
 *   (clusters on one machine never share one);
 * - containerd: `restrict_oom_score_adj`, since runc cannot lower a sandbox's
 *   oom_score_adj below containerd's own here ("can't get final child's PID
 *   from pipe: EOF" otherwise);
 * - pods get addresses on a bridge of the cluster's own (10.89.N.0/24, no
 *   default route, so they reach nothing but that bridge), which the API
 *   server's service proxy and the kubelet's probes reach directly.
 */
export async function startKubeletNode(o: KubeletNodeOptions): Promise<KubeletNode> {
  const containerd = requireTool('containerd', 'containerd');
  const ctr = requireTool('ctr', 'containerd');
  requireTool('runc', 'runc');
  const ip = requireTool('ip', 'iproute2');
  if (!existsSync(join(CNI_BIN, 'bridge'))) {
    throw new Error(
      'the test clusters need the CNI plugins, which are not installed. Install them with: sudo apt-get update && sudo apt-get install -y containernetworking-plugins',
    );
  }
  const dir = join(o.dir, `node-${o.name}`);
  const p = (...parts: string[]) => join(dir, ...parts);
  for (const sub of [
    'containerd/certs.d',
    'cni/net.d',
    'cni/ipam',
    'kubelet/root',
    'kubelet/pki',
  ]) {
    mkdirSync(p(sub), { recursive: true });
  }
  const socket = p('containerd', 'containerd.sock');
  const cgroupRoot = `/model-deploy-${o.subnet.kubeletBridge}`;
  const processes: ManagedProcess[] = [];
  let addressAdded = false;

  const cleanup = async () => {
    await removeAllContainers(ctr, socket).catch(() => undefined);
    for (const proc of [...processes].reverse()) await proc.stop();
    killShims(dir);
    unmountUnder(dir);
    await execFileAsync(ip, ['link', 'del', o.subnet.kubeletBridge]).catch(() => undefined);
    if (addressAdded) {
      await execFileAsync(ip, ['addr', 'del', `${o.subnet.kubeletNodeIp}/32`, 'dev', 'lo']).catch(
        () => undefined,
      );
    }
    removeCgroups(cgroupRoot);
  };

  try {
    // containerd: its own root, state and socket under the cluster's folder.
    writeFileSync(
      p('containerd', 'config.toml'),
      [
        'version = 2',
        `root = "${p('containerd', 'root')}"`,
        `state = "${p('containerd', 'state')}"`,
        '[grpc]',
        `  address = "${socket}"`,
        '[plugins."io.containerd.grpc.v1.cri"]',
        `  sandbox_image = "${SANDBOX_IMAGE}"`,
        '  restrict_oom_score_adj = true',
        '  stream_server_address = "127.0.0.1"',
        '  stream_server_port = "0"',
        '  [plugins."io.containerd.grpc.v1.cri".containerd]',
        '    default_runtime_name = "runc"',
        '    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]',
        '      runtime_type = "io.containerd.runc.v2"',
        '      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]',
        '        SystemdCgroup = false',
        '  [plugins."io.containerd.grpc.v1.cri".cni]',
        `    bin_dir = "${CNI_BIN}"`,
        `    conf_dir = "${p('cni', 'net.d')}"`,
        '  [plugins."io.containerd.grpc.v1.cri".registry]',
        `    config_path = "${p('containerd', 'certs.d')}"`,
        '',
      ].join('\n'),
    );
    // The test registries speak plain HTTP.
    for (const host of o.registryHosts) {
      mkdirSync(p('containerd', 'certs.d', host), { recursive: true });
      writeFileSync(
        p('containerd', 'certs.d', host, 'hosts.toml'),
        `server = "http://${host}"\n[host."http://${host}"]\n  capabilities = ["pull", "resolve"]\n`,
      );
    }
    writeFileSync(
      p('cni', 'net.d', '10-bridge.conflist'),
      JSON.stringify({
        cniVersion: '0.4.0',
        name: `model-deploy-${o.subnet.kubeletBridge}`,
        plugins: [
          {
            type: 'bridge',
            bridge: o.subnet.kubeletBridge,
            isGateway: true,
            ipMasq: false,
            // No routes: pods reach their bridge (and what this machine serves there), nothing else.
            ipam: {
              type: 'host-local',
              dataDir: p('cni', 'ipam'),
              ranges: [[{ subnet: o.subnet.kubeletPodCidr }]],
            },
          },
          { type: 'portmap', capabilities: { portMappings: true } },
        ],
      }),
    );
    processes.push(
      o.start(`containerd-${o.name}`, containerd, ['--config', p('containerd', 'config.toml')]),
    );
    await waitFor('containerd', async () => existsSync(socket), 30_000, 50);
    await importSandboxImage(ctr, socket, p('pause'));

    await execFileAsync(ip, ['addr', 'replace', `${o.subnet.kubeletNodeIp}/32`, 'dev', 'lo']);
    addressAdded = true;
    const client = await issueClientCert(
      o.pki,
      p('kubelet', 'pki'),
      `system:node:${o.name}`,
      'system:nodes',
    );
    writeFileSync(
      p('kubelet', 'kubeconfig'),
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          { name: 'c', cluster: { server: o.server, 'certificate-authority': o.pki.caCert } },
        ],
        users: [
          { name: 'u', user: { 'client-certificate': client.cert, 'client-key': client.key } },
        ],
        contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'c',
      }),
      { mode: 0o600 },
    );
    writeFileSync(
      p('kubelet', 'config.yaml'),
      stringify({
        apiVersion: 'kubelet.config.k8s.io/v1beta1',
        kind: 'KubeletConfiguration',
        // This machine mounts cgroup v1 (hybrid); 1.35 refuses it unless told.
        failCgroupV1: false,
        cgroupDriver: 'cgroupfs',
        cgroupRoot,
        containerRuntimeEndpoint: `unix://${socket}`,
        address: o.subnet.kubeletNodeIp,
        port: await freePort(),
        readOnlyPort: 0,
        healthzPort: 0,
        authentication: {
          anonymous: { enabled: false },
          webhook: { enabled: true },
          x509: { clientCAFile: o.pki.caCert },
        },
        authorization: { mode: 'Webhook' },
        failSwapOn: false,
        podCIDR: o.subnet.kubeletPodCidr,
        // A DNS address nothing answers at (pods have no route to it): no "MissingClusterDNS" warnings.
        clusterDNS: ['198.19.255.10'],
        clusterDomain: 'cluster.local',
        resolvConf: '/etc/resolv.conf',
        serializeImagePulls: false,
        imageGCHighThresholdPercent: 100,
        imageGCLowThresholdPercent: 99,
        evictionHard: {},
        enforceNodeAllocatable: [],
        makeIPTablesUtilChains: false,
        nodeStatusUpdateFrequency: '10s',
        syncFrequency: '10s',
        fileCheckFrequency: '1h',
        httpCheckFrequency: '1h',
      }),
    );
    // The kubelet wants its cgroup root to exist in every hierarchy already.
    for (const hierarchy of readdirSync('/sys/fs/cgroup')) {
      const path = join('/sys/fs/cgroup', hierarchy);
      if (hierarchy !== 'unified' && existsSync(join(path, 'tasks'))) {
        mkdirSync(join(path, cgroupRoot), { recursive: true });
      }
    }
    processes.push(
      o.start(`kubelet-${o.name}`, o.kubelet, [
        `--config=${p('kubelet', 'config.yaml')}`,
        `--kubeconfig=${p('kubelet', 'kubeconfig')}`,
        `--hostname-override=${o.name}`,
        `--node-ip=${o.subnet.kubeletNodeIp}`,
        `--node-labels=model-deploy.test/node=kubelet`,
        `--root-dir=${p('kubelet', 'root')}`,
        `--cert-dir=${p('kubelet', 'pki')}`,
        '--v=1',
      ]),
    );
  } catch (err) {
    await cleanup();
    throw err;
  }

  return {
    name: o.name,
    stop: async () => {
      // Let the kubelet stop its pods (CNI teardown, unmounts) before it goes.
      await drain(o.api, o.name).catch(() => undefined);
      await cleanup();
    },
  };
}

/** Cordons the node, deletes its pods with a short grace period and waits until the kubelet has let them go. */
async function drain(api: KubeApi, node: string): Promise<void> {
  // Cordon first, or controllers' replacement pods land here again.
  await api.mergePatch(`/api/v1/nodes/${node}`, { spec: { unschedulable: true } });
  const selector = `fieldSelector=${encodeURIComponent(`spec.nodeName=${node}`)}`;
  const pods = (await api.get(`/api/v1/pods?${selector}`)).items as KubeJson[];
  for (const pod of pods) {
    await api
      .send('DELETE', `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}`, {
        apiVersion: 'v1',
        kind: 'DeleteOptions',
        gracePeriodSeconds: 1,
      })
      .catch(() => undefined);
  }
  await waitFor(
    `the pods on ${node} to stop`,
    async () => (await api.get(`/api/v1/pods?${selector}`)).items.length === 0,
    30_000,
    200,
  );
}

async function importSandboxImage(ctr: string, socket: string, dir: string): Promise<void> {
  const layout = join(dir, 'layout');
  mkdirSync(layout, { recursive: true });
  await buildBusyboxLayout(layout, '1', [hostArchitecture()], { cmd: ['sleep', '2147483647'] });
  const archive = join(dir, 'pause.tar');
  await execFileAsync('tar', ['-C', layout, '-cf', archive, '.']);
  await execFileAsync(ctr, [
    '--address',
    socket,
    '-n',
    'k8s.io',
    'images',
    'import',
    '--base-name',
    SANDBOX_IMAGE.split(':')[0]!,
    archive,
  ]);
}

/** Kills and deletes every task and container left in containerd's k8s.io namespace. */
async function removeAllContainers(ctr: string, socket: string): Promise<void> {
  if (!existsSync(socket)) return;
  const run = (args: string[]) =>
    execFileAsync(ctr, ['--address', socket, '-n', 'k8s.io', ...args], { timeout: 20_000 });
  const { stdout } = await run(['containers', 'list', '-q']);
  const netns = new Set<string>();
  for (const id of stdout.split('\n').filter(Boolean)) {
    try {
      const info = JSON.parse((await run(['containers', 'info', id])).stdout);
      for (const ns of info.Spec?.linux?.namespaces ?? []) {
        if (ns.type === 'network' && ns.path) netns.add(String(ns.path));
      }
    } catch {
      // no spec: nothing to clean up for it
    }
    await run(['tasks', 'kill', '--signal', 'SIGKILL', id]).catch(() => undefined);
    await run(['tasks', 'delete', '--force', id]).catch(() => undefined);
    await run(['containers', 'delete', id]).catch(() => undefined);
  }
  // Sandboxes the kubelet did not stop keep their CNI network namespace mounted.
  for (const path of netns) {
    if (!/^\/(var\/)?run\/netns\/cni-[0-9a-f-]+$/.test(path)) continue;
    try {
      execFileSync(findTool('umount') ?? '/bin/umount', [path], { stdio: 'ignore' });
    } catch {
      // not mounted
    }
    rmSync(path, { force: true });
  }
}

/** containerd's shims leave its process group: end those of this node (found by its socket path). */
function killShims(dir: string): void {
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmdline.includes('containerd-shim') && cmdline.includes(dir) && isAlive(pid)) {
        process.kill(pid, 'SIGKILL');
      }
    } catch {
      // gone meanwhile
    }
  }
}

/** Unmounts whatever is still mounted below `dir` (deepest first): the kubelet's and containerd's mounts. */
function unmountUnder(dir: string): void {
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .filter((point) => point === dir || point.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  const umount = findTool('umount') ?? '/bin/umount';
  for (const point of mounts) {
    try {
      // Synchronous on purpose: in order, deepest first, and umount is quick.
      execFileSync(umount, ['-l', point], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
}

/** Removes this node's (empty) cgroup folders in every v1 hierarchy, deepest first. */
function removeCgroups(root: string): void {
  const base = '/sys/fs/cgroup';
  let hierarchies: string[];
  try {
    hierarchies = readdirSync(base);
  } catch {
    return;
  }
  for (const h of hierarchies) {
    const top = join(base, h, root);
    if (!existsSync(top)) continue;
    const dirs: string[] = [];
    const walk = (d: string) => {
      dirs.push(d);
      for (const entry of readdirSync(d, { withFileTypes: true })) {
        if (entry.isDirectory()) walk(join(d, entry.name));
      }
    };
    try {
      walk(top);
    } catch {
      continue;
    }
    for (const d of dirs.sort((a, b) => b.length - a.length)) {
      try {
        rmdirSync(d);
      } catch {
        // still in use, or already gone
      }
    }
  }
}
