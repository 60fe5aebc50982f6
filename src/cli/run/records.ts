import { FinosError, InvalidResponseError, NotDetectedError } from '../../api/errors.js';
import type { ApiResponse } from '../../api/types.js';
import type { ResultRecord } from '../../batch/results.js';
import type { Verdict } from '../presenters.js';
import type { Job } from './plan.js';
import type { JobFinding } from './preflight.js';

/** The record of an answered call: what the results file keeps and NDJSON prints. */
export function successRecord<T>(job: Job<T>, res: ApiResponse<T>, verdict: Verdict, durationMs: number, sha256?: string): ResultRecord {
  return {
    file: job.file,
    ...(job.files.length > 1 ? { files: job.files } : {}),
    ...(sha256 ? { sha256 } : {}),
    ok: true,
    outcome: verdict === 'review' ? 'review' : 'ok',
    httpStatus: res.httpStatus,
    requestId: res.requestId,
    transactionId: res.transactionId,
    durationMs: Math.round(durationMs),
    response: res.body,
    ...preparedOf(job, res.prepared),
  };
}

/** One file: what was done to it; several: each changed one with its form field (image1, selfie…). */
function preparedOf<T>(job: Job<T>, prepared: ApiResponse<T>['prepared']): Pick<ResultRecord, 'prepared'> {
  if (!prepared?.length) return {};
  if (job.files.length > 1) return { prepared };
  const { field: _field, ...only } = prepared[0]!;
  return { prepared: only };
}

/** An input not sent because a pre-flight check failed (--preflight skip): nothing was paid, a later run may send it. */
export function skippedRecord<T>(job: Job<T>, findings: readonly JobFinding[], durationMs: number, sha256?: string): ResultRecord {
  return {
    file: job.file,
    ...(job.files.length > 1 ? { files: job.files } : {}),
    ...(sha256 ? { sha256 } : {}),
    ok: false,
    outcome: 'skipped',
    durationMs: Math.round(durationMs),
    preflight: [...findings],
  };
}

export function failureRecord<T>(job: Job<T>, err: unknown, durationMs: number, sha256?: string): ResultRecord {
  const e = err instanceof FinosError ? err : undefined;
  return {
    file: job.file,
    ...(job.files.length > 1 ? { files: job.files } : {}),
    ...(sha256 ? { sha256 } : {}),
    ok: false,
    outcome: err instanceof NotDetectedError ? 'not_detected' : 'failed',
    ...(e?.status !== undefined ? { httpStatus: e.status } : {}),
    ...(e?.requestId ? { requestId: e.requestId } : {}),
    ...(e?.transactionId ? { transactionId: e.transactionId } : {}),
    durationMs: Math.round(durationMs),
    // A body we could not use is still what the API answered (and may have billed): keep it.
    ...(e?.body !== undefined && (err instanceof InvalidResponseError || err instanceof NotDetectedError) ? { response: e.body } : {}),
    error: { code: e?.code ?? 'internal', ...(e?.status !== undefined ? { status: e.status } : {}), message: err instanceof Error ? err.message : String(err) },
  };
}
