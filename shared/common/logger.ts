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
