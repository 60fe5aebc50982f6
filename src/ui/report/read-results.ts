/** Results files (JSON Lines, src/batch/results.ts) read a line at a time: memory follows the report, not the files. */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileError, NotAFileError } from '../../api/errors.js';
import type { ResultRecord } from '../../batch/results.js';
import { isResultRecord } from './digest.js';

export interface ReadLine {
  record: ResultRecord;
  /** 1-based. */
  line: number;
}

/** Line numbers of the lines that were not records: the first few, for a message, and how many in all. */
export interface Unreadable {
  lines: number[];
  count: number;
}

const KEPT_LINE_NUMBERS = 10;

/**
 * Yields each results record of `path`. A line that is not a record (a torn last line after a crash, damage, another
 * kind of file) is counted in `unreadable` and skipped: a report is read-only, so nothing is lost by going on.
 */
export async function* readResults(path: string, unreadable: Unreadable): AsyncGenerator<ReadLine> {
  try {
    if (!(await stat(path)).isFile()) throw new NotAFileError(path);
  } catch (err) {
    throw fileError(path, err);
  }
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of lines) {
      line++;
      if (!text.trim()) continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        value = undefined;
      }
      if (isResultRecord(value)) {
        yield { record: value, line };
      } else {
        unreadable.count++;
        if (unreadable.lines.length < KEPT_LINE_NUMBERS) unreadable.lines.push(line);
      }
    }
  } catch (err) {
    throw fileError(path, err);
  }
}
