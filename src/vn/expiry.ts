/**
 * When an ID card expires.
 *
 * - CCCD (Law on Citizen Identification 2014 art. 21): renewed at ages 25, 40 and 60.
 * - Căn cước (Law on Identification 26/2023 art. 21, cards issued from 1 July 2024): ages 14, 25, 40 and 60.
 * - Both: a card issued within 2 years before a milestone age is valid until the next one; the expiry is the
 *   holder's birthday in the year of that age; a card issued from age 58 on does not expire.
 *   Formally: expiry = dob + m years, m the smallest milestone with issue date < dob + (m − 2) years.
 * - CMND (9 digits, and the 12-digit CMND): 15 years from issue, and in any case not after 31 December 2024
 *   (Law 26/2023 art. 46). A CCCD issued before 1 July 2024 stays valid until its printed date.
 */
import { addYears, compareDays, toCalendarDay, toDate } from './dates.js';
import type { CalendarDay, DateLike } from './dates.js';

export type CardKind = 'cccd' | 'can-cuoc' | 'cmnd';

export const CCCD_MILESTONES: readonly number[] = [25, 40, 60];
export const CAN_CUOC_MILESTONES: readonly number[] = [14, 25, 40, 60];
/** First day Căn cước cards were issued (Law 26/2023 in force). */
export const CAN_CUOC_FROM: CalendarDay = { year: 2024, month: 7, day: 1 };
/** Last day any CMND was valid. */
export const CMND_LAST_VALID_DAY: CalendarDay = { year: 2024, month: 12, day: 31 };
export const CMND_VALID_YEARS = 15;

export type ExpectedExpiry =
  /** Expires at the holder's birthday in the year they reach `milestone`. */
  | { kind: 'date'; date: Date; basis: 'milestone'; milestone: number }
  /** CMND: 15 years from issue (`cmnd-15-years`), or cut to 31 Dec 2024 when that came first (`cmnd-cutoff`). */
  | { kind: 'date'; date: Date; basis: 'cmnd-15-years' | 'cmnd-cutoff' }
  /** Issued from age 58 on: the card does not expire. */
  | { kind: 'none' }
  /** The inputs do not allow a computation (unreadable date, issued before birth). */
  | { kind: 'invalid'; message: string };

/**
 * The expiry the law gives a card of `kind` issued on `issued` to someone born on `dob`. Dates are `Date`s (read as
 * their local calendar day) or document strings (`dd-mm-yyyy`, `dd/mm/yyyy`). `dob` is not needed for a CMND.
 *
 * `kind` is applied as given; `cardKind()` picks it from the API's document type and the issue date.
 */
export function expectedExpiry(dob: DateLike | undefined, issued: DateLike, kind: CardKind): ExpectedExpiry {
  const issuedDay = toCalendarDay(issued);
  if (issuedDay === undefined) return { kind: 'invalid', message: 'date of issue is not a readable date' };

  if (kind === 'cmnd') {
    const fifteen = addYears(issuedDay, CMND_VALID_YEARS);
    return compareDays(fifteen, CMND_LAST_VALID_DAY) > 0
      ? { kind: 'date', date: toDate(CMND_LAST_VALID_DAY), basis: 'cmnd-cutoff' }
      : { kind: 'date', date: toDate(fifteen), basis: 'cmnd-15-years' };
  }

  const dobDay = dob === undefined ? undefined : toCalendarDay(dob);
  if (dobDay === undefined) return { kind: 'invalid', message: 'date of birth is not a readable date' };
  if (compareDays(issuedDay, dobDay) < 0) return { kind: 'invalid', message: 'date of issue is before the date of birth' };

  const due = milestoneExpiry(dobDay, issuedDay, kind);
  return due === undefined ? { kind: 'none' } : { kind: 'date', date: toDate(due.expiry), basis: 'milestone', milestone: due.milestone };
}

/**
 * The age milestone a CCCD or Căn cước issued on `issued` runs to, and the day it expires: the smallest milestone m
 * with `issued` before dob + (m − 2) years, and dob + m years. `undefined` when issued from 58 on: it does not expire.
 */
export function milestoneExpiry(dob: CalendarDay, issued: CalendarDay, kind: 'cccd' | 'can-cuoc'): { milestone: number; expiry: CalendarDay } | undefined {
  const milestones = kind === 'can-cuoc' ? CAN_CUOC_MILESTONES : CCCD_MILESTONES;
  const milestone = milestones.find((m) => compareDays(issued, addYears(dob, m - 2)) < 0);
  return milestone === undefined ? undefined : { milestone, expiry: addYears(dob, milestone) };
}

/**
 * Which expiry law a card falls under, from the API's document type code and (for citizen ID cards) the issue
 * date: a `cccd_*` card issued from 1 July 2024 is a Căn cước (the API predates that card and reads it as
 * `cccd_chip_front`). `undefined` for documents that are not ID cards and for the back shared by the 12-digit
 * CMND and the CCCD (`cmnd_new_cccd_back`), which alone cannot tell.
 */
export function cardKind(docType: string, issued?: DateLike): CardKind | undefined {
  if (docType.startsWith('cmnd_old_') || docType === 'cmnd_new_front') return 'cmnd';
  if (docType === 'cccd_front' || docType === 'cccd_chip_front' || docType === 'cccd_chip_back') {
    const day = issued === undefined ? undefined : toCalendarDay(issued);
    return day !== undefined && compareDays(day, CAN_CUOC_FROM) >= 0 ? 'can-cuoc' : 'cccd';
  }
  return undefined;
}
