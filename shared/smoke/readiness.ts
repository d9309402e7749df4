import { errorMessage } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import { withRetry, sleep } from '../common/retry.ts';
import { tlsProblem } from '../common/http.ts';
import { ProxyAccessDenied } from '../common/kube-forbidden.ts';
import { NetworkError } from '../common/network.ts';
import type { Failure } from './failures.ts';
import type { HttpResult } from './http-client.ts';
import type { Protocol, ProtocolContext, Target } from './protocols/types.ts';

export interface ReadinessResult {
  ready: boolean;
  attempts: number;
  waitedMs: number;
  detail: string;
  /** Set when not ready: unreachable (never answered) or not-ready (answered "not yet"). */
  failure?: Failure;
}

class NotReadyYet extends Error {}

/** What the probes so far have found: the last answer or error is what tells the user why. */
interface ProbeLog {
  attempts: number;
  last: string;
  lastNetwork: NetworkError | undefined;
  refusedCertificate: boolean;
  everAnswered: boolean;
}

/** One probe, its outcome written to `log`; throws unless the server is ready. */
async function probeOnce(
  protocol: Protocol,
  context: ProtocolContext,
  target: Target,
  log: ProbeLog,
): Promise<string> {
  log.attempts++;
  // Only the probe that found the server ready counts as its answer (for OpenAPI checks):
  // a proxy's 503 while pods start is not the model server speaking.
  const heard: HttpResult[] = [];
  let answer;
  try {
    answer = await protocol.probe({ ...context, record: (r) => heard.push(r) }, target);
  } catch (err) {
    log.lastNetwork = err instanceof NetworkError ? err : undefined;
    // gRPC's errors are not NetworkErrors; a refused certificate is named all the same.
    const tls = log.lastNetwork === undefined ? tlsProblem(err) : undefined;
    log.refusedCertificate = log.lastNetwork?.kind === 'tls' || tls !== undefined;
    log.last =
      log.lastNetwork !== undefined
        ? log.lastNetwork.message
        : tls !== undefined
          ? `${context.client.origin}: ${tls}`
          : errorMessage(err) + causeOf(err);
    throw err;
  }
  log.lastNetwork = undefined;
  log.everAnswered = true;
  log.last = answer.detail;
  if (!answer.ready) throw new NotReadyYet(answer.detail);
  for (const result of heard) context.record(result);
  return answer.detail;
}

/** Why the server is not ready: never answered (unreachable) or answered "not yet". */
function notReady(log: ProbeLog, waitReadyMs: number): Failure {
  const { attempts, last } = log;
  const seconds = (waitReadyMs / 1000).toFixed(waitReadyMs % 1000 === 0 ? 0 : 1);
  if (log.everAnswered) {
    return {
      kind: 'not-ready',
      message: `not ready after ${seconds}s (${attempts} probes); last answer: ${last}`,
    };
  }
  return {
    kind: 'unreachable',
    // A refused certificate is not waited out: say so rather than "no answer within".
    message: log.refusedCertificate
      ? last
      : `no answer within ${seconds}s (${attempts} ${attempts === 1 ? 'probe' : 'probes'}); last error: ${last}`,
    ...(log.lastNetwork?.hint === undefined ? {} : { hint: log.lastNetwork.hint }),
  };
}

/**
 * Probes until the protocol says ready or `waitReadyMs` runs out, backing
 * off from 250 ms to 5 s with jitter (the shared retry helper) so a slow
 * model load is not hammered. The last probe's answer or error is kept: it is
 * what tells the user why.
 */
export async function waitUntilReady(
  protocol: Protocol,
  context: ProtocolContext,
  target: Target,
  options: {
    waitReadyMs: number;
    logger: Logger;
    sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  },
): Promise<ReadinessResult> {
  const started = Date.now();
  const log: ProbeLog = {
    attempts: 0,
    last: 'no probe finished',
    lastNetwork: undefined,
    refusedCertificate: false,
    everAnswered: false,
  };
  try {
    const detail = await withRetry(() => probeOnce(protocol, context, target, log), {
      attempts: Number.MAX_SAFE_INTEGER,
      baseDelayMs: 250,
      maxDelayMs: 5000,
      signal: AbortSignal.timeout(Math.max(1, options.waitReadyMs)),
      // A refused certificate stays refused, as does a permission the service proxy
      // lacks: waiting longer only hides the reason.
      classify: (err) => ({
        retry: tlsProblem(err) === undefined && !(err instanceof ProxyAccessDenied),
      }),
      onRetry: ({ attempt, delayMs }) =>
        options.logger.info(
          `not ready yet (probe ${attempt}: ${log.last}); next probe in ${Math.round(delayMs)} ms`,
        ),
      ...(options.sleep === undefined ? { sleep } : { sleep: options.sleep }),
    });
    return { ready: true, attempts: log.attempts, waitedMs: Date.now() - started, detail };
  } catch (err) {
    if (err instanceof ProxyAccessDenied) throw err;
    const waitedMs = Date.now() - started;
    const failure = notReady(log, options.waitReadyMs);
    return { ready: false, attempts: log.attempts, waitedMs, detail: log.last, failure };
  }
}

/** undici hides the socket error (ECONNREFUSED…) in `cause`; it is the useful part. */
function causeOf(err: unknown): string {
  const cause = (err as { cause?: unknown })?.cause;
  if (cause === undefined) return '';
  const code = (cause as { code?: unknown }).code;
  return ` (${typeof code === 'string' ? code + ': ' : ''}${errorMessage(cause)})`;
}
