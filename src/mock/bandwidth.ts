import { InvalidArgumentError } from '../api/errors.js';

/** What a link lets through at once after being idle: enough for a form's headers, small next to a photo. */
const BURST_BYTES = 64 * 1024;

/**
 * A branch office's uplink: one token bucket shared by every upload, so concurrent uploads split the budget.
 * Bytes are charged as they are read; an upload that overdraws the bucket is read no further until the debt is
 * paid back, and TCP backpressure then slows its sender, as a saturated link would.
 */
export class Uplink {
  private readonly bytesPerMs: number;
  private tokens = BURST_BYTES;
  private updated = performance.now();

  constructor(
    mbps: number,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {
    if (!Number.isFinite(mbps) || mbps <= 0) throw new InvalidArgumentError(`bandwidthMbps must be a number of Mbit/s above 0, not ${mbps}`);
    this.bytesPerMs = (mbps * 1_000_000) / 8 / 1000;
  }

  /** Charges `bytes` just read: undefined while the budget covers them, else a promise of when to read on. */
  take(bytes: number): Promise<void> | undefined {
    const now = performance.now();
    this.tokens = Math.min(BURST_BYTES, this.tokens + (now - this.updated) * this.bytesPerMs) - bytes;
    this.updated = now;
    return this.tokens >= 0 ? undefined : this.sleep(Math.ceil(-this.tokens / this.bytesPerMs));
  }
}
