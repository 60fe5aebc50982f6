/**
 * Streams a form upload: text fields are kept, files only pass through an ImageInspector (hash, size,
 * header, marker) and are never held whole. The byte limit counts the raw request body as it arrives, so a
 * chunked upload that never declared its length is stopped too.
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

const LIMITS = { fieldSize: 1024 * 1024, fields: 200, files: 20, parts: 220, headerPairs: 50 };

export function readUpload(req: IncomingMessage, maxBytes: number): Promise<Upload> {
  return new Promise((resolve, reject) => {
    const upload: Upload = { fields: {}, files: [] };
    if (Number(req.headers['content-length']) > maxBytes) {
      reject(new UploadTooLargeError());
      return;
    }
    let settled = false;
    // The parser itself and each file stream still being read.
    let pending = 1;
    const finish = (error?: Error): void => {
      if (settled) return;
      if (error === undefined && --pending > 0) return;
      settled = true;
      if (error === undefined) resolve(upload);
      else reject(error);
    };

    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes && !settled) {
        // Stop reading: the caller answers 413 and closes the connection instead of swallowing the rest.
        req.unpipe();
        req.pause();
        finish(new UploadTooLargeError());
      }
    });
    req.on('error', () => finish(new UploadAbortedError()));
    req.on('close', () => {
      if (!req.complete) finish(new UploadAbortedError());
    });

    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: LIMITS });
    } catch {
      // Not a form (or no boundary): the body is drained and the endpoint sees no fields and no files.
      req.on('end', () => finish());
      req.resume();
      return;
    }
    parser.on('field', (name, value) => {
      upload.fields[name] = value;
    });
    parser.on('file', (field, stream, info) => {
      pending++;
      const inspector = new ImageInspector();
      stream.on('data', (chunk: Buffer) => inspector.update(chunk));
      stream.on('end', () => {
        upload.files.push({ field, filename: info.filename ?? '', contentType: info.mimeType, image: inspector.finish() });
        finish();
      });
    });
    parser.on('close', () => finish());
    parser.on('error', () => {
      // A malformed form: keep what was parsed, drain the rest, and let the endpoint judge what is missing.
      req.unpipe(parser);
      pending = 1;
      if (req.complete) finish();
      else {
        req.on('end', () => finish());
        req.resume();
      }
    });
    req.pipe(parser);
  });
}
