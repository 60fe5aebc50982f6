import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { fileError } from '../api/errors.js';
import { INLINE_MAX_BYTES } from '../api/image.js';

/**
 * A job's files small enough to keep in memory, read once each: the same bytes are hashed (to recognise work
 * already done) and uploaded. A larger file is left out, to be hashed and uploaded as a stream.
 * Synchronous: four plain syscalls for a file this small cost less than four thread-pool round trips (2,000 × 295 KB
 * at latency 0, median of 5: CPU -14 % on Node 22, -13 % on Node 24; wall time -12 % and -16 %).
 */
export function readSmallFiles(files: readonly string[]): Map<string, Buffer> {
  const loaded = new Map<string, Buffer>();
  for (const file of files) {
    let fd: number | undefined;
    try {
      fd = openSync(file, 'r');
      const st = fstatSync(fd);
      if (st.isFile() && st.size > 0 && st.size <= INLINE_MAX_BYTES) loaded.set(file, readFileSync(fd));
    } catch (err) {
      throw fileError(file, err);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
  return loaded;
}
