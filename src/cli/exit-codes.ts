import {
  AbortedError,
  AuthenticationError,
  InputError,
  InvalidArgumentError,
  NotDetectedError,
  RateLimitError,
} from '../api/errors.js';

/** The documented exit codes (README, `--help`). Scripts branch on these: never renumber one. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  auth: 3,
  notDetected: 4,
  rateLimited: 5,
  review: 10,
  interrupted: 130,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODES_HELP = `Exit codes:
  0    success
  1    API, server or network failure (after retries); with several inputs: any input failed or was skipped,
       or the --out file could not be written
  2    usage or local input error (bad option, missing/empty/non-image/unreadable/oversized file, or skipped by
       --preflight skip): nothing was sent
  3    authentication failed (401): run \`finos-ekyc login\` or set FINOS_API_KEY
  4    document or face not detected (422)
  5    rate limited (429) after retries
  10   the call succeeded but the verdict needs review (only with --strict)
  130  interrupted (Ctrl-C); re-run with the same --out to finish`;

export function exitCodeFor(err: unknown): ExitCode {
  if (err instanceof InputError || err instanceof InvalidArgumentError) return EXIT.usage;
  if (err instanceof AuthenticationError) return EXIT.auth;
  if (err instanceof NotDetectedError) return EXIT.notDetected;
  if (err instanceof RateLimitError) return EXIT.rateLimited;
  if (err instanceof AbortedError) return EXIT.interrupted;
  return EXIT.failure;
}
