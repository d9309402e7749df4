/**
 * An error the user can fix: bad input, denied credentials, a failed rollout,
 * a model that answers wrongly. Reported plainly, without a stack trace.
 * Anything that is not a UserError is treated as a bug in model-deploy.
 */
export class UserError extends Error {
  /** A short hint on how to fix it, shown after the message. */
  readonly hint: string | undefined;

  constructor(message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UserError';
    this.hint = options?.hint;
  }
}

/** An input that failed validation: the message always names the input. */
export class InputError extends UserError {
  readonly input: string;

  constructor(input: string, problem: string, example?: string, hint?: string) {
    super(
      `input '${input}' ${problem}` + (example === undefined ? '' : ` (for example: ${example})`),
      hint === undefined ? undefined : { hint },
    );
    this.name = 'InputError';
    this.input = input;
  }
}

export function isUserError(err: unknown): err is UserError {
  return err instanceof UserError;
}

/**
 * Text from elsewhere (a server's answer, a parser) on one line: in a message
 * it can neither break the log's layout nor start a line of its own that the
 * runner would read as a workflow command.
 */
export function oneLine(text: string): string {
  // Control characters (a lone CR, ESC sequences, NUL…) become spaces too.
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g, ' ')
      .replace(/\s{2,}/g, ' ')
      .trim()
  );
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
