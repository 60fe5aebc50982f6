import { randomUUID } from 'node:crypto';
import type { PreparedImage } from './image.js';

/** A multipart/form-data body with its length known up front, so it is never sent chunked. */
export interface MultipartBody {
  contentType: string;
  contentLength: number;
  /** The pieces, in order: a list when all are in memory; else a stream that reads large files from their Blobs as the socket takes them. */
  body: Uint8Array[] | AsyncIterable<Uint8Array>;
}

/** As browsers encode a form's names (WHATWG): a control character or a quote cannot break the part's header. */
// eslint-disable-next-line no-control-regex
const escapeName = (s: string): string => s.replace(/[\u0000-\u001f\u007f"]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);

/**
 * multipart/form-data written here rather than by undici's FormData: FormData is encoded through web streams, and
 * its length is unknown until encoded, so it goes out chunked. Small images arrive in memory (read once, hashed
 * and sent from the same bytes, never copied); large ones stream from their file-backed Blob, so a 200 MB upload
 * never sits in memory.
 */
export function multipart(images: [string, PreparedImage][], fields: [string, string][]): MultipartBody {
  const boundary = `----finos-ekyc-${randomUUID()}`;
  const parts: (Uint8Array | Blob)[] = [];
  for (const [name, img] of images) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(name)}"; filename="${escapeName(img.filename)}"\r\nContent-Type: ${img.mime}\r\n\r\n`),
      'bytes' in img ? img.bytes : img.blob,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`${fields.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(name)}"\r\n\r\n${value}\r\n`).join('')}--${boundary}--\r\n`));
  const inMemory = parts.filter((p): p is Uint8Array => !(p instanceof Blob));
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    contentLength: parts.reduce((n, p) => n + (p instanceof Blob ? p.size : p.length), 0),
    body: inMemory.length === parts.length ? inMemory : streamParts(parts),
  };
}

async function* streamParts(parts: (Uint8Array | Blob)[]): AsyncIterable<Uint8Array> {
  for (const p of parts) {
    if (p instanceof Blob) for await (const chunk of p.stream()) yield chunk as Uint8Array;
    else yield p;
  }
}
