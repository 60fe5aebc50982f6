/**
 * Decoding and re-encoding with sharp (libvips), and HEIC through libheif (heic-decode): loaded only when an image
 * needs work, so `--version`, `--help` and an upright JPEG never load either.
 */
import { availableParallelism } from 'node:os';
import sharp, { type Metadata, type Sharp } from 'sharp';
import { decodeBmp } from './bmp.js';
import { UnreadableImageError } from './errors.js';
import type { ImageFormat } from './image-header.js';

/**
 * A 48 MP phone photo is 48 M pixels; a 5000×7000 scan 35 M. Anything larger is refused from its header, before a
 * pixel is decoded: a 30000×30000 PNG of a few hundred KB would otherwise want gigabytes.
 */
export const MAX_INPUT_PIXELS = 100_000_000;

/** At most `size` tasks at once; the rest wait in order. */
class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly size: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

// A command line prepares each image once: libvips' operation cache would only hold memory. libvips spreads one
// image over every core (its default), so one image per two cores is worked on at a time: 40 phone photos checked
// and prepared 8 at a time on Node 24 peaked at 336 MB this way, 400 MB with two at once (223 and 260 MB with
// MALLOC_ARENA_MAX=2: glibc's per-thread arenas hold most of it; README, "Photos from phones and scanners").
sharp.cache(false);
const slots = new Semaphore(Math.max(1, Math.floor(availableParallelism() / 2)));

/** What to do with an image: every step optional; the output is always a metadata-free sRGB JPEG. */
export interface TransformSpec {
  /** Fit within this many pixels on the long side (never enlarged). */
  maxSide: number;
  quality: number;
}

export interface Transformed {
  bytes: Buffer;
  width: number;
  height: number;
  /** The source's size once upright. */
  sourceWidth: number;
  sourceHeight: number;
}

/** The source of an image: bytes, or a path that libvips reads itself. */
export type ImageSource = { bytes: Uint8Array } | { path: string };

/** Decodes, turns upright, fits and encodes one image as JPEG; a failure to decode is an UnreadableImageError. */
export async function toJpeg(source: ImageSource, format: ImageFormat, label: string, spec: TransformSpec): Promise<Transformed> {
  return slots.run(async () => {
    try {
      const image = await open(source, format, label);
      const upright = uprightSize(await image.metadata());
      const { data, info } = await image
        .resize({ width: spec.maxSide, height: spec.maxSide, fit: 'inside', withoutEnlargement: true })
        .flatten({ background: '#ffffff' })
        .jpeg({ quality: spec.quality, mozjpeg: false })
        .toBuffer({ resolveWithObject: true });
      return { bytes: data, width: info.width, height: info.height, sourceWidth: upright.width, sourceHeight: upright.height };
    } catch (err) {
      throw asImageError(label, err);
    }
  });
}

/** A small greyscale copy (long side at most `side`), upright, as raw 8-bit pixels: for the pre-flight checks. */
export async function greyThumbnail(source: ImageSource, format: ImageFormat, label: string, side: number): Promise<{ pixels: Buffer; width: number; height: number; sourceWidth: number; sourceHeight: number }> {
  return slots.run(async () => {
    try {
      const image = await open(source, format, label);
      const upright = uprightSize(await image.metadata());
      const { data, info } = await image.resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true }).greyscale().raw().toBuffer({ resolveWithObject: true });
      return { pixels: data, width: info.width, height: info.height, sourceWidth: upright.width, sourceHeight: upright.height };
    } catch (err) {
      throw asImageError(label, err);
    }
  });
}

/** The image as a sharp pipeline, upright; HEIC and BMP are decoded to pixels first (libvips reads neither here). */
async function open(source: ImageSource, format: ImageFormat, label: string): Promise<Sharp> {
  const options = { autoOrient: true, limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' } as const;
  if (format === 'heic') {
    const { width, height, data } = await decodeHeic(await bytesOf(source), label);
    return sharp(data, { raw: { width, height, channels: 4 }, limitInputPixels: MAX_INPUT_PIXELS });
  }
  if (format === 'bmp') {
    const { width, height, channels, data } = decodeBmp(await bytesOf(source), label, MAX_INPUT_PIXELS);
    return sharp(data, { raw: { width, height, channels }, limitInputPixels: MAX_INPUT_PIXELS });
  }
  return sharp('path' in source ? source.path : source.bytes, { ...options, pages: 1 });
}

/** metadata() reports the size as stored: orientations 5–8 turn the image a quarter, swapping its sides. */
function uprightSize(meta: Metadata): { width: number; height: number } {
  const swapped = (meta.orientation ?? 1) >= 5;
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  return swapped ? { width: height, height: width } : { width, height };
}

async function bytesOf(source: ImageSource): Promise<Uint8Array> {
  return 'bytes' in source ? source.bytes : (await import('node:fs/promises')).readFile(source.path);
}

/** libheif applies the container's rotation and mirroring itself: the pixels come upright. */
async function decodeHeic(bytes: Uint8Array, label: string): Promise<{ width: number; height: number; data: Uint8ClampedArray }> {
  const { default: decode } = await import('heic-decode');
  let images: Awaited<ReturnType<typeof decode.all>>;
  try {
    images = await decode.all({ buffer: bytes });
  } catch (err) {
    throw new UnreadableImageError(label, `not a readable HEIC image (${(err as Error).message})`);
  }
  try {
    const first = images[0];
    if (!first) throw new UnreadableImageError(label, 'the HEIC file holds no image');
    if (first.width * first.height > MAX_INPUT_PIXELS || first.width === 0 || first.height === 0) {
      throw new UnreadableImageError(label, `${first.width}×${first.height} px is over the ${MAX_INPUT_PIXELS / 1e6} MP limit or empty`);
    }
    return await first.decode();
  } finally {
    images.dispose();
  }
}

function asImageError(label: string, err: unknown): Error {
  if (err instanceof UnreadableImageError) return err;
  const message = (err as Error).message ?? String(err);
  if (/pixel limit/i.test(message)) return new UnreadableImageError(label, `over the ${MAX_INPUT_PIXELS / 1e6} MP limit (a decompression bomb, or a scan too large to prepare)`);
  return new UnreadableImageError(label, `cannot be decoded (${message.split('\n')[0]})`);
}
