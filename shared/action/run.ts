import { isUserError, errorMessage, oneLine } from '../common/errors.ts';
import { runClosers } from '../common/closers.ts';
import { networkCause } from '../common/network.ts';
import { inertCommands, type Logger } from '../common/logger.ts';
import * as core from './runner.ts';

/** The GitHub Actions implementation of the shared Logger. */
export const actionsLogger: Logger = {
  // Annotations and debug lines are escaped as commands; plain lines are made inert.
  info: (m) => core.info(inertCommands(m)),
  debug: (m) => core.debug(m),
  warning: (m, p) => core.warning(m, p),
  error: (m, p) => core.error(m, p),
  secret: (v) => {
    if (v === '') return;
    core.setSecret(v);
    // A multi-line secret (a PEM key) is masked line by line too: the runner
    // matches masks within a line, so a line logged alone would escape the whole.
    for (const line of v.split(/\r?\n/)) {
      const text = line.trim();
      if (text !== v && text.length >= 8 && !/^-----(BEGIN|END) /.test(text)) core.setSecret(text);
    }
  },
};

function debugEnabled(): boolean {
  return process.env.MODEL_DEPLOY_DEBUG === 'true' || core.isDebug();
}

/**
 * The error boundary of an action. A UserError is reported plainly as
 * `model-deploy/<action> failed: …`; anything else is a bug and keeps its stack.
 * Never throws: the outcome is the process exit code.
 */
export async function runAction(action: string, body: () => Promise<void>): Promise<boolean> {
  try {
    await body();
    return true;
  } catch (err) {
    const prefix = `model-deploy/${action} failed: `;
    // A network failure that no caller named a server for (a body cut short
    // after its headers arrived) is still not a bug: say what happened.
    const network = isUserError(err) ? undefined : networkCause(err);
    if (network !== undefined) {
      core.setFailed(
        `${prefix}${oneLine(errorMessage(err))}: a network failure, not a bug: ${network.words}` +
          '\n  how to fix: check that this runner can reach the servers named in the inputs (HTTPS_PROXY/NO_PROXY, firewall), then run the job again',
      );
      if (debugEnabled() && err instanceof Error && err.stack) core.info(err.stack);
    } else if (isUserError(err)) {
      const hint = err.hint === undefined ? '' : `\n  how to fix: ${err.hint}`;
      core.setFailed(prefix + err.message + hint);
      if (debugEnabled() && err.stack) core.info(err.stack);
    } else {
      const stack = err instanceof Error && err.stack ? `\n${err.stack}` : '';
      core.setFailed(
        `${prefix}${errorMessage(err)}${stack}\n` +
          'This looks like a bug in model-deploy; please report it with this log.',
      );
    }
    return false;
  } finally {
    await runClosers();
  }
}

/** A collapsible log group that always closes, even when the body throws. */
export async function group<T>(title: string, body: () => Promise<T>): Promise<T> {
  core.startGroup(title);
  try {
    return await body();
  } finally {
    core.endGroup();
  }
}

/** Outputs are machine-friendly: objects and arrays become JSON. */
export function setOutput(name: string, value: string | number | boolean | object): void {
  core.setOutput(name, typeof value === 'object' ? JSON.stringify(value) : String(value));
}

export function setSecret(value: string): void {
  if (value !== '') core.setSecret(value);
}

/** State handed from the main step to the post step. */
export function saveState(name: string, value: string): void {
  core.saveState(name, value);
}

export function getState(name: string): string {
  return core.getState(name);
}

export function isPost(): boolean {
  return core.getState('isPost') === 'true';
}

export function markMainDone(): void {
  core.saveState('isPost', 'true');
}

export function exportVariable(name: string, value: string): void {
  core.exportVariable(name, value);
}
