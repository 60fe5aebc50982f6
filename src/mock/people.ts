/**
 * Deterministic synthetic Vietnamese people: a name, a birth date and a 12-digit ID number that agree with
 * each other as the shared vn-id-rules.md says (province code, century-and-sex digit with even = male, birth
 * year), and card dates that follow its expiry rules. Everything is a pure function of a seed string.
 */
import { PROVINCES } from '../vn/provinces.js';
import { addDays, addYears, daysBetween, utcDate } from './dates.js';
import { Rng } from './random.js';

export type Gender = 'Nam' | 'Nữ';

export interface Address {
  street: string;
  ward: string;
  district: string;
  province: string;
  /** The address as printed: street, ward, district, province, with their administrative prefixes. */
  value: string;
}

export interface Person {
  /** Upper case, as printed on cards. */
  name: string;
  gender: Gender;
  dob: Date;
  /** Province code where the birth was registered: the ID number's first three digits. */
  birthCode: string;
  idNumber: string;
  /** The old 9-digit CMND number. */
  oldIdNumber: string;
  passportNumber: string;
  homeTown: string;
  address: Address;
  ethnicity: string;
}

const FAMILY = ['Nguyễn', 'Nguyễn', 'Nguyễn', 'Trần', 'Trần', 'Lê', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
const MIDDLE: Record<Gender, readonly string[]> = {
  Nam: ['Văn', 'Văn', 'Hữu', 'Đức', 'Minh', 'Quang', 'Thành', 'Công', 'Xuân', 'Hoàng', 'Tuấn'],
  Nữ: ['Thị', 'Thị', 'Ngọc', 'Thu', 'Thanh', 'Minh', 'Phương', 'Kim', 'Bảo', 'Hồng', 'Mỹ'],
};
const GIVEN: Record<Gender, readonly string[]> = {
  Nam: ['Anh', 'Bảo', 'Cường', 'Dũng', 'Đạt', 'Hiếu', 'Hùng', 'Huy', 'Khánh', 'Khoa', 'Long', 'Nam', 'Phúc', 'Quân', 'Sơn', 'Tài', 'Thắng', 'Trung', 'Tuấn', 'Việt'],
  Nữ: ['Anh', 'Chi', 'Diệp', 'Hà', 'Hạnh', 'Hằng', 'Hương', 'Lan', 'Linh', 'Mai', 'Ngân', 'Nhung', 'Phương', 'Quỳnh', 'Thảo', 'Thủy', 'Trang', 'Tuyết', 'Vy', 'Yến'],
};
const ETHNICITIES = ['Kinh', 'Kinh', 'Kinh', 'Kinh', 'Kinh', 'Kinh', 'Kinh', 'Kinh', 'Tày', 'Thái', 'Mường', 'Khmer', 'Hoa', 'Nùng', "H'Mông"];
const PLACE_NAMES = ['An Bình', 'Tân Phú', 'Hòa Lợi', 'Phú Mỹ', 'Thanh Lang', 'Nghĩa Tân', 'Quang Trung', 'Tân Định', 'Trung Hòa', 'Hòa Khánh', 'Long Thạnh', 'Đông Hòa', 'Tân Thành', 'Vĩnh Phúc', 'Thái Hòa', 'Phước Long', 'Yên Sở', 'Mỹ Đình', 'Hiệp Phước', 'Thạch Bàn'];
const DISTRICT_NAMES = ['Châu Thành', 'Thanh Hà', 'Cầu Giấy', 'Bình Thạnh', 'Tân Uyên', 'Gia Lâm', 'Hải Châu', 'Ninh Kiều', 'Phú Lộc', 'Đông Anh', 'Hòa Vang', 'Long Thành', 'Yên Lạc', 'Thủ Đức', 'Kiến Thụy', 'Tiên Du'];
const STREETS = ['Trần Hưng Đạo', 'Lê Lợi', 'Nguyễn Trãi', 'Hai Bà Trưng', 'Chu Văn An', 'Lý Thường Kiệt', 'Nguyễn Huệ', 'Phan Đình Phùng', 'Điện Biên Phủ', 'Lê Duẩn', 'Hùng Vương', 'Võ Thị Sáu'];
/** Centrally governed cities: "Thành phố", urban districts ("Quận") and wards ("Phường"). */
const CITY_CODES = new Set(['001', '031', '048', '079', '092']);
const PROVINCE_CODES = [...PROVINCES.keys()];

export function provinceName(code: string): string {
  return PROVINCES.get(code)?.name ?? code;
}

/** "Tỉnh Nam Định", "Thành phố Hà Nội". */
export function provinceTitle(code: string): string {
  return `${CITY_CODES.has(code) ? 'Thành phố' : 'Tỉnh'} ${provinceName(code)}`;
}

function address(rng: Rng, code: string): Address {
  const urban = CITY_CODES.has(code) || rng.chance(0.3);
  const ward = urban && rng.chance(0.4) ? String(rng.int(1, 15)) : rng.pick(PLACE_NAMES);
  const district = rng.pick(DISTRICT_NAMES);
  const street = urban ? `${rng.int(1, 199)}${rng.chance(0.3) ? `/${rng.int(1, 60)}` : ''} ${rng.pick(STREETS)}` : `Thôn ${rng.pick(['Đông', 'Tây', 'Nam', 'Bắc', 'Trung', 'Thượng', 'Hạ'])}`;
  const value = [street, `${urban ? 'Phường' : 'Xã'} ${ward}`, `${urban ? 'Quận' : 'Huyện'} ${district}`, provinceTitle(code)].join(', ');
  return { street, ward, district, province: provinceName(code), value };
}

/** Digit 4 of the ID number: the century of birth and the sex, even = male (Decree 137/2015, Circular 07/2016). */
export function centurySexDigit(year: number, gender: Gender): number {
  return 2 * Math.floor((year - 1900) / 100) + (gender === 'Nữ' ? 1 : 0);
}

export function personFor(seed: string): Person {
  const rng = Rng.from(`person:${seed}`);
  const gender: Gender = rng.chance(0.5) ? 'Nam' : 'Nữ';
  // Born by 2000, everyone is past their 25th birthday: an `expired` chip card can always follow the rules.
  const dob = addDays(utcDate(1962, 1, 1), rng.int(0, daysBetween(utcDate(1962, 1, 1), utcDate(2000, 12, 31))));
  const year = dob.getUTCFullYear();
  const birthCode = rng.pick(PROVINCE_CODES);
  const homeCode = rng.chance(0.7) ? birthCode : rng.pick(PROVINCE_CODES);
  const home = address(rng, homeCode);
  const name = `${rng.pick(FAMILY)} ${rng.pick(MIDDLE[gender])} ${rng.pick(GIVEN[gender])}`.toUpperCase();
  return {
    name,
    gender,
    dob,
    birthCode,
    idNumber: `${birthCode}${centurySexDigit(year, gender)}${String(year % 100).padStart(2, '0')}${rng.digits(6)}`,
    // The 9-digit prefix names the issuing police, shared between provinces: no table to be faithful to.
    oldIdNumber: `${rng.int(1, 38).toString().padStart(2, '0')}${rng.digits(7)}`,
    passportNumber: `${rng.pick(['B', 'C', 'N'])}${rng.digits(7)}`,
    homeTown: home.value.split(', ').slice(1).join(', '),
    address: rng.chance(0.6) ? home : address(rng, rng.pick(PROVINCE_CODES)),
    ethnicity: rng.pick(ETHNICITIES),
  };
}

/**
 * How a card's expiry follows from its issue date: CCCD cards by the age milestones 25/40/60 (Law 2014
 * art. 21: a card issued within two years before a milestone is valid until the next one; from 58 on, for
 * life), everything else a fixed number of years after issue.
 */
export type ExpiryRule = { kind: 'milestones' } | { kind: 'years'; years: number };

export interface IssueWindow {
  from: Date;
  to: Date;
}

export interface CardDates {
  doi: Date;
  /** null: valid for life. */
  doe: Date | null;
}

const MILESTONES = [25, 40, 60];

/** The expected CCCD expiry: dob + m for the smallest milestone m with doi < dob + (m − 2) years. */
export function milestoneExpiry(dob: Date, doi: Date): Date | null {
  const m = MILESTONES.find((age) => doi < addYears(dob, age - 2));
  return m === undefined ? null : addYears(dob, m);
}

interface Span {
  from: Date;
  to: Date;
  expired: boolean;
}

/** The issue periods within `window` that share one expiry, each marked with whether that expiry has passed. */
function spansOf(dob: Date, rule: ExpiryRule, window: IssueWindow, today: Date): Span[] {
  const from = window.from > addYears(dob, 14) ? window.from : addYears(dob, 14);
  const spans: Span[] = [];
  const push = (a: Date, b: Date, expired: boolean): void => {
    const lo = a > from ? a : from;
    const hi = b < window.to ? b : window.to;
    if (lo <= hi) spans.push({ from: lo, to: hi, expired });
  };
  if (rule.kind === 'milestones') {
    let start = from;
    for (const m of MILESTONES) {
      push(start, addDays(addYears(dob, m - 2), -1), addYears(dob, m) <= today);
      start = addYears(dob, m - 2);
    }
    push(start, window.to, false);
  } else {
    const lastExpiredIssue = addYears(today, -rule.years);
    push(from, lastExpiredIssue, true);
    push(addDays(lastExpiredIssue, 1), window.to, false);
  }
  return spans;
}

/**
 * An issue date inside the card type's issuing window and the holder's life, chosen so that the card is valid
 * on `today`, or expired when asked. When the window cannot give the wanted validity (a holder too young for
 * it), the rule still decides the expiry and only the window is given up: an expired card must show it.
 */
export function cardDates(rng: Rng, dob: Date, rule: ExpiryRule, window: IssueWindow, wantExpired: boolean, today: Date): CardDates {
  const inWindow = spansOf(dob, rule, window, today);
  const lifetime = spansOf(dob, rule, { from: dob, to: addDays(today, -30) }, today);
  const wanted = (spans: Span[]): Span[] => spans.filter((s) => s.expired === wantExpired);
  const candidates = [wanted(inWindow), wanted(lifetime), inWindow, lifetime].find((spans) => spans.length > 0);
  const span = rng.pick(candidates ?? [{ from: window.to, to: window.to, expired: false }]);
  const doi = addDays(span.from, rng.int(0, daysBetween(span.from, span.to)));
  return { doi, doe: rule.kind === 'milestones' ? milestoneExpiry(dob, doi) : addYears(doi, rule.years) };
}
