import { onTestFinished, vi } from 'vitest';
import { resultsFs } from '../../src/batch/results.js';

const MESSAGES: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EIO: 'i/o error',
  EROFS: 'read-only file system',
};

/** An error shaped like the one Node throws for a failed system call. */
export function errnoError(code: string, syscall: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${MESSAGES[code] ?? 'failed'}, ${syscall}`), { code, errno: -1, syscall });
}

export interface DiskFaults {
  code: string;
  /**
   * This line (1 = the first written once the faults are set) gets half its bytes on disk (none if it has only
   * one), then `code`; so does every write after it.
   */
  tearLine?: number;
  /** Every sync that starts once this many lines were written fails with `code`. */
  syncFailsFromLine?: number;
  /** Told once, at the first fault: lets a test note how far the batch had got. */
  onFault?: () => void;
}

export interface DiskLog {
  /** Lines whose writing began. */
  lines: number;
  syncs: number;
  faults: number;
}

/**
 * Makes the results file's disk fail on cue until the test ends. Everything else is the real file: a torn line
 * really is half on disk, and the cut back is a real ftruncate.
 */
export function failingDisk(faults: DiskFaults): DiskLog {
  const real = { ...resultsFs };
  const log: DiskLog = { lines: 0, syncs: 0, faults: 0 };
  let full = false;
  const fault = (syscall: string): NodeJS.ErrnoException => {
    if (log.faults++ === 0) faults.onFault?.();
    return errnoError(faults.code, syscall);
  };
  const write = vi.spyOn(resultsFs, 'writeSync').mockImplementation((fd, bytes, offset) => {
    if (full) throw fault('write');
    if (offset === 0) log.lines++;
    if (log.lines !== faults.tearLine) return real.writeSync(fd, bytes, offset);
    full = true;
    const half = Math.floor(bytes.length / 2);
    if (half === 0) throw fault('write');
    return real.writeSync(fd, bytes.subarray(0, half), offset);
  });
  const sync = vi.spyOn(resultsFs, 'fdatasync').mockImplementation((fd, done) => {
    log.syncs++;
    if (faults.syncFailsFromLine === undefined || log.lines < faults.syncFailsFromLine) real.fdatasync(fd, done);
    // Later, as a real sync would answer: never before the caller's next line of code.
    else setImmediate(() => done(fault('fdatasync')));
  });
  onTestFinished(() => {
    write.mockRestore();
    sync.mockRestore();
  });
  return log;
}
