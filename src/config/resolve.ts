import type { PrepareMode } from '../api/image.js';
import { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS } from '../api/retry.js';
import { DEFAULT_HOST, resolveHost } from './hosts.js';
import { DEFAULT_PROFILE, type ProfileSource } from './profiles.js';
import { parseSetting, type Lang, type ProfileSettings, type RawSetting, type SettingKey, type SettingValues } from './settings.js';

/** The per-call flags, as given on the command line. `timeout` is in seconds. */
export interface SettingFlags {
  host?: string;
  apiKey?: string;
  timeout?: number | string;
  retries?: number | string;
  threshold?: number | string;
  prepare?: string;
  maxUpload?: number | string;
  maxSide?: number | string;
  redact?: boolean;
  /** Read by resolveLang, not resolveSettings: only output for people needs it. */
  lang?: string;
}

export interface ResolvedSettings {
  profile: string;
  host: string;
  apiKey?: string;
  /** Where the key came from, for `config show` and for error hints; undefined when there is none. */
  apiKeySource: 'flag' | 'env' | 'profile' | undefined;
  timeoutMs: number;
  retries: number;
  /** Only when configured: otherwise the API applies its own default. */
  threshold?: number;
  /** Only when configured: otherwise the client's defaults (src/api/image.ts). */
  prepare?: PrepareMode;
  maxUploadBytes?: number;
  maxSide?: number;
  /** Present (true) when personal data is masked in everything printed: --redact > FINOS_REDACT > profile > off. */
  redact?: true;
}

/** The environment variable for each setting that has one. */
const ENV_VARS: Partial<Record<SettingKey, string>> = { host: 'FINOS_HOST', apiKey: 'FINOS_API_KEY', timeout: 'FINOS_TIMEOUT', prepare: 'FINOS_PREPARE', redact: 'FINOS_REDACT' };

type Source = 'flag' | 'env' | 'profile';

/**
 * Effective settings, each from the first place that has it: flag > environment > profile > default.
 * The profile is `profileName` (--profile), else FINOS_PROFILE, else the store's current profile, else "default".
 * Every value is validated whatever its source, so a hand-edited config file fails with the key's name.
 */
export function resolveSettings({
  flags = {},
  env,
  store,
  profileName,
}: {
  flags?: SettingFlags;
  env: NodeJS.ProcessEnv;
  store?: ProfileSource;
  profileName?: string;
}): ResolvedSettings {
  const profile = profileNameOf(env, store, profileName);
  const saved: ProfileSettings = store?.profile(profile) ?? {};

  function pick<K extends SettingKey>(key: K): { value: SettingValues[K]; source: Source } | undefined {
    const envVar = ENV_VARS[key];
    const candidates: Array<[Source, string, RawSetting | undefined]> = [
      ['flag', `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, flags[key]],
      ['env', envVar ?? '', envVar ? env[envVar] || undefined : undefined],
      ['profile', `profile "${profile}" ${key}`, saved[key]],
    ];
    for (const [source, label, raw] of candidates) {
      if (raw !== undefined) return { value: parseSetting(key, raw, label), source };
    }
    return undefined;
  }

  const apiKey = pick('apiKey');
  const threshold = pick('threshold');
  const prepare = pick('prepare');
  const maxUpload = pick('maxUpload');
  const maxSide = pick('maxSide');
  return {
    profile,
    host: resolveHost(pick('host')?.value ?? DEFAULT_HOST),
    ...(apiKey ? { apiKey: apiKey.value } : {}),
    apiKeySource: apiKey?.source,
    timeoutMs: (pick('timeout')?.value ?? DEFAULT_TIMEOUT_MS / 1000) * 1000,
    retries: pick('retries')?.value ?? DEFAULT_MAX_RETRIES,
    ...(threshold ? { threshold: threshold.value } : {}),
    ...(prepare ? { prepare: prepare.value } : {}),
    ...(maxUpload ? { maxUploadBytes: maxUpload.value } : {}),
    ...(maxSide ? { maxSide: maxSide.value } : {}),
    ...(pick('redact')?.value ? { redact: true as const } : {}),
  };
}

function profileNameOf(env: NodeJS.ProcessEnv, store: ProfileSource | undefined, profileName: string | undefined): string {
  return profileName || env.FINOS_PROFILE || store?.currentProfile || DEFAULT_PROFILE;
}

/**
 * The language of labels: --lang > FINOS_LANG > the profile's `lang` > the locale (LC_ALL, else LC_MESSAGES, else
 * LANG, as POSIX orders them) when it is Vietnamese > English. `store` is read only when flag and environment say
 * nothing, so a run with --lang never opens the profiles file.
 */
export function resolveLang({ flag, env, store, profileName }: { flag?: string; env: NodeJS.ProcessEnv; store?: () => ProfileSource | undefined; profileName?: string }): Lang {
  if (flag) return parseSetting('lang', flag, '--lang');
  if (env.FINOS_LANG) return parseSetting('lang', env.FINOS_LANG, 'FINOS_LANG');
  const source = store?.();
  const profile = profileNameOf(env, source, profileName);
  const saved = source?.profile(profile)?.lang;
  if (saved !== undefined) return parseSetting('lang', saved, `profile "${profile}" lang`);
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^vi(?![a-z])/i.test(locale) ? 'vi' : 'en';
}
