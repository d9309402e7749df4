import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { allSecretForms, redact, type Secret } from './secrets-scan.ts';

/**
 * Watches the command lines of every process below a PID while it runs and
 * reports any argv holding a secret (in any of the forms secrets-scan knows).
 * It samples /proc, so a process that lives shorter than one interval can be
 * missed; the report says how many samples and processes it saw, so a test can
 * show that the tools it cares about (helm, podman, skopeo) were observed.
 * Sampling runs on this thread's event loop: start the watched work
 * asynchronously (spawn, @actions/exec), never with execFileSync.
 */

export interface ArgvFinding {
  pid: number;
  /** argv with the secret redacted. */
  argv: string[];
  secret: string;
  form: string;
}

export interface ArgvWatchReport {
  samples: number;
  /** Distinct processes (pid + start time) seen below the root. */
  processesSeen: number;
  /** Program names seen (basename of argv[0]), sorted. */
  commands: string[];
  findings: ArgvFinding[];
}

export interface ArgvWatchOptions {
  rootPid: number;
  secrets: ReadonlyArray<Secret | string>;
  /** Default 5 ms. */
  intervalMs?: number;
  /** Also check the root's own argv (default false). */
  includeRoot?: boolean;
}

export interface ArgvWatch {
  /** What was found so far, without stopping. */
  peek(): ArgvWatchReport;
  /** Takes one more sample, stops, and reports. */
  stop(): ArgvWatchReport;
}

interface ProcessStat {
  pid: number;
  ppid: number;
  pgrp: number;
  startTime: string;
}

function readStat(pid: number): ProcessStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // exited between readdir and read
  }
  // The command name is in parentheses and may itself contain spaces or ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // After the name: state(0) ppid(1) pgrp(2) session(3) ... starttime(19)
  return {
    pid,
    ppid: Number(fields[1]),
    pgrp: Number(fields[2]),
    startTime: fields[19] ?? '',
  };
}

function readArgv(pid: number): string[] | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (raw === '') return undefined; // a zombie or a kernel thread
    return raw.replace(/\0$/, '').split('\0');
  } catch {
    return undefined;
  }
}

/**
 * PIDs below `root`: by parent links, plus members of the process groups that
 * any of them ever led, because a daemonising child (podman's conmon, say) is
 * re-parented away from the tree but stays in its group. `groups` persists
 * between samples so that a group outlives its leader.
 */
function descendantsOf(root: number, includeRoot: boolean, groups: Set<number>): ProcessStat[] {
  const all: ProcessStat[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const stat = readStat(pid);
    if (stat !== undefined) all.push(stat);
  }
  const children = new Map<number, ProcessStat[]>();
  for (const stat of all) {
    const list = children.get(stat.ppid) ?? [];
    list.push(stat);
    children.set(stat.ppid, list);
  }
  const found = new Map<number, ProcessStat>();
  const rootStat = all.find((stat) => stat.pid === root);
  if (rootStat !== undefined && rootStat.pgrp === root) groups.add(root);
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift() as number;
    for (const child of children.get(parent) ?? []) {
      if (found.has(child.pid)) continue;
      found.set(child.pid, child);
      if (child.pgrp === child.pid) groups.add(child.pid);
      queue.push(child.pid);
    }
  }
  for (const stat of all) {
    if (stat.pid !== root && groups.has(stat.pgrp) && !found.has(stat.pid)) {
      found.set(stat.pid, stat);
    }
  }
  if (includeRoot && rootStat !== undefined) found.set(root, rootStat);
  return [...found.values()];
}

export function watchArgv(options: ArgvWatchOptions): ArgvWatch {
  const forms = allSecretForms(options.secrets);
  const interval = options.intervalMs ?? 5;
  const seen = new Set<string>();
  const commands = new Set<string>();
  const findings: ArgvFinding[] = [];
  const reported = new Set<string>();
  const groups = new Set<number>();
  let samples = 0;
  let stopped = false;

  const sample = () => {
    samples++;
    for (const stat of descendantsOf(options.rootPid, options.includeRoot ?? false, groups)) {
      const argv = readArgv(stat.pid);
      if (argv === undefined) continue;
      const identity = `${stat.pid}@${stat.startTime}`;
      seen.add(identity);
      if (argv[0]) commands.add(basename(argv[0]));
      const joined = argv.join('\0');
      for (const form of forms) {
        if (!joined.includes(form.text)) continue;
        // One finding per process, command line and form, however many samples saw it.
        const key = `${identity}\0${joined}\0${form.label}\0${form.form}`;
        if (reported.has(key)) continue;
        reported.add(key);
        findings.push({
          pid: stat.pid,
          argv: argv.map((arg) => redact(arg, forms)),
          secret: form.label,
          form: form.form,
        });
      }
    }
  };

  let timer: NodeJS.Timeout | undefined;
  const loop = () => {
    if (stopped) return;
    sample();
    timer = setTimeout(loop, interval);
  };
  loop();

  const report = (): ArgvWatchReport => ({
    samples,
    processesSeen: seen.size,
    commands: [...commands].sort(),
    findings: [...findings],
  });

  return {
    peek: report,
    stop(): ArgvWatchReport {
      if (!stopped) {
        stopped = true;
        clearTimeout(timer);
        sample();
      }
      return report();
    },
  };
}

/** One line per finding, for an assertion message. */
export function formatArgvFindings(findings: readonly ArgvFinding[]): string {
  return findings
    .map((f) => `pid ${f.pid}: ${f.secret} (${f.form}) in argv: ${JSON.stringify(f.argv)}`)
    .join('\n');
}
