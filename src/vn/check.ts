/**
 * Local checks of an OCR result against the Vietnamese document rules: what the numbers and dates on a document
 * must agree on. Pure functions; nothing here talks to the network or the terminal.
 *
 * Deliberately absent: any check of the ID number's first three digits against the hometown or the address
 * (they are where the birth was registered, which neither field records), and any checksum (there is none).
 */
import type { FieldMap, OcrDocument } from '../api/types.js';
import { compareDays, formatDay, isNoExpiryText, parseCalendarDay, toCalendarDay } from './dates.js';
import type { CalendarDay, DateLike } from './dates.js';
import { CMND_LAST_VALID_DAY, cardKind, expectedExpiry } from './expiry.js';
import type { CardKind } from './expiry.js';
import { parseIdNumber, parseSex } from './id-number.js';

export interface Finding {
  severity: 'error' | 'warning';
  /** The API field the finding is about (`idNumber`, `dob`, `doe`…), when it is about one. */
  field?: string;
  /** Stable, kebab-case: `id-number-format`, `birth-year-mismatch`, `expired`… */
  code: string;
  /** One line, English, says what to do. */
  message: string;
}

/** ID-card types whose front carries the ID number, and how many digits it has there. */
const ID_FRONT_DIGITS: ReadonlyMap<string, number> = new Map([
  ['cmnd_old_front', 9],
  ['cmnd_new_front', 12],
  ['cccd_front', 12],
  ['cccd_chip_front', 12],
]);

/** `other`: a type these rules do not know, which gets only the checks every document gets: its dates. */
type Family = 'id-card' | 'passport' | 'driver-licence' | 'mrc' | 'other';

function familyOf(type: string): Family {
  if (type.startsWith('cmnd_') || type.startsWith('cccd_')) return 'id-card';
  if (type.endsWith('_passport_front') || type.startsWith('passport')) return 'passport';
  if (type.startsWith('dl_')) return 'driver-licence';
  if (type.endsWith('_register_card_back') || type.endsWith('_register_card_front')) return 'mrc';
  return 'other';
}

/** Field names a driver licence's number may come under (the reference's sample has none). */
const LICENCE_NUMBER_FIELDS = ['idNumber', 'id', 'number', 'licenseNumber', 'license_number', 'dl_num', 'no'];
/** UNCONFIRMED: one capital letter + 7 digits; the API's own sample `BC2810463` has two letters. */
const PASSPORT_NUMBER = /^[A-Z]{1,2}\d{7}$/;
/** UNCONFIRMED: PET licences have 12 digits. */
const LICENCE_NUMBER = /^\d{12}$/;

function text(fields: FieldMap, name: string): string | undefined {
  const v = fields[name]?.value.normalize('NFC').trim();
  return v === undefined || v === '' ? undefined : v;
}

const SEX_WORD = { male: 'male', female: 'female' } as const;

/**
 * Checks one recognised document side; a type these rules do not know gets only the date checks. `today` decides
 * what "expired" means (its local calendar day when a `Date`). Errors are contradictions the rules make certain; warnings are things worth a second look (unconfirmed
 * formats, a printed expiry that is not the one the law gives, an unreadable value).
 */
export function checkDocument(doc: OcrDocument, today: DateLike = new Date()): Finding[] {
  const now = toCalendarDay(today);
  if (now === undefined) throw new RangeError('checkDocument: `today` is not a valid date');

  const findings: Finding[] = [];
  const add = (severity: Finding['severity'], field: string | undefined, code: string, message: string): void => {
    findings.push(field === undefined ? { severity, code, message } : { severity, field, code, message });
  };

  const family = familyOf(doc.type);
  const f = doc.fields;

  // ---- dates ----------------------------------------------------------------------------------------------
  const readDate = (name: string, label: string): CalendarDay | 'no-expiry' | undefined => {
    const v = text(f, name);
    if (v === undefined) return undefined;
    const day = parseCalendarDay(v);
    if (day !== undefined) return day;
    if ((name === 'doe' || name === 'expiry') && isNoExpiryText(v)) return 'no-expiry';
    add('warning', name, 'date-unreadable', `${label} "${v}" is not a dd-mm-yyyy date: re-capture the document or correct the field`);
    return undefined;
  };
  const dobRead = readDate('dob', 'Date of birth');
  const dob = dobRead === 'no-expiry' ? undefined : dobRead;
  const doiRead = readDate('doi', 'Date of issue');
  const doi = doiRead === 'no-expiry' ? undefined : doiRead;
  const expiryField = family === 'driver-licence' && f['doe'] === undefined ? 'expiry' : 'doe';
  const doe = readDate(expiryField, 'Date of expiry');

  if (dob !== undefined && compareDays(dob, now) > 0) {
    add('error', 'dob', 'dob-in-future', `Date of birth ${formatDay(dob)} is in the future: correct the date of birth`);
  }
  if (doi !== undefined && compareDays(doi, now) > 0) {
    add('error', 'doi', 'issued-in-future', `Date of issue ${formatDay(doi)} is in the future: correct the date of issue`);
  }
  if (doi !== undefined && dob !== undefined && compareDays(doi, dob) < 0) {
    add('error', 'doi', 'issued-before-birth', `Date of issue ${formatDay(doi)} is before the date of birth ${formatDay(dob)}: check both dates`);
  }
  if (doi !== undefined && doe !== undefined && doe !== 'no-expiry' && compareDays(doe, doi) < 0) {
    add('error', expiryField, 'expiry-before-issue', `Date of expiry ${formatDay(doe)} is before the date of issue ${formatDay(doi)}: check both dates`);
  }

  // ---- sex ------------------------------------------------------------------------------------------------
  // Read only where the document is known to print the holder's sex: not on a registration card or an unknown type.
  const genderText = family === 'mrc' || family === 'other' ? undefined : text(f, 'gender');
  const sex = genderText === undefined ? undefined : parseSex(genderText);
  if (genderText !== undefined && sex === undefined) {
    add('warning', 'gender', 'sex-unreadable', `Sex "${genderText}" is neither Nam nor Nữ: re-capture the document or correct the field`);
  }

  // ---- ID numbers -----------------------------------------------------------------------------------------
  let idKind: 'personal-id' | 'cmnd' | undefined;
  const checkIdNumber = (field: string, formatSeverity: Finding['severity']): void => {
    const v = text(f, field);
    if (v === undefined) return;
    const id = parseIdNumber(v);
    if (id.kind === 'invalid') {
      add(formatSeverity, field, 'id-number-format', `${id.message}: re-capture the document or correct the number`);
      return;
    }
    idKind = id.kind;
    if (id.kind !== 'personal-id') return;
    if (id.birthYear > now.year) {
      add('error', field, 'id-birth-year-future', `ID number encodes birth year ${id.birthYear}, which is in the future: correct the ID number`);
    } else if (dob !== undefined && dob.year !== id.birthYear) {
      add('error', field, 'birth-year-mismatch', `ID number encodes birth year ${id.birthYear} but the date of birth says ${dob.year}: check both against the document`);
    }
    if (sex !== undefined && sex !== id.sex) {
      add('error', field, 'sex-mismatch', `ID number encodes sex ${SEX_WORD[id.sex]} but the document says ${SEX_WORD[sex]}: check both against the document`);
    }
  };

  if (family === 'id-card') {
    const expected = ID_FRONT_DIGITS.get(doc.type);
    const v = text(f, 'idNumber');
    if (expected !== undefined && v === undefined) {
      add('warning', 'idNumber', 'id-number-missing', 'No ID number was read from the card front: re-capture the card');
    }
    checkIdNumber('idNumber', 'error');
    const digits = v?.length;
    if (expected !== undefined && idKind !== undefined && digits !== expected) {
      add(
        'warning',
        'idNumber',
        'id-number-card-type',
        `ID number has ${digits} digits but a ${doc.type} card carries ${expected}: check the number and the card type`,
      );
    }
  } else if (family === 'passport') {
    checkIdNumber('id', 'warning');
    const num = text(f, 'passport_num');
    if (num !== undefined && !PASSPORT_NUMBER.test(num)) {
      add('warning', 'passport_num', 'passport-number-format', 'Passport number is not a capital letter (or two) followed by 7 digits: check it against the data page');
    }
  } else if (family === 'driver-licence') {
    for (const name of LICENCE_NUMBER_FIELDS) {
      const num = text(f, name);
      if (num === undefined) continue;
      if (!LICENCE_NUMBER.test(num)) {
        add('warning', name, 'licence-number-format', 'Driver licence number is not 12 digits (as on PET licences): check it against the licence');
      }
      break;
    }
  }

  // ---- validity -------------------------------------------------------------------------------------------
  const kind: CardKind | undefined =
    family !== 'id-card' ? undefined : idKind === 'cmnd' ? 'cmnd' : cardKind(doc.type, doi === undefined ? undefined : formatDay(doi));

  let discontinued = false;
  if (kind === 'cmnd' && compareDays(now, CMND_LAST_VALID_DAY) > 0) {
    discontinued = true;
    add('error', undefined, 'cmnd-discontinued', 'CMND cards stopped being valid after 31-12-2024: ask for a CCCD or Căn cước card');
  }
  if (!discontinued && doe !== undefined && doe !== 'no-expiry' && compareDays(doe, now) < 0) {
    add('error', expiryField, 'expired', `Document expired on ${formatDay(doe)}: ask for a valid document`);
  }

  if ((kind === 'cccd' || kind === 'can-cuoc') && dob !== undefined && doi !== undefined && doe !== undefined) {
    const exp = expectedExpiry(formatDay(dob), formatDay(doi), kind);
    const law = kind === 'cccd' ? 'CCCD' : 'Căn cước';
    if (exp.kind === 'none' && doe !== 'no-expiry') {
      add('warning', expiryField, 'expiry-unexpected', `Printed expiry ${formatDay(doe)}, but a ${law} issued at 58 or older does not expire: check dob, doi and doe`);
    } else if (exp.kind === 'date' && exp.basis === 'milestone') {
      const want = toCalendarDay(exp.date);
      if (doe === 'no-expiry') {
        add('warning', expiryField, 'expiry-unexpected', `Card says it does not expire, but a ${law} issued on ${formatDay(doi)} expires at age ${exp.milestone}: check dob, doi and doe`);
      } else if (want !== undefined && compareDays(want, doe) !== 0) {
        add(
          'warning',
          expiryField,
          'expiry-unexpected',
          `Printed expiry ${formatDay(doe)} differs from ${formatDay(want)} (age ${exp.milestone}) expected for a ${law} issued on ${formatDay(doi)}: check dob, doi and doe`,
        );
      }
    }
  }

  return findings;
}

/**
 * Checks every document of one OCR result. The sides of one ID card (front and back, as the national-ID endpoint
 * returns them) are checked together, so the back's date of issue meets the front's dates; other documents are
 * checked one by one.
 */
export function checkDocuments(docs: readonly OcrDocument[], today: DateLike = new Date()): Finding[] {
  const cards = docs.filter((d) => familyOf(d.type) === 'id-card');
  const others = docs.filter((d) => familyOf(d.type) !== 'id-card');
  const findings: Finding[] = [];
  if (cards.length > 0) {
    const ordered = [...cards.filter((d) => d.type.includes('front')), ...cards.filter((d) => !d.type.includes('front'))];
    const fields: FieldMap = {};
    for (const d of ordered) {
      for (const [name, value] of Object.entries(d.fields)) {
        if (text(fields, name) === undefined) fields[name] = value;
      }
    }
    const first = ordered[0] as OcrDocument;
    findings.push(...checkDocument({ type: first.type, fields, checks: {} }, today));
  }
  for (const d of others) findings.push(...checkDocument(d, today));
  return findings;
}
