/**
 * The codes the FinOS eKYC API puts in `summary.details` and the document type codes it returns, with the
 * reference's Vietnamese text (verbatim, spacing included) and an English rendering.
 *
 * National ID codes: reference section "4. Object SUMMARY in response" (check types as the reference names them;
 * 001 has none there). Liveness codes: the Passive Liveness Check's section "6. Summary Details Error".
 */

export interface SummaryCode {
  /** The message as the reference gives it (063 is in English there). */
  vi: string;
  en: string;
  /** Which check raises it. */
  check: string;
}

export const SUMMARY_CODES: ReadonlyMap<string, SummaryCode> = new Map<string, SummaryCode>([
  // National ID OCR (readID)
  ['001', { vi: 'Không nhận diện được CMND/ CCCD', en: 'ID card not recognised in the image', check: 'Detection' }],
  ['044', { vi: 'Vui lòng chỉ chụp CMND/ CCCD gốc', en: 'Photograph the original ID card only, not a copy', check: 'Quality Check' }],
  ['045', { vi: 'CMND/CCCD chụp từ thiết bị khác', en: 'ID card photographed from another device’s screen', check: 'Quality Check' }],
  ['046', { vi: 'Không nhận diện được ảnh chân dung trên CMND/CCCD', en: 'Portrait photo on the ID card not detected', check: 'Quality Check' }],
  ['047', { vi: 'CMND/CCCD đã bị cắt góc', en: 'ID card has a cut corner', check: 'Quality Check' }],
  ['048', { vi: 'CMND/CCCD bị mờ', en: 'ID card image is blurred', check: 'Quality Check' }],
  ['049', { vi: 'CMND/CCCD bị chói sáng', en: 'ID card image has glare', check: 'Quality Check' }],
  ['061', { vi: 'CMND/CCCD không hợp lệ', en: 'ID card not valid: date of expiry check failed', check: 'Rule Check - Date Of Expiry Validation' }],
  [
    '063',
    {
      vi: 'ID Number Gender Code Invalid',
      en: 'ID number’s birth-year/sex digits do not match the date of birth or sex',
      check: 'Rule Check - Year Of Birth & Gender Code Validation',
    },
  ],
  [
    '064',
    {
      vi: 'CMND/CCCD không hợp lệ',
      en: 'ID card not valid: the ID number is not 9 or 12 digits',
      check: 'Rule Check - ID Number Validation (Length of ID number is either 9 or 12 digits)',
    },
  ],
  // Passive liveness
  ['111', { vi: 'Ảnh được chụp từ thiết bị khác', en: 'Selfie captured from another device (not live)', check: 'Liveness Check' }],
  ['112', { vi: 'Có nhiều hơn một khuôn mặt trong ảnh chụp', en: 'More than one face in the selfie', check: 'Quality Check' }],
  ['113', { vi: 'Bạn đã nhắm mắt khi chụp ảnh', en: 'Eyes closed in the selfie', check: 'Quality Check' }],
  ['114', { vi: 'Khuôn mặt bị che khuất', en: 'Face is covered (mask or other obstruction)', check: 'Quality Check' }],
  ['115', { vi: 'Ảnh chụp chân dung bị mờ, nhòe', en: 'Selfie is blurred or smeared', check: 'Quality Check' }],
]);

/** The entry for a summary code (`'048'`), or `undefined` for a code the reference does not list. */
export function explainCode(code: string): SummaryCode | undefined {
  return SUMMARY_CODES.get(code.trim());
}

export interface DocumentTypeName {
  vi: string;
  en: string;
}

/** Every document type code the reference names. */
export const DOCUMENT_TYPES: ReadonlyMap<string, DocumentTypeName> = new Map<string, DocumentTypeName>([
  ['cmnd_old_front', { en: 'Old National ID (9-digit CMND), front', vi: 'CMND cũ (9 số), mặt trước' }],
  ['cmnd_old_back', { en: 'Old National ID (9-digit CMND), back', vi: 'CMND cũ (9 số), mặt sau' }],
  ['cmnd_new_front', { en: 'New National ID (12-digit CMND), front', vi: 'CMND mới (12 số), mặt trước' }],
  ['cccd_front', { en: 'Citizen ID, front', vi: 'CCCD, mặt trước' }],
  ['cmnd_new_cccd_back', { en: 'New National ID / Citizen ID, back', vi: 'CMND mới / CCCD, mặt sau' }],
  ['cccd_chip_front', { en: 'Chip Citizen ID, front', vi: 'CCCD gắn chip, mặt trước' }],
  ['cccd_chip_back', { en: 'Chip Citizen ID, back', vi: 'CCCD gắn chip, mặt sau' }],
  ['dl_new_front', { en: 'Driver licence (new card), front', vi: 'Giấy phép lái xe (mẫu mới), mặt trước' }],
  ['vn_passport_front', { en: 'Vietnamese passport, data page', vi: 'Hộ chiếu Việt Nam, trang thông tin' }],
  ['old_register_card_back', { en: 'Motorbike registration certificate (old form), back', vi: 'Giấy đăng ký xe mô tô (mẫu cũ), mặt sau' }],
  ['new_register_card_back', { en: 'Motorbike registration certificate (new form), back', vi: 'Giấy đăng ký xe mô tô (mẫu mới), mặt sau' }],
]);

/** A document type's name in `lang`, or the code itself when the reference does not list it. */
export function documentTypeName(code: string, lang: 'en' | 'vi' = 'en'): string {
  return DOCUMENT_TYPES.get(code)?.[lang] ?? code;
}
