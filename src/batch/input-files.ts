import { open } from 'node:fs/promises';
import { fileError } from '../api/errors.js';
import { INLINE_MAX_BYTES } from '../api/image.js';

/**
 * A job's files small enough to keep in memory, read once each: the same bytes are hashed (to recognise work
 * already done) and uploaded. A larger file is left out, to be hashed and uploaded as a stream.
 */
export async function readSmallFiles(files: readonly string[]): Promise<Map<string, Buffer>> {
  const loaded = new Map<string, Buffer>();
  for (const file of files) {
    try {
      const fh = await open(file, 'r');
      try {
        const st = await fh.stat();
        if (st.isFile() && st.size > 0 && st.size <= INLINE_MAX_BYTES) loaded.set(file, await fh.readFile());
      } finally {
        await fh.close();
      }
    } catch (err) {
      throw fileError(file, err);
    }
  }
  return loaded;
}
