import type { Dirent } from 'node:fs';
import { opendir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { InvalidArgumentError } from '../api/errors.js';

export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set(['.jpg', '.jpeg', '.png', '.webp', '.heic', '.heif', '.avif', '.bmp', '.tif', '.tiff', '.gif']);

export type SkipHandler = (path: string, reason: string) => void;

export interface ExpandOptions {
  /** Where `-` reads its list of paths from. */
  stdin?: NodeJS.ReadableStream;
  /** Told of every entry a directory walk leaves out (hidden entries excepted). */
  onSkip?: SkipHandler;
}

/**
 * The files a batch should process, lazily: a file argument as given (even a wrong one: the client's local
 * checks then report it as one clear error), a directory walked in byte order of names, `-` a list on stdin.
 */
export async function* expandInputs(args: string[], opts: ExpandOptions = {}): AsyncGenerator<string> {
  for (const arg of args) {
    if (arg !== '-') {
      yield* expandPath(arg, opts.onSkip);
      continue;
    }
    if (!opts.stdin) throw new InvalidArgumentError('"-" reads a list of paths from stdin, but no stdin was given');
    for await (const path of pathList(opts.stdin)) yield* expandPath(path, opts.onSkip);
  }
}

/**
 * One path per line (LF or CRLF). Not readline: from Node 24 on it also ends a line at U+2028/U+2029, which a file
 * name may hold. Pulling the stream chunk by chunk pauses it, so a list of 100k paths is not held in memory.
 */
async function* pathList(stream: NodeJS.ReadableStream): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  const lines = function* (text: string): Generator<string> {
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      if (line && !line.startsWith('#')) yield line;
    }
  };
  for await (const chunk of stream) {
    const text = rest + (typeof chunk === 'string' ? chunk : decoder.write(chunk));
    const end = text.lastIndexOf('\n');
    rest = text.slice(end + 1);
    yield* lines(text.slice(0, end + 1));
  }
  yield* lines(rest + decoder.end());
}

async function* expandPath(path: string, onSkip: SkipHandler | undefined): AsyncGenerator<string> {
  // A directory named explicitly is walked even through a symlink or when hidden: the user asked for it.
  const isDir = await stat(path).then((s) => s.isDirectory(), () => false);
  if (isDir) yield* walk(path, onSkip);
  else yield path;
}

async function* walk(dir: string, onSkip: SkipHandler | undefined): AsyncGenerator<string> {
  let entries: Dirent[];
  try {
    entries = await sortedEntries(dir);
  } catch (err) {
    onSkip?.(dir, `cannot read directory (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    return;
  }
  for (const entry of entries) {
    // Hidden entries are skipped silently: .git, .DS_Store, and macOS's ._IMG.jpg resource forks, which carry an
    // image extension but are not images.
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    const kind = entry.isSymbolicLink() ? await linkTarget(path) : entry.isDirectory() ? 'dir' : entry.isFile() ? 'file' : 'other';
    if (kind === 'dir') yield* walk(path, onSkip);
    // Never followed inside a walk: a link to an ancestor would loop, a link elsewhere would leave the tree asked for.
    else if (kind === 'linked-dir') onSkip?.(path, 'symbolic link to a directory (not followed)');
    else if (kind === 'other') onSkip?.(path, 'not a regular file');
    else if (IMAGE_EXTENSIONS.has(extname(entry.name).toLowerCase())) yield path;
    else onSkip?.(path, 'not an image');
  }
}

/** A broken link counts as a file: if it is named like an image, the client reports it as missing. */
function linkTarget(path: string): Promise<'linked-dir' | 'file' | 'other'> {
  return stat(path).then(
    (s) => (s.isDirectory() ? 'linked-dir' : s.isFile() ? 'file' : 'other'),
    () => 'file',
  );
}

/** One directory's entries, in UTF-8 byte order of names: the same order on every machine and locale. */
async function sortedEntries(dir: string): Promise<Dirent[]> {
  const keyed: [Buffer, Dirent][] = [];
  for await (const entry of await opendir(dir)) keyed.push([Buffer.from(entry.name), entry]);
  return keyed.sort((a, b) => Buffer.compare(a[0], b[0])).map(([, entry]) => entry);
}
