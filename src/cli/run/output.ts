import { InvalidResponseError } from '../../api/errors.js';
import type { ResultRecord, ResultsFile } from '../../batch/results.js';
import { colorsFor } from '../../ui/colors.js';
import { formatError } from '../../ui/errors.js';
import { preparedLines } from '../../ui/prepared.js';
import { createCsvWriter, toNdjsonLine, type CsvWriter } from '../../ui/records.js';
import { outputFormat, type GlobalOptions } from '../globals.js';
import type { CliIO } from '../io.js';
import type { ViewOptions } from '../presenters.js';
import type { Session } from '../session.js';
import type { Plan } from './plan.js';

export function viewOptions<T>(plan: Plan<T>, g: GlobalOptions, io: CliIO, session: Session): ViewOptions {
  const threshold = plan.threshold ?? session.threshold;
  return { colors: colorsFor(io.stdout, io.env, g.color), showUrls: Boolean(plan.showUrls), ...(threshold ? { threshold } : {}) };
}

/** The error line (and hint) on stderr; with --debug, the body of a response we could not use, so a paid answer is never lost. */
export function reportFailure(err: unknown, g: GlobalOptions, io: CliIO, file?: string): void {
  const colors = colorsFor(io.stderr, io.env, g.color);
  const text = formatError(err, { colors, debug: Boolean(g.debug) });
  io.stderr.write(file ? text.replace(/^(\S*finos-ekyc:\S*) /, `$1 ${file}: `) : text);
  if (g.debug && err instanceof InvalidResponseError && err.body !== undefined) {
    io.stderr.write(`debug: response body: ${typeof err.body === 'string' ? err.body : JSON.stringify(err.body)}\n`);
  }
}

/** A single call's answer on stdout, in the chosen format: the API's JSON as it came, or as a person reads it. */
export async function writeAnswer<T>(plan: Plan<T>, g: GlobalOptions, io: CliIO, session: Session, record: ResultRecord, data: T): Promise<void> {
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
      io.stdout.write(`${await plan.presenter.table(data, viewOptions(plan, g, io, session))}${preparedLines(record.prepared)}`);
  }
}

/** Where a batch's records go: one writer per destination, each told of every record as it is made. */
export interface RecordWriter<T> {
  write(record: ResultRecord, data: T | undefined): Promise<void> | void;
  /** Whether a failure's error line must also go to stderr: the record itself does not say it where a person looks. */
  readonly failuresOnStderr: boolean;
}

export function recordWriter<T>(plan: Plan<T>, g: GlobalOptions, io: CliIO, session: Session, results: ResultsFile | undefined): RecordWriter<T> {
  if (results) return { write: (record) => results.append(record), failuresOnStderr: true };
  switch (outputFormat(g)) {
    case 'csv': {
      let csv: CsvWriter | undefined;
      return {
        write(record, data) {
          // Made at the first record: a batch that has none (an empty folder) prints not even a header.
          csv ??= createCsvWriter(io.stdout, plan.presenter.csvColumns);
          if (data !== undefined) csv.write(record.file, plan.presenter.csvRow(data));
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
            const table = await plan.presenter.table(data, viewOptions(plan, g, io, session));
            io.stdout.write(`${colors.bold(`── ${record.file} ──`)}\n${table}${preparedLines(record.prepared)}`);
          }
        },
        failuresOnStderr: true,
      };
    }
    default:
      return { write: (record) => void io.stdout.write(toNdjsonLine(record)), failuresOnStderr: false };
  }
}
