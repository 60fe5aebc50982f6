import { randomUUID } from 'node:crypto';
import { AuthenticationError } from '../../api/errors.js';
import { FlowController } from '../../batch/flow.js';
import { openResultsFile } from '../../batch/results.js';
import { runPool } from '../../batch/run.js';
import { inShard } from '../../batch/shard.js';
import { BatchTally } from '../../batch/summary.js';
import { colorsFor } from '../../ui/colors.js';
import { formatError } from '../../ui/errors.js';
import { terminalSafe } from '../../ui/safe-text.js';
import type { ExitCode } from '../exit-codes.js';
import { outputFormat, type GlobalOptions } from '../globals.js';
import type { CliIO } from '../io.js';
import { openSession } from '../session.js';
import { batchExitCode } from './exit-policy.js';
import { runJob } from './job.js';
import { recordWriter, reportFailure } from './output.js';
import { findingsLine, type JobFinding } from './preflight.js';
import type { Job, Plan } from './plan.js';
import { UnrecordedAnswers } from './unrecorded.js';

/**
 * Many inputs: a bounded pool pulls jobs lazily (constant memory), a shared FlowController keeps the whole batch
 * inside the API's limits, and every input ends as exactly one record, written as it finishes.
 */
export async function runBatch<T>(plan: Plan<T>, g: GlobalOptions, io: CliIO): Promise<ExitCode> {
  const errColors = colorsFor(io.stderr, io.env, g.color);
  const flow = new FlowController({ concurrency: plan.batch.concurrency, ...(plan.batch.ratePerMinute ? { ratePerMinute: plan.batch.ratePerMinute } : {}) });
  const results = plan.batch.out ? await openResultsFile(plan.batch.out) : undefined;
  const session = await openSession(g, io, { gate: flow });
  const writer = recordWriter(plan, g, io, session, results);
  const tally = new BatchTally();
  const stop = new AbortController();
  const onInterrupt = () => stop.abort();
  io.interrupt?.addEventListener('abort', onInterrupt, { once: true });
  const progress = !g.quiet && io.stderr.isTTY ? new (await import('../../batch/progress.js')).ProgressMeter(io.stderr, g.lang ? { lang: g.lang } : {}) : undefined;
  let inputs: number | undefined;
  // Only for the progress line (a shard sends an unknown part of it); a failed count leaves the total unknown.
  if (progress && plan.countInputs && !plan.batch.shard) plan.countInputs().then((n) => (inputs = n), () => {});
  let seen = 0;
  let sequence = 0;
  let fatal: unknown;
  const unrecorded = new UnrecordedAnswers(io.stderr, errColors);
  // The disk is full or failing: later answers could not be recorded either, so no call starts after this one.
  const onRecordingFailed = (err: unknown): void => {
    unrecorded.take(err);
    fatal ??= err;
    stop.abort();
  };
  const context = {
    session,
    presenter: plan.presenter,
    ...(results ? { results } : {}),
    nextTransactionId: () => (g.transactionId ? `${g.transactionId}-${++sequence}` : randomUUID()),
    preflight: g.preflight,
    onFindings: (job: Job<T>, findings: JobFinding[], sent: boolean) => io.stderr.write(findingsLine(job.file, findings, sent, errColors)),
    stopped: stop.signal,
  };

  const jobs = (async function* (): AsyncGenerator<Job<T>> {
    for await (const job of plan.jobs) {
      seen++;
      if (!plan.batch.shard || inShard(job.file, plan.batch.shard)) yield job;
    }
  })();

  const started = performance.now();
  try {
    await runPool(jobs, { concurrency: plan.batch.concurrency, signal: stop.signal }, async (job) => {
      const outcome = await runJob(job, context);
      if (outcome.kind === 'not-started') return;
      if (outcome.kind === 'already-done') {
        tally.skipped(1);
        return;
      }
      tally.add(outcome.record);
      try {
        await writer.write(outcome.record, outcome.kind === 'answered' ? outcome.data : undefined);
      } catch (err) {
        onRecordingFailed(err);
      }
      if (outcome.kind === 'failed') {
        if (writer.failuresOnStderr) reportFailure(outcome.error, g, io, { file: job.file, redact: session.redact });
        // Every later call would fail the same way and the key is the problem: stop instead of spending the batch.
        if (outcome.error instanceof AuthenticationError && !fatal) {
          fatal = outcome.error;
          stop.abort();
        }
      }
      if (progress) {
        const t = tally.toJSON();
        progress.update({ done: t.total, ok: t.ok, review: t.review, failed: t.failed + t.notDetected, ...(inputs === undefined ? {} : { total: inputs - t.skippedAlreadyDone }) });
      }
    });
  } finally {
    io.interrupt?.removeEventListener('abort', onInterrupt);
    progress?.finish();
    await session.close();
    await results?.close().catch(onRecordingFailed);
  }

  const totals = tally.toJSON();
  const skippedInputs = plan.skippedInputs?.() ?? [];
  if (skippedInputs.length && !g.quiet) {
    const shown = terminalSafe(skippedInputs.slice(0, 5).join(', '));
    io.stderr.write(`${errColors.yellow('skipped')} ${skippedInputs.length} non-image file(s): ${shown}${skippedInputs.length > 5 ? ', …' : ''}\n`);
  }
  const interrupted = Boolean(io.interrupt?.aborted);
  if (seen === 0) io.stderr.write(formatError(new Error(plan.emptyMessage ?? 'no input to process'), { colors: errColors }));
  // The summary is for a person: shown with a table, a results file, or a terminal on stderr.
  else if (!g.quiet && (outputFormat(g) === 'table' || results || io.stderr.isTTY)) {
    const { renderBatchSummary } = await import('../../ui/tables.js');
    io.stderr.write(
      renderBatchSummary(
        { ...totals, total: totals.total + totals.skippedAlreadyDone, alreadyDone: totals.skippedAlreadyDone, durationMs: performance.now() - started },
        errColors,
        g.lang,
      ),
    );
  }
  if (interrupted && !fatal && seen > 0) {
    io.stderr.write(`interrupted: ${totals.total} recorded${results ? `; re-run with --out ${terminalSafe(plan.batch.out ?? '')} to finish the rest` : ''}\n`);
  }
  unrecorded.finish();
  return batchExitCode({ seen, totals, fatal, interrupted, strict: Boolean(g.strict) });
}
