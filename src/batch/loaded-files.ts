import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { INLINE_MAX_BYTES } from '../api/image.js';
import { allocUploadBuffer, uploadCapacity, UPLOAD_CONTENT_START } from '../api/upload-buffer.js';
import { fileError } from './file-errors.js';

/*
 * A batch with a results file reads each small input once: the same bytes are hashed (to recognise work already
 * done) and then uploaded. Larger files are left out here and streamed by the client.
 */

/**
 * Upload buffers (src/api/upload-buffer.ts) of INLINE_MAX_BYTES, reused from one input to the next: a batch then
 * allocates (and leaves for the garbage collector) nothing per image, so its memory stays flat instead of holding
 * up to V8's external-memory allowance (~64 MB) of dead image buffers between collections.
 */
const spare: Buffer[] = [];
const SPARE_MAX = 32;

/** Gives back the buffers of loadFiles once the call that sent them has settled (retries included). */
export function releaseFiles(loaded: ReadonlyMap<string, Uint8Array> | undefined): void {
  for (const bytes of loaded?.values() ?? []) {
    if (uploadCapacity(bytes) === INLINE_MAX_BYTES && spare.length < SPARE_MAX) spare.push(Buffer.from(bytes.buffer, 0, bytes.buffer.byteLength));
  }
}

/**
 * The files small enough to keep in memory, read once each (a larger one is left to be streamed). Synchronous on
 * purpose: for a file this small, four plain syscalls cost far less than four thread-pool round trips.
 */
export function loadFiles(files: string[]): Map<string, Uint8Array> {
  const loaded = new Map<string, Uint8Array>();
  for (const file of files) {
    let fd: number | undefined;
    try {
      fd = openSync(file, 'r');
      const st = fstatSync(fd);
      if (!st.isFile() || st.size === 0 || st.size > INLINE_MAX_BYTES) continue;
      const buf = spare.pop() ?? allocUploadBuffer(INLINE_MAX_BYTES);
      let got = 0;
      while (got < st.size) {
        const n = readSync(fd, buf, UPLOAD_CONTENT_START + got, st.size - got, got);
        if (n === 0) break;
        got += n;
      }
      loaded.set(file, buf.subarray(UPLOAD_CONTENT_START, UPLOAD_CONTENT_START + got));
    } catch (err) {
      throw fileError(file, err);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
  return loaded;
}
