/**
 * Streams a form upload: text fields are kept, files only pass through an ImageInspector (hash, size,
 * header, marker) and are never held whole. The byte limit counts the raw request body as it arrives, so a
 * chunked upload that never declared its length is stopped too; a ChunkHook can slow the reading down.
 */
import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { ImageInspector, type ImageInfo } from './images.js';

export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  image: ImageInfo;
}

export interface Upload {
  fields: Record<string, string>;
  files: UploadedFile[];
}

export class UploadTooLargeError extends Error {
  constructor() {
    super('upload over the size limit');
  }
}

export class UploadAbortedError extends Error {
  constructor() {
    super('the client went away during the upload');
  }
}

/** Bytes kept of one field value (the rest is dropped), and how many parts of each kind are read at all. */
const LIMITS = { fieldSize: 1024 * 1024, fields: 200, files: 20, parts: 220, headerPairs: 50 };

/** A parser for a multipart or URL-encoded body; undefined for anything else, which is then only drained. */
function formParser(req: IncomingMessage): busboy.Busboy | undefined {
  try {
    // Clients send UTF-8 file names unencoded as often as RFC 8187 `filename*`: read both as UTF-8.
    return busboy({ headers: req.headers, defParamCharset: 'utf8', limits: LIMITS });
  } catch {
    return undefined;
  }
}

/** Told each chunk's size as it is read; a promise back means: read no more of this body until it resolves. */
export type ChunkHook = (bytes: number) => Promise<void> | undefined;

export function readUpload(req: IncomingMessage, maxBytes: number, onChunk?: ChunkHook): Promise<Upload> {
  return new Promise((resolve, reject) => {
    const upload: Upload = { fields: {}, files: [] };
    if (Number(req.headers['content-length']) > maxBytes) {
      reject(new UploadTooLargeError());
      return;
    }
    let settled = false;
    const settle = (error?: Error): void => {
      if (settled) return;
      settled = true;
      if (error === undefined) resolve(upload);
      else reject(error);
    };
    // Resolves once the whole body is in; what nobody parses any more is read and dropped.
    const settleAtEnd = (): void => {
      if (req.complete) settle();
      else {
        req.on('end', () => settle());
        req.resume();
      }
    };

    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      const held = onChunk?.(chunk.length);
      if (received > maxBytes && !settled) {
        // Stop reading: the caller answers 413 and closes the connection instead of swallowing the rest.
        req.unpipe();
        req.pause();
        settle(new UploadTooLargeError());
      } else if (held !== undefined) {
        // Not reading is what slows the sender (TCP backpressure); a body refused meanwhile (413) stays unread.
        req.pause();
        void held.then(() => {
          if (!settled) req.resume();
        });
      }
    });
    req.on('error', () => settle(new UploadAbortedError()));
    req.on('close', () => {
      if (!req.complete) settle(new UploadAbortedError());
    });

    // Anything that is not a form is seen as no fields and no files.
    const parser = formParser(req);
    if (parser === undefined) {
      settleAtEnd();
      return;
    }
    parser.on('field', (name, value) => {
      upload.fields[name] = value;
    });
    parser.on('file', (field, stream, info) => {
      const inspector = new ImageInspector();
      stream.on('data', (chunk: Buffer) => inspector.update(chunk));
      stream.on('end', () => upload.files.push({ field, filename: info.filename ?? '', contentType: info.mimeType, image: inspector.finish() }));
      // A file cut short is destroyed with an error by busboy: it is left out, like any incomplete part.
      stream.on('error', () => undefined);
    });
    // Busboy closes only once every file stream has ended, so each finished file is in `upload` by then.
    parser.on('close', settleAtEnd);
    parser.on('error', () => {
      // A malformed or cut-short form keeps what was complete; the endpoint judges what is missing.
      req.unpipe(parser);
      settleAtEnd();
    });
    req.pipe(parser);
  });
}
