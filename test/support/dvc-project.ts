import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { pythonToolPath } from './python-tools.ts';

const execFileAsync = promisify(execFile);

/** A git repository with a DVC project in it, driven by the real `dvc` CLI (pinned in python-tools.ts). */
export interface DvcProject {
  root: string;
  /** Runs `dvc <args>` in the project. */
  dvc(...args: string[]): Promise<string>;
  git(...args: string[]): Promise<string>;
  write(path: string, data: Buffer | string): void;
  /** `git add -A && git commit`; returns the commit id. */
  commit(message: string): Promise<string>;
  /** The md5 DVC computes for a file with the named algorithm (dvc-data's own function). */
  dvcHash(path: string, algorithm: 'md5' | 'md5-dos2unix'): Promise<string>;
  remove(): void;
}

export async function createDvcProject(env: Record<string, string> = {}): Promise<DvcProject> {
  const root = mkdtempSync(join(tmpdir(), 'md-dvc-project-'));
  const home = mkdtempSync(join(tmpdir(), 'md-dvc-home-'));
  const runEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    // No analytics or update checks: the tests stay on 127.0.0.1.
    DVC_NO_ANALYTICS: '1',
    DVC_SITE_CACHE_DIR: join(home, 'site-cache'),
    GIT_AUTHOR_NAME: 'model-deploy tests',
    GIT_AUTHOR_EMAIL: 'tests@example.com',
    GIT_COMMITTER_NAME: 'model-deploy tests',
    GIT_COMMITTER_EMAIL: 'tests@example.com',
    ...env,
  };
  const run = async (command: string, args: string[]) => {
    try {
      const { stdout } = await execFileAsync(command, args, {
        cwd: root,
        env: runEnv,
        maxBuffer: 16 * 1024 * 1024,
      });
      return stdout;
    } catch (err) {
      const e = err as { stderr?: string; stdout?: string; message: string };
      throw new Error(
        `\`${command.split('/').pop()} ${args.join(' ')}\` failed: ${(e.stderr || e.stdout || e.message).slice(-3000)}`,
        { cause: err },
      );
    }
  };
  const dvc = (...args: string[]) => run(pythonToolPath('dvc'), args);
  const git = (...args: string[]) => run('git', args);
  await git('init', '-q', '-b', 'main');
  await dvc('init', '-q');
  await dvc('config', 'core.analytics', 'false');
  return {
    root,
    dvc,
    git,
    write(path, data) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), data);
    },
    async commit(message) {
      await git('add', '-A');
      await git('commit', '-q', '-m', message);
      return (await git('rev-parse', 'HEAD')).trim();
    },
    async dvcHash(path, algorithm) {
      const script =
        'import sys\nfrom dvc_data.hashfile.hash import file_md5\nprint(file_md5(sys.argv[1], name=sys.argv[2]))';
      return (await run(pythonToolPath('dvc', 'python'), ['-c', script, path, algorithm])).trim();
    },
    remove() {
      rmSync(root, { recursive: true, force: true });
      rmSync(home, { recursive: true, force: true });
    },
  };
}
