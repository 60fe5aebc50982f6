/** Output for scripts: NDJSON lines, flat OCR rows, CSV. Nothing here depends on colour or on a terminal. */
import { stringify } from 'csv-stringify/sync';
import type { OcrResult } from '../api/types.js';

/**
 * One JSON value on one line. JSON.stringify already escapes \n and \r; U+2028/U+2029 are escaped too because
 * some line readers (Python's splitlines, editors) break lines on them. Vietnamese stays as UTF-8.
 */
export function toNdjsonLine(obj: unknown): string {
  const json = (JSON.stringify(obj) ?? 'null').replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
  return json + '\n';
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

export interface CsvWriter {
  write(file: string, row: Record<string, CsvValue>): void;
}

/**
 * CSV cannot grow columns after its header, so the header is fixed when it is written: `file`, then `columns`
 * when given (written at once, so even an empty run yields a header) or else the first row's keys, then `extra`.
 * A later row's keys outside the header go into `extra` as a JSON object: every row has the same columns and no
 * value is dropped. Pass a known column list (NATIONAL_ID_COLUMNS) to keep `extra` empty.
 */
export function createCsvWriter(out: { write(s: string): unknown }, columns?: readonly string[]): CsvWriter {
  let header: string[] | undefined;
  const emit = (cells: CsvValue[]): void => {
    out.write(stringify([cells], { cast: { boolean: (b) => String(b) } }));
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
