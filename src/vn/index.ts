/**
 * Vietnamese identity-document rules: ID number structure, province codes, expiry law, the API's summary codes
 * and document type names, and local checks of OCR results. Pure functions, no dependencies, no I/O.
 */
export { PROVINCES } from './provinces.js';
export type { Province } from './provinces.js';
export { centurySexDigit, parseIdNumber, parseSex } from './id-number.js';
export type { CmndNumber, IdNumberProblem, InvalidIdNumber, ParsedIdNumber, PersonalIdNumber, Sex } from './id-number.js';
export { addDays, addYears, compareDays, daysBetween, formatDay, isNoExpiryText, parseCalendarDay, parseDocDate, toCalendarDay } from './dates.js';
export type { CalendarDay, DateLike } from './dates.js';
export {
  CAN_CUOC_FROM,
  CAN_CUOC_MILESTONES,
  CCCD_MILESTONES,
  CMND_LAST_VALID_DAY,
  CMND_VALID_YEARS,
  cardKind,
  expectedExpiry,
  milestoneExpiry,
} from './expiry.js';
export type { CardKind, ExpectedExpiry } from './expiry.js';
export { DOCUMENT_TYPES, SUMMARY_CODES, documentTypeName, explainCode } from './codes.js';
export type { DocumentTypeName, SummaryCode } from './codes.js';
export { checkDocument, checkDocuments } from './check.js';
export type { Finding } from './check.js';
