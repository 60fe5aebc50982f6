import * as z from 'zod';
import { InvalidResponseError } from './errors.js';
import type {
  FaceCompareResult,
  FaceMatch,
  Field,
  FieldMap,
  HistoryResult,
  IndexedFace,
  LivenessResult,
  OcrDocument,
  OcrResult,
  SearchResult,
  Summary,
} from './types.js';

/*
 * Tolerant where the reference is inconsistent, strict where it matters. The reference spells the review flag
 * `to-be-reviewed` in live answers and `toBeReviewed` in history; the score `match_score`, `match-score` and
 * `matchScore`; the summary action "pass", "Manual Review" and "manualReview"; and `result` is an array on some
 * endpoints and an object on others. All are accepted; unknown extra keys are kept in `body`. A 200 that lacks the
 * part a caller relies on is an InvalidResponseError, never an empty success.
 */

const yesNo = z.union([z.string(), z.boolean(), z.number()]).transform((v) => v === true || v === 1 || /^(yes|true|y|1)$/i.test(String(v).trim()));
const text = z.union([z.string(), z.number()]).transform(String);
const optionalText = z.union([z.string(), z.number(), z.null()]).optional().transform((v) => (v === null || v === undefined ? '' : String(v)));
const score = z.union([z.number(), z.string().regex(/^\s*-?\d+(\.\d+)?\s*$/)]).transform(Number);

const REVIEW_KEYS = ['to-be-reviewed', 'toBeReviewed', 'to_be_reviewed'];
const FIELD_KEYS = new Set(['value', 'conf', ...REVIEW_KEYS]);

const rawField = z.looseObject({
  value: optionalText,
  conf: score.optional(),
  'to-be-reviewed': yesNo.optional(),
  toBeReviewed: yesNo.optional(),
  to_be_reviewed: yesNo.optional(),
});
type RawField = z.infer<typeof rawField>;

function toField(raw: RawField): Field {
  const field: Field = { value: raw.value, review: Boolean(raw['to-be-reviewed'] ?? raw.toBeReviewed ?? raw.to_be_reviewed) };
  if (raw.conf !== undefined) field.conf = raw.conf;
  const parts = Object.entries(raw).filter(([k, v]) => !FIELD_KEYS.has(k) && (typeof v === 'string' || typeof v === 'number'));
  if (parts.length) field.parts = Object.fromEntries(parts.map(([k, v]) => [k, String(v)]));
  return field;
}

const fieldMap = z.record(z.string(), rawField).transform((m) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, toField(v)])) as FieldMap);

const summary = z
  .looseObject({
    action: z.string(),
    details: z
      .array(z.looseObject({ code: text, message: optionalText }))
      .nullish()
      .transform((d) => d ?? []),
  })
  .transform(
    (s): Summary => ({
      // Anything but an explicit pass needs a person: an unknown action must never read as approved.
      action: s.action.trim().toLowerCase() === 'pass' ? 'pass' : 'review',
      rawAction: s.action,
      details: s.details.map((d) => ({ code: d.code, message: d.message })),
    }),
  );

const oneOrMany = <T extends z.ZodType>(item: T) => z.union([z.array(item), item]).transform((v) => (Array.isArray(v) ? v : [v]) as z.output<T>[]);

const nationalIdDoc = z
  .looseObject({
    type: z.string(),
    fieldsExtracted: fieldMap.optional(),
    qualityChecks: fieldMap.optional(),
    ruleChecks: fieldMap.optional(),
    tamperChecks: fieldMap.optional(),
  })
  .transform((d): OcrDocument => {
    const checks: Record<string, FieldMap> = {};
    for (const group of ['qualityChecks', 'ruleChecks', 'tamperChecks'] as const) {
      const g = d[group];
      if (g && Object.keys(g).length) checks[group] = g;
    }
    return { type: d.type, fields: d.fieldsExtracted ?? {}, checks };
  });

const nationalIdBody = z.looseObject({
  result: z.looseObject({ details: oneOrMany(nationalIdDoc), summary: summary.optional() }),
});

function isFieldLike(v: unknown): boolean {
  return typeof v === 'object' && v !== null && ('value' in v || REVIEW_KEYS.some((k) => k in v));
}

/** DL, passport and MRC put fields and check groups (passport's `fraudCheck`) side by side in `details`. */
const listDoc = z
  .looseObject({ type: z.string(), details: z.record(z.string(), z.unknown()) })
  .transform((d, ctx): OcrDocument => {
    const fields: Record<string, unknown> = {};
    const groups: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(d.details)) (isFieldLike(v) ? fields : groups)[k] = v;
    const parsedFields = fieldMap.safeParse(fields);
    const parsedGroups = z.record(z.string(), fieldMap).safeParse(groups);
    if (!parsedFields.success || !parsedGroups.success) {
      ctx.addIssue({ code: 'custom', message: 'details hold a value that is neither a field nor a group of checks' });
      return z.NEVER;
    }
    return { type: d.type, fields: parsedFields.data, checks: parsedGroups.data };
  });

const ocrListBody = z.looseObject({ result: oneOrMany(listDoc) });

const compareBody = z.looseObject({
  result: z
    .looseObject({
      match: yesNo,
      match_score: score.optional(),
      'match-score': score.optional(),
      matchScore: score.optional(),
      conf: score.optional(),
      'to-be-reviewed': yesNo.optional(),
      toBeReviewed: yesNo.optional(),
    })
    .refine((r) => (r.match_score ?? r['match-score'] ?? r.matchScore) !== undefined, { message: 'no match score' }),
});

const livenessBody = z.looseObject({
  result: z.looseObject({ liveFace: rawField, qualityChecks: fieldMap.optional(), summary: summary.optional() }),
});

const indexedFace = z.looseObject({
  milvusId: text,
  idNumber: text,
  // The reference's sample URL ends in a stray space.
  facePath: optionalText.transform((s) => s.trim()),
  indexingTime: optionalText,
});

const indexBody = z.looseObject({ data: indexedFace });
const searchBody = z.looseObject({
  data: z
    .array(indexedFace.extend({ similar: score }))
    .nullable()
    .transform((d) => d ?? []),
});

const historyBody = z.looseObject({
  result: z.looseObject({
    details: z.looseObject({
      transactions: z.array(
        z.looseObject({
          requestTime: optionalText,
          apiCode: optionalText,
          statusCode: optionalText,
          data: z.unknown(),
          imagePath1: z.string().optional(),
          imagePath2: z.string().optional(),
        }),
      ),
    }),
  }),
});

/**
 * History sends each transaction's result as a JSON string; decode it, and keep the string when it is not JSON, or
 * nests too deep to be written out again.
 */
function decodeData(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    const decoded: unknown = JSON.parse(data);
    return nestsDeeper(decoded, MAX_DEPTH) ? data : decoded;
  } catch {
    return data;
  }
}

/** Far deeper than any answer (about 8 levels); JSON.parse takes 100,000 levels, but JSON.stringify fails after a few thousand. */
const MAX_DEPTH = 64;

/** Whether a parsed JSON value nests arrays and objects deeper than `max`: without recursion, which the depth could overflow. */
function nestsDeeper(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [v, depth] = item;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

function parse<S extends z.ZodType>(schema: S, body: unknown, what: string): z.output<S> {
  // Data nobody could print (--json, --out) is no answer: refused before it reaches a caller.
  if (nestsDeeper(body, MAX_DEPTH)) throw new InvalidResponseError(`unexpected ${what} response: nested deeper than ${MAX_DEPTH} levels`, { body });
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = issue?.path.length ? issue.path.map(shownKey).join('.') : 'body';
  throw new InvalidResponseError(`unexpected ${what} response: ${where}: ${issue?.message ?? 'invalid'}`, { body });
}

/** A key of the answer as a message shows it: quoted when it is not a plain name, cut when long, so the message stays one short line. */
function shownKey(key: PropertyKey): string {
  const k = String(key);
  return /^[\w$-]{1,40}$/.test(k) ? k : JSON.stringify(k.length > 40 ? `${k.slice(0, 40)}…` : k);
}

export const normalize = {
  nationalId(body: unknown): OcrResult {
    const r = parse(nationalIdBody, body, 'national ID').result;
    return r.summary ? { documents: r.details, summary: r.summary } : { documents: r.details };
  },
  documentList(body: unknown): OcrResult {
    return { documents: parse(ocrListBody, body, 'OCR').result };
  },
  compare(body: unknown): FaceCompareResult {
    const r = parse(compareBody, body, 'face compare').result;
    const out: FaceCompareResult = {
      match: r.match,
      score: (r.match_score ?? r['match-score'] ?? r.matchScore) as number,
      review: Boolean(r['to-be-reviewed'] ?? r.toBeReviewed),
    };
    if (r.conf !== undefined) out.conf = r.conf;
    return out;
  },
  liveness(body: unknown): LivenessResult {
    const r = parse(livenessBody, body, 'liveness').result;
    const live = toField(r.liveFace);
    const out: LivenessResult = { live: /^(yes|true)$/i.test(live.value), review: live.review, qualityChecks: r.qualityChecks ?? {} };
    if (r.summary) out.summary = r.summary;
    return out;
  },
  indexed(body: unknown): IndexedFace {
    return parse(indexBody, body, 'face indexing').data;
  },
  search(body: unknown): SearchResult {
    const matches: FaceMatch[] = parse(searchBody, body, 'face search').data.map(({ similar, ...f }) => ({ ...f, similarity: similar }));
    return { matches: matches.sort((a, b) => b.similarity - a.similarity) };
  },
  history(body: unknown): HistoryResult {
    return {
      transactions: parse(historyBody, body, 'history').result.details.transactions.map((t) => ({
        requestTime: t.requestTime,
        apiCode: t.apiCode,
        statusCode: t.statusCode,
        data: decodeData(t.data),
        imagePaths: [t.imagePath1, t.imagePath2].filter((p): p is string => typeof p === 'string' && p !== ''),
      })),
    };
  },
};
