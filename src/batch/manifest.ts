import { createReadStream } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { pipeline } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { InputError, fileError } from '../api/errors.js';

export class ManifestError extends InputError {
  readonly code = 'invalid_manifest';
}

export type ManifestKind = 'pair' | 'index';
export type PairMode = 'selfies' | 'selfie-id';
/** `line` is the manifest's line number, for error messages. */
export interface PairRow {
  line: number;
  mode: PairMode;
  files: [string, string];
}
export interface IndexRow {
  line: number;
  files: [string];
  numberId: string;
}
export type ManifestRow = PairRow | IndexRow;

interface Layout {
  columns: [string, string];
  /** How many of the columns, from the first, hold image paths. */
  paths: 1 | 2;
  row: (line: number, a: string, b: string) => ManifestRow;
}

const LAYOUTS: Record<ManifestKind, Layout[]> = {
  pair: [
    { columns: ['image1', 'image2'], paths: 2, row: (line, a, b) => ({ line, mode: 'selfies', files: [a, b] }) },
    { columns: ['selfie', 'id'], paths: 2, row: (line, a, b) => ({ line, mode: 'selfie-id', files: [a, b] }) },
  ],
  index: [{ columns: ['image', 'numberId'], paths: 1, row: (line, image, numberId) => ({ line, files: [image], numberId }) }],
};

/**
 * Streams the rows of a CSV manifest with a header row; column names match case-insensitively, extra columns are
 * ignored, and image paths are relative to the manifest's own directory, so a manifest can travel with its images.
 */
export function readManifest(path: string, kind: 'pair'): AsyncGenerator<PairRow>;
export function readManifest(path: string, kind: 'index'): AsyncGenerator<IndexRow>;
export function readManifest(path: string, kind: ManifestKind): AsyncGenerator<ManifestRow>;
export async function* readManifest(path: string, kind: ManifestKind): AsyncGenerator<ManifestRow> {
  // Where the last record ended: csv-parse reports a quote left open at the end of the file, not where it opened.
  let last = { lines: 0, emptyLines: 0 };
  const parser = parse({
    bom: true,
    trim: true,
    skip_empty_lines: true,
    relax_column_count: true,
    info: true,
    // Every line end, not just the first one seen: a manifest edited on two systems mixes them, and with the first
    // alone a CRLF file's LF lines run into one row, into a cell that holds a line break.
    record_delimiter: ['\r\n', '\n', '\r'],
    on_record: (record: string[], { lines, empty_lines }) => {
      last = { lines, emptyLines: empty_lines };
      return record;
    },
  });
  // pipeline, not pipe: a read error (ENOENT) must reach the loop below instead of leaving it waiting forever.
  pipeline(createReadStream(path), parser, () => {});
  const base = dirname(path);
  let header: { layout: Layout; at: number[] } | undefined;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!header) {
        header = pickLayout(path, kind, record);
        continue;
      }
      const { layout, at } = header;
      const [a = '', b = ''] = at.map((i, n) => {
        const cell = record[i] ?? '';
        if (!cell) throw new ManifestError(path, `${path}: line ${info.lines}: the "${layout.columns[n]}" cell is empty`);
        return n < layout.paths && !isAbsolute(cell) ? join(base, cell) : cell;
      });
      yield layout.row(info.lines, a, b);
    }
  } catch (err) {
    if (err instanceof ManifestError) throw err;
    if (err instanceof CsvError) throw new ManifestError(path, `${path}: ${csvProblem(err, last)}`, err);
    throw fileError(path, err);
  }
  if (!header) throw new ManifestError(path, `${path}: the manifest is empty; expected a header row ${expected(kind)}`);
}

/** csv-parse's message, except for an unclosed quote: named at the line it opened, after the last record and the empty lines since. */
function csvProblem(err: CsvError, last: { lines: number; emptyLines: number }): string {
  if (err.code !== 'CSV_QUOTE_NOT_CLOSED') return `not valid CSV: ${err.message}`;
  const opened = last.lines + (Number(err.empty_lines) - last.emptyLines) + 1;
  return `line ${opened}: a quote opened here is never closed`;
}

function pickLayout(path: string, kind: ManifestKind, header: string[]): { layout: Layout; at: number[] } {
  const names = header.map((h) => h.toLowerCase());
  for (const layout of LAYOUTS[kind]) {
    const at = layout.columns.map((c) => names.indexOf(c.toLowerCase()));
    if (at.every((i) => i >= 0)) return { layout, at };
  }
  // Names as read, in quotes when odd (a line break, a control character) or cut when long: the message stays one line.
  const found = header.filter(Boolean).map(shown).join(',') || 'none';
  throw new ManifestError(path, `${path}: a ${kind} manifest needs the columns ${expected(kind)}; found: ${found}`);
}

function shown(name: string): string {
  const short = name.length > 40 ? `${name.slice(0, 40)}…` : name;
  return /^[\p{L}\p{N} ._-]*$/u.test(short) ? short : JSON.stringify(short);
}

function expected(kind: ManifestKind): string {
  return LAYOUTS[kind].map((l) => l.columns.join(',')).join(' or ');
}
