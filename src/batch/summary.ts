import type { Outcome, ResultRecord } from './results.js';

export interface BatchTotals {
  /** Inputs processed in this run (ok + review + notDetected + failed + skipped); those already done are counted apart. */
  total: number;
  ok: number;
  review: number;
  notDetected: number;
  failed: number;
  /** Not sent: a pre-flight check failed with --preflight skip. */
  skipped: number;
  failedByCode: Record<string, number>;
  skippedAlreadyDone: number;
  durationMs: number;
  requestsPerSecond: number;
}

type Counted = 'ok' | 'review' | 'notDetected' | 'failed' | 'skipped';
const COUNTER: Record<Outcome, Counted> = { ok: 'ok', review: 'review', not_detected: 'notDetected', failed: 'failed', skipped: 'skipped' };

/** Counts a batch's records as they are written, by outcome and failure code. */
export class BatchTally {
  private readonly now: () => number;
  private readonly startedAt: number;
  private readonly counts: Record<Counted, number> = { ok: 0, review: 0, notDetected: 0, failed: 0, skipped: 0 };
  private readonly failedByCode: Record<string, number> = {};
  private skippedAlreadyDone = 0;

  constructor(opts: { now?: () => number } = {}) {
    this.now = opts.now ?? (() => Date.now());
    this.startedAt = this.now();
  }

  add(record: ResultRecord): void {
    this.counts[COUNTER[record.outcome]]++;
    if (record.outcome === 'failed') {
      const code = record.error?.code ?? 'unknown';
      this.failedByCode[code] = (this.failedByCode[code] ?? 0) + 1;
    }
  }

  /** Inputs left out because an earlier run already succeeded with the same content. */
  skipped(n: number): void {
    this.skippedAlreadyDone += n;
  }

  toJSON(): BatchTotals {
    const total = this.counts.ok + this.counts.review + this.counts.notDetected + this.counts.failed + this.counts.skipped;
    const durationMs = this.now() - this.startedAt;
    return {
      total,
      ...this.counts,
      failedByCode: { ...this.failedByCode },
      skippedAlreadyDone: this.skippedAlreadyDone,
      durationMs,
      requestsPerSecond: durationMs > 0 ? Math.round((total * 100_000) / durationMs) / 100 : 0,
    };
  }
}
