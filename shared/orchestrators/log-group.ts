/**
 * Runs a stage of an orchestrator under a title: the action gives a
 * collapsible log group; tests and scripts can run the stage as it is.
 */
export type LogGroup = <T>(title: string, body: () => Promise<T>) => Promise<T>;

export const ungrouped: LogGroup = (_title, body) => body();
