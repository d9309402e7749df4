import { parse } from 'yaml';

/**
 * YAML for inputs, with the parser's complaints rewritten for the person who
 * typed the input: where (line, column and the line itself when there are
 * several), what is wrong in plain words, and what to write instead. The
 * caller names the input and shows an accepted example.
 */

/** Aliases are limited so a "billion laughs" document fails instead of exhausting memory. */
export const MAX_ALIASES = 100;

export class YamlProblem extends Error {
  /** ` at line 2 ("memory 2Gi"), column 1: …` or `: …`, to follow "is not valid YAML". */
  readonly detail: string;

  constructor(detail: string, options: { cause?: unknown } = {}) {
    super(`not valid YAML${detail}`, options);
    this.name = 'YamlProblem';
    this.detail = detail;
  }
}

export function parseYamlInput(text: string): unknown {
  try {
    return parse(text, { maxAliasCount: MAX_ALIASES, uniqueKeys: true });
  } catch (err) {
    throw new YamlProblem(describeYamlError(err, text), { cause: err });
  }
}

interface ParserError {
  code?: string;
  message?: string;
  linePos?: [{ line: number; col: number }, ...{ line: number; col: number }[]];
}

/** The parser's words for the problem, without its " at line L, column C:" and source excerpt. */
function parserWords(err: ParserError): string {
  const first = (err.message ?? 'cannot be read').split('\n')[0] as string;
  return first.replace(/ at line \d+, column \d+:?$/, '');
}

function quoted(line: string): string {
  const flat = line.trim();
  return flat.length > 60 ? `"${flat.slice(0, 57)}…"` : `"${flat}"`;
}

/** Plain words for each mistake the parser reports, from what people get wrong in a `with:` block. */
function plainWords(err: ParserError, line: string, nextLine: string | undefined): string {
  const words = parserWords(err);
  switch (err.code) {
    case 'MISSING_CHAR':
      if (/^Flow map must end/.test(words)) return "a '{' is not closed: add '}' at the end";
      if (/^Flow sequence must end/.test(words)) return "a '[' is not closed: add ']' at the end";
      if (/^Missing closing "quote/.test(words)) return "a '\"' quote is not closed";
      if (/^Missing closing 'quote/.test(words)) return 'a "\'" quote is not closed';
      if (/^Implicit map keys need to be followed by map values/.test(words)) {
        return "this is neither 'key: value' nor part of the value above: write 'key: value', with a space after the colon";
      }
      if (/^Sequence item without - indicator/.test(words)) {
        return "a list item does not start with '- ', or is indented differently from the items above";
      }
      return words;
    case 'BLOCK_AS_IMPLICIT_KEY':
      if (/^\s*[\w.-]+:\s[^{[]*,\s*[\w.-]+:/.test(line)) {
        return 'several key: value pairs on one line need braces, like {cpu: 500m, memory: 2Gi}';
      }
      if (nextLine !== undefined && indent(nextLine) > indent(line)) {
        return 'the next line is indented more than this one: keys of one mapping start in the same column';
      }
      return "a value holds another 'key: value' on the same line: quote it if it is text";
    case 'BLOCK_IN_FLOW':
      return 'inside { } or [ ], separate the entries with commas, like {min: 2, max: 10}';
    case 'TAB_AS_INDENT':
      return 'a tab indents this line: YAML indents with spaces';
    case 'BAD_INDENT':
      // An unclosed [ or { in a block mapping is reported as the next line's indentation.
      if (/^Flow sequence .*end with a \]/.test(words)) {
        return "a '[' is not closed: add ']' (a list that goes on over lines is indented more than its key)";
      }
      if (/^Flow mapping .*end with a \}/.test(words)) {
        return "a '{' is not closed: add '}' (a mapping that goes on over lines is indented more than its key)";
      }
      return 'this line is not indented to match the lines above it';
    case 'DUPLICATE_KEY': {
      const key = /^\s*(?:-\s+)?["']?([^"':]+)["']?\s*:/.exec(line)?.[1]?.trim();
      return key === undefined ? 'a key appears twice' : `the key '${key}' appears twice`;
    }
    case 'BAD_SCALAR_START': {
      const reserved = /reserved character (\S)/.exec(words)?.[1];
      return `a value starts with '${reserved ?? '@'}', which YAML reserves: quote the value`;
    }
    case 'UNEXPECTED_TOKEN': {
      const token = /: "(.+)"$/.exec(words)?.[1];
      return token === undefined
        ? 'there is something the parser did not expect here'
        : `the '${token}' here has nothing to close or belong to`;
    }
    case 'MULTIPLE_DOCS':
      return "it holds several YAML documents ('---'): give one";
    default:
      return words;
  }
}

function indent(line: string): number {
  return /^ */.exec(line)?.[0].length ?? 0;
}

/** Where and what, to follow "input 'x' is not valid YAML": ` at column 24: …` or `: …`. */
export function describeYamlError(err: unknown, text: string): string {
  const problem = err as ParserError;
  const message = problem?.message ?? String(err);
  if (/Excessive alias count/.test(message)) {
    return `: it uses more than ${MAX_ALIASES} aliases (*name), which is how a "billion laughs" document exhausts memory; write the values out`;
  }
  const unresolved = /^Unresolved alias[^:]*: (.+)$/.exec(message);
  if (unresolved) {
    return `: the alias *${unresolved[1]} has no anchor &${unresolved[1]} before it`;
  }
  const position = problem?.linePos?.[0];
  if (position === undefined) return `: ${parserWords(problem)}`;
  const lines = text.split(/\r?\n/);
  const line = lines[position.line - 1] ?? '';
  const atEnd = lines.slice(position.line - 1).every((l) => l.trim() === '');
  const where = atEnd
    ? ' at the end'
    : lines.length > 1
      ? ` at line ${position.line} (${quoted(line)}), column ${position.col}`
      : ` at column ${position.col}`;
  return `${where}: ${plainWords(problem, line, lines[position.line])}`;
}
