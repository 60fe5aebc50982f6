/**
 * One results record as the report shows it: the API's raw body read by the typed readers (src/api/schemas.ts),
 * the local Vietnamese-rule findings, and only what the page needs. Pure: no I/O.
 */
import { normalize } from '../../api/schemas.js';
import type { FieldMap, OcrDocument, OcrResult, Summary } from '../../api/types.js';
import type { ResultRecord } from '../../batch/results.js';
import { checkDocuments } from '../../vn/check.js';
import { preparedLines } from '../prepared.js';
import { Redactor } from '../redact.js';
import { MARK, type AnswerKind, type DocumentView, type FieldEntry, type KeyFields, type ReportRow } from './model.js';

export interface DigestOptions {
  /** The day the local rules are checked against (its local calendar day). */
  today: Date;
  /** --redact: personal values masked as everywhere else (src/ui/redact.ts). */
  redact: boolean;
}

/** A value longer than this is cut: OCR text is hostile, and one huge value must not bloat the page. */
const MAX_VALUE = 500;
/** How much of a body the readers could not read is kept, for a person to look at. */
const MAX_UNRECOGNISED = 2000;
/** In these groups a check answering `yes` is a problem (blur: yes, photoTampered: yes). */
const PROBLEM_GROUPS = new Set(['qualityChecks', 'ruleChecks', 'tamperChecks', 'fraudCheck']);

/** Where each key field may be found, in order of preference (documents name them differently). */
const KEY_FIELDS: Record<keyof KeyFields, readonly string[]> = {
  idNumber: ['idNumber', 'id', 'passport_num', 'licenseNumber', 'license_number', 'number'],
  name: ['name', 'fullName', 'full_name'],
  dob: ['dob', 'birthday', 'date_of_birth'],
  expiry: ['doe', 'expiry', 'expiryDate'],
};


const cut = (s: string, max = MAX_VALUE): string => (s.length > max ? `${s.slice(0, max)}…` : s);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** OCR and some compare answers give 0–1, others 0–100. */
const percent = (n: number | undefined): number | undefined => (n === undefined || !Number.isFinite(n) ? undefined : Math.round((n <= 1 ? n * 100 : n) * 10) / 10);

/**
 * What goes into the page of one answer's text. Values first, then free text: a message is masked with the values
 * the answer showed (one Redactor per record, as src/ui/redact.ts asks).
 */
interface Shown {
  /** A value under an API key (`idNumber`, `name`…). */
  value(key: string, value: string): string;
  /** A message (an error, a local finding) that may quote a value. */
  text(text: string): string;
  body(body: unknown): unknown;
}

const AS_IS: Shown = { value: (_k, v) => v, text: (t) => t, body: (b) => b };

function redacting(): Shown {
  const r = new Redactor();
  return {
    value: (key, value) => String((r.body({ [key]: value }) as Record<string, unknown>)[key] ?? ''),
    text: (t) => r.text(t),
    body: (b) => r.body(b),
  };
}

export function digestRecord(record: ResultRecord, source: number, line: number, o: DigestOptions): Omit<ReportRow, 'images'> {
  const shown = o.redact ? redacting() : AS_IS;
  // File names are the user's own (src/ui/redact.ts leaves them too).
  const row: Omit<ReportRow, 'images'> = { source, line, file: cut(record.file, 4096), outcome: record.outcome, kind: 'none', reviewFlags: [], key: {} };
  if (record.files && record.files.length > 1) row.files = record.files.map((f) => cut(f, 4096));
  if (record.response !== undefined) {
    // A failure's body is the API's error, or an answer it could not read (kept by the batch: it may be billed).
    if (record.ok) Object.assign(row, readAnswer(record.response, o.today, shown));
    else if (record.outcome === 'failed') row.unrecognised = { problem: '', body: bodyText(record.response, shown) };
  }
  if (isObject(record.error)) {
    const e = record.error;
    row.error = { code: cut(String(e.code ?? 'unknown')), ...(typeof e.status === 'number' ? { status: e.status } : {}), message: shown.text(cut(String(e.message ?? ''), 2000)) };
  }
  if (Array.isArray(record.preflight)) {
    row.preflight = record.preflight.filter(isObject).map((p) => ({ code: cut(str(p.code) ?? ''), message: cut(str(p.message) ?? '') }));
  }
  const prepared = preparedLines(record.prepared).split('\n').filter(Boolean);
  if (prepared.length) row.prepared = prepared.map((l) => cut(l));
  if (typeof record.httpStatus === 'number') row.httpStatus = record.httpStatus;
  if (typeof record.requestId === 'string' && record.requestId) row.requestId = cut(record.requestId, 200);
  if (typeof record.transactionId === 'string' && record.transactionId) row.transactionId = cut(record.transactionId, 200);
  if (typeof record.durationMs === 'number') row.durationMs = record.durationMs;
  return row;
}

type Answer = Pick<ReportRow, 'kind' | 'reviewFlags' | 'key' | 'keyMarks' | 'documents' | 'summary' | 'findings' | 'compare' | 'liveness' | 'indexed' | 'matches' | 'unrecognised'>;

/** Which reader a body needs, by its shape: the record does not say which command made it. */
function kindOf(body: unknown): AnswerKind {
  if (!isObject(body)) return 'unrecognised';
  const { result, data } = body;
  if (isObject(result) && 'liveFace' in result) return 'liveness';
  if (isObject(result) && 'match' in result) return 'compare';
  if (Array.isArray(result) || (isObject(result) && ('details' in result || 'type' in result))) return 'ocr';
  if (isObject(data) && 'milvusId' in data) return 'index';
  if (Array.isArray(data) || (data === null && 'data' in body)) return 'search';
  return 'unrecognised';
}

function readAnswer(body: unknown, today: Date, shown: Shown): Partial<Answer> {
  const kind = kindOf(body);
  try {
    switch (kind) {
      case 'ocr':
        return ocrAnswer(readOcr(body), today, shown);
      case 'compare': {
        const c = normalize.compare(body);
        return { kind, compare: { match: c.match, score: c.score, review: c.review, ...(c.conf !== undefined ? { conf: c.conf } : {}) }, reviewFlags: c.review ? ['match'] : [] };
      }
      case 'liveness': {
        const l = normalize.liveness(body);
        const checks = entries(l.qualityChecks, shown, { problemWhenYes: true });
        return {
          kind,
          liveness: { live: l.live, review: l.review, checks },
          reviewFlags: [...(l.review ? ['liveFace'] : []), ...flagged(checks)],
          ...(l.summary ? { summary: summaryView(l.summary) } : {}),
        };
      }
      case 'index': {
        const f = normalize.indexed(body);
        const idNumber = shown.value('idNumber', cut(f.idNumber));
        // facePath is a presigned URL that opens the citizen's photo: it never goes into the report.
        return { kind, indexed: { idNumber, milvusId: cut(f.milvusId), indexingTime: cut(f.indexingTime) }, key: { idNumber } };
      }
      case 'search': {
        const matches = normalize.search(body).matches.slice(0, 20).map((m) => ({ idNumber: shown.value('idNumber', cut(m.idNumber)), similarity: m.similarity, indexingTime: cut(m.indexingTime) }));
        return { kind, matches, ...(matches[0] ? { key: { idNumber: matches[0].idNumber } } : {}) };
      }
      default:
        return unrecognised(body, 'no reader knows this shape of answer', shown);
    }
  } catch (err) {
    return unrecognised(body, err instanceof Error ? err.message : String(err), shown);
  }
}

/** The national-ID body has `result.details`; DL, passport and MRC bodies have documents with a `type` in `result`. */
function readOcr(body: unknown): OcrResult {
  const result = (body as { result: unknown }).result;
  return isObject(result) && !('type' in result) ? normalize.nationalId(body) : normalize.documentList(body);
}

function unrecognised(body: unknown, problem: string, shown: Shown): Partial<Answer> {
  return { kind: 'unrecognised', unrecognised: { problem: shown.text(cut(problem)), body: bodyText(body, shown) } };
}

/** A body is personal data too, and may be anything: kept only as text, cut short, never parsed by the page. */
function bodyText(body: unknown, shown: Shown): string {
  const masked = shown.body(body);
  return cut(JSON.stringify(masked) ?? String(masked), MAX_UNRECOGNISED);
}

function ocrAnswer(r: OcrResult, today: Date, shown: Shown): Partial<Answer> {
  // The rules read the values as the API gave them; only what is shown is masked.
  const found = checkDocuments(r.documents, today);
  const findingFields = new Set(found.map((f) => f.field));
  const documents = r.documents.map((d) => documentView(d, findingFields, shown));
  const findings = found.map((f) => ({ severity: f.severity, ...(f.field ? { field: f.field } : {}), code: f.code, message: shown.text(cut(f.message)) }));
  const reviewFlags = documents.flatMap((d) => [...flagged(d.fields), ...d.checks.flatMap((c) => flagged(c.entries))]);
  return {
    kind: 'ocr',
    documents,
    reviewFlags: [...new Set(reviewFlags)],
    ...keyFields(documents),
    ...(findings.length ? { findings } : {}),
    ...(r.summary ? { summary: summaryView(r.summary) } : {}),
  };
}

function documentView(d: OcrDocument, findingFields: ReadonlySet<string | undefined>, shown: Shown): DocumentView {
  return {
    type: cut(d.type, 100),
    fields: entries(d.fields, shown, { findingFields }),
    checks: Object.entries(d.checks).map(([group, checks]) => ({ group: cut(group, 100), entries: entries(checks, shown, { problemWhenYes: PROBLEM_GROUPS.has(group) }) })),
  };
}

/**
 * A field map as entries; an address split into parts adds one entry per part (`permanentAddress.province`).
 * `problemWhenYes`: a check group, where `yes` is a problem; `findingFields`: fields a local rule found fault with.
 */
function entries(map: FieldMap, shown: Shown, o: { problemWhenYes?: boolean; findingFields?: ReadonlySet<string | undefined> }): FieldEntry[] {
  const out: FieldEntry[] = [];
  for (const [name, f] of Object.entries(map)) {
    const marks = (f.review ? MARK.review : 0) | (o.problemWhenYes && /^yes$/i.test(f.value.trim()) ? MARK.problem : 0) | (o.findingFields?.has(name) ? MARK.finding : 0);
    out.push(entry(cut(name, 100), shown.value(name, cut(f.value)), marks, percent(f.conf)));
    for (const [part, value] of Object.entries(f.parts ?? {})) out.push([cut(`${name}.${part}`, 100), shown.value(part, cut(value))]);
  }
  return out;
}

const entry = (name: string, value: string, marks: number, conf: number | undefined): FieldEntry =>
  conf !== undefined ? [name, value, marks, conf] : marks ? [name, value, marks] : [name, value];

const marksOf = (e: FieldEntry): number => e[2] ?? 0;
const flagged = (list: readonly FieldEntry[]): string[] => list.filter((e) => marksOf(e) & MARK.review).map((e) => e[0]);

function summaryView(s: Summary): NonNullable<ReportRow['summary']> {
  return { action: s.action, rawAction: cut(s.rawAction, 100), codes: s.details.map((d) => [cut(d.code, 50), cut(d.message)]) };
}

/** The first non-empty value of each key field over the documents (a card's back may carry its expiry), and its marks. */
function keyFields(docs: readonly DocumentView[]): Pick<ReportRow, 'key' | 'keyMarks'> {
  const key: KeyFields = {};
  const keyMarks: NonNullable<ReportRow['keyMarks']> = {};
  const fields = docs.flatMap((d) => d.fields);
  for (const [k, names] of Object.entries(KEY_FIELDS) as [keyof KeyFields, readonly string[]][]) {
    const found = names.map((name) => fields.find((e) => e[0] === name && e[1].trim())).find((e) => e);
    if (!found) continue;
    key[k] = found[1].trim();
    if (marksOf(found)) keyMarks[k] = marksOf(found);
  }
  return Object.keys(keyMarks).length ? { key, keyMarks } : { key };
}
