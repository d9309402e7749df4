/**
 * The logging surface that layers below shared/action use. shared/action
 * provides the GitHub implementation; tests and scripts can use the console one.
 */
export interface Logger {
  info(message: string): void;
  debug(message: string): void;
  warning(message: string, properties?: AnnotationProperties): void;
  error(message: string, properties?: AnnotationProperties): void;
  /** Register a value that must never appear in logs. */
  secret(value: string): void;
}

export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
}

export const consoleLogger: Logger = {
  info: (m) => console.log(m),
  debug: (m) => {
    if (process.env.MODEL_DEPLOY_DEBUG === 'true') console.log(`[debug] ${m}`);
  },
  warning: (m) => console.warn(`warning: ${m}`),
  error: (m) => console.error(`error: ${m}`),
  secret: () => {},
};

export const silentLogger: Logger = {
  info: () => {},
  debug: () => {},
  warning: () => {},
  error: () => {},
  secret: () => {},
};

/** A word joiner: invisible in the log, but it keeps `::` and `##[` from being read as commands. */
const JOINER = '\u2060';

/**
 * Text made inert for the runner's log: a line that (after leading spaces)
 * starts with `::` would be run as a workflow command, and `##[` anywhere is
 * the older command form. Whatever a server, a pod or a tool sent, no line of
 * it can set an output, add a mask or fake an annotation.
 */
export function inertCommands(text: string): string {
  return text.replace(/^(\s*):(?=:)/gm, `$1:${JOINER}`).replace(/##\[/g, `##${JOINER}[`);
}
