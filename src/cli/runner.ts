import { randomUUID } from 'node:crypto';
import type { CallOptions } from '../api/client.js';
import { AuthenticationError, FinosError, InvalidResponseError, NotDetectedError } from '../api/errors.js';
import type { ApiResponse } from '../api/types.js';
import { FlowController } from '../batch/flow.js';
import { loadFiles, releaseFiles } from '../batch/loaded-files.js';
import { contentHash, openResultsFile, type Outcome, type ResultRecord, type ResultsFile } from '../batch/results.js';
import { runPool } from '../batch/run.js';
import { inShard, type Shard } from '../batch/shard.js';
import { BatchSummary } from '../batch/summary.js';
import { colorsFor } from '../ui/colors.js';
import { formatError } from '../ui/errors.js';
import { createCsvWriter, toNdjsonLine, type CsvWriter } from '../ui/records.js';
import { startSpinner } from '../ui/spinner.js';
import { EXIT, exitCodeFor, type ExitCode } from './exit-codes.js';
import { outputFormat, type GlobalOptions } from './globals.js';
import type { CliIO } from './io.js';
import type { Presenter, Verdict } from './presenters.js';
import { openSession, type Session } from './session.js';

/** One paid call: the files it sends and how to make it. */
export interface Job<T> {
  /** The record's `file`: the input path, or a manifest row's first file. */
  file: string;
  files: string[];
  /** `loaded`: files the batch already read (to hash them), to send without reading them again. */
  call(session: Session, o: CallOptions, loaded?: ReadonlyMap<string, Uint8Array>): Promise<ApiResponse<T>>;
}

export interface BatchOptions {
  concurrency: number;
  ratePerMinute?: number;
  out?: string;
  shard?: Shard;
}

export interface Plan<T> {
  /** `ocr id`, `face liveness`…: for spinners and messages. */
  title: string;
  presenter: Presenter<T>;
  jobs: AsyncIterable<Job<T>> | Iterable<Job<T>>;
  /** One input named directly on the command line, and no batch option: plain output, no records. */
  single: boolean;
  batch: BatchOptions;
  showUrls?: boolean;
  threshold?: number;
  /** Said when the inputs held no job at all (an empty folder): a usage error, nothing was sent. */
  emptyMessage?: string;
  /** Inputs skipped while walking folders (not images), reported once at the end. */
  skippedInputs?: () => string[];
  /** Counts the inputs with a second, name-only walk, so progress can show a total and an ETA. */
  countInputs?: () => Promise<number>;
}

export async function execute<T>(plan: Plan<T>, g: GlobalOptions, io: CliIO): Promise<ExitCode> {
  return plan.single ? runSingle(plan, g, io) : runBatch(plan, g, io);
}

function outcomeOf(verdict: Verdict): Outcome {
  return verdict === 'review' ? 'review' : 'ok';
}

async function runSingle<T>(plan: Plan<T>, g: GlobalOptions, io: CliIO): Promise<ExitCode> {
  const format = outputFormat(g);
  const errColors = colorsFor(io.stderr, io.env, g.color);
  let job: Job<T> | undefined;
  for await (const j of plan.jobs) job = j;
  if (!job) throw new Error('internal: a single-input plan without a job');
  const session = await openSession(g, io);
  const spinner = startSpinner(`${plan.title} ${job.file}`, {
    stream: io.stderr as NodeJS.WritableStream,
    enabled: format === 'table' && !g.quiet && Boolean(io.stderr.isTTY) && errColors.level > 0,
  });
  const started = performance.now();
  try {
    // No abort signal: Ctrl-C lets a call in flight finish (it may already be paid for); a second Ctrl-C quits.
    const res = await job.call(session, g.transactionId ? { transactionId: g.transactionId } : {});
    await spinner.stop();
    const verdict = plan.presenter.verdict(res.data);
    const record = successRecord(job, res, verdict, performance.now() - started);
    await writeOne(plan, g, io, record, res.data, session);
    return g.strict && verdict === 'review' ? EXIT.review : EXIT.ok;
  } catch (err) {
    await spinner.stop();
    reportFailure(err, g, io);
    if (format === 'ndjson') io.stdout.write(toNdjsonLine(failureRecord(job, err, performance.now() - started)));
    return exitCodeFor(err);
  } finally {
    await session.close();
  }
}

async function writeOne<T>(plan: Plan<T>, g: GlobalOptions, io: CliIO, record: ResultRecord, data: T, session: Session): Promise<void> {
  switch (outputFormat(g)) {
    case 'json':
      io.stdout.write(JSON.stringify(record.response, null, 2) + '\n');
      return;
    case 'ndjson':
      io.stdout.write(toNdjsonLine(record));
      return;
    case 'csv':
      createCsvWriter(io.stdout, plan.presenter.csvColumns).write(record.file, plan.presenter.csvRow(data));
      return;
    case 'table':
      io.stdout.write(await plan.presenter.table(data, viewOptions(plan, g, io, session)));
  }
}

function viewOptions<T>(plan: Plan<T>, g: GlobalOptions, io: CliIO, session: Session) {
  const threshold = plan.threshold ?? session.threshold;
  return { colors: colorsFor(io.stdout, io.env, g.color), showUrls: Boolean(plan.showUrls), ...(threshold ? { threshold } : {}) };
}

/** The error line (and hint) on stderr; with --debug, the body of a response we could not use, so a paid answer is never lost. */
function reportFailure(err: unknown, g: GlobalOptions, io: CliIO, file?: string): void {
  const colors = colorsFor(io.stderr, io.env, g.color);
  const text = formatError(err, { colors, debug: Boolean(g.debug) });
  io.stderr.write(file ? text.replace(/^(\S*finos-ekyc:\S*) /, `$1 ${file}: `) : text);
  if (g.debug && err instanceof InvalidResponseError && err.body !== undefined) {
    io.stderr.write(`debug: response body: ${typeof err.body === 'string' ? err.body : JSON.stringify(err.body)}\n`);
  }
}

function successRecord<T>(job: Job<T>, res: ApiResponse<T>, verdict: Verdict, durationMs: number, sha256?: string): ResultRecord {
  return {
    file: job.file,
    ...(job.files.length > 1 ? { files: job.files } : {}),
    ...(sha256 ? { sha256 } : {}),
    ok: true,
    outcome: outcomeOf(verdict),
    httpStatus: res.httpStatus,
    requestId: res.requestId,
    transactionId: res.transactionId,
    durationMs: Math.round(durationMs),
    response: res.body,
  };
}

function failureRecord<T>(job: Job<T>, err: unknown, durationMs: number, sha256?: string): ResultRecord {
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

/**
 * Many inputs: a bounded pool pulls jobs lazily (constant memory), a shared FlowController keeps the whole batch
 * inside the API's limits, and every input ends as exactly one record, written as it finishes.
 */
async function runBatch<T>(plan: Plan<T>, g: GlobalOptions, io: CliIO): Promise<ExitCode> {
  io.longRunStarting?.();
  const format = outputFormat(g);
  const errColors = colorsFor(io.stderr, io.env, g.color);
  const flow = new FlowController({ concurrency: plan.batch.concurrency, ...(plan.batch.ratePerMinute ? { ratePerMinute: plan.batch.ratePerMinute } : {}) });
  const results: ResultsFile | undefined = plan.batch.out ? await openResultsFile(plan.batch.out) : undefined;
  const session = await openSession(g, io, { gate: flow });
  const summary = new BatchSummary();
  const stop = new AbortController();
  const onInterrupt = () => stop.abort();
  io.interrupt?.addEventListener('abort', onInterrupt, { once: true });
  const showProgress = !g.quiet && Boolean(io.stderr.isTTY);
  const progress = showProgress ? new (await import('../batch/progress.js')).ProgressMeter(io.stderr) : undefined;
  let seen = 0;
  let inputs: number | undefined;
  // Only for the progress line (a shard sends an unknown part of it); a failed count leaves the total unknown.
  if (progress && plan.countInputs && !plan.batch.shard) plan.countInputs().then((n) => (inputs = n), () => {});
  let csv: CsvWriter | undefined;
  let fatal: unknown;
  let sequence = 0;

  const emit = async (record: ResultRecord, data: T | undefined): Promise<void> => {
    summary.add(record);
    if (results) results.append(record);
    else if (format === 'csv') {
      csv ??= createCsvWriter(io.stdout, plan.presenter.csvColumns);
      if (data !== undefined) csv.write(record.file, plan.presenter.csvRow(data));
    } else if (format === 'table') {
      // Rendered whole, then written in one call, so two workers' tables never interleave.
      if (data !== undefined) {
        const heading = colorsFor(io.stdout, io.env, g.color).bold(`── ${record.file} ──`);
        io.stdout.write(`${heading}\n${await plan.presenter.table(data, viewOptions(plan, g, io, session))}`);
      }
    } else io.stdout.write(toNdjsonLine(record));
    if (progress) {
      const t = summary.toJSON();
      const total = inputs === undefined ? {} : { total: inputs - t.skippedAlreadyDone };
      progress.update({ done: t.total, ok: t.ok, review: t.review, failed: t.failed + t.notDetected, ...total });
    }
  };

  const jobs = (async function* () {
    for await (const job of plan.jobs) {
      seen++;
      if (!plan.batch.shard || inShard(job.file, plan.batch.shard)) yield job;
    }
  })();

  const started = performance.now();
  try {
    await runPool(jobs, { concurrency: plan.batch.concurrency, signal: stop.signal }, async (job) => {
      const t0 = performance.now();
      let sha256: string | undefined;
      let loaded: Map<string, Uint8Array> | undefined;
      try {
        // Read once into pooled buffers whether or not there is a results file: no per-image garbage either way.
        loaded = loadFiles(job.files);
        if (results) {
          sha256 = await contentHash(job.files, loaded);
          if (results.has(job.file, sha256)) {
            releaseFiles(loaded);
            summary.skipped(1);
            return;
          }
        }
        const transactionId = g.transactionId ? `${g.transactionId}-${++sequence}` : randomUUID();
        let res: ApiResponse<T>;
        try {
          res = await job.call(session, { transactionId }, loaded);
        } finally {
          releaseFiles(loaded);
          loaded = undefined;
        }
        const verdict = plan.presenter.verdict(res.data);
        await emit(successRecord(job, res, verdict, performance.now() - t0, sha256), res.data);
      } catch (err) {
        await emit(failureRecord(job, err, performance.now() - t0, sha256), undefined);
        // In NDJSON on stdout the record itself says what failed; elsewhere a person is reading stderr.
        if (results || format === 'table' || format === 'csv') reportFailure(err, g, io, job.file);
        // Every later call would fail the same way and the key is the problem: stop instead of spending the batch.
        if (err instanceof AuthenticationError && !fatal) {
          fatal = err;
          stop.abort();
        }
      }
    });
  } finally {
    io.interrupt?.removeEventListener('abort', onInterrupt);
    progress?.finish();
    await session.close();
    await results?.close();
  }

  const totals = summary.toJSON();
  const skippedInputs = plan.skippedInputs?.() ?? [];
  if (skippedInputs.length && !g.quiet) {
    const shown = skippedInputs.slice(0, 5).join(', ');
    io.stderr.write(`${errColors.yellow('skipped')} ${skippedInputs.length} non-image file(s): ${shown}${skippedInputs.length > 5 ? ', …' : ''}\n`);
  }
  if (seen === 0) {
    io.stderr.write(formatError(new Error(plan.emptyMessage ?? 'no input to process'), { colors: errColors }));
    return EXIT.usage;
  }
  // The summary is for a person: shown with a table, a results file, or a terminal on stderr.
  if (!g.quiet && (format === 'table' || results || io.stderr.isTTY)) {
    const { renderBatchSummary } = await import('../ui/tables.js');
    io.stderr.write(
      renderBatchSummary(
        { ...totals, total: totals.total + totals.skippedAlreadyDone, skipped: totals.skippedAlreadyDone, durationMs: performance.now() - started },
        errColors,
      ),
    );
  }
  if (fatal) return exitCodeFor(fatal);
  if (io.interrupt?.aborted) {
    io.stderr.write(`interrupted: ${totals.total} recorded${results ? `; re-run with --out ${plan.batch.out} to finish the rest` : ''}\n`);
    return EXIT.interrupted;
  }
  if (totals.failed > 0 || totals.notDetected > 0) return EXIT.failure;
  return g.strict && totals.review > 0 ? EXIT.review : EXIT.ok;
}
