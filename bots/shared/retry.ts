/**
 * Retries homeserver calls that failed for a passing reason: 429 (waiting
 * as long as Retry-After says), gateway errors and, for calls that are safe
 * to repeat, 500s and lost connections. matrix-bot-sdk retries nothing.
 * The clock and randomness come in, so tests run in virtual time.
 */

export interface RetryOptions {
  /** Attempts in total, the first one included. */
  maxAttempts?: number;
  /** First backoff delay; it doubles per attempt up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A longer Retry-After is not waited out: the call fails and the caller decides. */
  maxRetryAfterMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Uniform [0, 1); spreads concurrent retries apart. */
  random?: () => number;
  onRetry?: (info: RetryInfo) => void;
}

export interface RetryInfo {
  attempt: number;
  delayMs: number;
  status: number | undefined;
  errcode: string | undefined;
}

export interface CallKind {
  /** Repeating the call cannot duplicate its effect (PUT with a transaction id, GET, state, join). */
  idempotent: boolean;
}

export const DEFAULT_RETRY: Required<Omit<RetryOptions, "onRetry">> = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** Gateway answers: the request most likely never reached the homeserver's handler. */
const GATEWAY_STATUSES = new Set([502, 503, 504]);
/** Connection errors where the request was never sent, so even a non-idempotent call may repeat. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);
const LOST_CODES = new Set(["ECONNRESET", "EPIPE", "ETIMEDOUT", "UND_ERR_SOCKET", "UND_ERR_CONNECT_TIMEOUT"]);

interface ErrorFacts {
  status: number | undefined;
  errcode: string | undefined;
  retryAfterMs: number | undefined;
  networkCode: string | undefined;
  isTimeout: boolean;
}

/** Reads our MatrixApiError, matrix-bot-sdk's MatrixError (statusCode) and fetch's network errors alike. */
function factsOf(err: unknown): ErrorFacts {
  const e = (typeof err === "object" && err !== null ? err : {}) as Record<string, unknown>;
  const status = typeof e.status === "number" ? e.status : typeof e.statusCode === "number" ? e.statusCode : undefined;
  const errcode = typeof e.errcode === "string" ? e.errcode : undefined;
  const retryAfterMs = typeof e.retryAfterMs === "number" && e.retryAfterMs >= 0 ? e.retryAfterMs : undefined;
  const cause = (typeof e.cause === "object" && e.cause !== null ? e.cause : {}) as Record<string, unknown>;
  const code = typeof e.code === "string" ? e.code : typeof cause.code === "string" ? cause.code : undefined;
  const isTimeout = e.name === "TimeoutError" || e.name === "AbortError";
  return { status, errcode, retryAfterMs, networkCode: code, isTimeout };
}

/** The wait before the next attempt, or undefined when the error is final. `attempt` counts from 1. */
export function retryDelayMs(err: unknown, attempt: number, kind: CallKind, options: RetryOptions = {}): number | undefined {
  const o = { ...DEFAULT_RETRY, ...options };
  if (attempt >= o.maxAttempts) return undefined;
  const facts = factsOf(err);
  const backoff = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.round(backoff / 2 + (backoff / 2) * o.random());

  if (facts.status === 429 || facts.errcode === "M_LIMIT_EXCEEDED") {
    if (facts.retryAfterMs === undefined) return jittered;
    if (facts.retryAfterMs > o.maxRetryAfterMs) return undefined;
    // Never earlier than the homeserver asked; a little later so parallel callers do not return in step.
    return facts.retryAfterMs + Math.round(o.random() * Math.min(1_000, facts.retryAfterMs / 10 + 100));
  }
  if (facts.status !== undefined) {
    if (GATEWAY_STATUSES.has(facts.status)) return jittered;
    if (facts.status >= 500 && kind.idempotent) return jittered;
    return undefined;
  }
  if (facts.networkCode && NOT_SENT_CODES.has(facts.networkCode)) return jittered;
  if (kind.idempotent && (facts.isTimeout || (facts.networkCode && LOST_CODES.has(facts.networkCode)))) return jittered;
  // fetch reports a refused or reset connection as TypeError("fetch failed") with the code on its cause.
  if (kind.idempotent && err instanceof TypeError && facts.networkCode !== undefined) return jittered;
  return undefined;
}

/** Runs `call` until it succeeds or fails for good; the last error is thrown unchanged. */
export async function withRetry<T>(call: () => Promise<T>, kind: CallKind, options: RetryOptions = {}): Promise<T> {
  const sleep = options.sleep ?? DEFAULT_RETRY.sleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const delayMs = retryDelayMs(err, attempt, kind, options);
      if (delayMs === undefined) throw err;
      const { status, errcode } = factsOf(err);
      options.onRetry?.({ attempt, delayMs, status, errcode });
      await sleep(delayMs);
    }
  }
}

export { parseRetryAfterMs } from "../../lib/matrix/client-api";
