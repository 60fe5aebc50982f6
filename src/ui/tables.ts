/**
 * Human-readable views of the normalized results. Every renderer returns a string ending in a newline and never
 * writes anything itself. Only commands that print for people load this module (lazily), so `--json` runs never
 * pay for cli-table3.
 *
 * Everything that must be noticed (a field to review, a failed check, a hidden URL) carries a text marker as well
 * as a colour, so it still shows with NO_COLOR, in a log file, or to a screen reader.
 */
import Table from 'cli-table3';
import type { Field, FieldMap, FaceCompareResult, HistoryResult, IndexedFace, LivenessResult, OcrDocument, OcrResult, SearchResult, Summary } from '../api/types.js';
import type { Outcome } from '../batch/results.js';
import { DOCUMENT_TYPES, explainCode } from '../vn/codes.js';
import type { Colors } from './colors.js';
import { labelsFor, type Labels, type Lang } from './labels.js';
import { terminalSafe } from './safe-text.js';

export interface RenderOptions {
  colors: Colors;
  /** Presigned image URLs open a citizen's photo: printed only when asked for (--show-urls). */
  showUrls?: boolean;
  /** Labels and headings (--lang); values and the API's codes are shown as they are. English by default. */
  lang?: Lang;
}

/** In these groups a check answering `yes` is a finding (blur: yes, photoTampered: yes). */
const PROBLEM_GROUPS = new Set(['qualityChecks', 'ruleChecks', 'tamperChecks']);
const ADDRESS_PARTS = ['province', 'district', 'ward', 'street'];

function newTable(colors: Colors, head: string[] = []): Table.Table {
  // Empty styles: cli-table3 would otherwise colour with its own library, which ignores our colour decision.
  return new Table({ head: head.map((h) => colors.bold(h)), style: { head: [], border: [], compact: true } });
}

function keyValue(rows: Array<[string, string]>, colors: Colors): string {
  const t = newTable(colors);
  for (const [k, v] of rows) t.push([colors.bold(k), v]);
  return t.toString();
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** The API mixes scales: OCR and some compare answers give 0–1, others 0–100. */
function formatPercent(n: number): string {
  return `${formatNumber(n <= 1 ? n * 100 : n)}%`;
}

/** Every string that came from the API goes through here: one line, escapes shown, never interpreted. */
function shown(value: string, colors: Colors): string {
  return value === '' ? colors.dim('(empty)') : terminalSafe(value);
}

function reviewCell(review: boolean, colors: Colors, l: Labels): string {
  return review ? colors.yellow(l.reviewMark) : '';
}

function orderedParts(parts: Record<string, string> | undefined): Array<[string, string]> {
  if (!parts) return [];
  const rank = (k: string): number => (ADDRESS_PARTS.includes(k) ? ADDRESS_PARTS.indexOf(k) : ADDRESS_PARTS.length);
  return Object.entries(parts).sort(([a], [b]) => rank(a) - rank(b));
}

/** A field by its name as people read it (`fieldName`), its address parts indented below it. */
function fieldRows(name: string, f: Field, colors: Colors, withConf: boolean, l: Labels): string[][] {
  const mark = f.review ? colors.yellow : (s: string) => s;
  const conf = withConf ? [f.conf === undefined ? '' : formatPercent(f.conf)] : [];
  const rows = [[mark(shown(l.fieldName(name), colors)), mark(shown(f.value, colors)), reviewCell(f.review, colors, l), ...conf]];
  for (const [part, value] of orderedParts(f.parts)) rows.push([`  ${shown(l.fieldName(part), colors)}`, shown(value, colors), '', ...conf.map(() => '')]);
  return rows;
}

/** A check's yes or no in the reader's language; any other value as the API sent it. */
function checkValue(value: string, colors: Colors, l: Labels): string {
  return /^yes$/i.test(value) ? l.yes : /^no$/i.test(value) ? l.no : shown(value, colors);
}

function renderChecks(groups: Record<string, FieldMap>, colors: Colors, l: Labels): string | undefined {
  const t = newTable(colors, [l.check, l.result, l.review]);
  for (const [group, checks] of Object.entries(groups)) {
    const entries = Object.entries(checks);
    if (entries.length === 0) continue;
    t.push([{ colSpan: 3, content: colors.bold(shown(l.fieldName(group), colors)) }]);
    for (const [name, f] of entries) {
      const problem = PROBLEM_GROUPS.has(group) && /^yes$/i.test(f.value);
      t.push([`  ${shown(l.fieldName(name), colors)}`, problem ? colors.red(l.problemMark) : checkValue(f.value, colors, l), reviewCell(f.review, colors, l)]);
    }
  }
  return t.length > 0 ? t.toString() : undefined;
}

/** The type code, then its name in the reader's language and in the other one. */
function documentHeading(type: string, colors: Colors, l: Labels): string {
  const names = DOCUMENT_TYPES.get(type);
  return colors.bold(shown(type, colors)) + (names ? ` ${l.lang === 'vi' ? `${names.vi} / ${names.en}` : `${names.en} / ${names.vi}`}` : '');
}

function renderDocument(doc: OcrDocument, colors: Colors, l: Labels): string {
  // The national-ID endpoint sends no confidences: an empty column would only suggest something is missing.
  const withConf = Object.values(doc.fields).some((f) => f.conf !== undefined);
  const fields = newTable(colors, [l.field, l.value, l.review, ...(withConf ? [l.fieldName('conf')] : [])]);
  for (const [name, f] of Object.entries(doc.fields)) fields.push(...fieldRows(name, f, colors, withConf, l));
  const checks = renderChecks(doc.checks, colors, l);
  return [`${documentHeading(doc.type, colors, l)}\n${fields.toString()}`, ...(checks ? [checks] : [])].join('\n\n');
}

function renderSummary(summary: Summary, colors: Colors, l: Labels): string {
  const action = summary.action === 'pass' ? colors.green.bold(l.pass) : colors.yellow.bold(l.manualReview);
  const lines = [`${colors.bold(l.summary)} ${action}`];
  for (const { code, message } of summary.details) {
    const known = explainCode(code);
    if (!known) {
      lines.push(`  ${colors.bold(shown(code, colors))}  ${shown(message, colors)}`);
      continue;
    }
    lines.push(`  ${colors.bold(code)}  ${known.vi}`, `       ${known.en}${known.check ? colors.dim(`  [${known.check}]`) : ''}`);
  }
  return lines.join('\n');
}

export function renderOcr(result: OcrResult, { colors, lang }: RenderOptions): string {
  const l = labelsFor(lang);
  const blocks = result.documents.map((d) => renderDocument(d, colors, l));
  if (result.summary) blocks.push(renderSummary(result.summary, colors, l));
  return blocks.join('\n\n') + '\n';
}

function yesNo(value: boolean, colors: Colors, l: Labels): string {
  return value ? colors.green(l.yes) : colors.red(l.no);
}

export function renderFaceCompare(result: FaceCompareResult, { colors, threshold, lang }: RenderOptions & { threshold?: number }): string {
  const l = labelsFor(lang);
  const rows: Array<[string, string]> = [
    [l.fieldName('match'), yesNo(result.match, colors, l)],
    [l.fieldName('match-score'), formatNumber(result.score)],
  ];
  if (threshold !== undefined) rows.push([l.threshold, String(threshold)]);
  if (result.conf !== undefined) rows.push([l.fieldName('conf'), formatPercent(result.conf)]);
  rows.push([l.review, reviewCell(result.review, colors, l) || l.no]);
  return keyValue(rows, colors) + '\n';
}

export function renderLiveness(result: LivenessResult, { colors, lang }: RenderOptions): string {
  const l = labelsFor(lang);
  const blocks = [keyValue([[l.live, yesNo(result.live, colors, l)], [l.review, reviewCell(result.review, colors, l) || l.no]], colors)];
  const checks = renderChecks({ qualityChecks: result.qualityChecks }, colors, l);
  if (checks) blocks.push(checks);
  if (result.summary) blocks.push(renderSummary(result.summary, colors, l));
  return blocks.join('\n\n') + '\n';
}

/**
 * Presigned URLs are long and must stay copyable, so they go below the table, one per line, never inside it.
 * Numbered like the rows they belong to; an empty one (dropped by --redact) is left out.
 */
function urlBlock(what: 'face' | 'image', urls: string[], { colors, showUrls, lang }: RenderOptions): string {
  if (!urls.some((u) => u !== '')) return '';
  if (!showUrls) return colors.dim(labelsFor(lang).urlsHidden[what]);
  return urls.flatMap((u, i) => (u === '' ? [] : [`${i + 1}. ${terminalSafe(u).trim()}`])).join('\n');
}

function stack(...blocks: string[]): string {
  return blocks.filter((b) => b !== '').join('\n') + '\n';
}

export function renderIndexed(face: IndexedFace, opts: RenderOptions): string {
  const { colors } = opts;
  const l = labelsFor(opts.lang);
  const table = keyValue(
    [
      [l.fieldName('idNumber'), shown(face.idNumber, colors)],
      [l.fieldName('indexingTime'), shown(face.indexingTime, colors)],
      [l.fieldName('milvusId'), shown(face.milvusId, colors)],
    ],
    colors,
  );
  return stack(table, urlBlock('face', [face.facePath], opts));
}

export function renderSearch(result: SearchResult, opts: RenderOptions): string {
  const l = labelsFor(opts.lang);
  if (result.matches.length === 0) return `${l.noMatches}\n`;
  const t = newTable(opts.colors, ['#', l.fieldName('idNumber'), l.fieldName('similar'), l.fieldName('indexingTime')]);
  result.matches.forEach((m, i) => t.push([String(i + 1), shown(m.idNumber, opts.colors), formatPercent(m.similarity), shown(m.indexingTime, opts.colors)]));
  // Numbered like the table's # column, so a URL can be matched to its row.
  return stack(t.toString(), urlBlock('face', result.matches.map((m) => m.facePath), opts));
}

export function renderHistory(result: HistoryResult, opts: RenderOptions): string {
  const { colors } = opts;
  const l = labelsFor(opts.lang);
  if (result.transactions.length === 0) return `${l.noTransactions}\n`;
  return result.transactions
    .map((tx) => {
      const head = `${colors.bold(shown(tx.requestTime, colors))}  ${shown(tx.apiCode, colors)}  ${l.status} ${shown(tx.statusCode, colors)}`;
      return stack(head, indent(describeData(tx.data, colors, l)), indent(urlBlock('image', tx.imagePaths, opts)));
    })
    .join('\n');
}

function indent(text: string): string {
  return text.replace(/^(?=.)/gm, '  ');
}

/**
 * History `data` is the raw body of the original call. Result bodies (OCR, compare, liveness) become one
 * `label: value` line per answer; anything else is shown as JSON so nothing is hidden.
 */
function describeData(data: unknown, colors: Colors, l: Labels): string {
  // JSON.stringify escapes C0 controls but not C1 or bidi ones.
  if (!isRecord(data) || !('result' in data)) return typeof data === 'string' ? shown(data, colors) : terminalSafe(JSON.stringify(data, null, 2), { multiline: true });
  const lines: string[] = [];
  const { status: _status, statusCode: _statusCode, ...rest } = data; // already in the transaction heading
  compact(rest, '', lines, colors, l);
  return lines.join('\n');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isPrimitive(v: unknown): v is string | number | boolean | null {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v);
}

/** Wrappers that only add nesting: their children are labelled as if they were at the parent's level. */
const TRANSPARENT = new Set(['result', 'details', 'fieldsExtracted']);
const FIELD_META = new Set(['value', 'conf', 'to-be-reviewed', 'toBeReviewed']);

/** Labels here stay the API's dotted paths (`permanentAddress.province`): they name where a value sits in the body. */
function compact(value: unknown, label: string, out: string[], colors: Colors, l: Labels): void {
  const join = (k: string): string => (label ? `${label}.${k}` : k);
  if (Array.isArray(value)) {
    for (const item of value) compact(item, label, out, colors, l);
  } else if (isRecord(value) && isPrimitive(value.value)) {
    // A field ({value, to-be-reviewed|toBeReviewed, conf, …address parts}).
    const review = [value['to-be-reviewed'], value.toBeReviewed].some((r) => r === 'yes' || r === true);
    out.push(`${shown(label, colors)}: ${shown(String(value.value), colors)}${review ? ` ${colors.yellow(l.reviewMark)}` : ''}`);
    for (const [k, v] of Object.entries(value)) if (!FIELD_META.has(k) && isPrimitive(v)) out.push(`${shown(join(k), colors)}: ${shown(String(v), colors)}`);
  } else if (isRecord(value) && isPrimitive(value.code) && isPrimitive(value.message)) {
    out.push(`${shown(label, colors)}: ${shown(`${String(value.code)} ${String(value.message)}`, colors)}`);
  } else if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) compact(v, TRANSPARENT.has(k) ? label : join(k), out, colors, l);
  } else {
    out.push(`${shown(label, colors)}: ${shown(String(value), colors)}`);
  }
}

export interface BatchSummary {
  total: number;
  ok: number;
  review: number;
  notDetected: number;
  failedByCode: Record<string, number>;
  /** Not sent: a pre-flight check failed (--preflight skip). */
  skipped?: number;
  /** Left out: a results file already held their answer. */
  alreadyDone?: number;
  durationMs: number;
}

type OutcomeCounts = Pick<BatchSummary, 'ok' | 'review' | 'notDetected' | 'failedByCode' | 'skipped'>;

/** A row per outcome, failures by their code: a batch's own summary and `results summary` count alike. */
function outcomeRows(c: OutcomeCounts, colors: Colors, l: Labels): Array<[string, string]> {
  const count = (n: number, paint: (s: string) => string): string => (n > 0 ? paint(String(n)) : String(n));
  const rows: Array<[string, string]> = [
    [l.outcome.ok, count(c.ok, colors.green)],
    [l.outcome.review, count(c.review, colors.yellow)],
    [l.outcome.not_detected, count(c.notDetected, colors.yellow)],
  ];
  for (const [code, n] of Object.entries(c.failedByCode)) rows.push([`${l.outcome.failed} (${terminalSafe(code)})`, count(n, colors.red)]);
  if (c.skipped) rows.push([l.outcome.skipped, count(c.skipped, colors.yellow)]);
  return rows;
}

export function renderBatchSummary(summary: BatchSummary, colors: Colors, lang?: Lang): string {
  const l = labelsFor(lang);
  const rows = outcomeRows(summary, colors, l);
  if (summary.alreadyDone !== undefined) rows.push([l.alreadyDone, String(summary.alreadyDone)]);
  const seconds = summary.durationMs / 1000;
  const sent = summary.total - (summary.alreadyDone ?? 0) - (summary.skipped ?? 0);
  rows.push(
    [l.total, String(summary.total)],
    [l.duration, `${seconds.toFixed(1)} s`],
    [l.throughput, seconds > 0 ? `${(sent / seconds).toFixed(1)} ${l.perSecond}` : '–'],
  );
  return keyValue(rows, colors) + '\n';
}

/** What `results summary` found in results files (its --json output). */
export interface ResultsSummary {
  /** Records read; a record is one line, so an input a re-run appended again counts twice. */
  records: number;
  /** Lines left out: torn, not JSON, or not a record. */
  skippedLines: number;
  outcomes: Record<Outcome, number>;
  failedByCode: Record<string, number>;
  /** Over the records that need review: each summary code, and each field or check the API flagged (API names). */
  reviewReasons: { summaryCodes: Record<string, number>; fields: Record<string, number> };
  /**
   * Records carry no timestamps, so the batch's wall time is unknown: this is the sum of their durationMs (calls
   * that ran side by side each count), over the records that made a call.
   */
  callTimeMs: number;
  meanCallMs: number;
  /** Calls a second of one worker (calls ÷ call time); a batch at --concurrency N runs up to N times this. */
  callsPerSecondPerWorker: number;
}

/** Most frequent first. */
function byCount(counts: Record<string, number>): Array<[string, number]> {
  return Object.entries(counts).sort(([a, m], [b, n]) => n - m || a.localeCompare(b));
}

export function renderResultsSummary(s: ResultsSummary, colors: Colors, lang?: Lang): string {
  const l = labelsFor(lang);
  const o = s.outcomes;
  const rows: Array<[string, string]> = [
    [l.records, String(s.records)],
    ...outcomeRows({ ok: o.ok, review: o.review, notDetected: o.not_detected, failedByCode: s.failedByCode, skipped: o.skipped }, colors, l),
  ];
  for (const [code, n] of byCount(s.reviewReasons.summaryCodes)) {
    const known = explainCode(code);
    rows.push([`${l.summaryCode} ${terminalSafe(code)}${known ? ` (${known[l.lang]})` : ''}`, String(n)]);
  }
  for (const [name, n] of byCount(s.reviewReasons.fields)) rows.push([`${l.flagged} ${terminalSafe(l.fieldName(name))}`, String(n)]);
  if (s.skippedLines) rows.push([l.linesSkipped, colors.yellow(String(s.skippedLines))]);
  rows.push(
    [l.callTime, `${(s.callTimeMs / 1000).toFixed(1)} s`],
    [l.meanCall, `${Math.round(s.meanCallMs)} ms`],
    [l.oneWorker, s.callsPerSecondPerWorker > 0 ? `${s.callsPerSecondPerWorker.toFixed(1)} ${l.perSecond}` : '–'],
  );
  return keyValue(rows, colors) + '\n';
}
