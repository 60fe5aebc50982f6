import { UnreadableImageError } from './errors.js';

/**
 * Windows bitmaps, which libvips does not read: uncompressed 24- and 32-bit, and 1-, 4- and 8-bit with a palette
 * (what scanners and old Windows tools write). Compressed variants (RLE, embedded JPEG/PNG) are refused by name.
 */
export function decodeBmp(b: Uint8Array, label: string, maxPixels: number): { width: number; height: number; channels: 3; data: Buffer } {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const bad = (why: string): never => {
    throw new UnreadableImageError(label, `not a readable BMP image (${why})`);
  };
  if (b.length < 54) bad('header cut short');
  const dataAt = view.getUint32(10, true);
  const headerSize = view.getUint32(14, true);
  if (headerSize < 40) bad('an OS/2 header');
  const width = view.getInt32(18, true);
  const rawHeight = view.getInt32(22, true);
  const bits = view.getUint16(28, true);
  const compression = view.getUint32(30, true);
  const height = Math.abs(rawHeight);
  if (width <= 0 || height === 0) bad(`${width}×${height} px`);
  if (width * height > maxPixels) bad(`${width}×${height} px is over the ${maxPixels / 1e6} MP limit`);
  // BI_RGB, or BI_BITFIELDS with the usual 8-bit masks of a 32-bit image.
  if (!(compression === 0 || (compression === 3 && bits === 32))) bad(`compression ${compression}`);
  if (![1, 4, 8, 24, 32].includes(bits)) bad(`${bits} bits per pixel`);
  const paletteAt = 14 + headerSize;
  const stride = Math.ceil((width * bits) / 32) * 4;
  if (dataAt + stride * height > b.length) bad('pixel data cut short');
  const out = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    // Rows are stored bottom-up unless the height is negative.
    const row = dataAt + (rawHeight > 0 ? height - 1 - y : y) * stride;
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      let at: number;
      if (bits >= 24) at = row + (x * bits) / 8;
      else {
        const bitAt = x * bits;
        const index = (b[row + (bitAt >> 3)]! >> (8 - bits - (bitAt & 7))) & ((1 << bits) - 1);
        at = paletteAt + index * 4;
        if (at + 3 > b.length) bad('palette cut short');
      }
      out[o] = b[at + 2]!;
      out[o + 1] = b[at + 1]!;
      out[o + 2] = b[at]!;
    }
  }
  return { width, height, channels: 3, data: out };
}
