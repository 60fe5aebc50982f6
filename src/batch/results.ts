import { createHash } from 'node:crypto';
import { close, createReadStream, fdatasync, openSync, writeSync } from 'node:fs';
import { truncate } from 'node:fs/promises';
import { promisify } from 'node:util';
import { InputError, fileError } from '../api/errors.js';

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
  append(record: ResultRecord): void;
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
  const file = new AppendOnlyResults(fd, done);
  // A complete record that lost only its newline is kept: it is proof of a paid call.
  if (unterminated) file.write('\n');
  return file;
}

/** How stale the durable copy may be after a power cut; a crash of the process alone loses nothing. */
const SYNC_INTERVAL_MS = 100;

const keyOf = (file: string, sha256: string): string => `${file}\0${sha256}`;

class AppendOnlyResults implements ResultsFile {
  readonly previouslyDone: number;
  private syncing: Promise<void> | undefined;
  private dirty = false;
  private syncError: unknown;
  /** Ends the wait between two syncs early: set while the syncer sleeps. */
  private wake: (() => void) | undefined;

  constructor(
    private readonly fd: number,
    private readonly done: Set<string>,
  ) {
    this.previouslyDone = done.size;
  }

  has(file: string, sha256: string): boolean {
    return this.done.has(keyOf(file, sha256));
  }

  append(record: ResultRecord): void {
    this.write(`${JSON.stringify(record)}\n`);
    if (isFinal(record) && record.sha256) this.done.add(keyOf(record.file, record.sha256));
  }

  /** One synchronous write per line, on an O_APPEND fd: lines from concurrent workers cannot interleave. */
  write(text: string): void {
    if (this.syncError) throw this.syncError;
    const bytes = Buffer.from(text);
    for (let at = 0; at < bytes.length; ) at += writeSync(this.fd, bytes, at);
    this.scheduleSync();
  }

  async close(): Promise<void> {
    // The last lines are synced now rather than after the rest of the interval: every batch used to end up to
    // 100 ms later than its last answer.
    this.wake?.();
    await this.syncing;
    await promisify(close)(this.fd);
    if (this.syncError) throw this.syncError;
  }

  /**
   * Records of paid calls must survive a power cut, or the next run pays for them again (and indexes a face
   * twice). fdatasync per line would stall the event loop, so syncs run off-thread, one at a time, each covering
   * every line written before it started.
   */
  private scheduleSync(): void {
    this.dirty = true;
    this.syncing ??= (async () => {
      try {
        while (this.dirty) {
          this.dirty = false;
          await promisify(fdatasync)(this.fd);
          // At hundreds of records a second, back-to-back syncs cost more CPU than the records: one per interval.
          if (this.dirty) await this.pause();
        }
      } catch (err) {
        this.syncError = err;
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
function isFinal(r: Partial<Pick<ResultRecord, 'ok' | 'outcome'>>): boolean {
  return r.ok === true || r.outcome === 'not_detected';
}

/** Reads an existing results file, line by line, into `done`. Byte offsets are counted exactly (no readline), to cut at the right place. */
async function scan(path: string, done: Set<string>): Promise<ScanResult> {
  const result: ScanResult = { validEnd: 0, size: 0, unterminated: false };
  let lineNo = 0;
  let firstBadLine: number | undefined;
  const onLine = (bytes: Buffer, terminated: boolean): void => {
    lineNo++;
    result.size += bytes.length + (terminated ? 1 : 0);
    const text = bytes.toString('utf8').trim();
    if (!text) return;
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch {
      firstBadLine ??= lineNo;
      return;
    }
    if (firstBadLine !== undefined) {
      throw new ResultsFileError(path, `${path}: line ${firstBadLine} is not valid JSON but later lines are; the file was edited or damaged: fix or delete that line, then resume`);
    }
    result.validEnd = result.size;
    result.unterminated = !terminated;
    const r = record as Partial<ResultRecord> | null;
    if (r && isFinal(r) && typeof r.file === 'string' && typeof r.sha256 === 'string') done.add(keyOf(r.file, r.sha256));
  };
  try {
    let partial: Buffer[] = [];
    for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
      let from = 0;
      for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, from)) {
        partial.push(chunk.subarray(from, nl));
        onLine(Buffer.concat(partial), true);
        partial = [];
        from = nl + 1;
      }
      partial.push(chunk.subarray(from));
    }
    const rest = Buffer.concat(partial);
    if (rest.length > 0) onLine(rest, false);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return result;
    throw err;
  }
  return result;
}
