import { createHash } from 'node:crypto';

/** Murmur3's 32-bit finalizer: every input bit reaches every output bit, so nearby inputs look unrelated. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** A value in [0, 1) determined by `x`. */
export function unit(x: number): number {
  return mix32(x) / 2 ** 32;
}

/** The first 32 bits of a hex fingerprint: enough to tell images apart for similarity and verdicts. */
export function word(hex: string): number {
  return Number.parseInt(hex.slice(0, 8), 16) >>> 0;
}

/**
 * A seeded generator (sfc32), so a synthetic person is a pure function of its seed: the same image bytes,
 * or the same `person=` marker, always give the same name, dates and numbers.
 */
export class Rng {
  private constructor(
    private a: number,
    private b: number,
    private c: number,
    private d: number,
  ) {}

  static from(seed: string): Rng {
    const h = createHash('sha256').update(seed).digest();
    return new Rng(h.readUInt32LE(0), h.readUInt32LE(4), h.readUInt32LE(8), h.readUInt32LE(12));
  }

  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 2 ** 32;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
}
