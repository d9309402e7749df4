/**
 * Where a process spent its CPU: self time from a V8 `.cpuprofile`
 * (`node --cpu-prof`), grouped by source package or file. For a bundle
 * built with a source map (ncc `--source-map`), positions are mapped back to
 * the original files, so time lands on `@kubernetes/client-node` or
 * `shared/registry/upload.ts` rather than on `index.js`.
 *
 *   node bench/profile-summary.ts <file.cpuprofile> [--top 15] [--inclusive]
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const maps = new Map<string, SourceMap | undefined>();
function sourceMapFor(url: string): SourceMap | undefined {
  if (!maps.has(url)) {
    let map: SourceMap | undefined;
    try {
      const path = url.startsWith('file://') ? fileURLToPath(url) : url;
      if (existsSync(`${path}.map`)) {
        map = new SourceMap(JSON.parse(readFileSync(`${path}.map`, 'utf8')));
      }
    } catch {
      map = undefined;
    }
    maps.set(url, map);
  }
  return maps.get(url);
}

/** `node_modules/@scope/name/...` → `@scope/name`; a project file stays a path. */
function group(source: string): string {
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  if (nm) return nm[1] as string;
  const own = /(actions|shared|test|bench)\/.+$/.exec(source);
  return own ? own[0] : source;
}

function where(frame: ProfileNode['callFrame']): string {
  const { url, functionName, lineNumber, columnNumber } = frame;
  if (!url) return functionName || '(anonymous)';
  const map = sourceMapFor(url);
  if (map) {
    const entry = map.findEntry(lineNumber, columnNumber) as { originalSource?: string };
    if (entry.originalSource) return group(entry.originalSource);
  }
  if (url.startsWith('node:')) return url;
  const bundle = /dist\/[^/]+\/[^/]+$/.exec(url);
  return bundle ? `${bundle[0]} (no source map)` : group(url);
}

/**
 * Self time: the source of the frame on top of the stack. Inclusive time:
 * every source anywhere on the stack gets the sample once (loading a
 * library counts under the library, compiling included).
 */
export function summarize(profile: Profile, top: number, inclusive = false): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const timeMs = new Map<string, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const keys = new Set<string>();
    for (let id: number | undefined = profile.samples[i]; id !== undefined; id = parent.get(id)) {
      const node = byId.get(id);
      if (node) keys.add(where(node.callFrame));
      if (!inclusive) break;
    }
    for (const key of keys) timeMs.set(key, (timeMs.get(key) ?? 0) + ms);
  }
  const total = (profile.endTime - profile.startTime) / 1000;
  const rows = [...timeMs.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  return [
    `profile: ${total.toFixed(0)} ms wall, ${inclusive ? 'inclusive' : 'self'} time by source:`,
    ...rows.map(
      ([k, v]) =>
        `  ${v.toFixed(0).padStart(6)} ms  ${((100 * v) / total).toFixed(0).padStart(3)}%  ${k}`,
    ),
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      top: { type: 'string', default: '15' },
      inclusive: { type: 'boolean', default: false },
    },
  });
  for (const file of positionals) {
    console.log(
      `${file}\n${summarize(JSON.parse(readFileSync(file, 'utf8')) as Profile, Number(values.top), values.inclusive)}`,
    );
  }
}
