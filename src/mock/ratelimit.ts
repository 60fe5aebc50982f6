/** A sliding one-minute window per key: the time of every accepted request within the last minute. */
export class RateLimiter {
  private readonly windows = new Map<string, number[]>();

  constructor(
    private readonly perMinute: number,
    private readonly windowMs = 60_000,
  ) {}

  /** undefined when accepted, else the whole seconds until the oldest request leaves the window. */
  take(key: string, now: number): number | undefined {
    let times = this.windows.get(key);
    if (times === undefined) this.windows.set(key, (times = []));
    const stale = times.findIndex((t) => t > now - this.windowMs);
    times.splice(0, stale === -1 ? times.length : stale);
    const oldest = times[0];
    if (times.length >= this.perMinute && oldest !== undefined) return Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000));
    times.push(now);
    return undefined;
  }
}
