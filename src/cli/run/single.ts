import { toNdjsonLine } from '../../ui/records.js';
import { colorsFor } from '../../ui/colors.js';
import { startSpinner } from '../../ui/spinner.js';
import { EXIT, exitCodeFor, type ExitCode } from '../exit-codes.js';
import { outputFormat, type GlobalOptions } from '../globals.js';
import type { CliIO } from '../io.js';
import { openSession } from '../session.js';
import { reportFailure, shownRecord, writeAnswer } from './output.js';
import type { Job, Plan } from './plan.js';
import { failureRecord, skippedRecord, successRecord } from './records.js';
import { findingsLine, preflightFiles, type JobFinding } from './preflight.js';
import type { ResultRecord } from '../../batch/results.js';
import { terminalSafe } from '../../ui/safe-text.js';

/** One input named on the command line: a spinner while it runs, the answer printed plainly, its own exit code. */
export async function runSingle<T>(plan: Plan<T>, g: GlobalOptions, io: CliIO): Promise<ExitCode> {
  const format = outputFormat(g);
  let job: Job<T> | undefined;
  for await (const j of plan.jobs) job = j;
  if (!job) throw new Error('internal: a single-input plan without a job');
  const session = await openSession(g, io);
  const spinner = startSpinner(`${plan.title} ${terminalSafe(job.file)}`, {
    stream: io.stderr as NodeJS.WritableStream,
    enabled: format === 'table' && !g.quiet && Boolean(io.stderr.isTTY) && colorsFor(io.stderr, io.env, g.color).level > 0,
  });
  const started = performance.now();
  const errColors = colorsFor(io.stderr, io.env, g.color);
  let findings: JobFinding[] = [];
  const noted = (record: ResultRecord): ResultRecord => (findings.length ? { ...record, preflight: findings } : record);
  try {
    if (g.preflight !== 'off') findings = await preflightFiles(job.files);
    if (findings.length) {
      const sent = g.preflight !== 'skip';
      await spinner.stop();
      io.stderr.write(findingsLine(job.file, findings, sent, errColors));
      if (!sent) {
        if (format === 'ndjson') io.stdout.write(toNdjsonLine(skippedRecord(job, findings, performance.now() - started)));
        return EXIT.usage;
      }
    }
    // No abort signal: Ctrl-C lets a call in flight finish (it may already be paid for); a second Ctrl-C quits.
    const res = await job.call(session, g.transactionId ? { transactionId: g.transactionId } : {});
    await spinner.stop();
    const verdict = plan.presenter.verdict(res.data);
    await writeAnswer(plan, g, io, session, noted(successRecord(job, res, verdict, performance.now() - started)), res.data);
    return g.strict && verdict === 'review' ? EXIT.review : EXIT.ok;
  } catch (err) {
    await spinner.stop();
    reportFailure(err, g, io, { redact: session.redact });
    if (format === 'ndjson') io.stdout.write(toNdjsonLine(shownRecord(noted(failureRecord(job, err, performance.now() - started)), session)));
    return exitCodeFor(err);
  } finally {
    await session.close();
  }
}
