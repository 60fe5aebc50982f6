import type { PrepareMode } from '../api/image.js';
import { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS } from '../api/retry.js';
import { DEFAULT_HOST, resolveHost } from './hosts.js';
import { DEFAULT_PROFILE, type ProfileSource } from './profiles.js';
import { parseSetting, type ProfileSettings, type SettingKey, type SettingValues } from './settings.js';

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
}

/** The environment variable for each setting that has one. */
const ENV_VARS: Partial<Record<SettingKey, string>> = { host: 'FINOS_HOST', apiKey: 'FINOS_API_KEY', timeout: 'FINOS_TIMEOUT', prepare: 'FINOS_PREPARE' };

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
  const profile = profileName || env.FINOS_PROFILE || store?.currentProfile || DEFAULT_PROFILE;
  const saved: ProfileSettings = store?.profile(profile) ?? {};

  function pick<K extends SettingKey>(key: K): { value: SettingValues[K]; source: Source } | undefined {
    const envVar = ENV_VARS[key];
    const candidates: Array<[Source, string, string | number | undefined]> = [
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
  };
}
