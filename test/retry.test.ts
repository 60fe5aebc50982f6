import { describe, expect, it } from 'vitest';
import { ConnectionError, GatewayTimeoutError, InvalidResponseError, RateLimitError, ServerError, TimeoutError } from '../src/api/errors.js';
import { backoffMs, isRetryable, parseRetryAfter } from '../src/api/retry.js';

describe('Retry-After', () => {
  const now = Date.parse('2026-11-26T10:00:00Z');
  it('reads seconds, decimals and HTTP dates, capped at 60 s', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('0.5', now)).toBe(500);
    expect(parseRetryAfter('Thu, 26 Nov 2026 10:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('3600', now)).toBe(60_000);
    expect(parseRetryAfter('Thu, 26 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('backs off exponentially with jitter unless the server said when', () => {
    expect(backoffMs(0, undefined, () => 0)).toBe(500);
    expect(backoffMs(2, undefined, () => 0)).toBe(2000);
    expect(backoffMs(10, undefined, () => 0)).toBe(8000);
    expect(backoffMs(1, undefined, () => 1)).toBe(750);
    expect(backoffMs(5, 1234)).toBe(1234);
  });
});

describe('what is retried', () => {
  const sent = new ConnectionError('reset', { requestSent: true });
  const notSent = new ConnectionError('refused', { requestSent: false });
  it.each([
    ['429', new RateLimitError('x', { status: 429 }), true, true],
    ['500', new ServerError('x', { status: 500 }), true, false],
    ['503', new ServerError('x', { status: 503 }), true, false],
    ['504', new GatewayTimeoutError('x', { status: 504 }), true, false],
    ['connection lost after sending', sent, true, false],
    ['connection refused', notSent, true, true],
    ['timeout', new TimeoutError('x'), true, false],
    ['invalid 200', new InvalidResponseError('x', { status: 200 }), false, false],
  ])('%s: read %s, write %s', (_name, err, read, write) => {
    expect(isRetryable(err, 'read')).toBe(read);
    expect(isRetryable(err, 'write')).toBe(write);
  });
});
