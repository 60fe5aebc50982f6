import type { BatchTotals } from '../../batch/summary.js';
import { EXIT, exitCodeFor, type ExitCode } from '../exit-codes.js';

export interface BatchEnd {
  /** Inputs the source yielded, in this shard or not: none at all is a usage error. */
  seen: number;
  totals: Pick<BatchTotals, 'failed' | 'notDetected' | 'skipped' | 'review'>;
  /** The error that stopped the batch early (a rejected key). */
  fatal?: unknown;
  interrupted: boolean;
  strict: boolean;
}

/** A batch's exit code, from how it ended: the first rule that applies wins. */
export function batchExitCode(end: BatchEnd): ExitCode {
  if (end.seen === 0) return EXIT.usage;
  if (end.fatal) return exitCodeFor(end.fatal);
  if (end.interrupted) return EXIT.interrupted;
  // An input skipped by a pre-flight check was not processed either: a script must not take the batch as done.
  if (end.totals.failed > 0 || end.totals.notDetected > 0 || end.totals.skipped > 0) return EXIT.failure;
  return end.strict && end.totals.review > 0 ? EXIT.review : EXIT.ok;
}
