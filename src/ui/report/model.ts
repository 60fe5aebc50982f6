/**
 * The data the report page renders: one JSON value, built in Node from the results files and parsed by the page's
 * script. Compact on purpose (fields as tuples, images and code texts stored once): 10,000 records must stay well
 * under 15 MB of HTML.
 */
import type { Outcome } from '../../batch/results.js';

export const OUTCOMES: readonly Outcome[] = ['ok', 'review', 'not_detected', 'failed', 'skipped'];

/** What kind of answer a record holds, read from the shape of the API's body (records do not name their command). */
export type AnswerKind = 'ocr' | 'compare' | 'liveness' | 'index' | 'search' | 'none' | 'unrecognised';

/** `review`: the API flagged it to be reviewed; `problem`: a check answering yes (blur: yes); `finding`: a local rule. */
export const MARK = { none: 0, review: 1, problem: 2, finding: 4 } as const;

/** [name, value, marks (MARK bits), confidence 0–100]; what is 0 or absent at the end is left off, to keep pages small. */
export type FieldEntry = [name: string, value: string, marks?: number, conf?: number];

export interface DocumentView {
  type: string;
  fields: FieldEntry[];
  checks: { group: string; entries: FieldEntry[] }[];
}

export interface FindingView {
  severity: 'error' | 'warning';
  field?: string;
  code: string;
  message: string;
}

/** The key fields of the list, read from whichever document carries them (a card's front or back). */
export interface KeyFields {
  idNumber?: string;
  name?: string;
  dob?: string;
  expiry?: string;
}

export interface ReportRow {
  /** Which results file (index into ReportData.sources) and which line of it. */
  source: number;
  line: number;
  file: string;
  /** Every input of a pair call (face compare, MRC front and back). */
  files?: string[];
  /** Index into ReportData.images, one per input file. */
  images: number[];
  outcome: Outcome;
  kind: AnswerKind;
  /** Names of the fields and checks the API flagged to be reviewed. */
  reviewFlags: string[];
  key: KeyFields;
  /** MARK bits of the fields the key values came from, where any. */
  keyMarks?: Partial<Record<keyof KeyFields, number>>;
  documents?: DocumentView[];
  summary?: { action: 'pass' | 'review'; rawAction: string; codes: [code: string, message: string][] };
  findings?: FindingView[];
  compare?: { match: boolean; score: number; review: boolean; conf?: number };
  liveness?: { live: boolean; review: boolean; checks: FieldEntry[] };
  indexed?: { idNumber: string; milvusId: string; indexingTime: string };
  matches?: { idNumber: string; similarity: number; indexingTime: string }[];
  /** A body the typed readers could not read (`problem` says why), or a failure's body (`problem` empty); cut short. */
  unrecognised?: { problem: string; body: string };
  error?: { code: string; status?: number; message: string };
  preflight?: { code: string; message: string }[];
  /** `HEIC 1134×1512 102 KB → JPEG …`, one line per changed image. */
  prepared?: string[];
  httpStatus?: number;
  requestId?: string;
  transactionId?: string;
  durationMs?: number;
}

/**
 * `link`: a URL relative to the report (the original file, nothing copied); `embedded`: a JPEG thumbnail as a data
 * URL; `missing`: the file was not there when the report was made; `unviewable`: a browser cannot show it and no
 * thumbnail could be made.
 */
export type ImageView = { state: 'link' | 'embedded'; src: string } | { state: 'missing' | 'unviewable'; note: string };

export interface ScoreBin {
  /** Scores from `from` up to `from + width` (the last bin includes 100). */
  from: number;
  match: number;
  noMatch: number;
}

export interface CompareChart {
  width: number;
  bins: ScoreBin[];
  /** The threshold the user gave (--threshold): a line on the chart. */
  threshold?: number;
  /** Otherwise, where the API's own match answers put it: above `low`, at most `high`. */
  band?: { low: number; high: number };
}

export interface LivenessChart {
  live: number;
  liveReview: number;
  notLive: number;
}

export interface SourceView {
  path: string;
  records: number;
  /** Lines that were not results records (damaged, or another kind of file), by line number; the first few. */
  unreadable: number[];
  unreadableCount: number;
  /** Earlier answers for an input that a later line of the same file answered again (a resumed run). */
  replaced: number;
}

export interface ReportData {
  version: 1;
  lang: 'en' | 'vi';
  generatedAt: string;
  /** dd-mm-yyyy: the day the local rules were checked against ("expired" depends on it). */
  checkedOn: string;
  sources: SourceView[];
  totals: Record<Outcome, number>;
  compare?: CompareChart;
  liveness?: LivenessChart;
  images: ImageView[];
  /** Explanations of the summary codes and document types that occur, keyed by code. */
  codes: Record<string, { vi: string; en: string; check: string }>;
  docTypes: Record<string, { vi: string; en: string }>;
  labels: Record<string, string>;
  /** API field names as people read them. */
  fieldLabels: Record<string, string>;
  /** Whether personal values were masked (--redact). */
  redacted: boolean;
  rows: ReportRow[];
}
