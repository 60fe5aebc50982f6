/**
 * The simulator's clock: wall-clock times are shifted to Vietnam time (UTC+7, no DST), the zone the vendor's
 * timestamps are in, and then read with the UTC getters. Calendar arithmetic is src/vn's.
 */
import { formatDay, type CalendarDay } from '../vn/dates.js';

const VIETNAM_OFFSET_MS = 7 * 3_600_000;

/** A `Date` whose UTC fields read as the wall clock in Vietnam. */
export function vietnamClock(epochMs: number): Date {
  return new Date(epochMs + VIETNAM_OFFSET_MS);
}

function utcDay(date: Date): CalendarDay {
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

export function vietnamToday(epochMs: number): CalendarDay {
  return utcDay(vietnamClock(epochMs));
}

/** yyyy-MM-dd, the recognition service's `indexingTime`. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** dd/MM/yyyy HH:mm:ss, the history's `requestTime`. */
export function formatDateTime(clock: Date): string {
  return `${formatDay(utcDay(clock), '/')} ${pad(clock.getUTCHours())}:${pad(clock.getUTCMinutes())}:${pad(clock.getUTCSeconds())}`;
}

/** The X-Amz-Date form, yyyyMMddTHHmmssZ. */
export function amzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}
