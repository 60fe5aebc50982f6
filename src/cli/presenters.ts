import type { FaceCompareResult, HistoryResult, IndexedFace, LivenessResult, OcrResult, SearchResult } from '../api/types.js';
import type { Colors } from '../ui/colors.js';
import { flattenOcr, type CsvValue } from '../ui/records.js';

export type Verdict = 'pass' | 'review';

export interface ViewOptions {
  colors: Colors;
  showUrls: boolean;
  threshold?: number;
}

/**
 * How one kind of result is judged and shown. This module loads only once a command runs (never for --help), and
 * the table renderers only when a table is printed: `--json` runs never load cli-table3.
 */
export interface Presenter<T> {
  verdict(data: T): Verdict;
  table(data: T, o: ViewOptions): Promise<string>;
  csvRow(data: T): Record<string, CsvValue>;
  /** A fixed CSV header, so every row of a batch has the same columns. */
  csvColumns?: readonly string[];
}

const tables = () => import('../ui/tables.js');

/** `columns`: a fixed CSV header when the document's fields are known up front (national ID). */
export const ocrPresenter = (columns?: readonly string[]): Presenter<OcrResult> => ({
  // Without a summary (DL, passport, MRC) a field the API flagged is the only verdict there is.
  verdict: (r) => (r.summary ? r.summary.action : r.documents.some((d) => Object.values(d.fields).some((f) => f.review)) ? 'review' : 'pass'),
  table: async (r, o) => {
    const [{ renderOcr }, { checkDocuments }] = await Promise.all([tables(), import('../vn/check.js')]);
    const findings = checkDocuments(r.documents);
    const notes = findings.map((f) => `${f.severity === 'error' ? o.colors.red('✗') : o.colors.yellow('!')} ${f.field ? `${f.field}: ` : ''}${f.message}`);
    return renderOcr(r, o) + (notes.length ? `\nLocal checks (Vietnamese document rules):\n${notes.map((n) => `  ${n}`).join('\n')}\n` : '');
  },
  csvRow: (r) => flattenOcr(r),
  ...(columns ? { csvColumns: columns } : {}),
});

export const comparePresenter: Presenter<FaceCompareResult> = {
  verdict: (r) => (r.match && !r.review ? 'pass' : 'review'),
  table: async (r, o) => (await tables()).renderFaceCompare(r, o),
  csvRow: (r) => ({ match: r.match, score: r.score, conf: r.conf, review: r.review }),
  csvColumns: ['match', 'score', 'conf', 'review'],
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
  csvColumns: ['live', 'review', 'summaryAction', 'summaryCodes'],
};

export const indexPresenter: Presenter<IndexedFace> = {
  verdict: () => 'pass',
  table: async (r, o) => (await tables()).renderIndexed(r, o),
  csvRow: (r) => ({ idNumber: r.idNumber, milvusId: r.milvusId, indexingTime: r.indexingTime }),
  csvColumns: ['idNumber', 'milvusId', 'indexingTime'],
};

export const searchPresenter: Presenter<SearchResult> = {
  verdict: () => 'pass',
  table: async (r, o) => (await tables()).renderSearch(r, o),
  csvRow: (r) => ({ matches: r.matches.length, topIdNumber: r.matches[0]?.idNumber, topSimilarity: r.matches[0]?.similarity }),
  csvColumns: ['matches', 'topIdNumber', 'topSimilarity'],
};

export const historyPresenter: Presenter<HistoryResult> = {
  verdict: () => 'pass',
  table: async (r, o) => (await tables()).renderHistory(r, o),
  csvRow: (r) => ({ transactions: r.transactions.length }),
  csvColumns: ['transactions'],
};
