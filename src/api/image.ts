import { open, stat } from 'node:fs/promises';
import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import {
  EmptyFileError,
  FileNotFoundError,
  FileTooLargeError,
  NotAFileError,
  NotAnImageError,
  UnreadableFileError,
} from './errors.js';

/** A file path, a Blob (or File), or the bytes themselves. */
export type ImageInput = string | Blob | Uint8Array;

export const DEFAULT_MAX_IMAGE_BYTES = 10 * 1024 * 1024;

/** An image that passed the local checks; `blob` is file-backed for paths, so it streams and can be re-sent. */
export interface PreparedImage {
  blob: Blob;
  filename: string;
  size: number;
  mime: string;
}

const SIGNATURES: { mime: string; ext: string; test: (b: Uint8Array) => boolean }[] = [
  { mime: 'image/jpeg', ext: 'jpg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { mime: 'image/png', ext: 'png', test: (b) => ascii(b, 0, 8) === '\x89PNG\r\n\x1a\n' },
  { mime: 'image/webp', ext: 'webp', test: (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP' },
  { mime: 'image/bmp', ext: 'bmp', test: (b) => ascii(b, 0, 2) === 'BM' },
  { mime: 'image/tiff', ext: 'tif', test: (b) => ascii(b, 0, 4) === 'II*\0' || ascii(b, 0, 4) === 'MM\0*' },
  { mime: 'image/gif', ext: 'gif', test: (b) => ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a' },
];

function ascii(b: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...b.subarray(from, to));
}

/** The image type named by the first bytes, or undefined when they name none we accept. */
export function sniffImage(head: Uint8Array): { mime: string; ext: string } | undefined {
  return SIGNATURES.find((s) => s.test(head));
}

const HEAD_BYTES = 16;

/**
 * Checks an input before any byte goes on the wire: a paid call must never be spent on a missing, empty,
 * non-image or oversized file. Files are not read whole: only their first bytes, then a lazily-read Blob.
 */
export async function prepareImage(input: ImageInput, maxBytes = DEFAULT_MAX_IMAGE_BYTES, label = 'image'): Promise<PreparedImage> {
  if (typeof input === 'string') return prepareFile(input, maxBytes);
  const blob = input instanceof Uint8Array ? new Blob([input]) : input;
  const name = (blob as { name?: unknown }).name;
  const path = typeof name === 'string' && name ? name : `<${label} bytes>`;
  if (blob.size === 0) throw new EmptyFileError(path);
  if (blob.size > maxBytes) throw new FileTooLargeError(path, blob.size, maxBytes);
  const kind = sniffImage(new Uint8Array(await blob.slice(0, HEAD_BYTES).arrayBuffer()));
  if (!kind) throw new NotAnImageError(path);
  return { blob, filename: path.startsWith('<') ? `${label}.${kind.ext}` : basename(path), size: blob.size, mime: kind.mime };
}

async function prepareFile(path: string, maxBytes: number): Promise<PreparedImage> {
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new NotAFileError(path);
    size = st.size;
  } catch (err) {
    if (err instanceof NotAFileError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new FileNotFoundError(path);
    throw new UnreadableFileError(path, err);
  }
  if (size === 0) throw new EmptyFileError(path);
  if (size > maxBytes) throw new FileTooLargeError(path, size, maxBytes);
  const head = new Uint8Array(HEAD_BYTES);
  try {
    const fh = await open(path, 'r');
    try {
      await fh.read(head, 0, HEAD_BYTES, 0);
    } finally {
      await fh.close();
    }
  } catch (err) {
    throw new UnreadableFileError(path, err);
  }
  const kind = sniffImage(head);
  if (!kind) throw new NotAnImageError(path);
  const blob = await openAsBlob(path, { type: kind.mime });
  return { blob, filename: basename(path), size, mime: kind.mime };
}
