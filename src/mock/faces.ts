/**
 * Face identity, similarity and the recognition service's state. A face is its image content, or the
 * `person=` marker when one is present, so two different photos can be "the same person" on purpose.
 */
import { setBounded } from './bounded.js';
import { isoDay } from './dates.js';
import type { ImageInfo } from './images.js';
import { unit, word } from './random.js';
import { presignedUrl } from './storage.js';

export interface Face {
  fingerprint: string;
  content: number;
  person: string | undefined;
}

export function faceOf(image: ImageInfo): Face {
  return { fingerprint: image.fingerprint, content: word(image.fingerprint), person: image.marker?.person };
}

/**
 * 0–100, symmetric (XOR of the two contents) and deterministic: identical bytes 99–100, the same `person=`
 * 85–97, anything else 5–70, so thresholds between 70 and 85 separate people cleanly.
 */
export function similarity(a: Face, b: Face): number {
  if (a.fingerprint === b.fingerprint) return 99 + unit(a.content);
  const u = unit((a.content ^ b.content) >>> 0);
  if (a.person !== undefined && a.person === b.person) return 85 + 12 * u;
  return 5 + 65 * u;
}

export interface IndexedFace {
  milvusId: string;
  idNumber: string;
  partition: string;
  indexedAt: Date;
  face: Face;
}

/** The reference's indexed-face object. */
export function indexedFaceBody(record: IndexedFace): { milvusId: string; idNumber: string; facePath: string; indexingTime: string } {
  return {
    milvusId: record.milvusId,
    idNumber: record.idNumber,
    facePath: presignedUrl(`FACE_INDEXING/${encodeURIComponent(record.partition)}/${record.milvusId}.jpg`, record.indexedAt),
    indexingTime: isoDay(record.indexedAt),
  };
}

const MAX_FACES = 100_000;
const SEARCH_LIMIT = 10;

/** Collections per API key and partition, as on the real service (one account never sees another's faces). */
export class FaceIndex {
  private readonly partitions = new Map<string, Map<string, IndexedFace>>();
  /** Every face, oldest first, for eviction past MAX_FACES. */
  private readonly all = new Map<string, IndexedFace>();
  private nextMilvusId = 434922241667367011n;

  /** undefined when the numberId is already in the partition. */
  add(apiKey: string, partition: string, numberId: string, face: Face, now: Date): IndexedFace | undefined {
    const key = `${apiKey}\0${partition}`;
    let faces = this.partitions.get(key);
    if (faces === undefined) this.partitions.set(key, (faces = new Map()));
    if (faces.has(numberId)) return undefined;
    const record: IndexedFace = { milvusId: String(this.nextMilvusId++), idNumber: numberId, partition, indexedAt: now, face };
    faces.set(numberId, record);
    const evicted = setBounded(this.all, `${key}\0${numberId}`, record, MAX_FACES);
    if (evicted !== undefined) this.partitions.get(`${apiKey}\0${evicted[1].partition}`)?.delete(evicted[1].idNumber);
    return record;
  }

  /** The partition's most similar faces, best first; a running top-N, so a big partition is one cheap pass. */
  search(apiKey: string, partition: string, face: Face): { record: IndexedFace; similar: number }[] {
    const best: { record: IndexedFace; similar: number }[] = [];
    for (const record of this.partitions.get(`${apiKey}\0${partition}`)?.values() ?? []) {
      const similar = similarity(face, record.face);
      if (best.length === SEARCH_LIMIT && similar <= (best.at(-1)?.similar ?? 0)) continue;
      let at = best.length;
      while (at > 0 && (best[at - 1]?.similar ?? 0) < similar) at--;
      best.splice(at, 0, { record, similar });
      if (best.length > SEARCH_LIMIT) best.pop();
    }
    return best;
  }
}

const MAX_LIVENESS_TRANSACTIONS = 10_000;

/**
 * Which selfies passed through a liveness call under which transactionId: verifyPair's
 * fraudCheckLiveness=yes only accepts a selfie that was liveness-checked in the same transaction.
 */
export class LivenessLedger {
  private readonly seen = new Map<string, Set<string>>();

  remember(apiKey: string, transactionId: string, fingerprint: string): void {
    const key = `${apiKey}\0${transactionId}`;
    const selfies = this.seen.get(key) ?? new Set<string>();
    selfies.add(fingerprint);
    setBounded(this.seen, key, selfies, MAX_LIVENESS_TRANSACTIONS);
  }

  saw(apiKey: string, transactionId: string, fingerprint: string): boolean {
    return this.seen.get(`${apiKey}\0${transactionId}`)?.has(fingerprint) ?? false;
  }
}
