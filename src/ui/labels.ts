/**
 * The words people read, in Vietnamese or English (`--lang`): table headings, field and check names, verdicts,
 * summaries, progress. Data never changes with the language: JSON, NDJSON and CSV keep the API's own keys.
 * The HTML report (src/ui/report) takes its field names and outcome words from here too.
 */
import type { Outcome } from '../batch/results.js';
import type { Lang } from '../config/settings.js';

export type { Lang };

type Pair = Readonly<Record<Lang, string>>;

/**
 * The API's field, check and check-group names (src/api/schemas.ts, the vendor reference's samples) as a person
 * reads them. A name not listed here is shown as the API spells it.
 */
export const FIELD_NAMES: ReadonlyMap<string, Pair> = new Map<string, Pair>([
  // National ID (CMND / CCCD)
  ['idNumber', { vi: 'Số định danh', en: 'ID number' }],
  ['name', { vi: 'Họ và tên', en: 'Full name' }],
  ['dob', { vi: 'Ngày sinh', en: 'Date of birth' }],
  ['gender', { vi: 'Giới tính', en: 'Sex' }],
  ['nationality', { vi: 'Quốc tịch', en: 'Nationality' }],
  ['ethnicity', { vi: 'Dân tộc', en: 'Ethnicity' }],
  ['homeTown', { vi: 'Quê quán', en: 'Place of origin' }],
  ['permanentAddress', { vi: 'Nơi thường trú', en: 'Permanent address' }],
  ['province', { vi: 'Tỉnh/thành phố', en: 'Province' }],
  ['district', { vi: 'Quận/huyện', en: 'District' }],
  ['ward', { vi: 'Phường/xã', en: 'Ward' }],
  ['street', { vi: 'Số nhà, đường', en: 'Street' }],
  ['doi', { vi: 'Ngày cấp', en: 'Date of issue' }],
  ['doe', { vi: 'Có giá trị đến', en: 'Date of expiry' }],
  ['placeOfIssue', { vi: 'Nơi cấp', en: 'Place of issue' }],
  // Driver licence, passport, motorbike registration
  ['expiry', { vi: 'Có giá trị đến', en: 'Date of expiry' }],
  ['address', { vi: 'Địa chỉ', en: 'Address' }],
  ['place_of_issue', { vi: 'Nơi cấp', en: 'Place of issue' }],
  ['passport_num', { vi: 'Số hộ chiếu', en: 'Passport number' }],
  ['type', { vi: 'Loại', en: 'Type' }],
  ['country_code', { vi: 'Mã quốc gia', en: 'Country code' }],
  ['place_of_birth', { vi: 'Nơi sinh', en: 'Place of birth' }],
  ['id', { vi: 'Số định danh', en: 'ID number' }],
  ['brand', { vi: 'Nhãn hiệu', en: 'Make' }],
  ['kind', { vi: 'Loại xe', en: 'Type of vehicle' }],
  ['color', { vi: 'Màu sơn', en: 'Colour' }],
  ['engine-number', { vi: 'Số máy', en: 'Engine number' }],
  ['chassis-number', { vi: 'Số khung', en: 'Chassis number' }],
  ['number-plate', { vi: 'Biển số', en: 'Number plate' }],
  ['place-registration', { vi: 'Nơi đăng ký', en: 'Place of registration' }],
  ['first-registration-date', { vi: 'Ngày đăng ký lần đầu', en: 'First registered on' }],
  ['last-registration-date', { vi: 'Ngày đăng ký gần nhất', en: 'Last registered on' }],
  ['place-of-issue', { vi: 'Nơi cấp', en: 'Place of issue' }],
  // Check groups and checks
  ['qualityChecks', { vi: 'Kiểm tra chất lượng ảnh', en: 'Quality checks' }],
  ['ruleChecks', { vi: 'Kiểm tra quy tắc', en: 'Rule checks' }],
  ['tamperChecks', { vi: 'Kiểm tra chỉnh sửa ảnh', en: 'Tamper checks' }],
  ['fraudCheck', { vi: 'Kiểm tra gian lận', en: 'Fraud checks' }],
  ['faceNotDetected', { vi: 'Không thấy ảnh chân dung', en: 'Portrait not detected' }],
  ['blur', { vi: 'Ảnh bị mờ', en: 'Blurred' }],
  ['glare', { vi: 'Ảnh bị chói sáng', en: 'Glare' }],
  ['partialID', { vi: 'Giấy tờ bị cắt mất một phần', en: 'Part of the card cut off' }],
  ['blackAndWhite', { vi: 'Bản sao đen trắng', en: 'Black-and-white copy' }],
  ['isBlackWhite', { vi: 'Bản sao đen trắng', en: 'Black-and-white copy' }],
  ['capturedFromScreen', { vi: 'Chụp lại từ màn hình', en: 'Captured from a screen' }],
  ['idDOBGenderCodeInvalid', { vi: 'Mã năm sinh, giới tính trong số định danh không khớp', en: 'Birth-year/sex code of the ID number does not match' }],
  ['idNumberLengthMismatch', { vi: 'Số định danh sai độ dài', en: 'ID number of the wrong length' }],
  ['photoTampered', { vi: 'Ảnh chân dung bị chỉnh sửa', en: 'Portrait tampered with' }],
  // Liveness, face compare, face indexing and search
  ['liveFace', { vi: 'Khuôn mặt thật', en: 'Live face' }],
  ['eyesClosed', { vi: 'Nhắm mắt', en: 'Eyes closed' }],
  ['maskPresent', { vi: 'Đeo khẩu trang', en: 'Mask present' }],
  ['multipleFaces', { vi: 'Nhiều khuôn mặt', en: 'Several faces' }],
  ['match', { vi: 'Khớp', en: 'Match' }],
  ['match-score', { vi: 'Điểm so khớp', en: 'Score' }],
  ['conf', { vi: 'Độ tin cậy', en: 'Confidence' }],
  ['milvusId', { vi: 'Milvus ID', en: 'Milvus ID' }],
  ['indexingTime', { vi: 'Thời điểm lập chỉ mục', en: 'Indexed on' }],
  ['similar', { vi: 'Độ tương đồng', en: 'Similarity' }],
]);

/** A field, check or group name in `lang`; the API's own name when it has no label. */
export function fieldName(key: string, lang: Lang = 'en'): string {
  return FIELD_NAMES.get(key)?.[lang] ?? key;
}

/** Every word of the terminal output, other than field names. */
export interface Labels {
  lang: Lang;
  /** `fieldName` in this language. */
  fieldName(key: string): string;
  field: string;
  value: string;
  review: string;
  check: string;
  result: string;
  /** Marks a field or check the API flagged to be reviewed. */
  reviewMark: string;
  /** A check in a problem group that answered yes (blur: yes). */
  problemMark: string;
  yes: string;
  no: string;
  summary: string;
  pass: string;
  manualReview: string;
  threshold: string;
  live: string;
  noMatches: string;
  noTransactions: string;
  status: string;
  urlsHidden: Record<'face' | 'image', string>;
  localChecks: string;
  /** Batch and results summaries, and the report: a count of each outcome. */
  outcome: Record<Outcome, string>;
  alreadyDone: string;
  total: string;
  duration: string;
  throughput: string;
  perSecond: string;
  /** The progress line (`ok 10 · review 1 · failed 1 · 2.3 req/s · ETA 02:23`). */
  progress: { ok: string; review: string; failed: string; eta: string };
  /** `results summary`. */
  records: string;
  linesSkipped: string;
  callTime: string;
  meanCall: string;
  oneWorker: string;
  summaryCode: string;
  flagged: string;
}

type Phrases = Omit<Labels, 'lang' | 'fieldName'>;

const EN: Phrases = {
  field: 'Field',
  value: 'Value',
  review: 'Review',
  check: 'Check',
  result: 'Result',
  reviewMark: '⚠ review',
  problemMark: '✗ yes',
  yes: 'yes',
  no: 'no',
  summary: 'Summary:',
  pass: 'PASS',
  manualReview: 'MANUAL REVIEW',
  threshold: 'Threshold',
  live: 'Live',
  noMatches: 'No matching faces.',
  noTransactions: 'No transactions found.',
  status: 'status',
  urlsHidden: { face: '(face URLs hidden; --show-urls to print them)', image: '(image URLs hidden; --show-urls to print them)' },
  localChecks: 'Local checks (Vietnamese document rules):',
  outcome: { ok: 'OK', review: 'Manual review', not_detected: 'Not detected', failed: 'Failed', skipped: 'Skipped (pre-flight)' },
  alreadyDone: 'Already done',
  total: 'Total',
  duration: 'Duration',
  throughput: 'Throughput',
  perSecond: 'req/s',
  progress: { ok: 'ok', review: 'review', failed: 'failed', eta: 'ETA' },
  records: 'Records',
  linesSkipped: 'Lines skipped (not records)',
  callTime: 'Call time (sum of durationMs)',
  meanCall: 'Mean per call',
  oneWorker: 'Throughput (one worker)',
  summaryCode: 'Review: code',
  flagged: 'Review: flagged',
};

const VI: Phrases = {
  field: 'Trường',
  value: 'Giá trị',
  review: 'Xem lại',
  check: 'Kiểm tra',
  result: 'Kết quả',
  reviewMark: '⚠ cần xem lại',
  problemMark: '✗ có',
  yes: 'có',
  no: 'không',
  summary: 'Kết luận:',
  pass: 'ĐẠT',
  manualReview: 'CẦN KIỂM TRA THỦ CÔNG',
  threshold: 'Ngưỡng',
  live: 'Người thật',
  noMatches: 'Không tìm thấy khuôn mặt nào khớp.',
  noTransactions: 'Không tìm thấy giao dịch nào.',
  status: 'trạng thái',
  urlsHidden: {
    face: '(đã ẩn đường dẫn ảnh khuôn mặt; dùng --show-urls để hiện)',
    image: '(đã ẩn đường dẫn ảnh; dùng --show-urls để hiện)',
  },
  localChecks: 'Kiểm tra tại máy (quy định về giấy tờ Việt Nam):',
  outcome: { ok: 'Đạt', review: 'Cần kiểm tra thủ công', not_detected: 'Không nhận diện được', failed: 'Lỗi', skipped: 'Bỏ qua (kiểm tra trước khi gửi)' },
  alreadyDone: 'Đã xong từ trước',
  total: 'Tổng',
  duration: 'Thời gian',
  throughput: 'Tốc độ',
  perSecond: 'yêu cầu/giây',
  progress: { ok: 'đạt', review: 'xem lại', failed: 'lỗi', eta: 'còn' },
  records: 'Bản ghi',
  linesSkipped: 'Dòng bỏ qua (không phải bản ghi)',
  callTime: 'Thời gian gọi (tổng durationMs)',
  meanCall: 'Trung bình mỗi lần gọi',
  oneWorker: 'Tốc độ (một luồng)',
  summaryCode: 'Xem lại: mã',
  flagged: 'Xem lại: trường',
};

const LABELS: Record<Lang, Labels> = {
  en: { ...EN, lang: 'en', fieldName: (key) => fieldName(key, 'en') },
  vi: { ...VI, lang: 'vi', fieldName: (key) => fieldName(key, 'vi') },
};

/** The labels for `lang`; English when none is given (a library caller, a test). */
export function labelsFor(lang: Lang = 'en'): Labels {
  return LABELS[lang];
}
