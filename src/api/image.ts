import { open, readFile, stat } from 'node:fs/promises';
import { openAsBlob } from 'node:fs';
import { basename, extname } from 'node:path';
import { EmptyFileError, FileTooLargeError, NotAFileError, NotAnImageError, UnreadableImageError, fileError } from './errors.js';
import { API_FORMATS, EXTENSION, MIME, looksComplete, readHeader, type ImageFormat, type ImageHeader } from './image-header.js';
import type { ImageSource } from './image-transform.js';

/** A file path, a Blob (or File), or the bytes themselves. */
export type ImageInput = string | Blob | Uint8Array | LoadedFile;
/** A file the caller has already read (to hash it, say): sent under its own name without reading it again. */
export interface LoadedFile {
  path: string;
  bytes: Uint8Array;
}

/**
 * - `auto`: an upright JPEG or PNG within the size limits goes byte for byte, so the API's tamper checks see the
 *   original; anything else is converted to JPEG, turned upright and shrunk to fit.
 * - `always`: every image upright, within `maxSide` (default 2048 px) and JPEG, for slow links.
 * - `off`: the bytes as they are; over `maxUploadBytes` is refused.
 */
export type PrepareMode = 'auto' | 'always' | 'off';
export const PREPARE_MODES: readonly PrepareMode[] = ['auto', 'always', 'off'];

export interface PrepareOptions {
  prepare?: PrepareMode;
  /** The long side an image may have, in pixels: 4096 by default, 2048 with `always`. */
  maxSide?: number;
  /** The largest upload, in bytes (default 10 MB). */
  maxUploadBytes?: number;
}

export const DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
export const DEFAULT_MAX_SIDE: Readonly<Record<Exclude<PrepareMode, 'off'>, number>> = { auto: 4096, always: 2048 };
/** A file larger than this is not decoded to be prepared: no phone photo or scan comes near it. */
export const MAX_PREPARE_INPUT_BYTES = 100 * 1024 * 1024;
const QUALITY: Readonly<Record<Exclude<PrepareMode, 'off'>, number>> = { auto: 92, always: 90 };

/** What was done to an image before it was sent; absent when its bytes went unchanged. */
export interface Preparation {
  from: ImageFacts;
  to: ImageFacts;
  steps: PrepareStep[];
}
export interface ImageFacts {
  format: ImageFormat;
  width?: number;
  height?: number;
  bytes: number;
}
/** `convert`: another format became JPEG; `orient`: EXIF orientation applied to the pixels; `resize`: shrunk to the limits; `reencode`: a JPEG written again. */
export type PrepareStep = 'convert' | 'orient' | 'resize' | 'reencode';

/**
 * An image ready to send. Small files are held as their bytes (read once, and re-sent from memory on a retry);
 * larger unchanged ones as a file-backed Blob that streams and can be re-read.
 */
export type PreparedImage = { filename: string; size: number; mime: string; preparation?: Preparation } & ({ bytes: Uint8Array } | { blob: Blob });

/** Files up to this size are read whole in one go: cheaper per call than a file-backed Blob stream. */
export const INLINE_MAX_BYTES = 1024 * 1024;
/** Enough of a larger file to find its format, size and EXIF orientation (a JPEG's EXIF segment is at most 64 KB). */
const HEADER_BYTES = 256 * 1024;
/** Where a larger file's end is looked for: a JPEG's end marker, a PNG's IEND, and what some cameras append after them. */
const TAIL_BYTES = 64 * 1024;

/** An input after the checks that need no decoding: where its bytes are, what its header says. */
interface Loaded {
  /** For messages: the path, or `<image bytes>`. */
  name: string;
  /** The name to upload under. */
  filename: string;
  size: number;
  header: ImageHeader;
  content: { bytes: Uint8Array } | { path: string } | { blob: Blob };
}

/**
 * Checks an input and readies it for upload, before any byte goes on the wire: a paid call is never spent on a
 * missing, empty, non-image or oversized file, and (`prepare`, default `auto`) an image the API could not read
 * as it is gets converted, turned upright or shrunk. Decoding libraries load only for an image that needs them.
 */
export async function prepareImage(input: ImageInput, options: PrepareOptions & { label?: string } = {}): Promise<PreparedImage> {
  const mode = options.prepare ?? 'auto';
  if (!PREPARE_MODES.includes(mode)) throw new TypeError(`prepare must be one of ${PREPARE_MODES.join(', ')}`);
  const maxUpload = options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  const loaded = await load(input, options.label ?? 'image');
  const { header, size } = loaded;
  if (mode === 'off') {
    if (size > maxUpload) throw new FileTooLargeError(loaded.name, size, maxUpload);
    return asIs(loaded);
  }
  const maxSide = options.maxSide ?? DEFAULT_MAX_SIDE[mode];
  const longSide = Math.max(header.width ?? 0, header.height ?? 0);
  const fine = API_FORMATS.has(header.format) && header.orientation === 1 && size <= maxUpload && longSide <= maxSide;
  if (mode === 'auto' && fine) return asIs(loaded);
  if (size > MAX_PREPARE_INPUT_BYTES) throw new FileTooLargeError(loaded.name, size, MAX_PREPARE_INPUT_BYTES);
  return transform(loaded, maxSide, maxUpload, QUALITY[mode]);
}

async function asIs(loaded: Loaded): Promise<PreparedImage> {
  const mime = MIME[loaded.header.format];
  const common = { filename: loaded.filename, size: loaded.size, mime };
  const c = loaded.content;
  if (!('path' in c)) return { ...common, ...c };
  // A large file sent unchanged streams from disk.
  try {
    return { ...common, blob: await openAsBlob(c.path, { type: mime }) };
  } catch (err) {
    throw fileError(c.path, err);
  }
}

async function transform(loaded: Loaded, maxSide: number, maxUpload: number, quality: number): Promise<PreparedImage> {
  const { toJpeg } = await import('./image-transform.js');
  const c = loaded.content;
  const source = 'blob' in c ? { bytes: new Uint8Array(await c.blob.arrayBuffer()) } : c;
  // Re-encoding at the same quality can still exceed the limit (a noisy scan): fit a smaller side, a few times.
  let side = maxSide;
  for (let attempt = 0; attempt < 4; attempt++, side = Math.floor(side * 0.7)) {
    const out = await toJpeg(source, loaded.header.format, loaded.name, { maxSide: side, quality });
    if (out.bytes.length > maxUpload) continue;
    const { header } = loaded;
    const from = { format: header.format, width: out.sourceWidth, height: out.sourceHeight, bytes: loaded.size };
    const steps: PrepareStep[] = [
      header.format === 'jpeg' ? 'reencode' : 'convert',
      ...(header.orientation !== 1 ? (['orient'] as const) : []),
      ...(Math.max(out.width, out.height) < Math.max(out.sourceWidth, out.sourceHeight) ? (['resize'] as const) : []),
    ];
    return {
      bytes: out.bytes,
      filename: `${basename(loaded.filename, extname(loaded.filename))}.jpg`,
      size: out.bytes.length,
      mime: MIME.jpeg,
      preparation: { from, to: { format: 'jpeg', width: out.width, height: out.height, bytes: out.bytes.length }, steps },
    };
  }
  throw new UnreadableImageError(loaded.name, `could not be brought under the ${(maxUpload / 1024 / 1024).toFixed(1)} MB upload limit`);
}

/** An input's pixels and their format, after the same checks as prepareImage: for the pre-flight checks. */
export async function locateImage(input: ImageInput, label = 'image'): Promise<{ name: string; format: ImageFormat; source: ImageSource }> {
  const loaded = await load(input, label);
  if (loaded.size > MAX_PREPARE_INPUT_BYTES) throw new FileTooLargeError(loaded.name, loaded.size, MAX_PREPARE_INPUT_BYTES);
  const c = loaded.content;
  return { name: loaded.name, format: loaded.header.format, source: 'blob' in c ? { bytes: new Uint8Array(await c.blob.arrayBuffer()) } : c };
}

async function load(input: ImageInput, label: string): Promise<Loaded> {
  if (typeof input === 'string') return loadFile(input);
  if (input instanceof Uint8Array) return loadBytes(`<${label} bytes>`, input, label);
  if (!(input instanceof Blob)) return loadBytes(input.path, input.bytes);
  const name = (input as { name?: unknown }).name;
  const path = typeof name === 'string' && name ? name : `<${label} bytes>`;
  if (input.size === 0) throw new EmptyFileError(path);
  const header = headerOf(path, new Uint8Array(await input.slice(0, HEADER_BYTES).arrayBuffer()));
  assertComplete(path, header.format, new Uint8Array(await input.slice(-TAIL_BYTES).arrayBuffer()), input.size <= TAIL_BYTES);
  return { name: path, filename: path.startsWith('<') ? `${label}.${EXTENSION[header.format]}` : basename(path), size: input.size, header, content: { blob: input } };
}

async function loadFile(path: string): Promise<Loaded> {
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new NotAFileError(path);
    size = st.size;
  } catch (err) {
    throw fileError(path, err);
  }
  if (size === 0) throw new EmptyFileError(path);
  if (size <= INLINE_MAX_BYTES) return loadBytes(path, await readWhole(path));
  const header = headerOf(path, await readAt(path, 0, HEADER_BYTES));
  assertComplete(path, header.format, await readAt(path, size - TAIL_BYTES, TAIL_BYTES), false);
  return { name: path, filename: basename(path), size, header, content: { path } };
}

/** `label`: name the upload `<label>.<detected extension>` when the bytes came without a file name. */
function loadBytes(path: string, bytes: Uint8Array, label?: string): Loaded {
  if (bytes.length === 0) throw new EmptyFileError(path);
  const header = headerOf(path, bytes);
  assertComplete(path, header.format, bytes, true);
  return { name: path, filename: label ? `${label}.${EXTENSION[header.format]}` : basename(path), size: bytes.length, header, content: { bytes } };
}

function headerOf(path: string, head: Uint8Array): ImageHeader {
  const header = readHeader(head);
  if (!header) throw new NotAnImageError(path);
  return header;
}

/** A file cut short (a copy interrupted, a download stopped) would be a paid call that reads nothing. */
function assertComplete(path: string, format: ImageFormat, tail: Uint8Array, wholeFile: boolean): void {
  if (!looksComplete(format, tail, wholeFile)) throw new UnreadableImageError(path, `the ${format.toUpperCase()} file is cut short (it has no end): copy or export it again`);
}

async function readWhole(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    throw fileError(path, err);
  }
}

/** `length` bytes of a file from `position` (fewer where the file is shorter). */
async function readAt(path: string, position: number, length: number): Promise<Uint8Array> {
  try {
    const fh = await open(path, 'r');
    try {
      const { buffer, bytesRead } = await fh.read(Buffer.alloc(length), 0, length, position);
      return buffer.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (err) {
    throw fileError(path, err);
  }
}
