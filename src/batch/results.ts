import { createHash } from 'node:crypto';
import { close, closeSync, createReadStream, fdatasync, fstatSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { truncate } from 'node:fs/promises';
import { promisify } from 'node:util';
import { InputError, RecordingFailedError, fileError } from '../api/errors.js';

/** `skipped`: not sent, because a pre-flight check failed (`--preflight skip`); a later run may send it. */
export type Outcome = 'ok' | 'review' | 'not_detected' | 'failed' | 'skipped';

export interface ResultRecord {
  file: string;
  /** Every input of a pair call. */
  files?: string[];
  /** Of the content of all the files, in order: a file replaced under the same name is new work. */
  sha256?: string;
  ok: boolean;
  outcome: Outcome;
  httpStatus?: number;
  requestId?: string;
  transactionId?: string;
  durationMs: number;
  response?: unknown;
  error?: { code: string; status?: number; message: string };
  /** What was done to the image(s) before sending (src/api/image.ts); absent when the bytes went unchanged. */
  prepared?: unknown;
  /** What the pre-flight checks found (src/api/preflight.ts). */
  preflight?: unknown[];
}

export interface ResultsFile {
  /** Whether this content under this name already has its answer (see isFinal), from an earlier run or this one. */
  has(file: string, sha256: string): boolean;
  /**
   * Throws RecordingFailedError once the file cannot take records (a failed write or sync), carrying every
   * record lost since the last such error; the file is cut back to its last whole, durable line.
   */
  append(record: ResultRecord): void;
  /** Syncs the last lines; rejects with RecordingFailedError for records that sync (or an earlier one) lost. */
  close(): Promise<void>;
  /** Inputs that had their answer before this run. */
  readonly previouslyDone: number;
}

/** Damage that is not a torn last line: resuming past it could pay again for what it recorded. */
export class ResultsFileError extends InputError {
  readonly code = 'invalid_results_file';
}

/** sha256 over the bytes of the files, one after the other: from memory when loaded, else streamed. */
export async function contentHash(files: string[], loaded?: ReadonlyMap<string, Uint8Array>): Promise<string> {
  const hash = createHash('sha256');
  for (const file of files) {
    const bytes = loaded?.get(file);
    if (bytes) {
      hash.update(bytes);
      continue;
    }
    try {
      for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
    } catch (err) {
      throw fileError(file, err);
    }
  }
  return hash.digest('hex');
}

/**
 * Opens a JSON Lines results file for appending, after reading which inputs it records as done. A success is
 * final: a later failure for the same content does not undo it, so no input is ever paid for twice.
 */
export async function openResultsFile(path: string): Promise<ResultsFile> {
  const done = new Set<string>();
  const { validEnd, size, unterminated } = await scan(path, done);
  // A crash mid-write leaves a partial last line; cutting it lets the next append start a line of its own.
  if (validEnd < size) await truncate(path, validEnd);
  // The mode applies only when the file is created: an existing file keeps the mode its owner gave it.
  const fd = openSync(path, 'a', 0o600);
  const file = new AppendOnlyResults(path, fd, done);
  // A complete record that lost only its newline is kept: it is proof of a paid call.
  if (unterminated) {
    try {
      file.write('\n');
    } catch (err) {
      closeSync(fd);
      throw new RecordingFailedError(path, [], err);
    }
  }
  return file;
}

/** How stale the durable copy may be after a power cut; a crash of the process alone loses nothing. */
const SYNC_INTERVAL_MS = 100;

const keyOf = (file: string, sha256: string): string => `${file}\0${sha256}`;

interface ResultsFs {
  writeSync(fd: number, bytes: Uint8Array, offset: number): number;
  fdatasync(fd: number, done: (err: NodeJS.ErrnoException | null) => void): void;
  ftruncateSync(fd: number, length: number): void;
}

/** The file calls a results file makes once open, looked up at each call: tests replace one to fail on cue. */
export const resultsFs: ResultsFs = { writeSync, fdatasync, ftruncateSync };

class AppendOnlyResults implements ResultsFile {
  readonly previouslyDone: number;
  private syncing: Promise<void> | undefined;
  private dirty = false;
  /** Ends the wait between two syncs early: set while the syncer sleeps. */
  private wake: (() => void) | undefined;
  /** Byte offset just past the last whole line written, and just past the last line a sync made durable. */
  private end: number;
  private durableEnd: number;
  /** Records written since the last sync that succeeded, with the offset each ends at. */
  private unsynced: { record: ResultRecord; end: number }[] = [];
  /** Why the file takes no more records (the first failed write or sync), and what it lost not yet reported. */
  private broken: { cause: unknown; lost: ResultRecord[] } | undefined;

  constructor(
    private readonly path: string,
    private readonly fd: number,
    private readonly done: Set<string>,
  ) {
    this.previouslyDone = done.size;
    this.end = this.durableEnd = fstatSync(fd).size;
  }

  has(file: string, sha256: string): boolean {
    return this.done.has(keyOf(file, sha256));
  }

  append(record: ResultRecord): void {
    if (!this.broken) {
      try {
        this.write(`${JSON.stringify(record)}\n`);
        this.unsynced.push({ record, end: this.end });
        if (isFinal(record) && record.sha256) this.done.add(keyOf(record.file, record.sha256));
        return;
      } catch (err) {
        // Lines already written stay: the syncer still makes them durable, or reports them lost at close.
        this.breakOff(err, this.end);
      }
    }
    throw this.failure([record]);
  }

  /** One synchronous write per line, on an O_APPEND fd: lines from concurrent workers cannot interleave. */
  write(text: string): void {
    const bytes = Buffer.from(text);
    for (let at = 0; at < bytes.length; ) at += resultsFs.writeSync(this.fd, bytes, at);
    this.end += bytes.length;
    this.scheduleSync();
  }

  async close(): Promise<void> {
    // The last lines are synced now rather than after the rest of the interval: every batch used to end up to
    // 100 ms later than its last answer.
    this.wake?.();
    await this.syncing;
    await promisify(close)(this.fd);
    if (this.broken?.lost.length) throw this.failure([]);
  }

  /**
   * Cuts the file back to `keep` bytes, so it ends with a whole line, and stops it taking records. The lines
   * past `keep` are lost: torn, or (after a failed sync) not known to be on disk.
   */
  private breakOff(cause: unknown, keep: number): void {
    this.broken ??= { cause, lost: [] };
    this.broken.lost.push(...this.unsynced.filter((u) => u.end > keep).map((u) => u.record));
    this.unsynced = this.unsynced.filter((u) => u.end <= keep);
    try {
      resultsFs.ftruncateSync(this.fd, keep);
    } catch {
      // Nothing more can be done here: the next run's open cuts a torn last line, and a whole line left past
      // `keep` only means that run pays again for less than was reported.
    }
  }

  /** The error for `records` and for everything lost since the last one was thrown, which it now reports. */
  private failure(records: ResultRecord[]): RecordingFailedError<ResultRecord> {
    const broken = this.broken!;
    const lost = broken.lost.splice(0);
    return new RecordingFailedError(this.path, [...lost, ...records], broken.cause);
  }

  /**
   * Records of paid calls must survive a power cut, or the next run pays for them again (and indexes a face
   * twice). fdatasync per line would stall the event loop, so syncs run off-thread, one at a time, each covering
   * every line written before it started. A failed sync is never retried: after one, Linux may report a later
   * sync as a success although the pages it had were dropped, so every line it covered counts as lost.
   */
  private scheduleSync(): void {
    this.dirty = true;
    this.syncing ??= (async () => {
      try {
        while (this.dirty) {
          this.dirty = false;
          const covered = this.end;
          await promisify(resultsFs.fdatasync)(this.fd);
          this.durableEnd = covered;
          this.unsynced = this.unsynced.filter((u) => u.end > covered);
          // At hundreds of records a second, back-to-back syncs cost more CPU than the records: one per interval.
          if (this.dirty) await this.pause();
        }
      } catch (err) {
        this.breakOff(err, this.durableEnd);
      } finally {
        this.syncing = undefined;
      }
    })();
  }

  private pause(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wake?.(), SYNC_INTERVAL_MS);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }
}

interface ScanResult {
  /** Byte offset just past the last line holding valid JSON. */
  validEnd: number;
  size: number;
  /** That line has no newline after it. */
  unterminated: boolean;
}

/**
 * An answer the API gave about these exact bytes, and may have billed: a success, or "not detected" (422), which
 * the same bytes would get again. Everything else (network, 5xx, 429, auth, local input) is retried by a re-run.
 */
export function isFinal(r: Partial<Pick<ResultRecord, 'ok' | 'outcome'>>): boolean {
  return r.ok === true || r.outcome === 'not_detected';
}

/** Reads an existing results file into `done`, and where its last whole line ends, to cut a torn one after it. */
async function scan(path: string, done: Set<string>): Promise<ScanResult> {
  const result: ScanResult = { validEnd: 0, size: 0, unterminated: false };
  let firstBadLine: number | undefined;
  try {
    for await (const line of readResultsLines(path)) {
      result.size += line.size;
      if (line.kind === 'blank') continue;
      if (line.kind === 'invalid') {
        firstBadLine ??= line.number;
        continue;
      }
      if (firstBadLine !== undefined) {
        throw new ResultsFileError(path, `${path}: line ${firstBadLine} is not valid JSON but later lines are; the file was edited or damaged: fix or delete that line, then resume`);
      }
      result.validEnd = result.size;
      result.unterminated = !line.terminated;
      const r = line.value as Partial<ResultRecord> | null;
      if (r && isFinal(r) && typeof r.file === 'string' && typeof r.sha256 === 'string') done.add(keyOf(r.file, r.sha256));
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return result;
    throw err;
  }
  return result;
}

/** One line of a results file. */
export type ResultsLine = {
  /** 1-based. */
  number: number;
  /** In bytes, its newline included. */
  size: number;
  /** Only a last line can lack its newline: torn by a crash, or complete but for it. */
  terminated: boolean;
} & ({ kind: 'blank' } | { kind: 'invalid' } | { kind: 'json'; value: unknown; text: string });

/**
 * Every line of a results file, streamed: its JSON value and text, or `invalid` when it does not parse (torn or
 * damaged). Sizes count bytes exactly (no readline), so a caller can cut the file at the end of a line.
 */
export async function* readResultsLines(path: string): AsyncGenerator<ResultsLine> {
  let number = 0;
  const line = (bytes: Buffer, terminated: boolean): ResultsLine => {
    const at = { number: ++number, size: bytes.length + (terminated ? 1 : 0), terminated };
    const text = bytes.toString('utf8').trim();
    if (!text) return { ...at, kind: 'blank' };
    try {
      return { ...at, kind: 'json', value: JSON.parse(text), text };
    } catch {
      return { ...at, kind: 'invalid' };
    }
  };
  let partial: Buffer[] = [];
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    let from = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, from)) {
      partial.push(chunk.subarray(from, nl));
      yield line(Buffer.concat(partial), true);
      partial = [];
      from = nl + 1;
    }
    partial.push(chunk.subarray(from));
  }
  const rest = Buffer.concat(partial);
  if (rest.length > 0) yield line(rest, false);
}

const OUTCOMES: ReadonlySet<string> = new Set<Outcome>(['ok', 'review', 'not_detected', 'failed', 'skipped']);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether a parsed line is a record this program wrote: anything else in a results file is left out. */
export function isResultRecord(v: unknown): v is ResultRecord {
  if (!isObject(v)) return false;
  const files = v.files;
  return (
    typeof v.file === 'string' &&
    typeof v.ok === 'boolean' &&
    typeof v.outcome === 'string' &&
    OUTCOMES.has(v.outcome) &&
    typeof v.durationMs === 'number' &&
    (v.sha256 === undefined || typeof v.sha256 === 'string') &&
    (files === undefined || (Array.isArray(files) && files.every((f) => typeof f === 'string')))
  );
}

/** Which call made an answer (src/api/schemas.ts `normalize`): a record keeps the body, not the command. */
export type AnswerKind = 'nationalId' | 'documentList' | 'compare' | 'liveness' | 'indexed' | 'search' | 'history';

/** The kind of a response body, by its shape; undefined for a shape no call answers with. */
export function answerKind(body: unknown): AnswerKind | undefined {
  if (!isObject(body)) return undefined;
  const { result, data } = body;
  if (isObject(data)) return 'indexed';
  // An empty search may answer `data: null`.
  if (Array.isArray(data) || (data === null && 'data' in body)) return 'search';
  if (Array.isArray(result)) return 'documentList';
  if (!isObject(result)) return undefined;
  if ('liveFace' in result) return 'liveness';
  if ('match' in result) return 'compare';
  // A single DL, passport or MRC document is `result: {type, details}`; the national ID's is `result: {details, summary}`.
  if ('type' in result) return 'documentList';
  if (isObject(result.details) && 'transactions' in result.details) return 'history';
  return 'details' in result ? 'nationalId' : undefined;
}
