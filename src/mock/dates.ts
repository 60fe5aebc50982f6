/**
 * Calendar dates are `Date`s at UTC midnight; wall-clock times are shifted to Vietnam time (UTC+7, no DST),
 * the zone the vendor's timestamps are in, and then read with the UTC getters.
 */

const DAY_MS = 86_400_000;
const VIETNAM_OFFSET_MS = 7 * 3_600_000;

export function utcDate(year: number, month: number, day: number): Date {
  return new Date(Date.UTC(year, month - 1, day));
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

/** Same month and day `years` later; 29 February becomes 28 February in a common year. */
export function addYears(date: Date, years: number): Date {
  const y = date.getUTCFullYear() + years;
  const m = date.getUTCMonth();
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(date.getUTCDate(), lastDay)));
}

export function daysBetween(from: Date, to: Date): number {
  return Math.round((to.getTime() - from.getTime()) / DAY_MS);
}

/** A `Date` whose UTC fields read as the wall clock in Vietnam. */
export function vietnamClock(epochMs: number): Date {
  return new Date(epochMs + VIETNAM_OFFSET_MS);
}

export function vietnamToday(epochMs: number): Date {
  const clock = vietnamClock(epochMs);
  return utcDate(clock.getUTCFullYear(), clock.getUTCMonth() + 1, clock.getUTCDate());
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** dd-MM-yyyy (national ID) or dd/MM/yyyy (driver licence, passport, registration card). */
export function formatDay(date: Date, sep: '-' | '/'): string {
  return [pad(date.getUTCDate()), pad(date.getUTCMonth() + 1), pad(date.getUTCFullYear(), 4)].join(sep);
}

/** yyyy-MM-dd, the recognition service's `indexingTime`. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** dd/MM/yyyy HH:mm:ss, the history's `requestTime`. */
export function formatDateTime(clock: Date): string {
  return `${formatDay(clock, '/')} ${pad(clock.getUTCHours())}:${pad(clock.getUTCMinutes())}:${pad(clock.getUTCSeconds())}`;
}

/** The X-Amz-Date form, yyyyMMddTHHmmssZ. */
export function amzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}
