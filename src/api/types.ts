/**
 * The normalized, typed view of every FinOS response (`ApiResponse.data`).
 * The raw body is always kept beside it (`ApiResponse.body`), so nothing the API said is lost
 * by normalizing; these types only remove the vendor's spelling variants.
 */

import type { Preparation } from './image.js';

/** One extracted or checked value. `review` is the API's `to-be-reviewed` / `toBeReviewed` flag. */
export interface Field {
  value: string;
  review: boolean;
  conf?: number;
  /** Extra string parts the API splits out of a value (permanentAddress: province, district, ward, street). */
  parts?: Record<string, string>;
}

export type FieldMap = Record<string, Field>;

export interface SummaryDetail {
  code: string;
  message: string;
}

/** The API's `summary` object. `action` is normalized; `rawAction` keeps what the API said. */
export interface Summary {
  action: 'pass' | 'review';
  rawAction: string;
  details: SummaryDetail[];
}

/** One recognised side of a document (an ID card side, a licence, a passport page, an MRC side). */
export interface OcrDocument {
  /** The API's type code, e.g. `cccd_chip_front`, `dl_new_front`, `vn_passport_front`, `old_register_card_back`. */
  type: string;
  fields: FieldMap;
  /** Check groups by the API's own group names: qualityChecks, ruleChecks, tamperChecks, fraudCheck. */
  checks: Record<string, FieldMap>;
}

export interface OcrResult {
  documents: OcrDocument[];
  /** Only the national-ID endpoint returns a summary. */
  summary?: Summary;
}

export interface FaceCompareResult {
  match: boolean;
  /** 0–100 similarity; the API sends it as match_score, match-score or matchScore. */
  score: number;
  conf?: number;
  review: boolean;
}

export interface LivenessResult {
  live: boolean;
  review: boolean;
  qualityChecks: FieldMap;
  summary?: Summary;
}

export interface IndexedFace {
  milvusId: string;
  idNumber: string;
  /** Presigned URL that opens the citizen's photo: never print it unless asked. */
  facePath: string;
  indexingTime: string;
}

export interface FaceMatch extends IndexedFace {
  /** 0–100, the API's `similar`. */
  similarity: number;
}

export interface SearchResult {
  matches: FaceMatch[];
}

export interface Transaction {
  requestTime: string;
  apiCode: string;
  statusCode: string;
  /** `data` decoded from the JSON string the API sends; the string itself when it is not JSON. */
  data: unknown;
  /** Presigned URLs of the images (imagePath1, imagePath2): personal data, never printed unless asked. */
  imagePaths: string[];
}

export interface HistoryResult {
  transactions: Transaction[];
}

/** What every client call resolves to. */
export interface ApiResponse<T> {
  httpStatus: number;
  /** The API's requestId ('' when the API did not send one). */
  requestId: string;
  /** The transactionId the API echoed, else the one we sent, else ''. */
  transactionId: string;
  /** The JSON body exactly as received. */
  body: unknown;
  data: T;
  /** The images that were converted, turned upright or shrunk before sending (`prepare`), by form field. */
  prepared?: (Preparation & { field: string })[];
}
