/**
 * --redact: personal data masked wherever output goes (table, JSON, NDJSON, CSV, error lines, --debug traces,
 * reports), so a screen, a log or a support ticket can be shared. The `--out` results file is the paid record
 * and is never masked. Pure: nothing here prints or reads settings.
 */
import type { FieldMap, HistoryResult, IndexedFace, OcrResult, SearchResult } from '../api/types.js';
import { formatDay, parseCalendarDay } from '../vn/dates.js';

/** What a personal value is, which decides how much of it is kept. */
export type PersonalKind = 'id' | 'name' | 'birth-date' | 'address' | 'address-detail' | 'secret';

/** By key, lower case without `-`, `_` or spaces, from the reference, src/api and the simulator's people. */
const KINDS: ReadonlyMap<string, PersonalKind> = new Map([
  // ID numbers, and numbers that name one person or vehicle: the passport's `id` is its holder's ID number.
  ...['idnumber', 'oldidnumber', 'id', 'numberid', 'passportnumber', 'passportnum', 'licensenumber', 'dlnum', 'numberplate', 'enginenumber', 'chassisnumber'].map(
    (k) => [k, 'id'] as const,
  ),
  // `name` is the card holder's, or the owner's on a registration card.
  ...['name', 'fullname', 'ownername', 'owner'].map((k) => [k, 'name'] as const),
  ...['dob', 'dateofbirth', 'birthdate', 'birthday'].map((k) => [k, 'birth-date'] as const),
  ...['address', 'permanentaddress', 'hometown', 'placeoforigin', 'placeofresidence', 'residence'].map((k) => [k, 'address'] as const),
  // The address split's parts below the province.
  ...['street', 'ward', 'district'].map((k) => [k, 'address-detail'] as const),
]);

/** Presigned URLs that open the person's photo: dropped. */
const URL_KEYS = new Set(['facepath', 'imagepath1', 'imagepath2', 'imagepath']);

/** A field's own metadata: never personal, even under a personal key. */
const FIELD_META = new Set(['conf', 'tobereviewed', 'review']);

const normalized = (key: string): string => key.toLowerCase().replace(/[-_\s]/g, '');

function personalKind(key: string): PersonalKind | undefined {
  const k = normalized(key);
  return KINDS.get(k) ?? (k.startsWith('mrz') ? 'secret' : undefined);
}

const HIDDEN = '***';
const ID_LIKE = /(?<![\p{L}\p{N}])(?:\d{12}|\d{9})(?![\p{L}\p{N}])/gu;

/** `030187003568` → `030*******68`; shorter than 8 characters, the ends would give away too much: all hidden. */
export function maskIdNumber(value: string): string {
  const chars = [...value.trim()];
  if (chars.length < 8) return '*'.repeat(chars.length);
  return chars.map((c, i) => (i < 3 || i >= chars.length - 2 ? c : '*')).join('');
}

/** `NGUYỄN VĂN AN` → `N. V. A.` */
export function initials(value: string): string {
  return value
    .normalize('NFC')
    .split(/\s+/)
    .filter((w) => w !== '')
    .map((w) => `${[...w][0]!.toLocaleUpperCase('vi')}.`)
    .join(' ');
}

/** `08-08-1987` → `**-**-1987`: the year stays, every other digit is hidden (all of them when there is no year). */
export function birthYearOnly(value: string): string {
  const year = /(?<!\d)\d{4}(?!\d)/.exec(value);
  const [from, to] = year ? [year.index, year.index + 4] : [0, 0];
  return value.replace(/\d/g, (d, at: number) => (at >= from && at < to ? d : '*'));
}

/** `12 Lê Lợi, Phường 3, Quận 1, Thành phố Hồ Chí Minh` → `***, Thành phố Hồ Chí Minh`; one part only: `***`. */
export function provinceOnly(value: string): string {
  const parts = value.split(',');
  return parts.length < 2 ? HIDDEN : `${HIDDEN}, ${parts.at(-1)!.trim()}`;
}

/** The masked form of a value of this kind; an empty value stays empty, so "(empty)" still shows. */
function maskValue(kind: PersonalKind, value: string): string {
  if (value.trim() === '') return value;
  switch (kind) {
    case 'id':
      return maskIdNumber(value);
    case 'name':
      return initials(value);
    case 'birth-date':
      return birthYearOnly(value);
    case 'address':
      return provinceOnly(value);
    case 'address-detail':
    case 'secret':
      return HIDDEN;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Masks one answer. It remembers each value it masked, so free text about the same answer (a local-check
 * message, an error message, a stack) can be masked too: use one Redactor per answer.
 */
export class Redactor {
  /** Original → masked, for text(). */
  private readonly seen = new Map<string, string>();

  /**
   * A JSON body (or any plain data) with every value under a personal key masked: a string, a field's `value`
   * and the strings nested under it (an address's street, ward and district; its province stays), numbers too.
   * URL keys are dropped. History's `data`, a JSON string, is masked inside.
   */
  body(value: unknown, kind?: PersonalKind): unknown {
    if (Array.isArray(value)) return value.map((v) => this.body(v, kind));
    if (typeof value === 'string' || typeof value === 'number') {
      if (kind === undefined) return value;
      return this.mask(kind, String(value));
    }
    if (!isRecord(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      const k = normalized(key);
      if (URL_KEYS.has(k)) continue;
      const inherited = kind === undefined || FIELD_META.has(k) || (kind === 'address' && k === 'province') ? undefined : kind;
      const childKind = personalKind(key) ?? inherited;
      out[key] = key === 'data' && typeof v === 'string' && childKind === undefined ? this.jsonText(v) : this.body(v, childKind);
    }
    return out;
  }

  /**
   * `text` with every value this Redactor has masked replaced by its masked form, and any other 9- or 12-digit
   * number (the length of a CMND or CCCD number) masked as an ID number: a message may quote one it never saw.
   */
  text(text: string): string {
    // Longest first, so a value that contains another is replaced whole.
    const pairs = [...this.seen].sort(([a], [b]) => b.length - a.length);
    const known = pairs.reduce((t, [original, masked]) => t.split(original).join(masked), text);
    return known.replace(ID_LIKE, maskIdNumber);
  }

  /** A results record (or anything with a `response` body and an `error` message) masked; `file` is the user's own. */
  record<R extends { response?: unknown; error?: { message: string } }>(record: R): R {
    // The body first: the error message is masked with what the body taught.
    const response = 'response' in record ? { response: this.body(record.response) } : {};
    const error = record.error ? { error: { ...record.error, message: this.text(record.error.message) } } : {};
    return { ...record, ...response, ...error };
  }

  ocr(result: OcrResult): OcrResult {
    return { ...result, documents: result.documents.map((d) => ({ ...d, fields: this.body(d.fields) as FieldMap })) };
  }

  indexed<F extends IndexedFace>(face: F): F {
    return { ...face, idNumber: this.mask('id', face.idNumber), facePath: '' };
  }

  search(result: SearchResult): SearchResult {
    return { matches: result.matches.map((m) => this.indexed(m)) };
  }

  history(result: HistoryResult): HistoryResult {
    return { transactions: result.transactions.map((t) => ({ ...t, data: this.body(t.data), imagePaths: [] })) };
  }

  private mask(kind: PersonalKind, value: string): string {
    const masked = maskValue(kind, value);
    // Text elsewhere may quote the value trimmed and composed (src/vn), or a date reformatted dd-mm-yyyy.
    const day = kind === 'birth-date' ? parseCalendarDay(value.trim()) : undefined;
    const forms = [value, value.normalize('NFC').trim(), ...(day ? [formatDay(day), formatDay(day, '/')] : [])];
    // Shorter strings would also match inside unrelated words.
    for (const form of forms) if (form.length >= 4 && form !== masked) this.seen.set(form, kind === 'birth-date' ? birthYearOnly(form) : masked);
    return masked;
  }

  private jsonText(text: string): string {
    try {
      return JSON.stringify(this.body(JSON.parse(text)));
    } catch {
      return text;
    }
  }
}
