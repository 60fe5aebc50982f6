import type { AttemptOutcome, RequestGate } from '../api/client.js';
import { AbortedError, InvalidArgumentError } from '../api/errors.js';

const FIRST_PAUSE_MS = 1_000;
const MAX_PAUSE_MS = 30_000;

export interface FlowOptions {
  /** The most attempts in flight at once, and the ceiling the limit climbs back to after 429s. */
  concurrency: number;
  /** Attempts started per minute at most, evenly spaced. */
  ratePerMinute?: number;
  now?: () => number;
}

export interface FlowStats {
  inFlight: number;
  maxInFlight: number;
  /** The current cap on attempts in flight: `concurrency`, or less after 429s. */
  limit: number;
  paused: boolean;
  /** 429s seen. */
  throttled: number;
}

interface Waiter {
  resolve: () => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/**
 * The gate a whole batch shares. A 429 means the account's quota is spent for everyone, so it pauses every worker
 * and halves how many attempts may run at once; successes add one back per `limit` in a row (AIMD), so a batch
 * slows down under 429s and speeds up again once they stop.
 */
export class FlowController implements RequestGate {
  private readonly concurrency: number;
  private readonly spacingMs: number;
  private readonly now: () => number;
  private limit: number;
  private inFlight = 0;
  private maxInFlight = 0;
  private throttled = 0;
  /** Successes since the limit last changed or the last 429. */
  private streak = 0;
  /** 429s without a success between them: each doubles the pause when the API gives no Retry-After. */
  private backoffLevel = 0;
  private pausedUntil = 0;
  private nextStartAt = 0;
  private readonly waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(opts: FlowOptions) {
    if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1) {
      throw new InvalidArgumentError(`concurrency must be a whole number ≥ 1, got ${opts.concurrency}`);
    }
    if (opts.ratePerMinute !== undefined && !(opts.ratePerMinute > 0 && Number.isFinite(opts.ratePerMinute))) {
      throw new InvalidArgumentError(`rate must be a number of requests per minute > 0, got ${opts.ratePerMinute}`);
    }
    this.concurrency = opts.concurrency;
    this.limit = opts.concurrency;
    this.spacingMs = opts.ratePerMinute ? 60_000 / opts.ratePerMinute : 0;
    this.now = opts.now ?? (() => Date.now());
  }

  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new AbortedError('request aborted'));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        signal,
        onAbort: () => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          reject(new AbortedError('request aborted while waiting for a slot'));
          this.pump();
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiters.push(waiter);
      this.pump();
    });
  }

  release(outcome: AttemptOutcome): void {
    this.inFlight--;
    if (outcome.status === 429) this.onThrottled(outcome.retryAfterMs);
    else if (outcome.status !== undefined && outcome.status < 400) this.onSuccess();
    // Other failures (a 422, a 5xx, a dropped connection) say nothing about the quota: they neither slow nor speed.
    this.pump();
  }

  stats(): FlowStats {
    return { inFlight: this.inFlight, maxInFlight: this.maxInFlight, limit: this.limit, paused: this.now() < this.pausedUntil, throttled: this.throttled };
  }

  private onThrottled(retryAfterMs: number | undefined): void {
    const t = this.now();
    this.throttled++;
    this.streak = 0;
    // The attempts that were in flight with the first 429 mostly get one too: that is one signal, not several,
    // so 429s arriving during the pause it started neither halve again nor lengthen the backoff.
    if (t >= this.pausedUntil) {
      this.limit = Math.max(1, Math.floor(this.limit / 2));
      this.backoffLevel++;
    }
    const pauseMs = retryAfterMs ?? Math.min(FIRST_PAUSE_MS * 2 ** (this.backoffLevel - 1), MAX_PAUSE_MS);
    this.pausedUntil = Math.max(this.pausedUntil, t + pauseMs);
  }

  private onSuccess(): void {
    this.backoffLevel = 0;
    if (this.limit < this.concurrency && ++this.streak >= this.limit) {
      this.limit++;
      this.streak = 0;
    }
  }

  /** Starts waiters, oldest first, while slots, pause and spacing allow; else sets the one timer for when they will. */
  private pump(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.waiters.length > 0 && this.inFlight < this.limit) {
      const t = this.now();
      const waitMs = Math.max(this.pausedUntil, this.nextStartAt) - t;
      if (waitMs > 0) {
        this.timer = setTimeout(() => this.pump(), waitMs);
        return;
      }
      const waiter = this.waiters.shift() as Waiter;
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      this.nextStartAt = t + this.spacingMs;
      waiter.resolve();
    }
  }
}
