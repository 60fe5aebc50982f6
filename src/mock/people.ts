/**
 * Deterministic synthetic Vietnamese people: a name, a birth date and a 12-digit ID number that agree with
 * each other as shared/domain/vn-id-rules.md says (province code, century-and-sex digit with even = male, birth
 * year), and card dates that follow its expiry rules. Everything is a pure function of a seed string.
 */
import { addDays, addYears, compareDays, daysBetween, type CalendarDay } from '../vn/dates.js';
import { CCCD_MILESTONES, milestoneExpiry } from '../vn/expiry.js';
import { centurySexDigit, type Sex } from '../vn/id-number.js';
import { PROVINCES } from '../vn/provinces.js';
import { Rng } from './random.js';

export type Gender = 'Nam' | 'Nữ';

export const SEX: Readonly<Record<Gender, Sex>> = { Nam: 'male', Nữ: 'female' };

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
  dob: CalendarDay;
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

/** Digits 4–6 of a 12-digit ID number: the century-and-sex digit, then the birth year's last two digits. */
export function birthDigits(dob: CalendarDay, sex: Sex): string {
  return `${centurySexDigit(dob.year, sex)}${String(dob.year % 100).padStart(2, '0')}`;
}

// Born by 2000, everyone is past their 25th birthday: an `expired` chip card can always follow the rules.
const FIRST_DOB: CalendarDay = { year: 1962, month: 1, day: 1 };
const LAST_DOB: CalendarDay = { year: 2000, month: 12, day: 31 };

export function personFor(seed: string): Person {
  const rng = Rng.from(`person:${seed}`);
  const gender: Gender = rng.chance(0.5) ? 'Nam' : 'Nữ';
  const dob = addDays(FIRST_DOB, rng.int(0, daysBetween(FIRST_DOB, LAST_DOB)));
  const birthCode = rng.pick(PROVINCE_CODES);
  const homeCode = rng.chance(0.7) ? birthCode : rng.pick(PROVINCE_CODES);
  const home = address(rng, homeCode);
  const name = `${rng.pick(FAMILY)} ${rng.pick(MIDDLE[gender])} ${rng.pick(GIVEN[gender])}`.toUpperCase();
  return {
    name,
    gender,
    dob,
    birthCode,
    idNumber: `${birthCode}${birthDigits(dob, SEX[gender])}${rng.digits(6)}`,
    // The 9-digit prefix names the issuing police, shared between provinces: no table to be faithful to.
    oldIdNumber: `${rng.int(1, 38).toString().padStart(2, '0')}${rng.digits(7)}`,
    passportNumber: `${rng.pick(['B', 'C', 'N'])}${rng.digits(7)}`,
    homeTown: home.value.split(', ').slice(1).join(', '),
    address: rng.chance(0.6) ? home : address(rng, rng.pick(PROVINCE_CODES)),
    ethnicity: rng.pick(ETHNICITIES),
  };
}

/**
 * How a card's expiry follows from its issue date: CCCD cards by the age milestones 25/40/60 (src/vn's
 * milestoneExpiry), everything else a fixed number of years after issue.
 */
export type ExpiryRule = { kind: 'milestones' } | { kind: 'years'; years: number };

export interface IssueWindow {
  from: CalendarDay;
  to: CalendarDay;
}

export interface CardDates {
  doi: CalendarDay;
  /** null: valid for life. */
  doe: CalendarDay | null;
}

const later = (a: CalendarDay, b: CalendarDay): CalendarDay => (compareDays(a, b) >= 0 ? a : b);
const earlier = (a: CalendarDay, b: CalendarDay): CalendarDay => (compareDays(a, b) <= 0 ? a : b);

function expiryOf(dob: CalendarDay, rule: ExpiryRule, doi: CalendarDay): CalendarDay | null {
  if (rule.kind === 'years') return addYears(doi, rule.years);
  return milestoneExpiry(dob, doi, 'cccd')?.expiry ?? null;
}

/** The days from which a card issued later gets a different expiry, or one on the other side of `today`. */
function expiryChanges(dob: CalendarDay, rule: ExpiryRule, today: CalendarDay): CalendarDay[] {
  return rule.kind === 'milestones' ? CCCD_MILESTONES.map((m) => addYears(dob, m - 2)) : [addYears(today, -rule.years)];
}

interface Span {
  from: CalendarDay;
  to: CalendarDay;
  expired: boolean;
}

/** The issue periods within `window` (from age 14 on) that share one expiry, each marked with whether it is past. */
function spansOf(dob: CalendarDay, rule: ExpiryRule, window: IssueWindow, today: CalendarDay): Span[] {
  const spans: Span[] = [];
  let from = later(window.from, addYears(dob, 14));
  for (const next of [...expiryChanges(dob, rule, today), addDays(window.to, 1)]) {
    const to = earlier(addDays(next, -1), window.to);
    if (compareDays(from, to) <= 0) {
      const doe = expiryOf(dob, rule, from);
      spans.push({ from, to, expired: doe !== null && compareDays(doe, today) < 0 });
    }
    from = later(from, next);
  }
  return spans;
}

/**
 * An issue date inside the card type's issuing window and the holder's life, chosen so that the card is valid
 * on `today`, or expired when asked. When the window cannot give the wanted validity (a holder too young for
 * it), the rule still decides the expiry and only the window is given up: an expired card must show it.
 */
export function cardDates(rng: Rng, dob: CalendarDay, rule: ExpiryRule, window: IssueWindow, wantExpired: boolean, today: CalendarDay): CardDates {
  // The windows of documents still issued are open-ended: every window, and the holder's life, ends 30 days ago.
  const lastIssue = addDays(today, -30);
  const inWindow = spansOf(dob, rule, { from: window.from, to: earlier(window.to, lastIssue) }, today);
  const lifetime = spansOf(dob, rule, { from: dob, to: lastIssue }, today);
  const wanted = (spans: Span[]): Span[] => spans.filter((s) => s.expired === wantExpired);
  const candidates = [wanted(inWindow), wanted(lifetime), inWindow, lifetime].find((spans) => spans.length > 0);
  const span = rng.pick(candidates ?? [{ from: lastIssue, to: lastIssue, expired: false }]);
  const doi = addDays(span.from, rng.int(0, daysBetween(span.from, span.to)));
  return { doi, doe: expiryOf(dob, rule, doi) };
}
