/**
 * What the simulator learns from an uploaded file while it streams by: size, a content fingerprint, the image
 * format from its magic bytes, the pixel size from the format's header, and the `finos-mock:` test marker. Only
 * the first HEAD_BYTES are kept, so a 200 MB upload costs no more memory than a small one.
 */
import { crc32 } from 'node:zlib';

/** The reference's examples only ever upload JPEG and PNG: anything else is no image to the simulated API. */
export type ImageFormat = 'jpeg' | 'png';

export interface Marker {
  /** Bare flags: blur, glare, expired, not-live… */
  flags: ReadonlySet<string>;
  doc: string | undefined;
  person: string | undefined;
  /** Field names whose to-be-reviewed must be "yes", lower case (the marker alphabet has no capitals). */
  review: ReadonlySet<string>;
}

export interface ImageInfo {
  size: number;
  /**
   * Tells contents apart: CRC-32 (8 hex digits) then the size. Not a cryptographic hash: a simulator only needs
   * the same bytes to give the same answer, and sha256 was a quarter of its CPU per upload (`npm run bench`).
   */
  fingerprint: string;
  /** undefined for any other content (WebP, GIF, HEIC…, or no image at all), whatever its name or declared type. */
  format: ImageFormat | undefined;
  width: number | undefined;
  height: number | undefined;
  marker: Marker | undefined;
}

/** ImageInfo's fingerprint of `size` bytes whose CRC-32 is `crc`. */
export function fingerprint(crc: number, size: number): string {
  return `${crc.toString(16).padStart(8, '0')}${size.toString(16)}`;
}

const MARKER_WINDOW = 64 * 1024;
// EXIF with an embedded thumbnail can push a JPEG's frame header past 64 KiB.
const HEAD_BYTES = 256 * 1024;

export class ImageInspector {
  private crc = 0;
  private readonly head: Buffer[] = [];
  private headLength = 0;
  private size = 0;

  update(chunk: Buffer): void {
    this.crc = crc32(chunk, this.crc);
    this.size += chunk.length;
    if (this.headLength < HEAD_BYTES) {
      const part = chunk.subarray(0, HEAD_BYTES - this.headLength);
      this.head.push(part);
      this.headLength += part.length;
    }
  }

  finish(): ImageInfo {
    // A PNG says all we read in its first bytes: only a JPEG may need the whole kept head.
    const start = this.headOf(MARKER_WINDOW);
    const format = sniffFormat(start);
    const dims = format === undefined ? undefined : dimensions(format, start) ?? (format === 'jpeg' ? dimensions(format, this.headOf(HEAD_BYTES)) : undefined);
    return {
      size: this.size,
      fingerprint: fingerprint(this.crc, this.size),
      format,
      width: dims?.width,
      height: dims?.height,
      marker: parseMarker(start, format),
    };
  }

  /** The first `bytes` of the head, without a copy when the first chunk holds them (as a socket's usually does). */
  private headOf(bytes: number): Buffer {
    const first = this.head[0];
    const wanted = Math.min(bytes, this.headLength);
    if (first !== undefined && first.length >= wanted) return first.subarray(0, wanted);
    return Buffer.concat(this.head, wanted);
  }
}

function startsWith(buf: Buffer, ascii: string, at = 0): boolean {
  return buf.length >= at + ascii.length && buf.toString('latin1', at, at + ascii.length) === ascii;
}

export function sniffFormat(buf: Buffer): ImageFormat | undefined {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpeg';
  if (startsWith(buf, '\x89PNG\r\n\x1a\n')) return 'png';
  return undefined;
}

interface Size {
  width: number;
  height: number;
}

/** undefined when the header is cut short or lies beyond the kept head. */
export function dimensions(format: ImageFormat, buf: Buffer): Size | undefined {
  try {
    if (format === 'png') return startsWith(buf, 'IHDR', 12) ? { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) } : undefined;
    return jpegSize(buf);
  } catch {
    return undefined;
  }
}

function jpegSize(buf: Buffer): Size | undefined {
  let i = 2;
  while (i + 9 <= buf.length) {
    if (buf[i] !== 0xff) return undefined;
    const marker = buf[i + 1] ?? 0;
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      i += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return undefined; // end of image / start of scan: no frame header
    // SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: buf.readUInt16BE(i + 5), width: buf.readUInt16BE(i + 7) };
    }
    i += 2 + buf.readUInt16BE(i + 2);
  }
  return undefined;
}

const MARKER = Buffer.from('finos-mock', 'latin1');
const FLAG_CHARS = /^[a-z0-9=_,-]*/;

/**
 * Finds `finos-mock:` followed by comma-separated flags. `finos-mock` + NUL is accepted too: that is how a PNG
 * tEXt chunk whose keyword is `finos-mock` separates keyword and text. In a PNG only text chunks are searched,
 * each bounded by its length, so the chunk's CRC bytes can never be read as more flag characters.
 */
export function parseMarker(head: Buffer, format: ImageFormat | undefined): Marker | undefined {
  const regions = format === 'png' ? pngTextChunks(head) : [head];
  for (const region of regions) {
    for (let at = region.indexOf(MARKER); at !== -1; at = region.indexOf(MARKER, at + 1)) {
      const sep = region[at + MARKER.length];
      if (sep !== 0x3a && sep !== 0x00) continue;
      const text = region.toString('latin1', at + MARKER.length + 1, at + MARKER.length + 1 + 1024);
      return markerFrom(FLAG_CHARS.exec(text)?.[0] ?? '');
    }
  }
  return undefined;
}

function pngTextChunks(buf: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 8; at + 8 <= buf.length; ) {
    const length = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    if (type === 'tEXt' || type === 'iTXt') chunks.push(buf.subarray(at + 8, Math.min(buf.length, at + 8 + length)));
    if (type === 'IEND') break;
    at += 12 + length;
  }
  return chunks;
}

function markerFrom(text: string): Marker {
  const flags = new Set<string>();
  const review = new Set<string>();
  let doc: string | undefined;
  let person: string | undefined;
  for (const token of text.split(',')) {
    const eq = token.indexOf('=');
    if (eq === -1) {
      if (token) flags.add(token);
      continue;
    }
    const value = token.slice(eq + 1);
    switch (token.slice(0, eq)) {
      case 'doc':
        doc = value;
        break;
      case 'person':
        person = value;
        break;
      case 'review':
        review.add(value);
        break;
    }
  }
  return { flags, doc, person, review };
}
