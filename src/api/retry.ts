import { ConnectionError, GatewayTimeoutError, RateLimitError, ServerError, TimeoutError } from './errors.js';

/**
 * Whether a call changes state at FinOS. Reads (OCR, compare, liveness, search, history) may be re-sent after any
 * transient failure; face indexing may not: the reference says to check with FinOS before re-indexing after a 500
 * or 504, so a write is only re-sent when we know the server never acted on it: a 429, or a connection that
 * failed before the upload went out.
 */
export type Effect = 'read' | 'write';

export const DEFAULT_MAX_RETRIES = 2;
/** Headers and body timeout of one attempt: OCR with every check on can take several seconds. */
export const DEFAULT_TIMEOUT_MS = 60_000;
export const MAX_RETRY_AFTER_MS = 60_000;
const INITIAL_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 8_000;

export function isRetryable(err: unknown, effect: Effect): boolean {
  if (err instanceof RateLimitError) return true;
  if (err instanceof ConnectionError) return effect === 'read' || !err.requestSent;
  if (effect === 'write') return false;
  if (err instanceof ServerError || err instanceof GatewayTimeoutError) return true;
  return err instanceof TimeoutError;
}

/**
 * Retry-After as milliseconds: delta-seconds (decimals tolerated) or an HTTP date, capped so a misbehaving
 * gateway cannot park a batch for an hour. Undefined when absent or unparsable.
 */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v.trim() === '') return undefined;
  const seconds = Number(v);
  let ms: number;
  if (Number.isFinite(seconds)) ms = seconds * 1000;
  else {
    const at = Date.parse(v);
    if (Number.isNaN(at)) return undefined;
    ms = at - now;
  }
  return Math.min(Math.max(0, Math.ceil(ms)), MAX_RETRY_AFTER_MS);
}

/** Exponential backoff with jitter (so a batch's retries do not arrive in lock-step), unless the server said when. */
export function backoffMs(retry: number, retryAfterMs: number | undefined, random = Math.random): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  const base = Math.min(INITIAL_BACKOFF_MS * 2 ** retry, MAX_BACKOFF_MS);
  return Math.round(base * (1 - random() * 0.25));
}
