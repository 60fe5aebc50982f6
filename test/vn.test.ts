import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Field, OcrDocument } from '../src/api/types.js';
import {
  DOCUMENT_TYPES,
  PROVINCES,
  SUMMARY_CODES,
  addDays,
  cardKind,
  centurySexDigit,
  checkDocument,
  checkDocuments,
  daysBetween,
  expectedExpiry,
  explainCode,
  formatDay,
  milestoneExpiry,
  parseCalendarDay,
  parseDocDate,
  parseIdNumber,
  parseSex,
  toCalendarDay,
} from '../src/vn/index.js';
import type { CalendarDay, ExpectedExpiry, Finding } from '../src/vn/index.js';

// ---- helpers -------------------------------------------------------------------------------------------------

function doc(type: string, values: Record<string, string>): OcrDocument {
  const fields: Record<string, Field> = {};
  for (const [k, v] of Object.entries(values)) fields[k] = { value: v, review: false };
  return { type, fields, checks: {} };
}

function day(d: Date): string {
  const c = toCalendarDay(d);
  if (c === undefined) throw new Error('invalid date');
  return formatDay(c);
}

function expiryDay(e: ExpectedExpiry): string {
  if (e.kind !== 'date') return e.kind;
  return day(e.date);
}

const codes = (fs: Finding[]): string[] => fs.map((f) => f.code).sort();
const errors = (fs: Finding[]): Finding[] => fs.filter((f) => f.severity === 'error');

/** The readID sample of the reference (section 5), as the client normalizes it. */
const SAMPLE_ID_FRONT = {
  idNumber: '030187003568',
  name: 'PHẠM THỊ THU THỦY',
  dob: '08-08-1987',
  homeTown: 'Xã Thanh Lang, Huyện Thanh Hà, Tỉnh Hải Dương',
  permanentAddress: 'P509-K2 Nghĩa Tân, Cầu Giấy, Hà Nội',
  gender: 'Nữ',
  doe: '08-08-2027',
  nationality: 'Việt Nam',
};

/** The readVNPassport sample of the reference. */
const SAMPLE_PASSPORT = {
  place_of_issue: 'Cục Quản lý xuất nhập cảnh',
  passport_num: 'BC2810463',
  type: 'P',
  name: 'PHẠM THỊ TUYẾT',
  dob: '01/07/1999',
  gender: 'NỮ/F',
  doe: '30/03/2027',
  doi: '30/03/2017',
  country_code: 'VNM',
  place_of_birth: 'TỈNH NAM ĐỊNH',
  nationality: 'VIETNAMESE',
  id: '192257877',
};

// ---- ID numbers ----------------------------------------------------------------------------------------------

describe('parseIdNumber', () => {
  it('reads the worked examples of the rules', () => {
    expect(parseIdNumber('035199000123')).toMatchObject({
      kind: 'personal-id',
      provinceCode: '035',
      province: { name: 'Hà Nam', current: 'Ninh Bình' },
      registeredAbroad: false,
      sex: 'female',
      birthYear: 1999,
    });
    expect(parseIdNumber('030187003568')).toMatchObject({
      kind: 'personal-id',
      provinceCode: '030',
      province: { name: 'Hải Dương', current: 'Hải Phòng' },
      sex: 'female',
      birthYear: 1987,
    });
    expect(parseIdNumber('079090000523')).toMatchObject({
      kind: 'personal-id',
      provinceCode: '079',
      province: { name: 'Hồ Chí Minh' },
      sex: 'male',
      birthYear: 1990,
    });
  });

  it('reads the century digit: even is male, odd is female, 2/3 is the 2000s', () => {
    const cases: Array<[string, 'male' | 'female', number]> = [
      ['001099123456', 'male', 1999],
      ['001100123456', 'female', 1900],
      ['001203123456', 'male', 2003],
      ['001312123456', 'female', 2012],
      ['001400123456', 'male', 2100],
      ['001550123456', 'female', 2150],
      ['001699123456', 'male', 2299],
      ['001801123456', 'male', 2301],
      ['001901123456', 'female', 2301],
    ];
    for (const [id, sex, birthYear] of cases) {
      expect(parseIdNumber(id), id).toMatchObject({ kind: 'personal-id', sex, birthYear });
    }
  });

  it('does not read digits 5–10 as a date', () => {
    expect(parseIdNumber('001099999999')).toMatchObject({ kind: 'personal-id', birthYear: 1999, sex: 'male' });
  });

  it('accepts a birth registered abroad (first digit not 0) without a province, and unknown 0xx codes', () => {
    const abroad = parseIdNumber('101090000123');
    expect(abroad).toMatchObject({ kind: 'personal-id', provinceCode: '101', registeredAbroad: true, sex: 'male', birthYear: 1990 });
    expect(abroad.kind === 'personal-id' && abroad.province).toBeUndefined();
    const unknown = parseIdNumber('003190000123');
    expect(unknown).toMatchObject({ kind: 'personal-id', provinceCode: '003', registeredAbroad: false, province: undefined });
  });

  it('never rejects a legacy code of a merged province', () => {
    for (const code of PROVINCES.keys()) {
      expect(parseIdNumber(`${code}090000001`).kind, code).toBe('personal-id');
    }
    expect(PROVINCES.size).toBe(63);
  });

  it('recognises a 9-digit CMND and rejects everything else as a value', () => {
    expect(parseIdNumber('192257877')).toEqual({ kind: 'cmnd', number: '192257877' });
    expect(parseIdNumber(' 035199000123 ')).toMatchObject({ kind: 'personal-id', number: '035199000123' });
    expect(parseIdNumber('')).toMatchObject({ kind: 'invalid', problem: 'empty' });
    expect(parseIdNumber('03519900012A')).toMatchObject({ kind: 'invalid', problem: 'not-digits' });
    expect(parseIdNumber('035 199 000 123')).toMatchObject({ kind: 'invalid', problem: 'not-digits' });
    expect(parseIdNumber('03519900012')).toMatchObject({ kind: 'invalid', problem: 'wrong-length' });
    expect(parseIdNumber('0351990001234')).toMatchObject({ kind: 'invalid', problem: 'wrong-length' });
    expect(parseIdNumber('1234567890')).toMatchObject({ kind: 'invalid', problem: 'wrong-length' });
  });
});

describe('centurySexDigit', () => {
  it('encodes century and sex, even for a man, as the rules say', () => {
    expect(centurySexDigit(1999, 'male')).toBe(0);
    expect(centurySexDigit(1900, 'female')).toBe(1);
    expect(centurySexDigit(2003, 'male')).toBe(2);
    expect(centurySexDigit(2012, 'female')).toBe(3);
    expect(centurySexDigit(2399, 'female')).toBe(9);
  });

  it('is read back by parseIdNumber for every year it can encode', () => {
    for (let year = 1900; year <= 2399; year++) {
      for (const sex of ['male', 'female'] as const) {
        const id = `001${centurySexDigit(year, sex)}${String(year % 100).padStart(2, '0')}000123`;
        expect(parseIdNumber(id), id).toMatchObject({ kind: 'personal-id', sex, birthYear: year });
      }
    }
  });

  it('refuses a year no ID number encodes', () => {
    expect(() => centurySexDigit(1899, 'male')).toThrow(RangeError);
    expect(() => centurySexDigit(2400, 'female')).toThrow(RangeError);
    expect(() => centurySexDigit(1990.5, 'male')).toThrow(RangeError);
  });
});

describe('parseSex', () => {
  it('reads ID card and passport spellings', () => {
    expect(parseSex('Nam')).toBe('male');
    expect(parseSex('Nữ')).toBe('female');
    expect(parseSex('Nữ'.normalize('NFD'))).toBe('female');
    expect(parseSex('NỮ/F')).toBe('female');
    expect(parseSex('NAM/M')).toBe('male');
    expect(parseSex('NAM/F')).toBeUndefined();
    expect(parseSex('X')).toBeUndefined();
    expect(parseSex('')).toBeUndefined();
  });
});

// ---- dates and expiry ---------------------------------------------------------------------------------------

describe('parseDocDate', () => {
  it('reads the spellings the API prints', () => {
    expect(day(parseDocDate('08-08-1987') as Date)).toBe('08-08-1987');
    expect(day(parseDocDate('30/03/2017') as Date)).toBe('30-03-2017');
    expect(day(parseDocDate('10/3/2007') as Date)).toBe('10-03-2007');
    expect(day(parseDocDate('1990-05-12') as Date)).toBe('12-05-1990');
    const d = parseDocDate('23/01/1957') as Date;
    expect([d.getFullYear(), d.getMonth(), d.getDate()]).toEqual([1957, 0, 23]);
  });

  it('rejects impossible and foreign dates', () => {
    expect(parseDocDate('31/02/2020')).toBeUndefined();
    expect(parseDocDate('29-02-2023')).toBeUndefined();
    expect(parseDocDate('29-02-2024')).toBeDefined();
    expect(parseDocDate('08-13-1987')).toBeUndefined();
    expect(parseDocDate('Không thời hạn')).toBeUndefined();
    expect(parseDocDate('')).toBeUndefined();
  });
});

describe('calendar arithmetic', () => {
  const cal = (text: string): CalendarDay => parseCalendarDay(text) as CalendarDay;

  it('adds days across months, years and 29 February, both ways', () => {
    expect(formatDay(addDays(cal('31-01-2024'), 1))).toBe('01-02-2024');
    expect(formatDay(addDays(cal('28-02-2024'), 1))).toBe('29-02-2024');
    expect(formatDay(addDays(cal('28-02-2023'), 1))).toBe('01-03-2023');
    expect(formatDay(addDays(cal('31-12-1999'), 1))).toBe('01-01-2000');
    expect(formatDay(addDays(cal('01-03-2000'), -1))).toBe('29-02-2000');
    expect(formatDay(addDays(cal('15-06-2020'), 0))).toBe('15-06-2020');
    expect(formatDay(addDays({ year: 50, month: 1, day: 1 }, 365))).toBe('01-01-0051');
  });

  it('counts the days between two days, negative backwards, as addDays undoes', () => {
    expect(daysBetween(cal('01-01-2024'), cal('01-01-2025'))).toBe(366);
    expect(daysBetween(cal('01-01-2023'), cal('01-01-2024'))).toBe(365);
    expect(daysBetween(cal('10-05-2020'), cal('01-05-2020'))).toBe(-9);
    const from = cal('01-01-1962');
    for (const to of ['31-12-2000', '29-02-1964', '01-01-1962', '15-07-1930']) {
      expect(formatDay(addDays(from, daysBetween(from, cal(to))))).toBe(to);
    }
  });

  it('formats a day with dashes or slashes', () => {
    expect(formatDay(cal('5/3/2007'))).toBe('05-03-2007');
    expect(formatDay(cal('5/3/2007'), '/')).toBe('05/03/2007');
  });
});

describe('milestoneExpiry', () => {
  it('gives the milestone and its day, and nothing from 58 on', () => {
    const dob = { year: 2000, month: 5, day: 12 };
    expect(milestoneExpiry(dob, { year: 2023, month: 5, day: 11 }, 'cccd')).toEqual({ milestone: 25, expiry: { year: 2025, month: 5, day: 12 } });
    expect(milestoneExpiry(dob, { year: 2023, month: 5, day: 12 }, 'cccd')).toEqual({ milestone: 40, expiry: { year: 2040, month: 5, day: 12 } });
    expect(milestoneExpiry(dob, { year: 2010, month: 1, day: 1 }, 'can-cuoc')).toEqual({ milestone: 14, expiry: { year: 2014, month: 5, day: 12 } });
    expect(milestoneExpiry(dob, { year: 2058, month: 5, day: 12 }, 'cccd')).toBeUndefined();
  });

  it('agrees with expectedExpiry day by day around every milestone', () => {
    const dob = { year: 1984, month: 2, day: 29 };
    for (const age of [12, 23, 38, 58]) {
      for (let offset = -2; offset <= 2; offset++) {
        const issued = addDays({ year: dob.year + age, month: 2, day: 28 }, offset);
        for (const kind of ['cccd', 'can-cuoc'] as const) {
          const want = expectedExpiry(formatDay(dob), formatDay(issued), kind);
          const got = milestoneExpiry(dob, issued, kind);
          expect(got === undefined ? 'none' : formatDay(got.expiry), `${formatDay(issued)} ${kind}`).toBe(expiryDay(want));
        }
      }
    }
  });
});

describe('expectedExpiry', () => {
  it('CCCD: milestone 25, on both sides of the 2-year rule', () => {
    // dob + 23 years = 12-05-2023
    expect(expectedExpiry('12-05-2000', '11-05-2023', 'cccd')).toMatchObject({ kind: 'date', milestone: 25 });
    expect(expiryDay(expectedExpiry('12-05-2000', '11-05-2023', 'cccd'))).toBe('12-05-2025');
    expect(expectedExpiry('12-05-2000', '12-05-2023', 'cccd')).toMatchObject({ kind: 'date', milestone: 40 });
    expect(expiryDay(expectedExpiry('12-05-2000', '12-05-2023', 'cccd'))).toBe('12-05-2040');
  });

  it('CCCD: milestones 40 and 60, and no expiry from 58 on', () => {
    expect(expiryDay(expectedExpiry('12-05-1990', '01-01-2016', 'cccd'))).toBe('12-05-2030');
    expect(expiryDay(expectedExpiry('12-05-1990', '11-05-2028', 'cccd'))).toBe('12-05-2030');
    expect(expiryDay(expectedExpiry('12-05-1990', '12-05-2028', 'cccd'))).toBe('12-05-2050');
    expect(expiryDay(expectedExpiry('12-05-1960', '11-05-2018', 'cccd'))).toBe('12-05-2020');
    expect(expectedExpiry('12-05-1960', '12-05-2018', 'cccd')).toEqual({ kind: 'none' });
    expect(expectedExpiry('01-01-1940', '01-06-2021', 'cccd')).toEqual({ kind: 'none' });
  });

  it('matches the reference samples', () => {
    // 030187003568: born 08-08-1987, card printed 08-08-2027 (age 40) — any issue date from age 23 to before 38.
    expect(expiryDay(expectedExpiry('08-08-1987', '15-04-2021', 'cccd'))).toBe('08-08-2027');
    expect(expiryDay(expectedExpiry('12-05-1990', '15-04-2021', 'cccd'))).toBe('12-05-2030');
  });

  it('Căn cước adds the milestone 14, with the same 2-year rule', () => {
    expect(expectedExpiry('01-03-2015', '01-08-2024', 'can-cuoc')).toMatchObject({ kind: 'date', milestone: 14 });
    expect(expiryDay(expectedExpiry('01-03-2015', '01-08-2024', 'can-cuoc'))).toBe('01-03-2029');
    // dob + 12 = 01-03-2024: one day before → 14, on the day → 25
    expect(expiryDay(expectedExpiry('01-03-2012', '29-02-2024', 'can-cuoc'))).toBe('01-03-2026');
    expect(expiryDay(expectedExpiry('01-03-2012', '01-03-2024', 'can-cuoc'))).toBe('01-03-2037');
    // the CCCD law has no 14
    expect(expiryDay(expectedExpiry('01-03-2015', '01-08-2024', 'cccd'))).toBe('01-03-2040');
    expect(expectedExpiry('01-03-1966', '01-03-2024', 'can-cuoc')).toEqual({ kind: 'none' });
  });

  it('a 29 February birthday expires on 28 February in a common year', () => {
    expect(expiryDay(expectedExpiry('29-02-2000', '01-01-2010', 'cccd'))).toBe('28-02-2025');
  });

  it('CMND: 15 years from issue, never after 31-12-2024', () => {
    expect(expectedExpiry(undefined, '01-06-2005', 'cmnd')).toMatchObject({ kind: 'date', basis: 'cmnd-15-years' });
    expect(expiryDay(expectedExpiry(undefined, '01-06-2005', 'cmnd'))).toBe('01-06-2020');
    expect(expectedExpiry(undefined, '01-01-2012', 'cmnd')).toMatchObject({ kind: 'date', basis: 'cmnd-cutoff' });
    expect(expiryDay(expectedExpiry(undefined, '01-01-2012', 'cmnd'))).toBe('31-12-2024');
    expect(expiryDay(expectedExpiry(undefined, '31-12-2009', 'cmnd'))).toBe('31-12-2024');
  });

  it('accepts Date objects and reports unusable inputs as values', () => {
    expect(expiryDay(expectedExpiry(new Date(2000, 4, 12), new Date(2021, 0, 1), 'cccd'))).toBe('12-05-2025');
    expect(expectedExpiry('not a date', '01-01-2020', 'cccd').kind).toBe('invalid');
    expect(expectedExpiry(undefined, '01-01-2020', 'cccd').kind).toBe('invalid');
    expect(expectedExpiry('01-01-2000', '31-13-2020', 'cccd').kind).toBe('invalid');
    expect(expectedExpiry('01-01-2000', '01-01-1999', 'cccd').kind).toBe('invalid');
  });
});

describe('cardKind', () => {
  it('a citizen ID card issued from 1 July 2024 is a Căn cước', () => {
    expect(cardKind('cccd_chip_front', '30-06-2024')).toBe('cccd');
    expect(cardKind('cccd_chip_front', '01-07-2024')).toBe('can-cuoc');
    expect(cardKind('cccd_front')).toBe('cccd');
    expect(cardKind('cmnd_old_front')).toBe('cmnd');
    expect(cardKind('cmnd_new_front')).toBe('cmnd');
    expect(cardKind('cmnd_new_cccd_back', '01-01-2020')).toBeUndefined();
    expect(cardKind('dl_new_front')).toBeUndefined();
  });
});

// ---- document checks ----------------------------------------------------------------------------------------

describe('checkDocument', () => {
  it('finds nothing wrong with the reference sample', () => {
    expect(checkDocument(doc('cccd_chip_front', SAMPLE_ID_FRONT), '01-06-2025')).toEqual([]);
    expect(checkDocument(doc('cccd_chip_front', SAMPLE_ID_FRONT), new Date(2025, 5, 1))).toEqual([]);
  });

  it('errors when birth year or sex disagree with the ID number', () => {
    const male = checkDocument(doc('cccd_chip_front', { ...SAMPLE_ID_FRONT, gender: 'Nam' }), '01-06-2025');
    expect(male).toEqual([expect.objectContaining({ severity: 'error', field: 'idNumber', code: 'sex-mismatch' })]);
    const year = checkDocument(doc('cccd_chip_front', { ...SAMPLE_ID_FRONT, dob: '08-08-1988' }), '01-06-2025');
    expect(year).toEqual([expect.objectContaining({ severity: 'error', field: 'idNumber', code: 'birth-year-mismatch' })]);
    expect(year[0]?.message).toMatch(/1987.*1988/);
    expect(year[0]?.message).not.toContain('030187003568');
  });

  it('errors on an ID number of the wrong length or with letters', () => {
    const short = checkDocument(doc('cccd_chip_front', { ...SAMPLE_ID_FRONT, idNumber: '03018700356' }), '01-06-2025');
    expect(short).toEqual([expect.objectContaining({ severity: 'error', code: 'id-number-format' })]);
    const letters = checkDocument(doc('cccd_front', { ...SAMPLE_ID_FRONT, idNumber: '03018700356O' }), '01-06-2025');
    expect(codes(letters)).toEqual(['id-number-format']);
  });

  it('errors on an expired document, not on the day of expiry', () => {
    expect(checkDocument(doc('cccd_chip_front', SAMPLE_ID_FRONT), '08-08-2027')).toEqual([]);
    const late = checkDocument(doc('cccd_chip_front', SAMPLE_ID_FRONT), '09-08-2027');
    expect(late).toEqual([expect.objectContaining({ severity: 'error', field: 'doe', code: 'expired' })]);
  });

  it('never checks the province code against hometown or address', () => {
    const d = doc('cccd_chip_front', {
      idNumber: '035199000123',
      dob: '01-02-1999',
      gender: 'Nữ',
      homeTown: 'Phường Bến Nghé, Quận 1, TP Hồ Chí Minh',
      permanentAddress: 'Xã Tà Xùa, Huyện Bắc Yên, Tỉnh Sơn La',
      doe: '01-02-2024',
    });
    expect(codes(checkDocument(d, '01-01-2024'))).toEqual([]);
    const abroad = doc('cccd_chip_front', { idNumber: '101090000523', dob: '12-05-1990', gender: 'Nam', homeTown: 'Hà Nội' });
    expect(checkDocument(abroad, '01-01-2025')).toEqual([]);
  });

  it('rejects a 9-digit CMND after 31-12-2024, whatever it prints', () => {
    const cmnd = doc('cmnd_old_front', { idNumber: '192257877', name: 'A', dob: '01-01-1980' });
    expect(checkDocument(cmnd, '31-12-2024')).toEqual([]);
    expect(checkDocument(cmnd, '01-01-2025')).toEqual([expect.objectContaining({ severity: 'error', code: 'cmnd-discontinued' })]);
    const back = doc('cmnd_old_back', { doi: '01-01-2012', doe: '01-01-2027' });
    expect(codes(checkDocument(back, '02-01-2025'))).toEqual(['cmnd-discontinued']);
  });

  it('warns (only) when the printed expiry is not the one the law gives', () => {
    const base = { idNumber: '079090000523', dob: '12-05-1990', gender: 'Nam', doi: '01-01-2016' };
    expect(checkDocument(doc('cccd_front', { ...base, doe: '12-05-2030' }), '01-01-2025')).toEqual([]);
    const off = checkDocument(doc('cccd_front', { ...base, doe: '12-05-2031' }), '01-01-2025');
    expect(off).toEqual([expect.objectContaining({ severity: 'warning', field: 'doe', code: 'expiry-unexpected' })]);
    expect(off[0]?.message).toContain('12-05-2030');
    const old = { idNumber: '001052000001', dob: '01-01-1952', gender: 'Nam', doi: '01-06-2021' };
    expect(checkDocument(doc('cccd_chip_front', { ...old, doe: 'Không thời hạn' }), '01-01-2025')).toEqual([]);
    expect(codes(checkDocument(doc('cccd_chip_front', { ...old, doe: '01-01-2032' }), '01-01-2025'))).toEqual(['expiry-unexpected']);
  });

  it('reads a chip card issued from July 2024 as a Căn cước when front and back come together', () => {
    const front = doc('cccd_chip_front', { idNumber: '001215000001', dob: '01-03-2015', gender: 'Nam', doe: '01-03-2029' });
    const back = doc('cccd_chip_back', { doi: '01-08-2024', placeOfIssue: 'Bộ Công an' });
    expect(checkDocuments([front, back], '01-01-2025')).toEqual([]);
    const wrong = doc('cccd_chip_front', { idNumber: '001215000001', dob: '01-03-2015', gender: 'Nam', doe: '01-03-2040' });
    expect(codes(checkDocuments([back, wrong], '01-01-2025'))).toEqual(['expiry-unexpected']);
  });

  it('errors on impossible dates and warns on unreadable ones', () => {
    const d = doc('cccd_front', { idNumber: '079090000523', dob: '12-05-1990', gender: 'Nam', doi: '01-01-1989', doe: '1/1/20x' });
    expect(codes(checkDocument(d, '01-01-2025'))).toEqual(['date-unreadable', 'issued-before-birth']);
    const future = checkDocument(doc('cccd_chip_front', { ...SAMPLE_ID_FRONT, idNumber: '030587003568', dob: '08-08-2187' }), '01-01-2025');
    expect(codes(future)).toEqual(['dob-in-future', 'id-birth-year-future']);
  });

  it('does not warn on the passport sample (BC2810463), and only warns on other passport numbers', () => {
    expect(checkDocument(doc('vn_passport_front', SAMPLE_PASSPORT), '01-01-2025')).toEqual([]);
    expect(checkDocument(doc('vn_passport_front', { ...SAMPLE_PASSPORT, passport_num: 'C1234567' }), '01-01-2025')).toEqual([]);
    const odd = checkDocument(doc('vn_passport_front', { ...SAMPLE_PASSPORT, passport_num: 'B12345' }), '01-01-2025');
    expect(odd).toEqual([expect.objectContaining({ severity: 'warning', field: 'passport_num', code: 'passport-number-format' })]);
    const male = checkDocument(doc('vn_passport_front', { ...SAMPLE_PASSPORT, gender: 'NAM/M', id: '036199000123' }), '01-01-2025');
    expect(male).toEqual([expect.objectContaining({ severity: 'error', field: 'id', code: 'sex-mismatch' })]);
    expect(codes(checkDocument(doc('vn_passport_front', SAMPLE_PASSPORT), '31-03-2027'))).toEqual(['expired']);
  });

  it('driver licence: number format is a warning, an expiry in the past is an error', () => {
    const dl = { name: 'LÊ VĂN A', dob: '23/01/1957', expiry: '11/04/2024', address: '89 Bình Quới', nationality: 'Việt Nam' };
    expect(checkDocument(doc('dl_new_front', dl), '01-01-2024')).toEqual([]);
    expect(checkDocument(doc('dl_new_front', dl), '12-04-2024')).toEqual([expect.objectContaining({ severity: 'error', field: 'expiry', code: 'expired' })]);
    const num = checkDocument(doc('dl_new_front', { ...dl, idNumber: 'AB123456' }), '01-01-2024');
    expect(num).toEqual([expect.objectContaining({ severity: 'warning', code: 'licence-number-format' })]);
    expect(checkDocument(doc('dl_new_front', { ...dl, idNumber: '790123456789' }), '01-01-2024')).toEqual([]);
    expect(checkDocument(doc('dl_new_front', { ...dl, expiry: 'Không thời hạn' }), '01-01-2030')).toEqual([]);
  });

  it('passport and licence formats never produce errors', () => {
    const fs = [
      ...checkDocument(doc('vn_passport_front', { ...SAMPLE_PASSPORT, passport_num: '???' }), '01-01-2025'),
      ...checkDocument(doc('dl_new_front', { number: 'x', dob: '01/01/1990' }), '01-01-2025'),
    ];
    expect(fs.length).toBe(2);
    expect(errors(fs)).toEqual([]);
  });

  it('gives a document type it does not know no ID-card checks, only the date checks', () => {
    const malformed = { ...SAMPLE_ID_FRONT, idNumber: '03018700356X', gender: '?', dob: '08-08-2087' };
    const mismatched = { ...SAMPLE_ID_FRONT, gender: 'Nam', dob: '08-08-1988' };
    expect(codes(checkDocument(doc('xyz_front', malformed), '01-06-2025'))).toEqual(['dob-in-future']);
    expect(checkDocument(doc('xyz_front', mismatched), '01-06-2025')).toEqual([]);
    expect(codes(checkDocument(doc('xyz_front', SAMPLE_ID_FRONT), '09-08-2027'))).toEqual(['expired']);
    // The same values on a known card type are checked as an ID card.
    expect(codes(checkDocument(doc('cccd_chip_front', malformed), '01-06-2025'))).toEqual(['dob-in-future', 'id-number-format', 'sex-unreadable']);
    expect(codes(checkDocument(doc('cccd_chip_front', mismatched), '01-06-2025'))).toEqual(['birth-year-mismatch', 'sex-mismatch']);
  });

  it('writes one-line messages', () => {
    const fs = checkDocument(doc('cccd_front', { idNumber: '12', dob: 'x', gender: '?', doe: '01-01-2000' }), '01-01-2025');
    expect(fs.length).toBeGreaterThan(2);
    for (const f of fs) expect(f.message).toMatch(/^[^\n]+$/);
  });
});

// ---- codes --------------------------------------------------------------------------------------------------

/** Verbatim from the reference: readID section 4 and Passive Liveness section 6. */
const REFERENCE_ID_CODES = `001 Không nhận diện được CMND/ CCCD
046 Không nhận diện được ảnh chân dung trên CMND/CCCD Quality Check
044 Vui lòng chỉ chụp CMND/ CCCD gốc Quality Check
045 CMND/CCCD chụp từ thiết bị khác Quality Check
047 CMND/CCCD đã bị cắt góc Quality Check
048 CMND/CCCD bị mờ Quality Check
049 CMND/CCCD bị chói sáng Quality Check
061 CMND/CCCD không hợp lệ Rule Check - Date Of Expiry Validation
063 ID Number Gender Code Invalid Rule Check - Year Of Birth & Gender Code Validation
064 CMND/CCCD không hợp lệ Rule Check - ID Number Validation (Length of ID number is either 9 or 12 digits)`;
const REFERENCE_LIVENESS_CODES = `111 Ảnh được chụp từ thiết bị khác
112 Có nhiều hơn một khuôn mặt trong ảnh chụp
113 Bạn đã nhắm mắt khi chụp ảnh
114 Khuôn mặt bị che khuất
115 Ảnh chụp chân dung bị mờ, nhòe`;
const REFERENCE_TYPES = [
  'cmnd_old_front',
  'cmnd_old_back',
  'cmnd_new_front',
  'cccd_front',
  'cmnd_new_cccd_back',
  'cccd_chip_front',
  'cccd_chip_back',
  'dl_new_front',
  'vn_passport_front',
  'old_register_card_back',
  'new_register_card_back',
];
const REFERENCE_FILE = fileURLToPath(new URL('../../shared/api/finos-ekyc-api-v1.txt', import.meta.url));

describe('SUMMARY_CODES', () => {
  it('has every code of the reference with its exact Vietnamese text and check type', () => {
    const expected = new Map<string, { vi: string; check?: string }>();
    for (const line of REFERENCE_ID_CODES.split('\n')) {
      const m = /^(\d{3}) (.+?)(?: (Quality Check|Rule Check - .+))?$/.exec(line);
      if (!m) throw new Error(`bad fixture line ${line}`);
      expected.set(m[1] as string, m[3] === undefined ? { vi: m[2] as string } : { vi: m[2] as string, check: m[3] });
    }
    for (const line of REFERENCE_LIVENESS_CODES.split('\n')) expected.set(line.slice(0, 3), { vi: line.slice(4) });
    expect([...SUMMARY_CODES.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [code, want] of expected) {
      const got = explainCode(code);
      expect(got?.vi, code).toBe(want.vi);
      if (want.check !== undefined) expect(got?.check, code).toBe(want.check);
      expect(got?.en, code).toMatch(/^[A-Z][^\n]+$/);
    }
    expect(explainCode('111')?.en).toMatch(/another device/);
    expect(explainCode('999')).toBeUndefined();
  });

  it.runIf(existsSync(REFERENCE_FILE))('the fixtures above are verbatim from the reference', () => {
    const ref = readFileSync(REFERENCE_FILE, 'utf8');
    for (const line of [...REFERENCE_ID_CODES.split('\n'), ...REFERENCE_LIVENESS_CODES.split('\n')]) expect(ref).toContain(line);
    const types = new Set(ref.match(/\b[a-z]+(?:_[a-z]+)*_(?:front|back)\b/g));
    expect([...types].sort()).toEqual([...REFERENCE_TYPES].sort());
  });
});

describe('DOCUMENT_TYPES', () => {
  it('names every document type of the reference in English and Vietnamese', () => {
    expect([...DOCUMENT_TYPES.keys()].sort()).toEqual([...REFERENCE_TYPES].sort());
    for (const [code, name] of DOCUMENT_TYPES) {
      expect(name.en, code).toMatch(/^[A-Z].+, (front|back|data page)$/);
      expect(name.vi, code).toMatch(/, (mặt trước|mặt sau|trang thông tin)$/);
    }
    expect(DOCUMENT_TYPES.get('cccd_chip_front')).toEqual({ en: 'Chip Citizen ID, front', vi: 'CCCD gắn chip, mặt trước' });
  });
});
