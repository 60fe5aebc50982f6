import { InvalidArgumentError } from '../api/errors.js';
import { BUILT_IN_HOSTS, resolveHost } from './hosts.js';

export interface SettingValues {
  host: string;
  apiKey: string;
  threshold: number;
  /** Seconds, like the --timeout flag. */
  timeout: number;
  retries: number;
}

/** What a profile can hold. */
export type ProfileSettings = Partial<SettingValues>;

export type SettingKey = keyof SettingValues;

type Parsers = { [K in SettingKey]: (raw: string | number, label: string) => SettingValues[K] };

function toNumber(raw: string | number, label: string): number {
  const n = typeof raw === 'number' ? raw : /^\s*-?\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`${label} must be a number, got "${raw}"`);
  return n;
}

function wholeNumber(min: number, max: number) {
  return (raw: string | number, label: string): number => {
    const n = toNumber(raw, label);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${label} must be a whole number from ${min} to ${max}, got ${raw}`);
    return n;
  };
}

const PARSERS: Parsers = {
  // A built-in name is stored as the name, so it follows the built-in if that ever changes.
  host: (raw, label) => {
    const v = String(raw).trim();
    try {
      return BUILT_IN_HOSTS.has(v.toLowerCase()) ? v.toLowerCase() : resolveHost(v);
    } catch (err) {
      throw new InvalidArgumentError(`${label}: ${(err as Error).message}`);
    }
  },
  // It goes into an HTTP header: printable ASCII without spaces, which also rules out a pasted newline.
  apiKey: (raw, label) => {
    const v = String(raw).trim();
    if (!/^[\x21-\x7e]+$/.test(v)) throw new InvalidArgumentError(`${label} must be non-empty printable ASCII without spaces`);
    return v;
  },
  threshold: wholeNumber(1, 99),
  timeout: (raw, label) => {
    const n = toNumber(raw, label);
    if (n <= 0) throw new InvalidArgumentError(`${label} must be a number of seconds > 0, got ${raw}`);
    return n;
  },
  retries: wholeNumber(0, 10),
};

export const SETTING_KEYS = Object.keys(PARSERS) as readonly SettingKey[];

export function assertSettingKey(key: string): asserts key is SettingKey {
  if (!Object.hasOwn(PARSERS, key)) throw new InvalidArgumentError(`unknown setting "${key}"; valid keys: ${SETTING_KEYS.join(', ')}`);
}

/** Validates one value from any source; `label` names that source in the error (`--timeout`, `FINOS_TIMEOUT`…). */
export function parseSetting<K extends SettingKey>(key: K, raw: string | number, label: string = key): SettingValues[K] {
  return PARSERS[key](raw, label);
}
