/** Results files (JSON Lines, src/batch/results.ts) read a line at a time: memory follows the report, not the files. */
import { stat } from 'node:fs/promises';
import { fileError, NotAFileError } from '../../api/errors.js';
import { isResultRecord, readResultsLines, type ResultRecord } from '../../batch/results.js';

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
  // Not readline: from Node 24 on it also ends a line at U+2028/U+2029, which an OCR'd value may hold.
  try {
    for await (const line of readResultsLines(path)) {
      if (line.kind === 'blank') continue;
      if (line.kind === 'json' && isResultRecord(line.value)) {
        yield { record: line.value, line: line.number };
      } else {
        unreadable.count++;
        if (unreadable.lines.length < KEPT_LINE_NUMBERS) unreadable.lines.push(line.number);
      }
    }
  } catch (err) {
    throw fileError(path, err);
  }
}
