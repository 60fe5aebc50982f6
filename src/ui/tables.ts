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
import { DOCUMENT_TYPES, explainCode } from '../vn/codes.js';
import type { Colors } from './colors.js';
import { clean } from './text.js';

export interface RenderOptions {
  colors: Colors;
  /** Presigned image URLs open a citizen's photo: printed only when asked for (--show-urls). */
  showUrls?: boolean;
}

const REVIEW = '⚠ review';
const PROBLEM = '✗ yes';
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

/** Every string that came from the API goes through here. */
function shown(value: string, colors: Colors): string {
  return value === '' ? colors.dim('(empty)') : clean(value);
}

function reviewCell(review: boolean, colors: Colors): string {
  return review ? colors.yellow(REVIEW) : '';
}

function orderedParts(parts: Record<string, string> | undefined): Array<[string, string]> {
  if (!parts) return [];
  const rank = (k: string): number => (ADDRESS_PARTS.includes(k) ? ADDRESS_PARTS.indexOf(k) : ADDRESS_PARTS.length);
  return Object.entries(parts).sort(([a], [b]) => rank(a) - rank(b));
}

function fieldRows(name: string, f: Field, colors: Colors, withConf: boolean): string[][] {
  const mark = f.review ? colors.yellow : (s: string) => s;
  const conf = withConf ? [f.conf === undefined ? '' : formatPercent(f.conf)] : [];
  const rows = [[mark(shown(name, colors)), mark(shown(f.value, colors)), reviewCell(f.review, colors), ...conf]];
  for (const [part, value] of orderedParts(f.parts)) rows.push([`  ${shown(part, colors)}`, shown(value, colors), '', ...conf.map(() => '')]);
  return rows;
}

function renderChecks(groups: Record<string, FieldMap>, colors: Colors): string | undefined {
  const t = newTable(colors, ['Check', 'Result', 'Review']);
  for (const [group, checks] of Object.entries(groups)) {
    const entries = Object.entries(checks);
    if (entries.length === 0) continue;
    t.push([{ colSpan: 3, content: colors.bold(shown(group, colors)) }]);
    for (const [name, f] of entries) {
      const problem = PROBLEM_GROUPS.has(group) && /^yes$/i.test(f.value);
      t.push([`  ${shown(name, colors)}`, problem ? colors.red(PROBLEM) : shown(f.value, colors), reviewCell(f.review, colors)]);
    }
  }
  return t.length > 0 ? t.toString() : undefined;
}

function documentHeading(type: string, colors: Colors): string {
  const names = DOCUMENT_TYPES.get(type);
  return colors.bold(shown(type, colors)) + (names ? ` ${names.en} / ${names.vi}` : '');
}

function renderDocument(doc: OcrDocument, colors: Colors): string {
  // The national-ID endpoint sends no confidences: an empty column would only suggest something is missing.
  const withConf = Object.values(doc.fields).some((f) => f.conf !== undefined);
  const fields = newTable(colors, ['Field', 'Value', 'Review', ...(withConf ? ['Confidence'] : [])]);
  for (const [name, f] of Object.entries(doc.fields)) fields.push(...fieldRows(name, f, colors, withConf));
  const checks = renderChecks(doc.checks, colors);
  return [`${documentHeading(doc.type, colors)}\n${fields.toString()}`, ...(checks ? [checks] : [])].join('\n\n');
}

function renderSummary(summary: Summary, colors: Colors): string {
  const action = summary.action === 'pass' ? colors.green.bold('PASS') : colors.yellow.bold('MANUAL REVIEW');
  const lines = [`${colors.bold('Summary:')} ${action}`];
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

export function renderOcr(result: OcrResult, { colors }: RenderOptions): string {
  const blocks = result.documents.map((d) => renderDocument(d, colors));
  if (result.summary) blocks.push(renderSummary(result.summary, colors));
  return blocks.join('\n\n') + '\n';
}

function yesNo(value: boolean, colors: Colors): string {
  return value ? colors.green('yes') : colors.red('no');
}

export function renderFaceCompare(result: FaceCompareResult, { colors, threshold }: RenderOptions & { threshold?: number }): string {
  const rows: Array<[string, string]> = [
    ['Match', yesNo(result.match, colors)],
    ['Score', formatNumber(result.score)],
  ];
  if (threshold !== undefined) rows.push(['Threshold', String(threshold)]);
  if (result.conf !== undefined) rows.push(['Confidence', formatPercent(result.conf)]);
  rows.push(['Review', reviewCell(result.review, colors) || 'no']);
  return keyValue(rows, colors) + '\n';
}

export function renderLiveness(result: LivenessResult, { colors }: RenderOptions): string {
  const blocks = [keyValue([['Live', yesNo(result.live, colors)], ['Review', reviewCell(result.review, colors) || 'no']], colors)];
  const checks = renderChecks({ qualityChecks: result.qualityChecks }, colors);
  if (checks) blocks.push(checks);
  if (result.summary) blocks.push(renderSummary(result.summary, colors));
  return blocks.join('\n\n') + '\n';
}

/** Presigned URLs are long and must stay copyable, so they go below the table, one per line, never inside it. */
function urlBlock(what: 'face' | 'image', urls: string[], { colors, showUrls }: RenderOptions): string {
  if (urls.length === 0) return '';
  if (!showUrls) return colors.dim(`(${what} URLs hidden; --show-urls to print them)`);
  return urls.map((u, i) => `${i + 1}. ${clean(u).trim()}`).join('\n');
}

function stack(...blocks: string[]): string {
  return blocks.filter((b) => b !== '').join('\n') + '\n';
}

export function renderIndexed(face: IndexedFace, opts: RenderOptions): string {
  const { colors } = opts;
  const table = keyValue(
    [
      ['ID number', shown(face.idNumber, colors)],
      ['Indexed on', shown(face.indexingTime, colors)],
      ['Milvus ID', shown(face.milvusId, colors)],
    ],
    colors,
  );
  return stack(table, urlBlock('face', [face.facePath], opts));
}

export function renderSearch(result: SearchResult, opts: RenderOptions): string {
  if (result.matches.length === 0) return 'No matching faces.\n';
  const t = newTable(opts.colors, ['#', 'ID number', 'Similarity', 'Indexed on']);
  result.matches.forEach((m, i) => t.push([String(i + 1), shown(m.idNumber, opts.colors), formatPercent(m.similarity), shown(m.indexingTime, opts.colors)]));
  // Numbered like the table's # column, so a URL can be matched to its row.
  return stack(t.toString(), urlBlock('face', result.matches.map((m) => m.facePath), opts));
}

export function renderHistory(result: HistoryResult, opts: RenderOptions): string {
  const { colors } = opts;
  if (result.transactions.length === 0) return 'No transactions found.\n';
  return result.transactions
    .map((tx) => {
      const head = `${colors.bold(shown(tx.requestTime, colors))}  ${shown(tx.apiCode, colors)}  status ${shown(tx.statusCode, colors)}`;
      return stack(head, indent(describeData(tx.data, colors)), indent(urlBlock('image', tx.imagePaths, opts)));
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
function describeData(data: unknown, colors: Colors): string {
  // JSON.stringify escapes control characters itself.
  if (!isRecord(data) || !('result' in data)) return typeof data === 'string' ? shown(data, colors) : JSON.stringify(data, null, 2);
  const lines: string[] = [];
  const { status: _status, statusCode: _statusCode, ...rest } = data; // already in the transaction heading
  compact(rest, '', lines, colors);
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

function compact(value: unknown, label: string, out: string[], colors: Colors): void {
  const join = (k: string): string => (label ? `${label}.${k}` : k);
  if (Array.isArray(value)) {
    for (const item of value) compact(item, label, out, colors);
  } else if (isRecord(value) && isPrimitive(value.value)) {
    // A field ({value, to-be-reviewed|toBeReviewed, conf, …address parts}).
    const review = [value['to-be-reviewed'], value.toBeReviewed].some((r) => r === 'yes' || r === true);
    out.push(`${shown(label, colors)}: ${shown(String(value.value), colors)}${review ? ` ${colors.yellow(REVIEW)}` : ''}`);
    for (const [k, v] of Object.entries(value)) if (!FIELD_META.has(k) && isPrimitive(v)) out.push(`${shown(join(k), colors)}: ${shown(String(v), colors)}`);
  } else if (isRecord(value) && isPrimitive(value.code) && isPrimitive(value.message)) {
    out.push(`${shown(label, colors)}: ${shown(`${String(value.code)} ${String(value.message)}`, colors)}`);
  } else if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) compact(v, TRANSPARENT.has(k) ? label : join(k), out, colors);
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

export function renderBatchSummary(summary: BatchSummary, colors: Colors): string {
  const count = (n: number, paint: (s: string) => string): string => (n > 0 ? paint(String(n)) : String(n));
  const rows: Array<[string, string]> = [
    ['OK', count(summary.ok, colors.green)],
    ['Manual review', count(summary.review, colors.yellow)],
    ['Not detected', count(summary.notDetected, colors.yellow)],
  ];
  for (const [code, n] of Object.entries(summary.failedByCode)) rows.push([`Failed (${code})`, count(n, colors.red)]);
  if (summary.skipped) rows.push(['Skipped (pre-flight)', count(summary.skipped, colors.yellow)]);
  if (summary.alreadyDone !== undefined) rows.push(['Already done', String(summary.alreadyDone)]);
  const seconds = summary.durationMs / 1000;
  const sent = summary.total - (summary.alreadyDone ?? 0) - (summary.skipped ?? 0);
  rows.push(
    ['Total', String(summary.total)],
    ['Duration', `${seconds.toFixed(1)} s`],
    ['Throughput', seconds > 0 ? `${(sent / seconds).toFixed(1)} req/s` : '–'],
  );
  return keyValue(rows, colors) + '\n';
}
