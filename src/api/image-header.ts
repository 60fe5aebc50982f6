/**
 * What an image's first bytes say: its format, and for JPEG and PNG its size and EXIF orientation. Enough to decide
 * whether an image can go as it is, without loading an image library (src/api/prepare.ts loads one only when
 * there is work to do). Pure functions over bytes; anything unreadable is reported as unknown, never thrown.
 */

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'bmp' | 'tiff' | 'heic' | 'avif';

/** The formats the API is known to take: anything else is converted before it is sent. */
export const API_FORMATS: ReadonlySet<ImageFormat> = new Set(['jpeg', 'png']);

export const MIME: Record<ImageFormat, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  bmp: 'image/bmp',
  tiff: 'image/tiff',
  heic: 'image/heic',
  avif: 'image/avif',
};

export const EXTENSION: Record<ImageFormat, string> = { jpeg: 'jpg', png: 'png', webp: 'webp', gif: 'gif', bmp: 'bmp', tiff: 'tif', heic: 'heic', avif: 'avif' };

export interface ImageHeader {
  format: ImageFormat;
  /** Pixels as stored, before orientation; undefined where the header was not read or not reached. */
  width?: number;
  height?: number;
  /** EXIF orientation, 1 (upright) to 8; 1 when there is none. */
  orientation: number;
}

/** HEIF brands: HEVC-coded images (heic…) and AV1-coded ones (avif). `mif1` alone says neither: see sniffFormat. */
const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs']);
const AVIF_BRANDS = new Set(['avif', 'avis']);

function ascii(b: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...b.subarray(from, Math.min(to, b.length)));
}

/** The format named by the first bytes (at least 32 of them for HEIF), or undefined when they name none we read. */
export function sniffFormat(head: Uint8Array): ImageFormat | undefined {
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (ascii(head, 0, 8) === '\x89PNG\r\n\x1a\n') return 'png';
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'webp';
  if (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a') return 'gif';
  if (ascii(head, 0, 2) === 'BM') return 'bmp';
  if (ascii(head, 0, 4) === 'II*\0' || ascii(head, 0, 4) === 'MM\0*') return 'tiff';
  if (ascii(head, 4, 8) === 'ftyp') return heifFormat(head);
  return undefined;
}

/** An ISO-BMFF `ftyp` box: its major brand, then its compatible brands, decide between HEIC and AVIF. */
function heifFormat(head: Uint8Array): ImageFormat | undefined {
  const size = readU32(head, 0, false) ?? 0;
  const end = Math.min(size, head.length);
  const brands = [ascii(head, 8, 12)];
  for (let at = 16; at + 4 <= end; at += 4) brands.push(ascii(head, at, at + 4));
  if (brands.some((b) => AVIF_BRANDS.has(b))) return 'avif';
  if (brands.some((b) => HEIC_BRANDS.has(b))) return 'heic';
  return brands.includes('mif1') || brands.includes('msf1') ? 'heic' : undefined;
}

/** Format, size and orientation from the start of a file (for a JPEG, as far as its first frame header). */
export function readHeader(bytes: Uint8Array): ImageHeader | undefined {
  const format = sniffFormat(bytes);
  if (format === 'jpeg') return { format, ...jpegHeader(bytes) };
  if (format === 'png') return { format, ...pngHeader(bytes) };
  return format ? { format, orientation: 1 } : undefined;
}

function readU16(b: Uint8Array, at: number, little: boolean): number | undefined {
  if (at < 0 || at + 2 > b.length) return undefined;
  return little ? b[at]! | (b[at + 1]! << 8) : (b[at]! << 8) | b[at + 1]!;
}

function readU32(b: Uint8Array, at: number, little: boolean): number | undefined {
  if (at < 0 || at + 4 > b.length) return undefined;
  const v = little ? b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24) : (b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!;
  return v >>> 0;
}

/** Start-of-frame markers (SOF0-SOF15 but DHT, JPG and DAC): they carry the frame's height and width. */
const isSof = (m: number): boolean => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

/** A JPEG's segments up to its first scan: marker, where the segment starts and where its body lies. */
function* jpegSegments(b: Uint8Array): Generator<{ marker: number; at: number; body: number; end: number }> {
  let at = 2;
  while (at + 4 <= b.length && b[at] === 0xff) {
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2; // no length
      continue;
    }
    const length = readU16(b, at + 2, false);
    if (length === undefined || length < 2) return;
    yield { marker, at, body: at + 4, end: at + 2 + length };
    if (marker === 0xda) return; // start of scan: entropy-coded data follows
    at += 2 + length;
  }
}

function jpegHeader(b: Uint8Array): Omit<ImageHeader, 'format'> {
  let orientation = 1;
  for (const { marker, body, end } of jpegSegments(b)) {
    if (marker === 0xe1 && ascii(b, body, body + 6) === 'Exif\0\0') orientation = tiffOrientation(b.subarray(body + 6, end)) ?? orientation;
    if (isSof(marker)) {
      const height = readU16(b, body + 1, false);
      const width = readU16(b, body + 3, false);
      return { orientation, ...(width !== undefined && height !== undefined ? { width, height } : {}) };
    }
  }
  return { orientation };
}

function pngHeader(b: Uint8Array): Omit<ImageHeader, 'format'> {
  const width = readU32(b, 16, false);
  const height = readU32(b, 20, false);
  let orientation = 1;
  // An eXIf chunk must come before the image data; chunks are length, type, data, CRC.
  for (let at = 8; at + 8 <= b.length; ) {
    const length = readU32(b, at, false)!;
    const type = ascii(b, at + 4, at + 8);
    if (type === 'IDAT' || type === 'IEND') break;
    if (type === 'eXIf') orientation = tiffOrientation(b.subarray(at + 8, at + 8 + length)) ?? orientation;
    at += 12 + length;
  }
  return { orientation, ...(width !== undefined && height !== undefined ? { width, height } : {}) };
}

/** Tag 0x0112 of a TIFF structure's first directory (EXIF's layout), when present and 1–8. */
function tiffOrientation(t: Uint8Array): number | undefined {
  const order = ascii(t, 0, 2);
  if (order !== 'II' && order !== 'MM') return undefined;
  const little = order === 'II';
  const ifd = readU32(t, 4, little);
  const count = ifd === undefined ? undefined : readU16(t, ifd, little);
  if (ifd === undefined || count === undefined) return undefined;
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (readU16(t, entry, little) !== 0x0112) continue;
    const value = readU16(t, entry + 8, little);
    return value !== undefined && value >= 1 && value <= 8 ? value : undefined;
  }
  return undefined;
}

/**
 * Whether a JPEG or PNG ends as a whole file does: a JPEG with an end-of-image marker after its first scan (inside
 * entropy-coded data 0xFF is always escaped, so a file cut short has none there), a PNG with its IEND chunk.
 * `tail` is the file's last bytes (the whole file when small); other formats are left to their decoder.
 */
export function looksComplete(format: ImageFormat, tail: Uint8Array, wholeFile: boolean): boolean {
  if (format === 'png') return ascii(tail, tail.length - 8, tail.length - 4) === 'IEND' || lastIndexOf(tail, [0x49, 0x45, 0x4e, 0x44]) >= 0;
  if (format !== 'jpeg') return true;
  const eoi = lastIndexOf(tail, [0xff, 0xd9]);
  return wholeFile ? eoi > scanStart(tail) : eoi >= 0;
}

function lastIndexOf(b: Uint8Array, needle: number[]): number {
  for (let at = b.length - needle.length; at >= 0; at--) {
    if (needle.every((v, i) => b[at + i] === v)) return at;
  }
  return -1;
}

/** Where a JPEG's first scan starts (its SOS segment); 0 when not found. */
function scanStart(b: Uint8Array): number {
  for (const { marker, at } of jpegSegments(b)) if (marker === 0xda) return at;
  return 0;
}
