/**
 * Calendar dates as printed on Vietnamese documents.
 *
 * Documents print `dd-mm-yyyy` or `dd/mm/yyyy` (the API echoes them as printed; the MRC sample even has `10/3/2007`).
 * A `Date` here always means a calendar day: the one `parseDocDate` returns is local midnight, and any `Date`
 * handed in is read by its local year, month and day. Strings never go through `Date` parsing, so results do not
 * depend on the time zone.
 */

/** A date as the rules accept it: a `Date` (its local calendar day) or a document/ISO date string. */
export type DateLike = Date | string;

/** A calendar day without time or zone. `month` is 1–12. */
export interface CalendarDay {
  year: number;
  month: number;
  day: number;
}

/** Printed instead of a date when a card has no expiry (issued from age 58 on, some licences). */
const NO_EXPIRY = /^(không\s*thời\s*hạn|khong\s*thoi\s*han|vô\s*thời\s*hạn|no\s*expiry|unlimited)$/iu;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function makeDay(year: number, month: number, day: number): CalendarDay | undefined {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) return undefined;
  if (!Number.isInteger(month) || month < 1 || month > 12) return undefined;
  if (!Number.isInteger(day) || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

/** Reads `dd-mm-yyyy`, `dd/mm/yyyy`, `dd.mm.yyyy` (one- or two-digit day and month) or ISO `yyyy-mm-dd`. */
export function parseCalendarDay(text: string): CalendarDay | undefined {
  const s = text.trim();
  let m = /^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})$/.exec(s);
  if (m) return makeDay(Number(m[3]), Number(m[2]), Number(m[1]));
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m) return makeDay(Number(m[1]), Number(m[2]), Number(m[3]));
  return undefined;
}

/**
 * Parses a date printed on a document (`08-08-1987`, `30/03/2017`, `10/3/2007`, or ISO `1987-08-08`) into a `Date`
 * at local midnight. Impossible dates (`31/02/2020`) and anything else give `undefined`.
 */
export function parseDocDate(text: string): Date | undefined {
  const d = parseCalendarDay(text);
  return d === undefined ? undefined : toDate(d);
}

/** True when a printed expiry says the document never expires (`Không thời hạn`). */
export function isNoExpiryText(text: string): boolean {
  return NO_EXPIRY.test(text.normalize('NFC').trim());
}

/** The calendar day of a `DateLike`; `undefined` for an invalid `Date` or an unreadable string. */
export function toCalendarDay(value: DateLike): CalendarDay | undefined {
  if (typeof value === 'string') return parseCalendarDay(value);
  if (Number.isNaN(value.getTime())) return undefined;
  return { year: value.getFullYear(), month: value.getMonth() + 1, day: value.getDate() };
}

export function toDate(d: CalendarDay): Date {
  const date = new Date(d.year, d.month - 1, d.day);
  // Years below 100 would be read as 19xx by the constructor.
  date.setFullYear(d.year);
  return date;
}

/** `dd-mm-yyyy`, the API's own spelling for ID cards, or `dd/mm/yyyy` as other documents print it. */
export function formatDay(d: CalendarDay, separator: '-' | '/' = '-'): string {
  return [String(d.day).padStart(2, '0'), String(d.month).padStart(2, '0'), String(d.year).padStart(4, '0')].join(separator);
}

/** Negative, zero or positive as `a` is before, on or after `b`. */
export function compareDays(a: CalendarDay, b: CalendarDay): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/**
 * The same day `years` later. A 29 February falls back to 28 February in a common year, so an anniversary is
 * never pushed into the next month.
 */
export function addYears(d: CalendarDay, years: number): CalendarDay {
  const year = d.year + years;
  return { year, month: d.month, day: Math.min(d.day, daysInMonth(year, d.month)) };
}

const DAY_MS = 86_400_000;

/** Days since 1 January 1970 (proleptic Gregorian calendar). */
function dayNumber(d: CalendarDay): number {
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not read years below 100 as 19xx.
  date.setUTCFullYear(d.year, d.month - 1, d.day);
  return Math.round(date.getTime() / DAY_MS);
}

/** The day `days` later (earlier when negative), across month and year ends. */
export function addDays(d: CalendarDay, days: number): CalendarDay {
  const date = new Date((dayNumber(d) + days) * DAY_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** How many days `to` is after `from` (negative when before). */
export function daysBetween(from: CalendarDay, to: CalendarDay): number {
  return dayNumber(to) - dayNumber(from);
}
