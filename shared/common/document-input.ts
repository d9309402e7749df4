import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { InputError } from './errors.ts';
import { parseYamlInput, YamlProblem } from './yaml-problem.ts';

/** Requests and expectations are read into memory and sent many times; 10 MiB is far above any smoke request. */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

/**
 * An input that is either the document itself (JSON, or YAML where allowed)
 * or the path of a file holding it, relative to the workspace. Inline text is
 * recognised by its first character, so a file name is never parsed as YAML.
 */
export function readDocumentInput(
  input: string,
  value: string | undefined,
  options: { yaml: boolean; example: string },
): unknown {
  if (value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  const inline = /^[[{"]/.test(text) || (options.yaml && text.includes('\n'));
  let source = text;
  let where = 'inline';
  if (!inline) {
    const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
    const file = isAbsolute(text) ? text : resolve(workspace, text);
    if (!existsSync(file)) {
      throw new InputError(
        input,
        `names the file '${text}', which does not exist (looked in ${workspace})`,
        options.example,
      );
    }
    const size = statSync(file).size;
    if (size > MAX_DOCUMENT_BYTES) {
      throw new InputError(
        input,
        `names the file '${text}' of ${size} bytes, more than the ${MAX_DOCUMENT_BYTES} a smoke-test document may have`,
        'a small representative request; a load test belongs in a benchmark, not a smoke test',
      );
    }
    source = readFileSync(file, 'utf8');
    where = `file '${text}'`;
  }
  // Inline JSON is YAML too, so inline YAML in flow style ({outputs: {y: [1]}}) is read as well;
  // a .json file is read as JSON, which is faster for a large one.
  const yaml = options.yaml && !(where !== 'inline' && /\.json$/i.test(text));
  try {
    return yaml ? parseYamlInput(source) : JSON.parse(source);
  } catch (err) {
    const problem =
      err instanceof YamlProblem ? err.detail : `: ${(err as Error).message.split('\n')[0]}`;
    throw new InputError(
      input,
      `(${where}) is not valid ${yaml ? 'YAML' : 'JSON'}${problem}`,
      options.example,
    );
  }
}
