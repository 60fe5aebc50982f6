import {
  AuthenticationError,
  ConnectionError,
  FileTooLargeError,
  FinosError,
  PayloadTooLargeError,
  RateLimitError,
  TimeoutError,
} from '../api/errors.js';
import type { Colors } from './colors.js';
import { terminalSafe } from './safe-text.js';

/** What to try next, for the failures a user can fix themselves. */
function hintFor(err: unknown): string | undefined {
  if (err instanceof AuthenticationError) return 'run `finos-ekyc login` or set FINOS_API_KEY';
  if (err instanceof RateLimitError) {
    const wait = err.retryAfterMs === undefined ? '' : ` (the API asked to wait ${Math.ceil(err.retryAfterMs / 1000)} s)`;
    return `lower --concurrency or --rate${wait}`;
  }
  if (err instanceof PayloadTooLargeError || err instanceof FileTooLargeError) return 'resize or recompress the image and try again';
  if (err instanceof ConnectionError) {
    const sent = err.requestSent ? '; the request had been sent, so the API may have acted on it' : '';
    return `check --host and any proxy settings (HTTPS_PROXY, NO_PROXY)${sent}`;
  }
  if (err instanceof TimeoutError) return 'allow more time with --timeout <seconds>';
  return undefined;
}

export interface ErrorFormat {
  colors: Colors;
  debug?: boolean;
  /** The input the error is about, named before the message (a batch's failed file). */
  file?: string;
  /** Masks personal data in the message and stack (--redact). */
  mask?: (text: string) => string;
}

/**
 * `finos-ekyc: [<file>: ]<message> (HTTP 401, requestId …)`, then a `hint:` line when there is one, then the
 * stack only with --debug. Never the response body: bodies can hold personal data. Every outside string (the
 * API's message, a file name) is made terminal-safe, the message kept to one line.
 */
export function formatError(err: unknown, { colors, debug = false, file, mask = (t) => t }: ErrorFormat): string {
  const message = terminalSafe(mask(err instanceof Error ? err.message : String(err)).trim()) || 'unknown error';
  const ids: string[] = [];
  if (err instanceof FinosError) {
    if (err.status !== undefined) ids.push(`HTTP ${err.status}`);
    if (err.requestId) ids.push(`requestId ${terminalSafe(err.requestId)}`);
  }
  const subject = file === undefined ? '' : `${terminalSafe(file)}: `;
  const lines = [`${colors.red.bold('finos-ekyc:')} ${subject}${message}${ids.length ? colors.dim(` (${ids.join(', ')})`) : ''}`];
  const hint = hintFor(err);
  if (hint) lines.push(`${colors.yellow('hint:')} ${hint}`);
  // A stack starts with the message: it is outside text too.
  const stack = (e: Error): string => terminalSafe(mask(e.stack ?? ''), { multiline: true });
  if (debug && err instanceof Error && err.stack) {
    lines.push(colors.dim(stack(err)));
    if (err.cause instanceof Error && err.cause.stack) lines.push(colors.dim(`caused by: ${stack(err.cause)}`));
  }
  return lines.join('\n') + '\n';
}
