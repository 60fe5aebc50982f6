import { readSmallFiles } from '../../batch/input-files.js';
import { contentHash, type ResultRecord, type ResultsFile } from '../../batch/results.js';
import type { Presenter } from '../presenters.js';
import type { Session } from '../session.js';
import type { Job } from './plan.js';
import { failureRecord, skippedRecord, successRecord } from './records.js';
import { preflightFiles, type JobFinding } from './preflight.js';
import type { PreflightMode } from '../globals.js';

export interface JobContext<T> {
  session: Session;
  presenter: Presenter<T>;
  /** Where answers are kept; a job whose content it already answered is skipped. */
  results?: ResultsFile;
  /** The transactionId header for the next call. */
  nextTransactionId(): string;
  preflight: PreflightMode;
  /** Told of an input's pre-flight findings, and whether it is sent all the same. */
  onFindings(job: Job<T>, findings: JobFinding[], sent: boolean): void;
  /** Aborted when the batch stops (Ctrl-C, a rejected key, a results file that cannot be written). */
  stopped: AbortSignal;
}

/** How one input ended: left out as already answered, or one record (with the answer's data, or the error). */
export type JobOutcome<T> =
  | { kind: 'already-done' }
  /** The batch stopped before this input's call started: nothing was paid, a later run sends it. */
  | { kind: 'not-started' }
  | { kind: 'answered'; record: ResultRecord; data: T }
  | { kind: 'failed'; record: ResultRecord; error: unknown }
  | { kind: 'skipped'; record: ResultRecord };

/**
 * One input of a batch: read its files once, skip it if the results file has its answer, run the pre-flight
 * checks (and stop there with --preflight skip), else make the call.
 */
export async function runJob<T>(job: Job<T>, ctx: JobContext<T>): Promise<JobOutcome<T>> {
  const started = performance.now();
  let sha256: string | undefined;
  let findings: JobFinding[] = [];
  const noted = (record: ResultRecord): ResultRecord => (findings.length ? { ...record, preflight: findings } : record);
  try {
    const loaded = readSmallFiles(job.files);
    if (ctx.results) {
      sha256 = await contentHash(job.files, loaded);
      if (ctx.results.has(job.file, sha256)) return { kind: 'already-done' };
    }
    if (ctx.preflight !== 'off') findings = await preflightFiles(job.files, loaded);
    if (findings.length) {
      const sent = ctx.preflight !== 'skip';
      ctx.onFindings(job, findings, sent);
      if (!sent) return { kind: 'skipped', record: skippedRecord(job, findings, performance.now() - started, sha256) };
    }
    // Reading and checking take time: a batch that stopped meanwhile starts no more calls.
    if (ctx.stopped.aborted) return { kind: 'not-started' };
    const res = await job.call(ctx.session, { transactionId: ctx.nextTransactionId() }, loaded);
    const record = successRecord(job, res, ctx.presenter.verdict(res.data), performance.now() - started, sha256);
    return { kind: 'answered', record: noted(record), data: res.data };
  } catch (error) {
    return { kind: 'failed', record: noted(failureRecord(job, error, performance.now() - started, sha256)), error };
  }
}
