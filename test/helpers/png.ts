import { crc32, deflateSync } from 'node:zlib';

export interface PngOptions {
  width: number;
  height: number;
  /** Simulator flags, e.g. 'doc=cccd_chip_front,blur': written as a tEXt chunk `finos-mock:<flags>`. */
  marker?: string;
  /** Varies the pixels, so two images with the same size and marker differ in content (and in sha256). */
  seed?: number;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A small valid RGB PNG; the marker chunk comes before the pixels, well inside the simulator's 64 KiB window. */
export function makePng({ width, height, marker, seed = 0 }: PngOptions): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  const row = 1 + width * 3;
  const pixels = Buffer.alloc(row * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width * 3; x++) pixels[y * row + 1 + x] = (x * 7 + y * 13 + seed * 101) & 0xff;
  }
  return Buffer.concat([
    Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'),
    chunk('IHDR', ihdr),
    ...(marker === undefined ? [] : [chunk('tEXt', Buffer.from(`Comment\0finos-mock:${marker}`, 'latin1'))]),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
