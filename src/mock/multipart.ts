/**
 * Streams a form upload: text fields are kept, files only pass through an ImageInspector (hash, size,
 * header, marker) and are never held whole. The byte limit counts the raw request body as it arrives, so a
 * chunked upload that never declared its length is stopped too.
 */
import type { IncomingMessage } from 'node:http';
import { FormParser, parseHeaderParams, type FormLimits } from './form-parser.js';
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

const LIMITS: FormLimits = { fieldSize: 1024 * 1024, fields: 200, files: 20, parts: 220, headerPairs: 50 };

/** How the body is to be read, from its Content-Type: a form with its boundary, URL-encoded fields, or nothing. */
function bodyKind(contentType: string | undefined): { form: string } | 'urlencoded' | undefined {
  const { type, params } = parseHeaderParams(contentType ?? '');
  const boundary = params.get('boundary');
  if (type === 'multipart/form-data' && boundary) return { form: boundary };
  return type === 'application/x-www-form-urlencoded' ? 'urlencoded' : undefined;
}

export function readUpload(req: IncomingMessage, maxBytes: number): Promise<Upload> {
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

    // A malformed or cut-short form keeps what was complete; the endpoint judges what is missing. Anything that
    // is not a form is drained and seen as no fields and no files.
    const kind = bodyKind(req.headers['content-type']);
    const urlencoded: Buffer[] = [];
    const parser =
      typeof kind === 'object'
        ? new FormParser(kind.form, LIMITS, {
            field: (name, value) => {
              upload.fields[name] = value;
            },
            file: (part) => {
              const inspector = new ImageInspector();
              return {
                update: (chunk) => inspector.update(chunk),
                end: () => upload.files.push({ field: part.name, filename: part.filename ?? '', contentType: part.contentType, image: inspector.finish() }),
              };
            },
          })
        : undefined;

    let received = 0;
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      received += chunk.length;
      if (received > maxBytes) {
        // Stop reading: the caller answers 413 and closes the connection instead of swallowing the rest.
        req.pause();
        settle(new UploadTooLargeError());
        return;
      }
      if (parser) parser.write(chunk);
      else if (kind === 'urlencoded') urlencoded.push(chunk);
    });
    req.on('end', () => {
      parser?.end();
      if (kind === 'urlencoded') {
        for (const [name, value] of new URLSearchParams(Buffer.concat(urlencoded).toString('utf8'))) upload.fields[name] = value;
      }
      settle();
    });
    req.on('error', () => settle(new UploadAbortedError()));
    req.on('close', () => {
      if (!req.complete) settle(new UploadAbortedError());
    });
  });
}
