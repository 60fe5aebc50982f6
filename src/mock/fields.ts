import type { Rng } from './random.js';

export type FieldBody = Record<string, string | number>;

const round2 = (n: number): number => Math.round(n * 100) / 100;

/**
 * Builds the reference's field objects, `{value, [parts], [conf], to-be-reviewed}`, with to-be-reviewed "yes"
 * for the fields an image's traits name. `conf` only for the endpoints whose samples carry it.
 */
export class FieldWriter {
  constructor(
    private readonly review: ReadonlySet<string>,
    private readonly confidence?: Rng,
  ) {}

  field(key: string, value: string, parts: Record<string, string> = {}): FieldBody {
    const reviewed = this.review.has(key.toLowerCase());
    const body: FieldBody = { value, ...parts };
    const rng = this.confidence;
    // In the reference's samples a field is to be reviewed exactly when its confidence is under 0.8.
    if (rng !== undefined) body.conf = reviewed ? round2(0.45 + 0.34 * rng.next()) : rng.chance(0.6) ? 1 : round2(0.85 + 0.14 * rng.next());
    body['to-be-reviewed'] = reviewed ? 'yes' : 'no';
    return body;
  }

  check(key: string, yes: boolean): FieldBody {
    return this.field(key, yes ? 'yes' : 'no');
  }
}
