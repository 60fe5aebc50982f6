import { randomUUID } from 'node:crypto';
import type { PreparedImage } from './image.js';
import { frameInPlace } from './upload-buffer.js';

/** A multipart/form-data body with its length known up front, so it is never sent chunked. */
export interface MultipartBody {
  contentType: string;
  contentLength: number;
  /**
   * One buffer when a single in-memory image could be framed in place (upload-buffer.ts says why); otherwise the
   * pieces as they are, large files read from their Blob as the socket takes them.
   */
  body: Buffer | AsyncIterable<Uint8Array>;
}

const escapeName = (s: string): string => s.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22');

/**
 * multipart/form-data written here rather than by undici's FormData: FormData encodes through web streams, which
 * cost about 1 ms of CPU per 300 KB upload, a third of the per-request budget of a batch (see `npm run bench`).
 * Small images arrive already in memory (read once, hashed and sent from the same bytes); large ones are streamed
 * from their file-backed Blob, so a 200 MB upload never sits in memory.
 */
export function multipart(images: [string, PreparedImage][], fields: [string, string][]): MultipartBody {
  const boundary = `----finos-ekyc-${randomUUID()}`;
  const contentType = `multipart/form-data; boundary=${boundary}`;
  const fileHead = (name: string, img: PreparedImage): Buffer =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(name)}"; filename="${escapeName(img.filename)}"\r\nContent-Type: ${img.mime}\r\n\r\n`);
  const fieldsAndEnd = `${fields.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(name)}"\r\n\r\n${value}\r\n`).join('')}--${boundary}--\r\n`;

  if (images.length === 1) {
    const [name, img] = images[0]!;
    if ('bytes' in img) {
      const whole = frameInPlace(fileHead(name, img), img.bytes, Buffer.from(`\r\n${fieldsAndEnd}`));
      if (whole) return { contentType, contentLength: whole.length, body: whole };
    }
  }

  const parts: (Buffer | Blob)[] = [];
  for (const [name, img] of images) {
    parts.push(fileHead(name, img), 'bytes' in img ? Buffer.from(img.bytes.buffer, img.bytes.byteOffset, img.bytes.byteLength) : img.blob, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(fieldsAndEnd));
  return {
    contentType,
    contentLength: parts.reduce((n, p) => n + (Buffer.isBuffer(p) ? p.length : p.size), 0),
    // No concatenation: one more copy of every image would double what the garbage collector has to handle.
    body: (async function* () {
      for (const p of parts) {
        if (Buffer.isBuffer(p)) yield p;
        else for await (const chunk of p.stream()) yield chunk as Uint8Array;
      }
    })(),
  };
}
