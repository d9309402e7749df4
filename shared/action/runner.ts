import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { EOL } from 'node:os';
import type { AnnotationProperties } from '../common/logger.ts';

/**
 * The GitHub Actions runner's protocol, as its documentation on workflow
 * commands and environment files gives it: inputs in INPUT_<NAME>, commands
 * as `::name key=value::message` lines on stdout, outputs, state and
 * variables appended to the files GITHUB_OUTPUT, GITHUB_STATE and GITHUB_ENV
 * name, the job summary to GITHUB_STEP_SUMMARY. It needs nothing beyond
 * Node, so an action reads its inputs within milliseconds of starting.
 */

/** A command's message: the runner reads one line, so line breaks and % are encoded. */
export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A command's property value: also `:` and `,`, which separate properties. */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function command(
  name: string,
  message: string,
  properties: Record<string, string | number | undefined> = {},
): void {
  const props = Object.entries(properties)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  process.stdout.write(`::${name}${props ? ` ${props}` : ''}::${escapeData(message)}${EOL}`);
}

/** The input as the runner passes it: INPUT_ and the name upper-cased, spaces as underscores. */
export function getInput(name: string, options: { trimWhitespace?: boolean } = {}): string {
  const value = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '';
  return options.trimWhitespace === false ? value : value.trim();
}

export function info(message: string): void {
  process.stdout.write(message + EOL);
}

export const debug = (message: string) => command('debug', message);

const annotation = (properties: AnnotationProperties = {}) => ({
  title: properties.title,
  file: properties.file,
  line: properties.startLine,
});

export const warning = (message: string, properties?: AnnotationProperties) =>
  command('warning', message, annotation(properties));

export const error = (message: string, properties?: AnnotationProperties) =>
  command('error', message, annotation(properties));

export const setSecret = (value: string) => command('add-mask', value);

export const startGroup = (title: string) => command('group', title);
export const endGroup = () => command('endgroup', '');

export function isDebug(): boolean {
  return process.env.RUNNER_DEBUG === '1';
}

/** Marks the step failed (exit code 1) and says why as an error annotation. */
export function setFailed(message: string): void {
  process.exitCode = 1;
  error(message);
}

/**
 * A `name<<delimiter` block in an environment file. The delimiter is random
 * and checked against the value, so a value cannot end the block early and
 * set another name.
 */
export function fileEntry(
  name: string,
  value: string,
  delimiter = `ghadelimiter_${randomUUID()}`,
): string {
  if (name.includes(delimiter) || value.includes(delimiter)) {
    throw new Error(`the value of ${name} contains the delimiter ${delimiter}`);
  }
  return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`;
}

/** Appends to the runner's file for `variable`; outside a runner, the older command form. */
function toFile(variable: string, legacy: string, name: string, value: string): void {
  const file = process.env[variable];
  if (file) appendFileSync(file, fileEntry(name, value), 'utf8');
  else {
    process.stdout.write(EOL);
    command(legacy, value, { name });
  }
}

export const setOutput = (name: string, value: string) =>
  toFile('GITHUB_OUTPUT', 'set-output', name, value);

/** State for the post step, which reads it from STATE_<name>. */
export const saveState = (name: string, value: string) =>
  toFile('GITHUB_STATE', 'save-state', name, value);

export function getState(name: string): string {
  return process.env[`STATE_${name}`] ?? '';
}

/** For later steps (GITHUB_ENV), and for this process from now on. */
export function exportVariable(name: string, value: string): void {
  process.env[name] = value;
  toFile('GITHUB_ENV', 'set-env', name, value);
}

/** Appends markdown to the job summary; nothing outside a runner. */
export function appendSummary(markdown: string): void {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (file) appendFileSync(file, markdown + EOL, 'utf8');
}
