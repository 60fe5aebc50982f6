import { FinosError, InvalidResponseError } from '../../api/errors.js';
import type { ResultRecord, ResultsFile } from '../../batch/results.js';
import { colorsFor } from '../../ui/colors.js';
import { formatError } from '../../ui/errors.js';
import { preparedLines } from '../../ui/prepared.js';
import { createCsvWriter, toJson, toNdjsonLine, type CsvValue, type CsvWriter } from '../../ui/records.js';
import { Redactor } from '../../ui/redact.js';
import { terminalSafe } from '../../ui/safe-text.js';
import { outputFormat, type GlobalOptions } from '../globals.js';
import type { CliIO } from '../io.js';
import type { ViewOptions } from '../presenters.js';
import type { Session } from '../session.js';
import type { Plan } from './plan.js';

export function viewOptions<T>(plan: Plan<T>, g: GlobalOptions, io: CliIO, session: Session, redactor?: Redactor): ViewOptions {
  const threshold = plan.threshold ?? session.threshold;
  return { colors: colorsFor(io.stdout, io.env, g.color), showUrls: Boolean(plan.showUrls), ...(threshold ? { threshold } : {}), ...(redactor ? { redactor } : {}), ...(g.lang ? { lang: g.lang } : {}) };
}

/** With --redact, a Redactor for one answer: every output of that answer is masked by it. */
const redactorFor = (session: Pick<Session, 'redact'>): Redactor | undefined => (session.redact ? new Redactor() : undefined);

function csvRow<T>(plan: Plan<T>, data: T, redactor: Redactor | undefined): Record<string, CsvValue> {
  return plan.presenter.csvRow(redactor ? plan.presenter.redact(data, redactor) : data);
}

/**
 * The error line (and hint) on stderr, `file` named first; with --debug, the body of a response we could not use,
 * so a paid answer is never lost. With `redact`, what the body holds of a person is masked in the message, and a
 * body that is not JSON is not shown.
 */
export function reportFailure(err: unknown, g: GlobalOptions, io: CliIO, { file, redact = false }: { file?: string; redact?: boolean } = {}): void {
  const colors = colorsFor(io.stderr, io.env, g.color);
  const redactor = redact ? new Redactor() : undefined;
  const raw = err instanceof FinosError ? err.body : undefined;
  // Masked first: the Redactor learns the body's personal values, to mask them in the message and stack too.
  const body = redactor && raw !== undefined ? redactor.body(raw) : raw;
  io.stderr.write(formatError(err, { colors, debug: Boolean(g.debug), ...(file === undefined ? {} : { file }), ...(redactor ? { mask: (t: string) => redactor.text(t) } : {}) }));
  if (g.debug && err instanceof InvalidResponseError && body !== undefined) {
    const shown = typeof body !== 'string' ? toJson(body) : redactor ? `(${body.length} characters, not shown with --redact)` : body;
    io.stderr.write(`debug: response body: ${terminalSafe(shown)}\n`);
  }
}

/** A single call's answer on stdout, in the chosen format: the API's JSON as it came, or as a person reads it. */
export async function writeAnswer<T>(plan: Plan<T>, g: GlobalOptions, io: CliIO, session: Session, record: ResultRecord, data: T): Promise<void> {
  const redactor = redactorFor(session);
  switch (outputFormat(g)) {
    case 'json':
      io.stdout.write(toJson(redactor ? redactor.body(record.response) : record.response, 2) + '\n');
      return;
    case 'ndjson':
      io.stdout.write(toNdjsonLine(shownRecord(record, session)));
      return;
    case 'csv':
      createCsvWriter(io.stdout, plan.presenter.csvColumns, { raw: Boolean(g.csvRaw) }).write(record.file, csvRow(plan, data, redactor));
      return;
    case 'table':
      io.stdout.write(`${await plan.presenter.table(data, viewOptions(plan, g, io, session, redactor))}${preparedLines(record.prepared)}`);
  }
}

/** A record that goes somewhere other than the results file: masked with --redact. */
export function shownRecord(record: ResultRecord, session: Pick<Session, 'redact'>): ResultRecord {
  return redactorFor(session)?.record(record) ?? record;
}

/** Where a batch's records go: one writer per destination, each told of every record as it is made. */
export interface RecordWriter<T> {
  write(record: ResultRecord, data: T | undefined): Promise<void> | void;
  /** Whether a failure's error line must also go to stderr: the record itself does not say it where a person looks. */
  readonly failuresOnStderr: boolean;
}

export function recordWriter<T>(plan: Plan<T>, g: GlobalOptions, io: CliIO, session: Session, results: ResultsFile | undefined): RecordWriter<T> {
  // The results file is the paid record: always complete, --redact or not.
  if (results) return { write: (record) => results.append(record), failuresOnStderr: true };
  switch (outputFormat(g)) {
    case 'csv': {
      let csv: CsvWriter | undefined;
      return {
        write(record, data) {
          // Made at the first record: a batch that has none (an empty folder) prints not even a header.
          csv ??= createCsvWriter(io.stdout, plan.presenter.csvColumns, { raw: Boolean(g.csvRaw) });
          if (data !== undefined) csv.write(record.file, csvRow(plan, data, redactorFor(session)));
        },
        failuresOnStderr: true,
      };
    }
    case 'table': {
      const colors = colorsFor(io.stdout, io.env, g.color);
      return {
        async write(record, data) {
          // Rendered whole, then written in one call, so two workers' tables never interleave.
          if (data !== undefined) {
            const table = await plan.presenter.table(data, viewOptions(plan, g, io, session, redactorFor(session)));
            io.stdout.write(`${colors.bold(`── ${terminalSafe(record.file)} ──`)}\n${table}${preparedLines(record.prepared)}`);
          }
        },
        failuresOnStderr: true,
      };
    }
    default:
      return { write: (record) => void io.stdout.write(toNdjsonLine(shownRecord(record, session))), failuresOnStderr: false };
  }
}
