import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The upstream programs the test clusters run, each built from its own Go
 * module whose go.mod/go.sum live in ./modules/<name> (pinned: the build runs
 * with -mod=readonly, so nothing is resolved anew on a test machine).
 */
export interface GoComponent {
  /** Folder under ./modules and first part of the cache key. */
  name: string;
  /** The module and version the binaries come from (for messages and the README). */
  module: string;
  version: string;
  /** Package paths to build, in that module's build list. */
  packages: string[];
  /** Binary names the build leaves in the output folder. */
  binaries: string[];
  /** -X flags for the linker (what the project's own release build stamps in). */
  linkerVariables?: Record<string, string>;
}

export const KUBERNETES: GoComponent = {
  name: 'kubernetes',
  module: 'k8s.io/kubernetes',
  version: 'v1.35.4',
  packages: [
    'k8s.io/kubernetes/cmd/kube-apiserver',
    'k8s.io/kubernetes/cmd/kube-controller-manager',
    'k8s.io/kubernetes/cmd/kube-scheduler',
    'k8s.io/kubernetes/cmd/kubectl',
    'k8s.io/kubernetes/cmd/kubelet',
  ],
  binaries: ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl', 'kubelet'],
  // Built as a dependency, the version is not stamped ("v0.0.0-master"), and
  // kubectl refuses to parse it: stamp it as hack/lib/version.sh does.
  linkerVariables: Object.fromEntries(
    ['k8s.io/client-go/pkg/version', 'k8s.io/component-base/version'].flatMap((pkg) =>
      Object.entries({
        gitVersion: 'v1.35.4',
        gitMajor: '1',
        gitMinor: '35',
        gitTreeState: 'clean',
        buildDate: '1970-01-01T00:00:00Z',
      }).map(([key, value]) => [`${pkg}.${key}`, value]),
    ),
  ),
};

export const ETCD: GoComponent = {
  name: 'etcd',
  module: 'go.etcd.io/etcd/server/v3',
  version: 'v3.6.16',
  // The server module's root package is the etcd main (server/main.go); it builds as "v3".
  packages: ['go.etcd.io/etcd/server/v3'],
  binaries: ['etcd'],
};

export const KWOK: GoComponent = {
  name: 'kwok',
  module: 'sigs.k8s.io/kwok',
  version: 'v0.8.0',
  packages: ['sigs.k8s.io/kwok/cmd/kwok'],
  binaries: ['kwok'],
};

export const COMPONENTS: readonly GoComponent[] = [ETCD, KUBERNETES, KWOK];

/**
 * Emissary-ingress's CRD conversion webhook (its apiext package), which the
 * getambassador.io CRDs need: they store v2 and convert v3alpha1 through it.
 * modules/emissary/main.go runs it on ports the tests choose. Built only for
 * clusters that install the Emissary CRDs.
 */
export const EMISSARY_APIEXT: GoComponent = {
  name: 'emissary',
  module: 'github.com/emissary-ingress/emissary/v3',
  version: 'v3.10.0',
  packages: ['.'],
  binaries: ['emissary-apiext'],
};

/** Modules downloaded (not built) for the YAML they ship: CRDs. */
export const CRD_MODULES = {
  gatewayApi: { module: 'sigs.k8s.io/gateway-api', version: 'v1.6.3' },
  istioApi: { module: 'istio.io/api', version: 'v1.32.0' },
} as const;

export const modulesDir = fileURLToPath(new URL('./modules/', import.meta.url));

export function moduleDir(component: Pick<GoComponent, 'name'>): string {
  return join(modulesDir, component.name);
}

/** ${XDG_CACHE_HOME:-~/.cache}/model-deploy/kube: outside the clone, shared by every clone on the machine. */
export function cacheRoot(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'model-deploy', 'kube');
}

/**
 * The folder a component's binaries are cached in: its version plus a hash of
 * its go.mod, go.sum and the Go version, so a changed pin or toolchain builds
 * anew while every clone with the same pins reuses one build.
 */
export function componentDir(component: GoComponent, goVersion: string): string {
  const hash = createHash('sha256');
  hash.update(goVersion);
  // A module folder may hold a small main of its own beside go.mod.
  const own = readdirSync(moduleDir(component))
    .filter((f) => f.endsWith('.go'))
    .sort();
  for (const file of ['go.mod', 'go.sum', ...own]) {
    hash.update(readFileSync(join(moduleDir(component), file)));
  }
  hash.update(component.packages.join('\n'));
  hash.update(JSON.stringify(component.linkerVariables ?? {}));
  return join(
    cacheRoot(),
    `${component.name}-${component.version}-${hash.digest('hex').slice(0, 12)}`,
  );
}
