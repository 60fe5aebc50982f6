/**
 * What an image "shows", decided once per image: the `finos-mock:` marker when there is one (then nothing is
 * random, so fixtures are exact), else the content hash, which mostly passes: about 1 image in 8 gets one
 * issue from the endpoint's list and 1 in 6 one field to review, like a realistic batch of customer photos.
 */
import type { ImageInfo } from './images.js';
import { unit, word } from './random.js';

export interface Traits {
  flags: ReadonlySet<string>;
  /** Lower-case field names to mark to-be-reviewed. */
  review: ReadonlySet<string>;
  doc: string | undefined;
  /** Seeds the synthetic person: the `person=` marker, else the image content. */
  personSeed: string;
  /** 32 bits of the content hash, for decisions that depend on the image rather than the person. */
  content: number;
}

// Distinct salts so that the hash-based decisions about one image are independent of each other.
const ISSUE_CHANCE = 0x1ce5;
const ISSUE_PICK = 0x7a11;
const REVIEW_CHANCE = 0x0b5e;
const REVIEW_PICK = 0x5e1d;
export const DOC_PICK = 0xd0c5;

export function pickBy<T>(u: number, items: readonly T[]): T {
  const item = items[Math.floor(u * items.length)];
  if (item === undefined) throw new RangeError('pick from an empty list');
  return item;
}

export function traitsOf(image: ImageInfo, issues: readonly string[], reviewable: readonly string[]): Traits {
  const content = word(image.fingerprint);
  const marker = image.marker;
  const personSeed = marker?.person === undefined ? image.fingerprint : `person=${marker.person}`;
  if (marker !== undefined) return { flags: marker.flags, review: marker.review, doc: marker.doc, personSeed, content };
  const salted = (salt: number): number => unit((content ^ salt) >>> 0);
  const flags = issues.length > 0 && salted(ISSUE_CHANCE) < 1 / 8 ? [pickBy(salted(ISSUE_PICK), issues)] : [];
  const review = reviewable.length > 0 && salted(REVIEW_CHANCE) < 1 / 6 ? [pickBy(salted(REVIEW_PICK), reviewable).toLowerCase()] : [];
  return { flags: new Set(flags), review: new Set(review), doc: undefined, personSeed, content };
}
