import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import type { FunctionDefinition } from '@actions/expressions/funcs/info';

/**
 * GitHub Actions expressions evaluated by GitHub's own expression library
 * (`@actions/expressions`, the one the workflow parser and the VS Code
 * extension use), against contexts a test supplies: `inputs`, `vars`,
 * `secrets`, `matrix`, `steps`, `needs`, `github`, `env`, `runner`. A context
 * that is not supplied is an error, not an empty string, so a test cannot
 * pass by evaluating something it did not model.
 */
export type Contexts = Record<string, unknown>;

/** Job status for `success()`, `failure()`, `always()`, `cancelled()`. */
export interface JobStatus {
  failed: boolean;
}

/** `${{ … }}`; a `}` inside a quoted string (format('{0}', x)) does not end it. */
const EXPRESSION = /\$\{\{((?:'(?:[^']|'')*'|[^'])*?)\}\}/g;

function toData(value: unknown): data.ExpressionData {
  if (value === undefined) return new data.Null();
  return JSON.parse(JSON.stringify(value), data.reviver) as data.ExpressionData;
}

function statusFunctions(status: JobStatus): FunctionDefinition[] {
  const fixed = (name: string, value: boolean): FunctionDefinition => ({
    name,
    minArgs: 0,
    maxArgs: 0,
    call: () => new data.BooleanData(value),
  });
  return [
    fixed('success', !status.failed),
    fixed('failure', status.failed),
    fixed('always', true),
    fixed('cancelled', false),
  ];
}

/** One expression (without `${{ }}`), as typed data. */
export function evaluateExpression(
  expression: string,
  contexts: Contexts,
  status: JobStatus = { failed: false },
): data.ExpressionData {
  const functions = statusFunctions(status);
  const { tokens } = new Lexer(expression).lex();
  const parsed = new Parser(tokens, Object.keys(contexts), functions).parse();
  const context = new data.Dictionary();
  for (const [name, value] of Object.entries(contexts)) context.add(name, toData(value));
  return new Evaluator(parsed, context, new Map(functions.map((f) => [f.name, f]))).evaluate();
}

/** Plain JSON-like JavaScript for typed data. */
export function toPlain(value: data.ExpressionData): unknown {
  return JSON.parse(JSON.stringify(value, data.replacer)) as unknown;
}

/**
 * A workflow value as the runner evaluates it: a string that is one whole
 * `${{ }}` keeps the expression's type (a boolean input stays a boolean);
 * anything else is the text with each expression put in as a string.
 */
export function evaluateValue(value: unknown, contexts: Contexts, status?: JobStatus): unknown {
  if (typeof value !== 'string') return value;
  const parts = [...value.matchAll(EXPRESSION)];
  if (parts.length === 1 && parts[0]![0] === value.trim()) {
    return toPlain(evaluateExpression(parts[0]![1]!.trim(), contexts, status));
  }
  return evaluateTemplate(value, contexts, status);
}

/** A string with `${{ }}` parts, each replaced by its value as a string (as in `with:` and `env:`). */
export function evaluateTemplate(value: string, contexts: Contexts, status?: JobStatus): string {
  return value.replace(EXPRESSION, (_whole, expression: string) =>
    evaluateExpression(expression.trim(), contexts, status).coerceString(),
  );
}

/**
 * An `if:` as GitHub evaluates it: with or without `${{ }}`, and wrapped in
 * `success() && (…)` when it calls no status function.
 */
export function evaluateCondition(
  condition: string | boolean | undefined,
  contexts: Contexts,
  status: JobStatus,
): boolean {
  if (condition === undefined || condition === '') return !status.failed;
  if (typeof condition === 'boolean') return condition && !status.failed;
  const bare = condition.trim().replace(/^\$\{\{\s*([\s\S]*?)\s*\}\}$/, '$1');
  const usesStatus = /\b(success|failure|always|cancelled)\s*\(/.test(bare);
  const expression = usesStatus ? bare : `success() && (${bare})`;
  return truthy(evaluateExpression(expression, contexts, status));
}

/** Truthiness as GitHub defines it: false, 0, -0, '', null and NaN are false. */
export function truthy(value: data.ExpressionData): boolean {
  const plain = toPlain(value);
  if (plain === null || plain === false || plain === '') return false;
  if (typeof plain === 'number') return plain !== 0 && !Number.isNaN(plain);
  return true;
}
