import { normalize } from '../api/schemas.js';
import type { FaceCompareResult, FieldMap, HistoryResult, IndexedFace, LivenessResult, OcrResult, SearchResult, Summary } from '../api/types.js';
import { answerKind, type AnswerKind } from '../batch/results.js';
import type { Colors } from '../ui/colors.js';
import { labelsFor, type Lang } from '../ui/labels.js';
import { flattenOcr, NATIONAL_ID_COLUMNS, type CsvValue } from '../ui/records.js';
import type { Redactor } from '../ui/redact.js';
import { terminalSafe } from '../ui/safe-text.js';

export type Verdict = 'pass' | 'review';

export interface ViewOptions {
  colors: Colors;
  showUrls: boolean;
  threshold?: number;
  /** --redact: the table shows the answer masked by it. */
  redactor?: Redactor;
  /** Labels and headings (--lang); English by default. */
  lang?: Lang;
}

/** Why an answer needs review, by the API's names: its summary codes, and the fields and checks it flagged. */
export interface ReviewReasons {
  summaryCodes: string[];
  fields: string[];
}

/**
 * How one kind of result is judged and shown. This module loads only once a command runs (never for --help), and
 * the table renderers only when a table is printed: `--json` runs never load cli-table3.
 */
export interface Presenter<T> {
  verdict(data: T): Verdict;
  table(data: T, o: ViewOptions): Promise<string>;
  csvRow(data: T): Record<string, CsvValue>;
  /** The answer with its personal data masked (--redact). */
  redact(data: T, r: Redactor): T;
  /** A fixed CSV header, so every row of a batch has the same columns. */
  csvColumns?: readonly string[];
  reviewReasons?(data: T): ReviewReasons;
}

const flagged = (fields: FieldMap): string[] => Object.entries(fields).flatMap(([name, f]) => (f.review ? [name] : []));
const reviewCodes = (summary: Summary | undefined): string[] => (summary?.action === 'review' ? summary.details.map((d) => d.code) : []);

const tables = () => import('../ui/tables.js');

/** What a table shows: the answer, masked with --redact. */
const shown = <T>(p: Pick<Presenter<T>, 'redact'>, data: T, o: ViewOptions): T => (o.redactor ? p.redact(data, o.redactor) : data);
const unchanged = <T>(data: T): T => data;

/** `columns`: a fixed CSV header when the document's fields are known up front (national ID). */
export const ocrPresenter = (columns?: readonly string[]): Presenter<OcrResult> => ({
  // Without a summary (DL, passport, MRC) a field the API flagged is the only verdict there is.
  verdict: (r) => (r.summary ? r.summary.action : r.documents.some((d) => Object.values(d.fields).some((f) => f.review)) ? 'review' : 'pass'),
  async table(r, o) {
    const [{ renderOcr }, { checkDocuments }] = await Promise.all([tables(), import('../vn/check.js')]);
    // The rules read the answer as it is; their messages quote its values, masked like the table.
    const findings = checkDocuments(r.documents);
    const table = renderOcr(shown(this, r, o), o);
    const text = (s: string): string => terminalSafe(o.redactor ? o.redactor.text(s) : s);
    const l = labelsFor(o.lang);
    const notes = findings.map((f) => `${f.severity === 'error' ? o.colors.red('✗') : o.colors.yellow('!')} ${text(`${f.field ? `${l.fieldName(f.field)}: ` : ''}${f.message}`)}`);
    return table + (notes.length ? `\n${l.localChecks}\n${notes.map((n) => `  ${n}`).join('\n')}\n` : '');
  },
  csvRow: (r) => flattenOcr(r),
  reviewReasons: (r) => ({
    summaryCodes: reviewCodes(r.summary),
    fields: r.documents.flatMap((d) => [flagged(d.fields), ...Object.values(d.checks).map(flagged)].flat()),
  }),
  redact: (r, redactor) => redactor.ocr(r),
  ...(columns ? { csvColumns: columns } : {}),
});

export const comparePresenter: Presenter<FaceCompareResult> = {
  verdict: (r) => (r.match && !r.review ? 'pass' : 'review'),
  table: async (r, o) => (await tables()).renderFaceCompare(r, o),
  csvRow: (r) => ({ match: r.match, score: r.score, conf: r.conf, review: r.review }),
  redact: unchanged,
  csvColumns: ['match', 'score', 'conf', 'review'],
  // No match is a reason as much as the flag: either way the `match` answer is what a person checks.
  reviewReasons: (r) => ({ summaryCodes: [], fields: r.match && !r.review ? [] : ['match'] }),
};

export const livenessPresenter: Presenter<LivenessResult> = {
  verdict: (r) => (r.live && !r.review && r.summary?.action !== 'review' ? 'pass' : 'review'),
  table: async (r, o) => (await tables()).renderLiveness(r, o),
  csvRow: (r) => ({
    live: r.live,
    review: r.review,
    summaryAction: r.summary?.action ?? '',
    summaryCodes: r.summary?.details.map((d) => d.code).join(';') ?? '',
  }),
  redact: unchanged,
  csvColumns: ['live', 'review', 'summaryAction', 'summaryCodes'],
  reviewReasons: (r) => ({ summaryCodes: reviewCodes(r.summary), fields: [...(r.live && !r.review ? [] : ['liveFace']), ...flagged(r.qualityChecks)] }),
};

export const indexPresenter: Presenter<IndexedFace> = {
  verdict: () => 'pass',
  async table(r, o) {
    return (await tables()).renderIndexed(shown(this, r, o), o);
  },
  csvRow: (r) => ({ idNumber: r.idNumber, milvusId: r.milvusId, indexingTime: r.indexingTime }),
  redact: (r, redactor) => redactor.indexed(r),
  csvColumns: ['idNumber', 'milvusId', 'indexingTime'],
};

export const searchPresenter: Presenter<SearchResult> = {
  verdict: () => 'pass',
  async table(r, o) {
    return (await tables()).renderSearch(shown(this, r, o), o);
  },
  csvRow: (r) => ({ matches: r.matches.length, topIdNumber: r.matches[0]?.idNumber, topSimilarity: r.matches[0]?.similarity }),
  redact: (r, redactor) => redactor.search(r),
  csvColumns: ['matches', 'topIdNumber', 'topSimilarity'],
};

export const historyPresenter: Presenter<HistoryResult> = {
  verdict: () => 'pass',
  async table(r, o) {
    return (await tables()).renderHistory(shown(this, r, o), o);
  },
  csvRow: (r) => ({ transactions: r.transactions.length }),
  redact: (r, redactor) => redactor.history(r),
  csvColumns: ['transactions'],
};

/** An answer kept in a results record, read again by the typed reader and presenter of the call that made it. */
export interface StoredAnswer {
  csvColumns?: readonly string[];
  csvRow(): Record<string, CsvValue>;
  reviewReasons(): ReviewReasons;
}

function reading<T>(read: (body: unknown) => T, presenter: Presenter<T>): (body: unknown) => StoredAnswer {
  return (body) => {
    const data = read(body);
    return {
      ...(presenter.csvColumns ? { csvColumns: presenter.csvColumns } : {}),
      csvRow: () => presenter.csvRow(data),
      reviewReasons: () => presenter.reviewReasons?.(data) ?? { summaryCodes: [], fields: [] },
    };
  };
}

/** The presenter each command gives its answers (src/cli/commands), by what the answer looks like. */
const STORED: Record<AnswerKind, (body: unknown) => StoredAnswer> = {
  nationalId: reading(normalize.nationalId, ocrPresenter(NATIONAL_ID_COLUMNS)),
  documentList: reading(normalize.documentList, ocrPresenter()),
  compare: reading(normalize.compare, comparePresenter),
  liveness: reading(normalize.liveness, livenessPresenter),
  indexed: reading(normalize.indexed, indexPresenter),
  search: reading(normalize.search, searchPresenter),
  history: reading(normalize.history, historyPresenter),
};

/**
 * A record's `response` as its command presented it (`results export`, `results summary`): undefined for a body
 * of no known shape; InvalidResponseError for one that has the shape but not the parts its reader needs.
 */
export function readStoredAnswer(body: unknown): StoredAnswer | undefined {
  const kind = answerKind(body);
  return kind && STORED[kind](body);
}
