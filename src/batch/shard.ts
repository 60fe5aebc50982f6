import { createHash } from 'node:crypto';
import { InvalidArgumentError } from '../api/errors.js';

/** Slice `index` (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

export function parseShard(spec: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(spec);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || !Number.isSafeInteger(count) || index < 1 || index > count) {
    throw new InvalidArgumentError(`shard must be k/n with whole numbers 1 ≤ k ≤ n (e.g. 2/4), got "${spec}"`);
  }
  return { index, count };
}

/**
 * Whether a key (an input's path) belongs to a shard. A hash of the key alone, so machines splitting one batch
 * agree without talking to each other, whatever order they list the inputs in.
 */
export function inShard(key: string, shard: Shard): boolean {
  return createHash('sha1').update(key).digest().readUInt32BE(0) % shard.count === shard.index - 1;
}
