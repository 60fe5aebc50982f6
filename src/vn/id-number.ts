/**
 * The 12-digit personal ID number (CCCD / Căn cước / số định danh cá nhân) and the old 9-digit CMND number.
 *
 * Decree 137/2015/NĐ-CP art. 13, Circular 07/2016/TT-BCA art. 7: digits 1–3 are where the birth was registered
 * (a province code, or a country code when the first digit is not 0), digit 4 is century and sex (even = male),
 * digits 5–6 are the last two digits of the birth year, digits 7–12 are random. There is no check digit.
 */
import { PROVINCES } from './provinces.js';
import type { Province } from './provinces.js';

export type Sex = 'male' | 'female';

export interface PersonalIdNumber {
  kind: 'personal-id';
  /** The 12 digits. */
  number: string;
  /** Digits 1–3: where the birth was registered. Not the hometown, not the address. */
  provinceCode: string;
  /** The province of `provinceCode`; undefined for a code not in Appendix 1 (a birth registered abroad, say). */
  province: Province | undefined;
  /** True when the first digit is not 0: digits 1–3 are then a country code (birth registered abroad). */
  registeredAbroad: boolean;
  sex: Sex;
  birthYear: number;
}

export interface CmndNumber {
  kind: 'cmnd';
  /** The 9 digits. The prefix names an issuing police office shared between provinces: no province is derived. */
  number: string;
}

export type IdNumberProblem = 'empty' | 'not-digits' | 'wrong-length';

export interface InvalidIdNumber {
  kind: 'invalid';
  problem: IdNumberProblem;
  /** One line, English, without echoing the number. */
  message: string;
}

export type ParsedIdNumber = PersonalIdNumber | CmndNumber | InvalidIdNumber;

/**
 * Reads an ID number. 12 digits → the personal ID number's parts; 9 digits → an old CMND; anything else → an
 * `invalid` result (never an exception). Surrounding whitespace is ignored, inner spaces are not.
 *
 * Every 12-digit shape is accepted: any birth-registration code (legacy codes of merged provinces and codes of
 * births registered abroad included) and any century digit.
 */
export function parseIdNumber(id: string): ParsedIdNumber {
  const s = id.trim();
  if (s === '') return { kind: 'invalid', problem: 'empty', message: 'ID number is empty' };
  if (!/^\d+$/.test(s)) {
    return { kind: 'invalid', problem: 'not-digits', message: 'ID number must contain digits only (12, or 9 for an old CMND)' };
  }
  if (s.length === 9) return { kind: 'cmnd', number: s };
  if (s.length !== 12) {
    return {
      kind: 'invalid',
      problem: 'wrong-length',
      message: `ID number has ${s.length} digits; it must have 12 (or 9 for an old CMND)`,
    };
  }
  const provinceCode = s.slice(0, 3);
  const d4 = Number(s[3]);
  const yy = Number(s.slice(4, 6));
  return {
    kind: 'personal-id',
    number: s,
    provinceCode,
    province: PROVINCES.get(provinceCode),
    registeredAbroad: s[0] !== '0',
    sex: d4 % 2 === 0 ? 'male' : 'female',
    birthYear: 1900 + 100 * Math.floor(d4 / 2) + yy,
  };
}

/**
 * Digit 4 of a 12-digit personal ID number: the century of birth and the sex, even = male (0 for a man born
 * 1900–1999, 1 for a woman, 2 and 3 for 2000–2099, up to 9). `parseIdNumber` reads it back. Throws a `RangeError`
 * for a birth year the digit cannot encode (before 1900, after 2399).
 */
export function centurySexDigit(birthYear: number, sex: Sex): number {
  if (!Number.isInteger(birthYear) || birthYear < 1900 || birthYear > 2399) {
    throw new RangeError(`centurySexDigit: no ID number encodes birth year ${birthYear}`);
  }
  return 2 * Math.floor((birthYear - 1900) / 100) + (sex === 'female' ? 1 : 0);
}

/**
 * Reads the sex printed on a document: `Nam` / `Nữ` on ID cards, `NAM/M` / `NỮ/F` on passports, and plain
 * `M`/`F`/`Male`/`Female`. Case- and accent-form-insensitive; `undefined` when it cannot tell.
 */
export function parseSex(value: string): Sex | undefined {
  const s = value.normalize('NFC').trim().toLowerCase().replace(/\s+/g, '');
  if (s === '') return undefined;
  const parts = s.split('/').filter((p) => p !== '');
  let found: Sex | undefined;
  for (const p of parts) {
    const sex = MALE.has(p) ? 'male' : FEMALE.has(p) ? 'female' : undefined;
    if (sex === undefined) return undefined;
    if (found !== undefined && found !== sex) return undefined;
    found = sex;
  }
  return found;
}

const MALE = new Set(['nam', 'm', 'male']);
// 'nu' covers OCR output that lost the diacritic.
const FEMALE = new Set(['nữ', 'nu', 'f', 'female']);
