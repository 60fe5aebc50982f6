import { AuthenticationError } from '../api/errors.js';
import { keyPlace, readProfiles } from '../config/profiles.js';
import { resolveSettings, type ResolvedSettings } from '../config/resolve.js';
import type { GlobalOptions } from './globals.js';

/** Effective settings for a call that needs the API: flag > environment > profile > default, and a key. */
export async function loadSettings(g: GlobalOptions, env: NodeJS.ProcessEnv): Promise<ResolvedSettings & { apiKey: string }> {
  const store = readProfiles(env.FINOS_CONFIG_DIR || undefined);
  const s = resolveSettings({
    flags: {
      ...(g.host ? { host: g.host } : {}),
      ...(g.apiKey ? { apiKey: g.apiKey } : {}),
      ...(g.timeout ? { timeout: g.timeout } : {}),
      ...(g.retries !== undefined ? { retries: g.retries } : {}),
      ...(g.prepare ? { prepare: g.prepare } : {}),
      ...(g.maxUpload ? { maxUpload: g.maxUpload } : {}),
      ...(g.maxSide ? { maxSide: g.maxSide } : {}),
      ...(g.redact !== undefined ? { redact: g.redact } : {}),
    },
    env,
    store,
    ...(g.profile ? { profileName: g.profile } : {}),
  });
  if (s.apiKey) return { ...s, apiKey: s.apiKey };
  // The keychain's native binding loads only here: a key from a flag, FINOS_API_KEY or the file never needs it.
  if (keyPlace(store.profile(s.profile), s.profile) === 'keychain') {
    const { readKeychainKey } = await import('../config/keychain.js');
    return { ...s, apiKey: await readKeychainKey(s.profile), apiKeySource: 'profile' };
  }
  throw new AuthenticationError(`no API key for profile "${s.profile}": run \`finos-ekyc login\`, set FINOS_API_KEY, or try --mock`);
}
