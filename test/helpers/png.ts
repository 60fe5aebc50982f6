import { deflateSync } from 'node:zlib';
import { PNG_SIGNATURE, pngChunk } from '../../scripts/png.mjs';

export interface PngOptions {
  width: number;
  height: number;
  /** Simulator flags, e.g. 'doc=cccd_chip_front,blur': written as a tEXt chunk `finos-mock:<flags>`. */
  marker?: string;
  /** Varies the pixels, so two images with the same size and marker differ in content (and in sha256). */
  seed?: number;
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
    PNG_SIGNATURE,
    pngChunk('IHDR', ihdr),
    ...(marker === undefined ? [] : [pngChunk('tEXt', Buffer.from(`Comment\0finos-mock:${marker}`, 'latin1'))]),
    pngChunk('IDAT', deflateSync(pixels)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The same PNG made `bytes` larger by a private ancillary chunk before IEND: still whole and valid, like a scan with big metadata. */
export function pngWithPadding(png: Buffer, bytes: number): Buffer {
  const iend = png.length - 12;
  return Buffer.concat([png.subarray(0, iend), pngChunk('ppAd', Buffer.alloc(bytes)), png.subarray(iend)]);
}
