/**
 * The photos of a report. By default a relative link to the original file, so no personal image is copied; a
 * thumbnail (JPEG, at most 320 px) inside the page with --embed-images, and always for a format no browser shows
 * (HEIC, TIFF). Each file is looked at once however many records name it.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FileNotFoundError } from '../../api/errors.js';
import { sniffFormat, type ImageFormat } from '../../api/image-header.js';
import type { ImageView } from './model.js';

export const THUMBNAIL_SIDE = 320;
const THUMBNAIL_QUALITY = 70;
/** Enough for sniffFormat to tell HEIC from AVIF by the ftyp box's brands. */
const SNIFF_BYTES = 64;
/** Formats Chromium, Firefox and Safari all show in an <img>. */
const BROWSER_FORMATS: ReadonlySet<ImageFormat> = new Set(['jpeg', 'png', 'webp', 'gif', 'bmp', 'avif']);

export interface ImageOptions {
  /** Where the records' relative paths start: the directory the batch ran in. */
  cwd: string;
  reportDir: string;
  embed: boolean;
  /** No photo at all (--redact): a face is personal data, and a link would show the file's name. */
  hidden: boolean;
}

export class ImageTable {
  readonly views: ImageView[] = [];
  private readonly byPath = new Map<string, number>();
  private readonly thumbnails: { index: number; path: string }[] = [];

  constructor(private readonly o: ImageOptions) {}

  /** The index of a file's view; a thumbnail it needs is made by finish(). */
  ref(file: string): number {
    const path = resolve(this.o.cwd, file);
    const known = this.byPath.get(path);
    if (known !== undefined) return known;
    const index = this.views.length;
    this.byPath.set(path, index);
    this.views.push(this.decide(path, index));
    return index;
  }

  /** Makes the queued thumbnails, a few at a time (each decodes a whole photo); says how many could not be made. */
  async finish(): Promise<{ embedded: number; failed: number }> {
    const queue = this.thumbnails.splice(0);
    if (queue.length === 0) return { embedded: 0, failed: 0 };
    const [{ locateImage }, { toJpeg }] = await Promise.all([import('../../api/image.js'), import('../../api/image-transform.js')]);
    let embedded = 0;
    let failed = 0;
    const worker = async (): Promise<void> => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        try {
          const image = await locateImage(job.path);
          const jpeg = await toJpeg(image.source, image.format, job.path, { maxSide: THUMBNAIL_SIDE, quality: THUMBNAIL_QUALITY });
          this.views[job.index] = { state: 'embedded', src: `data:image/jpeg;base64,${jpeg.bytes.toString('base64')}` };
          embedded++;
        } catch (err) {
          failed++;
          this.views[job.index] = err instanceof FileNotFoundError ? missing() : { state: 'unviewable', note: err instanceof Error ? err.message.replace(`${job.path}: `, '') : String(err) };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, availableParallelism()) }, worker));
    return { embedded, failed };
  }

  private decide(path: string, index: number): ImageView {
    if (this.o.hidden) return { state: 'unviewable', note: 'hidden (--redact)' };
    if (this.o.embed) {
      this.thumbnails.push({ index, path });
      return missing();
    }
    const format = sniff(path);
    if (format === 'missing') return missing();
    if (format && BROWSER_FORMATS.has(format)) return { state: 'link', src: linkTo(path, this.o.reportDir) };
    // A HEIC from an iPhone is the usual case: a browser cannot show it, so it gets a thumbnail even unasked.
    this.thumbnails.push({ index, path });
    return missing();
  }
}

const missing = (): ImageView => ({ state: 'missing', note: 'not found' });

/** The format by the file's first bytes (names lie), or 'missing' when the file cannot be opened. */
function sniff(path: string): ImageFormat | 'missing' | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return 'missing';
  }
  try {
    const head = Buffer.alloc(SNIFF_BYTES);
    return sniffFormat(head.subarray(0, readSync(fd, head, 0, SNIFF_BYTES, 0)));
  } catch {
    return 'missing';
  } finally {
    closeSync(fd);
  }
}

/** A URL relative to the report, each path segment encoded: a file name is data, never markup or a scheme. */
export function linkTo(path: string, reportDir: string): string {
  const rel = relative(reportDir, path);
  // Another drive (Windows) has no relative path.
  if (isAbsolute(rel)) return pathToFileURL(path).href;
  return rel.split(sep).map(encodeURIComponent).join('/');
}
