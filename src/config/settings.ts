import { InvalidArgumentError } from '../api/errors.js';
import { PREPARE_MODES, type PrepareMode } from '../api/image.js';
import { BUILT_IN_HOSTS, resolveHost } from './hosts.js';

/** Languages of the labels people read (tables, summaries, progress, the report); data keys never change. */
export const LANGS = ['vi', 'en'] as const;
export type Lang = (typeof LANGS)[number];

export interface SettingValues {
  host: string;
  apiKey: string;
  threshold: number;
  /** Seconds, like the --timeout flag. */
  timeout: number;
  retries: number;
  /** How images are readied for upload (src/api/image.ts). */
  prepare: PrepareMode;
  /** Bytes. */
  maxUpload: number;
  /** Pixels, the long side. */
  maxSide: number;
  lang: Lang;
  /** Mask personal data in everything printed (never in --out). */
  redact: boolean;
}

/** What a profile can hold. */
export type ProfileSettings = Partial<SettingValues>;

export type SettingKey = keyof SettingValues;

/** A value as typed (flag, environment) or as stored in a profile. */
export type RawSetting = string | number | boolean;

type Parsers = { [K in SettingKey]: (raw: RawSetting, label: string) => SettingValues[K] };

function toNumber(raw: RawSetting, label: string): number {
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`${label} must be a number, got "${raw}"`);
  return n;
}

function wholeNumber(min: number, max: number) {
  return (raw: RawSetting, label: string): number => {
    const n = toNumber(raw, label);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${label} must be a whole number from ${min} to ${max}, got ${raw}`);
    return n;
  };
}

function oneOf<T extends string>(choices: readonly T[]) {
  return (raw: RawSetting, label: string): T => {
    const v = String(raw).trim().toLowerCase();
    if (!(choices as readonly string[]).includes(v)) throw new InvalidArgumentError(`${label} must be one of ${choices.join(', ')}, got "${raw}"`);
    return v as T;
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
  prepare: oneOf(PREPARE_MODES),
  maxUpload: (raw, label) => parseByteSize(raw, label),
  maxSide: wholeNumber(64, 65_535),
  lang: oneOf(LANGS),
  redact: (raw, label) => {
    const v = String(raw).trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    if (['0', 'false', 'no', 'off'].includes(v)) return false;
    throw new InvalidArgumentError(`${label} must be true or false (1 or 0), got "${raw}"`);
  },
};

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3 };

/** `10MB`, `512 KB`, `1.5m` or plain bytes; the units are binary (1 MB = 1,048,576 bytes), as the limits are shown. */
export function parseByteSize(raw: RawSetting, label: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(String(raw));
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  const bytes = m && unit ? Math.floor(Number(m[1]) * unit) : NaN;
  if (!(bytes >= 1024)) throw new InvalidArgumentError(`${label} must be a size of at least 1 KB, such as 10MB or 500KB, got "${raw}"`);
  return bytes;
}

export const SETTING_KEYS = Object.keys(PARSERS) as readonly SettingKey[];

export function assertSettingKey(key: string): asserts key is SettingKey {
  if (!Object.hasOwn(PARSERS, key)) throw new InvalidArgumentError(`unknown setting "${key}"; valid keys: ${SETTING_KEYS.join(', ')}`);
}

/** Validates one value from any source; `label` names that source in the error (`--timeout`, `FINOS_TIMEOUT`…). */
export function parseSetting<K extends SettingKey>(key: K, raw: RawSetting, label: string = key): SettingValues[K] {
  return PARSERS[key](raw, label);
}
