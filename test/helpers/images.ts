import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { PNG_SIGNATURE, pngChunk } from '../../scripts/png.mjs';

/** A flat-coloured image with a few rectangles, in any format sharp writes: small and quick, with edges to keep it sharp. */
export async function drawn(width: number, height: number, format: 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff' | 'avif', opts: { orientation?: number; brightness?: number } = {}): Promise<Buffer> {
  const level = Math.round(200 * (opts.brightness ?? 1));
  const block = (x: number, y: number, w: number, h: number, v: number) => ({
    input: { create: { width: Math.max(1, Math.round(w)), height: Math.max(1, Math.round(h)), channels: 3 as const, background: { r: v, g: v, b: v } } },
    left: Math.round(x),
    top: Math.round(y),
  });
  const bars = Array.from({ length: 8 }, (_, i) => block(width * 0.1, height * (0.1 + i * 0.1), width * (0.3 + (i % 3) * 0.15), height * 0.04, Math.round(level * 0.2)));
  let image = sharp({ create: { width, height, channels: 3, background: { r: level, g: level, b: Math.round(level * 0.9) } } }).composite(bars);
  if (opts.orientation) image = sharp(await image.png().toBuffer()).withMetadata({ orientation: opts.orientation });
  return image.toFormat(format).toBuffer();
}

/** An uncompressed 24-bit Windows bitmap, bottom-up, of a grey ramp. */
export function bmp(width: number, height: number): Buffer {
  const stride = Math.ceil((width * 3) / 4) * 4;
  const b = Buffer.alloc(54 + stride * height);
  b.write('BM', 0, 'latin1');
  b.writeUInt32LE(b.length, 2);
  b.writeUInt32LE(54, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(width, 18);
  b.writeInt32LE(height, 22);
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(24, 28);
  for (let y = 0; y < height; y++) for (let x = 0; x < width * 3; x++) b[54 + y * stride + x] = (x * 5 + y * 3) & 0xff;
  return b;
}

/**
 * A decompression bomb: a valid 1-bit PNG of `side`×`side` pixels, all black, which deflates to a few hundred KB
 * but would take `side²` pixels of memory to decode.
 */
export function bombPng(side: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  const row = 1 + Math.ceil(side / 8);
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(Buffer.alloc(row * side), { level: 9 })), pngChunk('IEND', Buffer.alloc(0))]);
}

/** A little-endian TIFF whose first directory says 16 pixels wide and 0 high. */
export function zeroHeightTiff(): Buffer {
  const entries: [number, number, number][] = [
    [256, 3, 16], // ImageWidth
    [257, 3, 0], // ImageLength
    [258, 3, 8], // BitsPerSample
    [259, 3, 1], // Compression: none
    [262, 3, 1], // Photometric: black is zero
    [273, 4, 8], // StripOffsets
    [277, 3, 1], // SamplesPerPixel
    [279, 4, 0], // StripByteCounts
  ];
  const b = Buffer.alloc(8 + 2 + entries.length * 12 + 4);
  b.write('II*\0', 0, 'latin1');
  b.writeUInt32LE(8, 4);
  b.writeUInt16LE(entries.length, 8);
  entries.forEach(([tag, type, value], i) => {
    const at = 10 + i * 12;
    b.writeUInt16LE(tag, at);
    b.writeUInt16LE(type, at + 2);
    b.writeUInt32LE(1, at + 4);
    if (type === 3) b.writeUInt16LE(value, at + 8);
    else b.writeUInt32LE(value, at + 8);
  });
  return b;
}
