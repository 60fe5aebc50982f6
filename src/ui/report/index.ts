/**
 * `finos-ekyc report`: results files in, one self-contained HTML page out. Each results file is streamed; what is
 * kept per record is only what the page shows.
 */
import { dirname, resolve } from 'node:path';
import type { Outcome } from '../../batch/results.js';
import { ResultsFileError } from '../../batch/results.js';
import { explainCode, documentTypeName, DOCUMENT_TYPES } from '../../vn/codes.js';
import { formatDay, toCalendarDay } from '../../vn/dates.js';
import { compareChart, livenessChart } from './charts.js';
import { digestRecord, type DigestOptions } from './digest.js';
import { renderHtml } from './html.js';
import { ImageTable } from './images.js';
import type { Lang } from '../labels.js';
import { fieldLabels, reportLabels } from './labels.js';
import { OUTCOMES, type ReportData, type ReportRow, type SourceView } from './model.js';
import { readResults, type Unreadable } from './read-results.js';
import { assertReplaceable, writeReport } from './write.js';

export { ReportOutputError } from './write.js';

export interface ReportOptions {
  /** Results files (JSON Lines written by --out). */
  inputs: readonly string[];
  /** Where the report goes, relative to `cwd`. */
  out: string;
  /** Where the batches ran: the records' relative paths start here. */
  cwd: string;
  embedImages: boolean;
  /** The face-compare threshold the calls used, to draw on the chart. */
  threshold?: number;
  /** --redact: personal values masked, photos left out. */
  redact: boolean;
  lang: Lang;
  now?: Date;
}

export interface ReportSummary {
  path: string;
  rows: number;
  bytes: number;
  totals: Record<Outcome, number>;
  unreadableLines: number;
  thumbnails: { embedded: number; failed: number };
}

export async function buildReport(o: ReportOptions): Promise<ReportSummary> {
  const out = resolve(o.cwd, o.out);
  // Before any work: a wrong --out should not cost a minute of thumbnails first.
  await assertReplaceable(out);
  const now = o.now ?? new Date();
  const images = new ImageTable({ cwd: o.cwd, reportDir: dirname(out), embed: o.embedImages, hidden: o.redact });
  const rows: ReportRow[] = [];
  const sources: SourceView[] = [];
  for (const [index, path] of o.inputs.entries()) sources.push(await readSource(path, index, rows, images, { today: now, redact: o.redact }));

  const thumbnails = await images.finish();
  const totals = Object.fromEntries(OUTCOMES.map((k) => [k, 0])) as Record<Outcome, number>;
  for (const r of rows) totals[r.outcome]++;
  const data: ReportData = {
    version: 1,
    lang: o.lang,
    generatedAt: now.toISOString(),
    checkedOn: formatDay(toCalendarDay(now)!),
    sources,
    totals,
    images: images.views,
    ...explanations(rows),
    labels: reportLabels(o.lang),
    fieldLabels: fieldLabels(o.lang),
    redacted: o.redact,
    rows,
  };
  const compare = compareChart(rows, o.threshold);
  if (compare) data.compare = compare;
  const liveness = livenessChart(rows);
  if (liveness) data.liveness = liveness;
  const html = renderHtml(data);
  await writeReport(out, html);
  return { path: out, rows: rows.length, bytes: Buffer.byteLength(html), totals, unreadableLines: sources.reduce((n, s) => n + s.unreadableCount, 0), thumbnails };
}

/**
 * One results file's records onto `rows`. A resumed run appends a later answer for an input that failed before:
 * within one file the latest answer for the same input wins, in the place of the first.
 */
async function readSource(path: string, index: number, rows: ReportRow[], images: ImageTable, digest: DigestOptions): Promise<SourceView> {
  const unreadable: Unreadable = { lines: [], count: 0 };
  const seen = new Map<string, number>();
  let records = 0;
  let replaced = 0;
  for await (const { record, line } of readResults(path, unreadable)) {
    records++;
    const files = record.files && record.files.length > 1 ? record.files : [record.file];
    const row: ReportRow = { ...digestRecord(record, index, line, digest), images: files.map((f) => images.ref(f)) };
    const key = JSON.stringify(files);
    const at = seen.get(key);
    if (at === undefined) {
      seen.set(key, rows.length);
      rows.push(row);
    } else {
      rows[at] = row;
      replaced++;
    }
  }
  if (records === 0 && unreadable.count > 0) throw new ResultsFileError(path, `${path}: not a results file (no line is a results record); give the file that --out wrote`);
  return { path, records, unreadable: unreadable.lines, unreadableCount: unreadable.count, replaced };
}

/** The explanations of the summary codes and document types that occur, once each. */
function explanations(rows: readonly ReportRow[]): Pick<ReportData, 'codes' | 'docTypes'> {
  const codes: ReportData['codes'] = {};
  const docTypes: ReportData['docTypes'] = {};
  for (const r of rows) {
    for (const [code] of r.summary?.codes ?? []) {
      const known = explainCode(code);
      if (known) codes[code] = known;
    }
    for (const d of r.documents ?? []) {
      if (DOCUMENT_TYPES.has(d.type)) docTypes[d.type] = { en: documentTypeName(d.type, 'en'), vi: documentTypeName(d.type, 'vi') };
    }
  }
  return { codes, docTypes };
}
