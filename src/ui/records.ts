/** Output for scripts: NDJSON lines, flat OCR rows, CSV. Nothing here depends on colour or on a terminal. */
import { stringify } from 'csv-stringify/sync';
import type { OcrResult } from '../api/types.js';
import { UNSAFE_CHARS } from './safe-text.js';

/**
 * What JSON.stringify leaves raw that a terminal acts on (DEL, C1, bidi controls) or a line reader breaks lines
 * on (U+2028/U+2029: Python's splitlines, editors). They can only occur inside strings, where `\uXXXX` parses
 * back to the same value: the JSON stays exact and is safe on a terminal.
 */
const JSON_RAW = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** JSON.stringify, with those characters escaped too. Vietnamese stays as UTF-8. */
export function toJson(value: unknown, indent?: number): string {
  return (JSON.stringify(value, null, indent) ?? 'null').replace(JSON_RAW, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One JSON value on one line (JSON.stringify already escapes \n and \r). */
export function toNdjsonLine(obj: unknown): string {
  return toJson(obj) + '\n';
}

/**
 * One flat row per OCR result: the first document's fields by their API names (`idNumber`,
 * `permanentAddress.province`…), later documents' fields prefixed by their type (`cccd_chip_back.doi`).
 * `documentType`, `summaryCodes` and `reviewFields` hold `;`-separated lists; `summaryAction` is pass, review or ''.
 */
export function flattenOcr(result: OcrResult): Record<string, string> {
  const row: Record<string, string> = { documentType: result.documents.map((d) => d.type).join(';') };
  const review: string[] = [];
  result.documents.forEach((doc, i) => {
    const prefix = i === 0 ? '' : `${doc.type}.`;
    for (const [name, field] of Object.entries(doc.fields)) {
      row[prefix + name] = field.value;
      for (const [part, value] of Object.entries(field.parts ?? {})) row[`${prefix}${name}.${part}`] = value;
      if (field.review) review.push(prefix + name);
    }
  });
  row.summaryAction = result.summary?.action ?? '';
  row.summaryCodes = result.summary?.details.map((d) => d.code).join(';') ?? '';
  row.reviewFields = review.join(';');
  return row;
}

/** Every field the national-ID endpoint documents, front and back, so a mixed batch gets one stable header. */
export const NATIONAL_ID_COLUMNS: readonly string[] = [
  'documentType',
  'idNumber',
  'name',
  'gender',
  'dob',
  'nationality',
  'ethnicity',
  'homeTown',
  'province',
  'permanentAddress',
  'permanentAddress.province',
  'permanentAddress.district',
  'permanentAddress.ward',
  'permanentAddress.street',
  'doi',
  'doe',
  'placeOfIssue',
  'summaryAction',
  'summaryCodes',
  'reviewFields',
];

export type CsvValue = string | number | boolean | null | undefined;

/**
 * One CSV cell that a spreadsheet shows as text (the OWASP rule against CSV injection): a cell starting with
 * `=`, `+`, `-`, `@`, TAB or CR, even after spaces, gets a leading `'`, so `=HYPERLINK(…)` is never a formula.
 * Control and bidi characters are removed (a line break or tab becomes a space, so words stay apart).
 * Numbers and booleans are ours, not outside text: unchanged.
 */
export function safeCsvCell(value: CsvValue): CsvValue {
  if (typeof value !== 'string') return value;
  const text = value.replace(/[\t\n\r]/g, ' ').replace(UNSAFE_CHARS, '');
  return /^[\t\r]/.test(value) || /^\s*[=+\-@]/.test(text) ? `'${text}` : text;
}

export interface CsvWriter {
  write(file: string, row: Record<string, CsvValue>): void;
}

export interface CsvOptions {
  /** Values exactly as they are (--csv-raw), for programs that are not spreadsheets. */
  raw?: boolean;
}

/**
 * CSV cannot grow columns after its header, so the header is fixed when it is written: `file`, then `columns`
 * when given (written at once, so even an empty run yields a header) or else the first row's keys, then `extra`.
 * A later row's keys outside the header go into `extra` as a JSON object: every row has the same columns and no
 * value is dropped. Pass a known column list (NATIONAL_ID_COLUMNS) to keep `extra` empty. Every cell, the header
 * and file names included, goes through safeCsvCell unless `raw`.
 */
export function createCsvWriter(out: { write(s: string): unknown }, columns?: readonly string[], { raw = false }: CsvOptions = {}): CsvWriter {
  let header: string[] | undefined;
  const emit = (cells: CsvValue[]): void => {
    out.write(stringify([raw ? cells : cells.map(safeCsvCell)], { cast: { boolean: (b) => String(b) } }));
  };
  const start = (cols: readonly string[]): string[] => {
    const h = ['file', ...cols.filter((c) => c !== 'file' && c !== 'extra'), 'extra'];
    emit(h);
    return h;
  };
  if (columns) header = start(columns);
  return {
    write(file, row) {
      header ??= start(Object.keys(row));
      const known = new Set(header);
      const extra = Object.entries(row).filter(([k, v]) => !known.has(k) && v !== undefined);
      emit(header.map((c) => (c === 'file' ? file : c === 'extra' ? (extra.length ? JSON.stringify(Object.fromEntries(extra)) : '') : row[c])));
    },
  };
}
