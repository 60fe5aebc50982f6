/**
 * The recognised documents of the OCR endpoints, with the fields the reference's "Data Extracted" table and
 * samples list per document type, filled from the synthetic person the image stands for.
 */
import { addDays, compareDays, daysBetween, formatDay, type CalendarDay } from '../vn/dates.js';
import { CMND_VALID_YEARS } from '../vn/expiry.js';
import { FieldWriter, type FieldBody } from './fields.js';
import { hostileDetails, hostileText } from './hostile.js';
import type { ImageInfo } from './images.js';
import { birthDigits, cardDates, personFor, provinceName, provinceTitle, SEX, type CardDates, type ExpiryRule, type IssueWindow, type Person } from './people.js';
import { Rng, unit } from './random.js';
import { DOC_PICK, pickBy, traitsOf, type Traits } from './traits.js';

export const NATIONAL_ID_TYPES = ['cccd_chip_front', 'cccd_chip_back', 'cccd_front', 'cmnd_new_front', 'cmnd_new_cccd_back', 'cmnd_old_front', 'cmnd_old_back'] as const;
export type NationalIdType = (typeof NATIONAL_ID_TYPES)[number];
export const MRC_TYPES = ['old_register_card_back', 'new_register_card_back'] as const;

/** Where no marker says otherwise, the mix of sides a real batch would have: mostly chip cards. */
const NATIONAL_ID_MIX: readonly NationalIdType[] = [
  ...Array<NationalIdType>(7).fill('cccd_chip_front'),
  ...Array<NationalIdType>(4).fill('cccd_chip_back'),
  'cccd_front',
  'cccd_front',
  'cmnd_new_cccd_back',
  'cmnd_new_cccd_back',
  'cmnd_new_front',
  'cmnd_old_front',
  'cmnd_old_front',
  'cmnd_old_back',
];

const OCR_ISSUES = ['blur', 'glare', 'screen', 'bw', 'partial', 'noface'];
const OCR_REVIEWABLE = ['name', 'dob', 'homeTown', 'permanentAddress', 'address', 'expiry', 'place_of_issue', 'engine-number'];

/**
 * 422: too small to hold a document, marked `not-detected`, or marked as a picture of something else: another
 * endpoint's document, or a face (`person=` without `doc=`), so a selfie sent to OCR is not read as a card.
 */
export function notDetected(image: ImageInfo, accepts: readonly string[]): boolean {
  const marker = image.marker;
  if (marker?.flags.has('not-detected')) return true;
  if (marker?.doc !== undefined ? !accepts.includes(marker.doc) : marker?.person !== undefined) return true;
  return (image.width !== undefined && image.width < 64) || (image.height !== undefined && image.height < 64);
}

export function ocrTraits(image: ImageInfo): Traits {
  return traitsOf(image, OCR_ISSUES, OCR_REVIEWABLE);
}

const NO_EXPIRY = 'Không thời hạn';

const day = (year: number, month: number, dayOfMonth: number): CalendarDay => ({ year, month, day: dayOfMonth });

// ---- national ID -----------------------------------------------------------------------------------------

/** How a kind of document gets its dates: the expiry rule and the period it was issued in. */
interface DateRule {
  name: string;
  rule: ExpiryRule;
  window: IssueWindow;
}

interface CardFamily extends DateRule {
  placeOfIssue(person: Person): string;
}

const CHIP: CardFamily = {
  name: 'chip',
  rule: { kind: 'milestones' },
  // Cards from 1 July 2024 are the new Căn cước type, which this 2022 API predates.
  window: { from: day(2021, 1, 1), to: day(2024, 6, 30) },
  placeOfIssue: () => 'CỤC TRƯỞNG CỤC CẢNH SÁT QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI',
};
const CCCD: CardFamily = {
  name: 'cccd',
  rule: { kind: 'milestones' },
  window: { from: day(2016, 1, 1), to: day(2020, 12, 31) },
  placeOfIssue: () => 'CỤC TRƯỞNG CỤC CẢNH SÁT ĐKQL CƯ TRÚ VÀ DLQG VỀ DÂN CƯ',
};
const CMND_12: CardFamily = {
  name: 'cmnd12',
  // The printed expiry: the 2024 end of every CMND (src/vn's CMND_LAST_VALID_DAY) is law, not print.
  rule: { kind: 'years', years: CMND_VALID_YEARS },
  window: { from: day(2012, 6, 1), to: day(2015, 12, 31) },
  placeOfIssue: (p) => `Công an ${provinceName(p.birthCode)}`,
};
const CMND_9: CardFamily = { ...CMND_12, name: 'cmnd9', window: { from: day(2000, 1, 1), to: day(2015, 12, 31) } };

type IdField = 'idNumber' | 'name' | 'dob' | 'homeTown' | 'permanentAddress' | 'gender' | 'doi' | 'doe' | 'placeOfIssue' | 'ethnicity' | 'nationality';

/**
 * Per the reference's "Data Extracted" table. Its "province" is not a field of its own in any sample: it is the
 * permanentAddress split's `province` (enableAddressSplit=yes).
 */
const SIDES: Record<NationalIdType, { family: CardFamily; fields: readonly IdField[] }> = {
  cmnd_old_front: { family: CMND_9, fields: ['idNumber', 'name', 'dob', 'homeTown', 'permanentAddress'] },
  cmnd_old_back: { family: CMND_9, fields: ['doi', 'placeOfIssue', 'doe', 'ethnicity'] },
  cmnd_new_front: { family: CMND_12, fields: ['idNumber', 'name', 'dob', 'homeTown', 'permanentAddress', 'gender', 'doi', 'doe', 'ethnicity'] },
  // The back is shared by the 12-digit CMND and the barcode CCCD; its dates are the CCCD's.
  cmnd_new_cccd_back: { family: CCCD, fields: ['doi', 'placeOfIssue'] },
  cccd_front: { family: CCCD, fields: ['idNumber', 'name', 'dob', 'homeTown', 'permanentAddress', 'gender', 'doi', 'doe', 'nationality'] },
  cccd_chip_front: { family: CHIP, fields: ['idNumber', 'name', 'dob', 'homeTown', 'permanentAddress', 'gender', 'doe', 'nationality'] },
  cccd_chip_back: { family: CHIP, fields: ['doi', 'placeOfIssue'] },
};

const TWELVE_DIGIT: ReadonlySet<NationalIdType> = new Set(['cmnd_new_front', 'cccd_front', 'cccd_chip_front']);

export const ID_CODES: Record<string, string> = {
  '001': 'Không nhận diện được CMND/ CCCD',
  '044': 'Vui lòng chỉ chụp CMND/ CCCD gốc',
  '045': 'CMND/CCCD chụp từ thiết bị khác',
  '046': 'Không nhận diện được ảnh chân dung trên CMND/CCCD',
  '047': 'CMND/CCCD đã bị cắt góc',
  '048': 'CMND/CCCD bị mờ',
  '049': 'CMND/CCCD bị chói sáng',
  '061': 'CMND/CCCD không hợp lệ',
  '063': 'ID Number Gender Code Invalid',
  '064': 'CMND/CCCD không hợp lệ',
};

/** Quality check key, marker flag and summary code, in the reference sample's key order. */
const QUALITY: readonly [key: string, flag: string, code: string][] = [
  ['faceNotDetected', 'noface', '046'],
  ['blur', 'blur', '048'],
  ['glare', 'glare', '049'],
  // The reference has no code of its own for a partial card; 047 ("cut corner") is the nearest.
  ['partialID', 'partial', '047'],
  ['blackAndWhite', 'bw', '044'],
  ['capturedFromScreen', 'screen', '045'],
];

export interface NationalIdOptions {
  addressSplit: boolean;
  qualityCheck: boolean;
  /** fraudCheck, faceCheck or forgeryCheck: the reference's sample shows all three yield `photoTampered`. */
  tamperCheck: boolean;
}

export interface Summary {
  action: 'pass' | 'Manual Review';
  details: { code: string; message: string }[];
}

/** `flags`: the image's, for a `hostile` detail after the codes'. */
export function idSummary(codes: readonly string[], flags: ReadonlySet<string> = new Set()): Summary {
  const details = [...new Set(codes)]
    .sort()
    .map((code) => ({ code, message: ID_CODES[code] ?? '' }))
    .concat(hostileDetails(flags));
  return { action: details.length > 0 ? 'Manual Review' : 'pass', details };
}

export function nationalIdType(traits: Traits): NationalIdType {
  return NATIONAL_ID_TYPES.find((t) => t === traits.doc) ?? pickBy(unit((traits.content ^ DOC_PICK) >>> 0), NATIONAL_ID_MIX);
}

function datesFor(traits: Traits, person: Person, family: DateRule, today: CalendarDay): CardDates {
  // Seeded by person and card family, so the front and back of one `person=` card agree on their dates.
  const rng = Rng.from(`${traits.personSeed}:${family.name}`);
  return cardDates(rng, person.dob, family.rule, family.window, traits.flags.has('expired'), today);
}

function idNumberFor(person: Person, type: NationalIdType, flags: ReadonlySet<string>): string {
  let id = type === 'cmnd_old_front' ? person.oldIdNumber : person.idNumber;
  if (flags.has('gender-mismatch') && TWELVE_DIGIT.has(type)) {
    const otherSex = SEX[person.gender] === 'male' ? 'female' : 'male';
    id = `${id.slice(0, 3)}${birthDigits(person.dob, otherSex)}${id.slice(6)}`;
  }
  if (flags.has('id-length')) id = id.slice(0, -1);
  return id;
}

export function nationalIdDocument(traits: Traits, type: NationalIdType, opts: NationalIdOptions, today: CalendarDay): { document: object; codes: string[] } {
  const person = personFor(traits.personSeed);
  const side = SIDES[type];
  const { doi, doe } = datesFor(traits, person, side.family, today);
  const w = new FieldWriter(traits.review);
  const flags = traits.flags;
  const idNumber = idNumberFor(person, type, flags);
  const addr = person.address;
  const values: Record<IdField, () => FieldBody> = {
    idNumber: () => w.field('idNumber', idNumber),
    name: () => w.field('name', hostileText(flags, person.name, { formula: true })),
    dob: () => w.field('dob', hostileText(flags, formatDay(person.dob))),
    homeTown: () => w.field('homeTown', person.homeTown),
    permanentAddress: () =>
      w.field(
        'permanentAddress',
        hostileText(flags, addr.value),
        opts.addressSplit ? { province: addr.province, ward: addr.ward, district: addr.district, street: hostileText(flags, addr.street) } : {},
      ),
    gender: () => w.field('gender', person.gender),
    doi: () => w.field('doi', formatDay(doi)),
    doe: () => w.field('doe', doe === null ? NO_EXPIRY : formatDay(doe)),
    placeOfIssue: () => w.field('placeOfIssue', side.family.placeOfIssue(person)),
    ethnicity: () => w.field('ethnicity', person.ethnicity),
    nationality: () => w.field('nationality', 'Việt Nam'),
  };
  const front = side.fields.includes('idNumber');
  const codes: string[] = [];
  const qualityChecks: Record<string, FieldBody> = {};
  if (front && opts.qualityCheck) {
    for (const [key, flag, code] of QUALITY) {
      qualityChecks[key] = w.check(key, flags.has(flag));
      if (flags.has(flag)) codes.push(code);
    }
  }
  const ruleChecks: Record<string, FieldBody> = {};
  if (front) {
    const genderCodeInvalid = TWELVE_DIGIT.has(type) && idNumber.slice(3, 6) !== birthDigits(person.dob, SEX[person.gender]);
    if (TWELVE_DIGIT.has(type)) ruleChecks.idDOBGenderCodeInvalid = w.check('idDOBGenderCodeInvalid', genderCodeInvalid);
    const lengthMismatch = idNumber.length !== 9 && idNumber.length !== 12;
    ruleChecks.idNumberLengthMismatch = w.check('idNumberLengthMismatch', lengthMismatch);
    if (genderCodeInvalid) codes.push('063');
    if (lengthMismatch) codes.push('064');
  }
  if (side.fields.includes('doe') && doe !== null && compareDays(doe, today) < 0) codes.push('061');
  const tamperChecks = front && opts.tamperCheck ? { photoTampered: w.check('photoTampered', false) } : {};
  const fieldsExtracted = Object.fromEntries(side.fields.map((f) => [f, values[f]()]));
  return { document: { fieldsExtracted, qualityChecks, ruleChecks, tamperChecks, type }, codes };
}

// ---- driver licence, passport, registration card -----------------------------------------------------------

// Still issued: their windows end 30 days before today (cardDates clamps every window so).
const DL_DATES: DateRule = { name: 'dl', rule: { kind: 'years', years: 10 }, window: { from: day(2015, 1, 1), to: day(9999, 12, 31) } };
const PASSPORT_DATES: DateRule = { name: 'passport', rule: { kind: 'years', years: 10 }, window: { from: day(2013, 1, 1), to: day(9999, 12, 31) } };

function confidenceRng(traits: Traits, what: string): Rng {
  return Rng.from(`${traits.personSeed}:${traits.content}:${what}`);
}

export function driverLicence(traits: Traits, today: CalendarDay): object {
  const person = personFor(traits.personSeed);
  const { doe } = datesFor(traits, person, DL_DATES, today);
  const w = new FieldWriter(traits.review, confidenceRng(traits, 'dl'));
  const flags = traits.flags;
  return {
    type: 'dl_new_front',
    details: {
      name: w.field('name', hostileText(flags, person.name, { formula: true })),
      dob: w.field('dob', hostileText(flags, formatDay(person.dob, '/'))),
      expiry: w.field('expiry', doe === null ? NO_EXPIRY : formatDay(doe, '/')),
      address: w.field('address', hostileText(flags, person.address.value)),
      nationality: w.field('nationality', 'Việt Nam'),
    },
  };
}

export function passport(traits: Traits, today: CalendarDay): object {
  const person = personFor(traits.personSeed);
  const { doi, doe } = datesFor(traits, person, PASSPORT_DATES, today);
  const w = new FieldWriter(traits.review, confidenceRng(traits, 'passport'));
  return {
    type: 'vn_passport_front',
    details: {
      place_of_issue: w.field('place_of_issue', 'Cục Quản lý xuất nhập cảnh'),
      passport_num: w.field('passport_num', person.passportNumber),
      type: w.field('type', 'P'),
      name: w.field('name', hostileText(traits.flags, person.name, { formula: true })),
      dob: w.field('dob', hostileText(traits.flags, formatDay(person.dob, '/'))),
      gender: w.field('gender', person.gender === 'Nam' ? 'NAM/M' : 'NỮ/F'),
      doe: w.field('doe', doe === null ? NO_EXPIRY : formatDay(doe, '/')),
      doi: w.field('doi', formatDay(doi, '/')),
      country_code: w.field('country_code', 'VNM'),
      place_of_birth: w.field('place_of_birth', provinceTitle(person.birthCode).toUpperCase()),
      nationality: w.field('nationality', 'VIETNAMESE'),
      fraudCheck: { isBlackWhite: w.check('isBlackWhite', traits.flags.has('bw')) },
      id: w.field('id', person.idNumber),
    },
  };
}

const BRANDS = ['HONDA', 'YAMAHA', 'SUZUKI', 'SYM', 'PIAGGIO', 'FUTURE', 'VISION', 'SIRIUS'];
const COLORS = ['Đỏ', 'Xám Đen', 'Trắng', 'Đen', 'Xanh', 'Bạc', 'Đỏ Đen'];
const PLATE_SERIES = 'ABCDEFGHKLMNPSTUVXYZ';
const VIN_CHARS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';

function chars(rng: Rng, alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[rng.int(0, alphabet.length - 1)];
  return s;
}

export function mrcType(traits: Traits): (typeof MRC_TYPES)[number] {
  return MRC_TYPES.find((t) => t === traits.doc) ?? pickBy(unit((traits.content ^ DOC_PICK) >>> 0), MRC_TYPES);
}

/** A motorbike registration card, old (before 2013: short numbers) or new (VIN, dotted plate). */
export function registrationCard(traits: Traits, today: CalendarDay): object {
  const person = personFor(traits.personSeed);
  const type = mrcType(traits);
  const old = type === 'old_register_card_back';
  const rng = Rng.from(`${traits.personSeed}:${traits.content}:mrc`);
  const w = new FieldWriter(traits.review, confidenceRng(traits, 'mrc'));
  const [from, to] = old ? [day(1995, 1, 1), day(2012, 12, 31)] : [day(2013, 1, 1), addDays(today, -30)];
  const first = addDays(from, rng.int(0, daysBetween(from, to)));
  const last = addDays(first, rng.chance(0.5) ? 0 : rng.int(0, daysBetween(first, to)));
  const plateHead = `${rng.int(11, 99)}${chars(rng, PLATE_SERIES, 1)}${rng.int(1, 9)}`;
  const a = person.address;
  return {
    type,
    details: {
      name: w.field('name', hostileText(traits.flags, person.name, { formula: true })),
      address: w.field('address', hostileText(traits.flags, [a.street, a.ward, a.district].join(', '))),
      brand: w.field('brand', rng.pick(BRANDS)),
      // "Loại xe" on a motorbike card: a men's (manual) or women's (step-through) bike.
      kind: w.field('kind', rng.pick(['NAM', 'NỮ'])),
      color: w.field('color', rng.pick(COLORS)),
      'engine-number': w.field('engine-number', old ? rng.digits(7) : chars(rng, VIN_CHARS, 12)),
      'chassis-number': w.field('chassis-number', old ? rng.digits(6) : chars(rng, VIN_CHARS, 17)),
      'number-plate': w.field('number-plate', old ? `${plateHead}-${rng.digits(4)}` : `${plateHead}-${rng.digits(3)}.${rng.digits(2)}`),
      'place-registration': w.field('place-registration', a.province),
      'first-registration-date': w.field('first-registration-date', formatDay(first, '/')),
      'last-registration-date': w.field('last-registration-date', formatDay(last, '/')),
      // Both reference samples read this field empty and to be reviewed: the card's back does not print it.
      'place-of-issue': { ...w.field('place-of-issue', ''), 'to-be-reviewed': 'yes' },
    },
  };
}
