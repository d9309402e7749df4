import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { toolCache } from './python-tools.ts';

const execFileAsync = promisify(execFile);

/** A Go program the tests run, built from its module at a pinned version. */
export interface GoTool {
  /** The module path, e.g. `github.com/fsouza/fake-gcs-server`. */
  module: string;
  version: string;
  /** The main package inside the module, relative to it; '' for the module root. */
  pkg: string;
  /**
   * A folder under ./go-modules holding a go.mod/go.sum that pins the whole
   * build list: the tool is then built there with -mod=readonly instead of
   * `go install module@version` resolving its dependencies anew.
   */
  pinned?: string;
}

export const GO_TOOLS = {
  'fake-gcs-server': { module: 'github.com/fsouza/fake-gcs-server', version: 'v1.56.1', pkg: '' },
  // The push peer of the benchmark: pushes an OCI layout's blobs as they are.
  crane: {
    module: 'github.com/google/go-containerregistry',
    version: 'v0.22.1',
    pkg: 'cmd/crane',
    pinned: 'crane',
  },
} as const satisfies Record<string, GoTool>;

const goModules = fileURLToPath(new URL('./go-modules/', import.meta.url));

export type GoToolName = keyof typeof GO_TOOLS;

function binaryName(tool: GoTool): string {
  return basename(tool.pkg === '' ? tool.module : tool.pkg);
}

/** `<cache>/go-<binary>-<version>/<binary>`: one folder per pinned version, outside any clone. */
function toolDir(tool: GoTool): string {
  return join(toolCache(), `go-${binaryName(tool)}-${tool.version}`);
}

/** The built binary; the global setup builds it (ensureGoTool) before any test runs. */
export function goToolPath(name: GoToolName): string {
  const tool = GO_TOOLS[name];
  const path = join(toolDir(tool), binaryName(tool));
  if (!existsSync(path)) {
    throw new Error(
      `the tests need ${tool.module}@${tool.version}, which is not built in ${toolDir(tool)}: run the suite through \`npm test\`, whose global setup builds it`,
    );
  }
  return path;
}

/**
 * Builds a Go program once per machine with `go install module/pkg@version`
 * into a staging folder, then renames it into place, so a half-built binary
 * is never used; an flock keeps concurrent suites from building it twice.
 */
export async function ensureGoTool(
  name: GoToolName,
  log: (line: string) => void = (line) => console.log(line),
): Promise<string> {
  const tool: GoTool = GO_TOOLS[name];
  const dir = toolDir(tool);
  const binary = binaryName(tool);
  if (existsSync(join(dir, binary))) return join(dir, binary);
  const target = tool.pkg === '' ? tool.module : `${tool.module}/${tool.pkg}`;
  log(`building ${target}@${tool.version} into ${dir} (once per machine)…`);
  const started = Date.now();
  const staging = mkdtempSync(join(toolCache(), `.staging-${binary}-`));
  const build = tool.pinned
    ? // In the pinned module's folder: its go.sum is the only truth, no toolchain download.
      'cd "$5" && GOFLAGS="-mod=readonly -buildvcs=false" GOTOOLCHAIN=local CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o "$staging/$binary" "${target%@*}"'
    : 'GOBIN="$staging" CGO_ENABLED=0 go install -trimpath "$target"';
  const script = [
    'set -eu',
    'dir="$1"; staging="$2"; target="$3"; binary="$4"',
    '[ -x "$dir/$binary" ] && exit 0',
    build,
    'rm -rf "$dir"',
    'mv "$staging" "$dir"',
  ].join('\n');
  // A first build downloads and compiles the module: say it is still going.
  const ticker = setInterval(
    () =>
      log(
        `  still building ${target}@${tool.version} (${((Date.now() - started) / 1000).toFixed(0)} s)`,
      ),
    30_000,
  );
  try {
    await execFileAsync(
      'flock',
      [
        `${dir}.lock`,
        'sh',
        '-c',
        script,
        'build',
        dir,
        staging,
        `${target}@${tool.version}`,
        binary,
        tool.pinned ? join(goModules, tool.pinned) : '',
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(
      `building ${target}@${tool.version} with \`go install\` failed (Go and the module proxy are needed): ${(e.stderr || e.message).trim().split('\n').slice(-8).join('\n')}`,
      { cause: err },
    );
  } finally {
    clearInterval(ticker);
    if (existsSync(staging)) rmSync(staging, { recursive: true, force: true });
  }
  log(`${binary} built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return goToolPath(name);
}
