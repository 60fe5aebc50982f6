import { open, readFile, stat } from 'node:fs/promises';
import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import { EmptyFileError, FileTooLargeError, NotAFileError, NotAnImageError, fileError } from './errors.js';

/** A file path, a Blob (or File), or the bytes themselves. */
export type ImageInput = string | Blob | Uint8Array | LoadedFile;
/** A file the caller has already read (to hash it, say): sent under its own name without reading it again. */
export interface LoadedFile {
  path: string;
  bytes: Uint8Array;
}

export const DEFAULT_MAX_IMAGE_BYTES = 10 * 1024 * 1024;

/**
 * An image that passed the local checks. Small files are held as their bytes (read once, and re-sent from memory
 * on a retry); larger ones as a file-backed Blob that streams and can be re-read.
 */
export type PreparedImage = { filename: string; size: number; mime: string } & ({ bytes: Uint8Array } | { blob: Blob });

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
/** Files up to this size are read whole in one go: cheaper per call than a file-backed Blob stream. */
export const INLINE_MAX_BYTES = 1024 * 1024;

/**
 * Checks an input before any byte goes on the wire: a paid call must never be spent on a missing, empty,
 * non-image or oversized file. Files are not read whole: only their first bytes, then a lazily-read Blob.
 */
export async function prepareImage(input: ImageInput, maxBytes = DEFAULT_MAX_IMAGE_BYTES, label = 'image'): Promise<PreparedImage> {
  if (typeof input === 'string') return prepareFile(input, maxBytes);
  if (input instanceof Uint8Array) return preparedBytes(`<${label} bytes>`, input, maxBytes, `${label}.`);
  if (!(input instanceof Blob)) return preparedBytes(input.path, input.bytes, maxBytes);
  const name = (input as { name?: unknown }).name;
  const path = typeof name === 'string' && name ? name : `<${label} bytes>`;
  if (input.size === 0) throw new EmptyFileError(path);
  if (input.size > maxBytes) throw new FileTooLargeError(path, input.size, maxBytes);
  const kind = sniffImage(new Uint8Array(await input.slice(0, HEAD_BYTES).arrayBuffer()));
  if (!kind) throw new NotAnImageError(path);
  return { blob: input, filename: path.startsWith('<') ? `${label}.${kind.ext}` : basename(path), size: input.size, mime: kind.mime };
}

async function prepareFile(path: string, maxBytes: number): Promise<PreparedImage> {
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new NotAFileError(path);
    size = st.size;
  } catch (err) {
    throw fileError(path, err);
  }
  if (size === 0) throw new EmptyFileError(path);
  if (size > maxBytes) throw new FileTooLargeError(path, size, maxBytes);
  if (size <= INLINE_MAX_BYTES) return preparedBytes(path, await readWhole(path), maxBytes);
  const kind = sniffImage(await readHead(path));
  if (!kind) throw new NotAnImageError(path);
  const blob = await openAsBlob(path, { type: kind.mime });
  return { blob, filename: basename(path), size, mime: kind.mime };
}

async function readWhole(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    throw fileError(path, err);
  }
}

/** The first HEAD_BYTES of a file (fewer if it is shorter). */
async function readHead(path: string): Promise<Uint8Array> {
  try {
    const fh = await open(path, 'r');
    try {
      const { buffer, bytesRead } = await fh.read(Buffer.alloc(HEAD_BYTES), 0, HEAD_BYTES, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (err) {
    throw fileError(path, err);
  }
}

/** `extPrefix`: name the upload `<prefix><detected extension>` when the bytes came without a file name. */
function preparedBytes(path: string, bytes: Uint8Array, maxBytes: number, extPrefix?: string): PreparedImage {
  if (bytes.length === 0) throw new EmptyFileError(path);
  if (bytes.length > maxBytes) throw new FileTooLargeError(path, bytes.length, maxBytes);
  const kind = sniffImage(bytes.subarray(0, HEAD_BYTES));
  if (!kind) throw new NotAnImageError(path);
  return { bytes, filename: extPrefix ? `${extPrefix}${kind.ext}` : basename(path), size: bytes.length, mime: kind.mime };
}
