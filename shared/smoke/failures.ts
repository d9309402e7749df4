import { errorMessage, UserError } from '../common/errors.ts';
import { NetworkError } from '../common/network.ts';

/** Each way a served model can fail its smoke test, named so a log line says which. */
export const FAILURE_TITLES = {
  unreachable: 'endpoint unreachable',
  'not-ready': 'not ready within wait-ready',
  'wrong-version': 'wrong model version',
  'wrong-metadata': 'wrong model metadata',
  'bad-status': 'unexpected status code',
  'wrong-answer': 'wrong answer',
  'schema-violation': 'response does not match the OpenAPI document',
  'server-errors': 'server errors',
  'slo-miss': 'latency SLO missed',
} as const;

export type FailureKind = keyof typeof FAILURE_TITLES;

export interface Failure {
  kind: FailureKind;
  message: string;
  /** What to do, when the failure knows better than its kind (a DNS name, a closed port…). */
  hint?: string;
}

export function describeFailure(failure: Failure): string {
  return `${FAILURE_TITLES[failure.kind]}: ${failure.message}`;
}

const HINTS: Record<FailureKind, string> = {
  unreachable: 'check `url`/`service`, that the Service exists and that the runner can reach it',
  'not-ready': 'raise `wait-ready`, or read the server log for why the model does not load',
  'wrong-version':
    'the endpoint serves another model version: check the deployed image or `model-version`',
  'wrong-metadata':
    'the served model is not the one expected: check `model` and the signature in `expect`',
  'bad-status': 'check `request` against the model signature, or the `status` in `expect`',
  'wrong-answer':
    'the model answers differently from `expect`: check the model files, or widen `abs`/`rel`',
  'schema-violation': 'the server answers outside its OpenAPI document: check the runtime version',
  'server-errors': 'read the server log for the failed requests, or raise `slo-error-rate`',
  'slo-miss':
    'the model is slower than `slo-p95-ms`: check resources (CPU, GPU, replicas) or the SLO',
};

/** The smoke test's verdict when it fails: every failure, the first one's class in front. */
export class SmokeTestFailed extends UserError {
  readonly failures: Failure[];

  /** `subject` names what was tested, e.g. `model 'iris' at grpc://10.0.0.7:8081`. */
  constructor(failures: Failure[], subject?: string) {
    const first = failures[0] as Failure;
    const rest = failures.slice(1).map((f) => `\n  also ${describeFailure(f)}`);
    super((subject === undefined ? '' : `${subject}: `) + describeFailure(first) + rest.join(''), {
      hint: first.hint ?? HINTS[first.kind],
    });
    this.name = 'SmokeTestFailed';
    this.failures = failures;
  }
}

/**
 * A request that got no answer, as a failure: a NetworkError already names the
 * server, the cause and the fix; anything else gets the code undici hides in it.
 */
export function noAnswer(what: string, err: unknown, timeoutMs: number): Failure {
  if (err instanceof NetworkError) {
    return {
      kind: 'server-errors',
      message: `${what}: ${err.message}`,
      ...(err.hint === undefined ? {} : { hint: err.hint }),
    };
  }
  return {
    kind: 'server-errors',
    message: `${what} got no answer: ${networkFailure(err, timeoutMs)}`,
  };
}

/** A network failure in words: the error code undici hides in it, and the timeout when it was one. */
function networkFailure(err: unknown, timeoutMs: number): string {
  const code =
    (err as { code?: unknown })?.code ?? (err as { cause?: { code?: unknown } })?.cause?.code;
  const timedOut = typeof code === 'string' && code.includes('TIMEOUT');
  return `${typeof code === 'string' ? `${code}: ` : ''}${errorMessage(err)}${timedOut ? ` (timeout ${timeoutMs} ms)` : ''}`;
}
