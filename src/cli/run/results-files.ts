/**
 * `results summary | export | merge`: results files (--out) read again. Each streams its inputs a line at a time
 * (src/batch/results.ts readResultsLines, the reader a resumed batch uses), so memory does not grow with them;
 * merge alone keeps something per input: one small entry per (path, content).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fdatasyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileError, InvalidArgumentError, NotAFileError } from '../../api/errors.js';
import { isFinal, isResultRecord, readResultsLines, type ResultRecord } from '../../batch/results.js';
import { BatchTally } from '../../batch/summary.js';
import { colorsFor } from '../../ui/colors.js';
import { createCsvWriter, toJson, toNdjsonLine, type CsvWriter } from '../../ui/records.js';
import { Redactor } from '../../ui/redact.js';
import { terminalSafe } from '../../ui/safe-text.js';
import type { ResultsSummary } from '../../ui/tables.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { outputFormat, type GlobalOptions } from '../globals.js';
import type { CliIO, OutStream } from '../io.js';
import { readStoredAnswer, type StoredAnswer } from '../presenters.js';

/** A record and where it was read. */
interface Located {
  record: ResultRecord;
  /** The line as it is in the file. */
  text: string;
  input: number;
  line: number;
}

/** Lines named one by one before the rest are only counted: a damaged file must not flood the terminal. */
const NAMED_LINES = 20;

/**
 * The records of every input in turn, in file order then line order. A line that is not a record (torn by a
 * crash, damaged, another kind of file) is skipped with a warning naming file:line: reading never changes a file.
 */
class RecordReader {
  skipped = 0;

  /** `warn`: where a warning line goes; none for a second pass over lines already warned of. */
  constructor(
    private readonly inputs: readonly string[],
    private readonly warn?: (line: string) => void,
  ) {}

  async *records(): AsyncGenerator<Located> {
    for (const [input, path] of this.inputs.entries()) {
      try {
        for await (const line of readResultsLines(path)) {
          if (line.kind === 'blank') continue;
          if (line.kind === 'json' && isResultRecord(line.value)) yield { record: line.value, text: line.text, input, line: line.number };
          else this.skip({ input, line: line.number }, line.kind === 'invalid' ? 'not valid JSON (a torn or damaged line)' : 'not a results record');
        }
      } catch (err) {
        throw fileError(path, err);
      }
    }
  }

  private skip(at: Pick<Located, 'input' | 'line'>, why: string): void {
    if (++this.skipped <= NAMED_LINES) this.note(at, `${why}: skipped`);
  }

  /** A warning about one line. */
  note({ input, line }: Pick<Located, 'input' | 'line'>, text: string): void {
    this.warn?.(`${terminalSafe(this.inputs[input]!)}:${line}: ${text}`);
  }

  /** Says how many skipped lines were not named. */
  finish(): void {
    if (this.skipped > NAMED_LINES) this.warn?.(`${this.skipped - NAMED_LINES} more lines skipped`);
  }
}

/** Every input must be a readable file before anything is read or written: a typo is exit 2, not half an output. */
async function checkInputs(inputs: readonly string[]): Promise<void> {
  for (const path of inputs) {
    try {
      if (!(await stat(path)).isFile()) throw new NotAFileError(path);
      await (await open(path, 'r')).close();
    } catch (err) {
      throw fileError(path, err);
    }
  }
}

function readerFor(inputs: readonly string[], g: GlobalOptions, io: CliIO): RecordReader {
  const colors = colorsFor(io.stderr, io.env, g.color);
  return new RecordReader(inputs, (line) => io.stderr.write(`${colors.yellow('warning')} ${line}\n`));
}

/**
 * A record's answer read again. The client read it once already, before recording it: only an edited file holds
 * one its reader refuses, which is a warning saying what is `lost` by it.
 */
function answerOf(at: Located, reader: RecordReader, lost: string, redactor?: Redactor): StoredAnswer | undefined {
  try {
    const answer = readStoredAnswer(redactor ? redactor.body(at.record.response) : at.record.response);
    if (!answer) reader.note(at, `an answer of no known shape: ${lost}`);
    return answer;
  } catch (err) {
    reader.note(at, `an answer that cannot be read (${terminalSafe((err as Error).message)}): ${lost}`);
    return undefined;
  }
}

const round = (n: number, places: number): number => Math.round(n * 10 ** places) / 10 ** places;

/** Counts by outcome, failure code and review reason, and call time, over every record of `inputs`. */
export async function summarize(inputs: readonly string[], g: GlobalOptions, io: CliIO): Promise<ExitCode> {
  const format = outputFormat(g);
  if (format === 'csv') throw new InvalidArgumentError('results summary prints a table or JSON (--json), not CSV');
  await checkInputs(inputs);
  const reader = readerFor(inputs, g, io);
  const tally = new BatchTally();
  const reasons: ResultsSummary['reviewReasons'] = { summaryCodes: {}, fields: {} };
  const count = (into: Record<string, number>, key: string): void => void (into[key] = (into[key] ?? 0) + 1);
  let records = 0;
  let calls = 0;
  let callTimeMs = 0;
  for await (const at of reader.records()) {
    records++;
    tally.add(at.record);
    // Not sent at all: no call to time.
    if (at.record.outcome !== 'skipped') {
      calls++;
      callTimeMs += at.record.durationMs;
    }
    if (at.record.outcome !== 'review') continue;
    const why = answerOf(at, reader, 'its review reasons are not counted')?.reviewReasons();
    for (const code of why?.summaryCodes ?? []) count(reasons.summaryCodes, code);
    for (const field of why?.fields ?? []) count(reasons.fields, field);
  }
  reader.finish();
  const t = tally.toJSON();
  const summary: ResultsSummary = {
    records,
    skippedLines: reader.skipped,
    outcomes: { ok: t.ok, review: t.review, not_detected: t.notDetected, failed: t.failed, skipped: t.skipped },
    failedByCode: t.failedByCode,
    reviewReasons: reasons,
    callTimeMs,
    meanCallMs: calls ? round(callTimeMs / calls, 1) : 0,
    callsPerSecondPerWorker: callTimeMs > 0 ? round((calls * 1000) / callTimeMs, 2) : 0,
  };
  if (format === 'json' || format === 'ndjson') {
    io.stdout.write(`${format === 'json' ? toJson(summary, 2) : toJson(summary)}\n`);
  } else {
    const { renderResultsSummary } = await import('../../ui/tables.js');
    io.stdout.write(renderResultsSummary(summary, colorsFor(io.stdout, io.env, g.color), g.lang));
  }
  return EXIT.ok;
}

export interface ExportFlags {
  out?: string;
  /** `--no-bom` sets it false. */
  bom: boolean;
}

/**
 * The records as NDJSON, or their answers as the CSV `-o csv` prints: the columns of the presenter of the call
 * that made the first answer (told from its shape), one row per answered record. To a file it goes whole or not
 * at all, private (0600); a CSV file starts with a UTF-8 byte-order mark, without which Excel misreads Vietnamese.
 * Never to stdout: a BOM there would end up inside whatever the pipe feeds.
 */
export async function exportRecords(inputs: readonly string[], f: ExportFlags & GlobalOptions, io: CliIO): Promise<ExitCode> {
  const format = outputFormat(f);
  if (format !== 'csv' && format !== 'ndjson') throw new InvalidArgumentError('results export writes CSV or NDJSON: give -o csv or -o ndjson');
  await checkInputs(inputs);
  if (f.out) await refuseOverwritingAnInput(f.out, inputs);
  // One per record, as for -o csv: a Redactor remembers the values it masked, to mask them in messages too.
  const redactorFor = (await redactionWanted(f, io.env)) ? () => new Redactor() : () => undefined;
  const file = f.out ? PrivateFile.create(f.out) : undefined;
  const out: OutStream = file ?? io.stdout;
  const reader = readerFor(inputs, f, io);
  let rows = 0;
  let unanswered = 0;
  try {
    if (file && format === 'csv' && f.bom) file.write('\uFEFF');
    let csv: CsvWriter | undefined;
    for await (const at of reader.records()) {
      const redactor = redactorFor();
      if (format === 'ndjson') {
        out.write(toNdjsonLine(redactor ? redactor.record(at.record) : at.record));
        rows++;
        continue;
      }
      // As with -o csv, a failure has no row: `results summary` counts them.
      if (!at.record.ok) {
        unanswered++;
        continue;
      }
      const answer = answerOf(at, reader, 'no row', redactor);
      if (!answer) continue;
      // Rows of another kind than the first keep the header: their other values go into `extra`.
      csv ??= createCsvWriter(out, answer.csvColumns, { raw: Boolean(f.csvRaw) });
      csv.write(at.record.file, answer.csvRow());
      rows++;
    }
    reader.finish();
    file?.commit();
  } catch (err) {
    file?.discard();
    throw err;
  }
  if (!f.quiet) {
    const left = unanswered ? ` (${unanswered} records without an answer have no row)` : '';
    io.stderr.write(`exported ${rows} ${format === 'csv' ? 'rows' : 'records'}${f.out ? ` to ${terminalSafe(f.out)}` : ''}${left}\n`);
  }
  return EXIT.ok;
}

/** --redact > FINOS_REDACT > the profile's `redact`, as for every other output; results files themselves never are. */
async function redactionWanted(g: GlobalOptions, env: NodeJS.ProcessEnv): Promise<boolean> {
  if (g.redact !== undefined) return g.redact;
  const [{ resolveSettings }, { readProfiles }] = await Promise.all([import('../../config/resolve.js'), import('../../config/profiles.js')]);
  return Boolean(resolveSettings({ env, store: readProfiles(env.FINOS_CONFIG_DIR || undefined), ...(g.profile ? { profileName: g.profile } : {}) }).redact);
}

/** Which answer stays when an input has several: a success over anything, a final "not detected" over a retryable failure. */
const rank = (r: ResultRecord): number => (r.ok ? 2 : isFinal(r) ? 1 : 0);

/**
 * One record per (path, content sha256) from the results files of `--shard` runs, or of runs resumed with another
 * --out. Among the records of one key the latest wins (later file on the command line, then later line), except
 * that a success is never replaced by a failure, nor a "not detected" by a failure that a re-run would retry: the
 * rule a resumed batch follows (isFinal). Two passes: the first picks each key's line and keeps only that (one
 * small entry per key), the second copies the chosen lines as they are, in file then line order.
 */
export async function mergeRecords(inputs: readonly string[], f: { out: string } & GlobalOptions, io: CliIO): Promise<ExitCode> {
  await checkInputs(inputs);
  await refuseOverwritingAnInput(f.out, inputs);
  const chosen = new Map<string, { input: number; line: number; rank: number }>();
  const keyOf = (r: ResultRecord): string => `${r.file}\0${r.sha256 ?? ''}`;
  const first = readerFor(inputs, f, io);
  let records = 0;
  let keptEarlier = 0;
  for await (const { record, input, line } of first.records()) {
    records++;
    const key = keyOf(record);
    const held = chosen.get(key);
    if (held && rank(record) < held.rank) keptEarlier++;
    else chosen.set(key, { input, line, rank: rank(record) });
  }
  first.finish();

  const file = PrivateFile.create(f.out);
  let written = 0;
  try {
    // The first pass warned of every skipped line.
    const second = new RecordReader(inputs);
    for await (const { record, text, input, line } of second.records()) {
      const pick = chosen.get(keyOf(record));
      if (pick?.input !== input || pick.line !== line) continue;
      file.write(`${text}\n`);
      written++;
    }
    if (written !== chosen.size) throw new Error(`an input changed while it was merged (${written} of ${chosen.size} records found again): nothing was written; merge again once no batch writes to it`);
    file.commit();
  } catch (err) {
    file.discard();
    throw err;
  }
  if (!f.quiet) {
    const duplicates = records - written;
    const detail = duplicates ? ` (${duplicates - keptEarlier} replaced by a later answer, ${keptEarlier} later failures left out)` : '';
    io.stderr.write(`merged ${records} records from ${inputs.length} files into ${written} in ${terminalSafe(f.out)}: ${duplicates} duplicates${detail}\n`);
  }
  return EXIT.ok;
}

/** Writing over an input would destroy what is being read: refused, whatever name (or link) reaches it. */
async function refuseOverwritingAnInput(out: string, inputs: readonly string[]): Promise<void> {
  const target = await stat(out).catch(() => undefined);
  if (!target) return;
  if (target.isDirectory()) throw new InvalidArgumentError(`--out ${out} is a folder: give a file name`);
  for (const input of inputs) {
    const s = await stat(input);
    if (s.dev === target.dev && s.ino === target.ino) throw new InvalidArgumentError(`--out ${out} is one of the inputs (${input}): write to a new file`);
  }
}

/**
 * A file of personal data written whole or not at all: a private (0600) temporary file beside it, synced, then
 * renamed over the name, so neither a crash nor a reader ever sees half of it. Writes are synchronous and
 * buffered: memory stays bounded however much goes through.
 */
class PrivateFile implements OutStream {
  private chunks: string[] = [];
  private buffered = 0;

  private constructor(
    private readonly path: string,
    private readonly temp: string,
    private readonly fd: number,
  ) {}

  static create(path: string): PrivateFile {
    const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      return new PrivateFile(path, temp, openSync(temp, 'wx', 0o600));
    } catch (err) {
      throw new InvalidArgumentError(`cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
    }
  }

  write(text: string): boolean {
    this.chunks.push(text);
    this.buffered += text.length;
    if (this.buffered >= 1 << 16) this.flush();
    return true;
  }

  commit(): void {
    this.flush();
    fdatasyncSync(this.fd);
    closeSync(this.fd);
    renameSync(this.temp, this.path);
  }

  discard(): void {
    try {
      closeSync(this.fd);
    } catch {
      // Already closed by a commit that failed at the rename.
    }
    rmSync(this.temp, { force: true });
  }

  private flush(): void {
    const bytes = Buffer.from(this.chunks.join(''));
    for (let at = 0; at < bytes.length; ) at += writeSync(this.fd, bytes, at);
    this.chunks = [];
    this.buffered = 0;
  }
}
