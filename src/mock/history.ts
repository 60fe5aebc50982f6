/**
 * The transaction-history store behind /ekyc/transaction/history. It keeps each answered call's JSON text
 * (already built for the response, so storing costs nothing) and converts it only when someone asks.
 */
import { setBounded } from './bounded.js';
import { formatDateTime, vietnamClock } from './dates.js';
import { presignedUrl } from './storage.js';

export interface HistoryEntry {
  requestId: string;
  apiCode: string;
  status: number;
  at: number;
  /** The response body as sent. */
  json: string;
  /** How many images the call uploaded: one imagePathN each. */
  images: number;
}

export interface Transaction {
  requestTime: string;
  apiCode: string;
  statusCode: string;
  data: string;
  imagePath1?: string;
  imagePath2?: string;
}

const MAX_ENTRIES = 10_000;

/** The history's `data` uses camelCase where live responses use hyphens (the reference's own sample). */
const HISTORY_KEYS: Record<string, string> = { 'to-be-reviewed': 'toBeReviewed', 'match-score': 'matchScore' };

function historySpelling(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(historySpelling);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [HISTORY_KEYS[k] ?? k, historySpelling(v)]));
}

export class History {
  private readonly entries = new Map<string, { apiKey: string; entry: HistoryEntry; order: number }>();
  /** Calls answered within the same millisecond keep the order they came in. */
  private added = 0;

  add(apiKey: string, entry: HistoryEntry): void {
    setBounded(this.entries, entry.requestId, { apiKey, entry, order: ++this.added }, MAX_ENTRIES);
  }

  /** The caller's own calls among `requestIds`, most recent first; unknown ids are simply absent. */
  find(apiKey: string, requestIds: readonly string[]): Transaction[] {
    return [...new Set(requestIds)]
      .flatMap((id) => {
        const found = this.entries.get(id);
        return found?.apiKey === apiKey ? [found] : [];
      })
      .sort((a, b) => b.entry.at - a.entry.at || b.order - a.order)
      .map(({ entry }) => transaction(entry));
  }
}

function transaction(entry: HistoryEntry): Transaction {
  const signedAt = new Date(entry.at);
  const tx: Transaction = {
    requestTime: formatDateTime(vietnamClock(entry.at)),
    apiCode: entry.apiCode,
    statusCode: String(entry.status),
    data: JSON.stringify(historySpelling(JSON.parse(entry.json))),
  };
  if (entry.images >= 1) tx.imagePath1 = presignedUrl(`ekyc-transaction/${entry.requestId}/image1.jpg`, signedAt);
  if (entry.images >= 2) tx.imagePath2 = presignedUrl(`ekyc-transaction/${entry.requestId}/image2.jpg`, signedAt);
  return tx;
}
