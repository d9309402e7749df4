export * from './inputs.ts';
export * from './run.ts';
export * from './summary.ts';
