import { FinosError } from '../api/errors.js';
import { deleteKeychainKey, KeychainError, readKeychainKey, writeKeychainKey } from './keychain.js';
import { maskKey } from './mask.js';
import { assertProfileName, keyPlace, type KeyPlace, type ProfileListing, type ProfileStore } from './profiles.js';
import { parseSetting } from './settings.js';

/** Where `login` put a key, and why there. */
export type SavedKey =
  | { place: 'keychain' }
  /** `--insecure-storage`; `oldKeyLeft` when the keychain copy this key replaces could not be removed. */
  | { place: 'file'; why: 'insecure-storage'; oldKeyLeft?: KeychainError }
  /** No OS keychain could take it. */
  | { place: 'file'; why: 'no-keychain'; keychainError: KeychainError };

/**
 * Saves a profile's key in the OS keychain, the profiles file keeping only a mark; in the file (mode 0600) when
 * `insecure` asks for it or when no keychain can take it.
 */
export async function saveKey(store: ProfileStore, profile: string, rawKey: string, { insecure = false }: { insecure?: boolean } = {}): Promise<SavedKey> {
  assertProfileName(profile);
  const key = parseSetting('apiKey', rawKey);
  if (insecure) {
    const wasInKeychain = keyPlace(store.profile(profile), profile) === 'keychain';
    store.setApiKey(profile, key);
    if (!wasInKeychain) return { place: 'file', why: 'insecure-storage' };
    // The keychain copy would outlive a logout, which only looks where the file says the key is.
    try {
      await deleteKeychainKey(profile);
      return { place: 'file', why: 'insecure-storage' };
    } catch (err) {
      return { place: 'file', why: 'insecure-storage', oldKeyLeft: err as KeychainError };
    }
  }
  try {
    await writeKeychainKey(profile, key);
  } catch (err) {
    if (!(err instanceof KeychainError)) throw err;
    store.setApiKey(profile, key);
    return { place: 'file', why: 'no-keychain', keychainError: err };
  }
  store.markKeyInKeychain(profile);
  return { place: 'keychain' };
}

/**
 * Removes a profile's key wherever it is kept and says where that was. A keychain that refuses throws, and the
 * file keeps its mark, so a later logout can finish the job.
 */
export async function removeKey(store: ProfileStore, profile: string): Promise<KeyPlace | undefined> {
  if (keyPlace(store.profile(profile), profile) === 'keychain') await deleteKeychainKey(profile);
  return store.forgetKey(profile);
}

/** The profile's key from wherever it is kept. */
export async function storedKey(store: ProfileStore, profile: string): Promise<string | undefined> {
  return keyPlace(store.profile(profile), profile) === 'keychain' ? readKeychainKey(profile) : store.get(profile, 'apiKey');
}

/** Every profile, keys masked, a key in the keychain read to be shown; one that cannot be read says why. */
export async function listProfiles(store: ProfileStore): Promise<ProfileListing[]> {
  const listed: ProfileListing[] = [];
  // One at a time: a locked keychain may ask the user to unlock it, and one question at a time is enough.
  for (const p of store.list()) {
    if (p.apiKeyIn !== 'keychain') {
      listed.push(p);
      continue;
    }
    try {
      listed.push({ ...p, settings: { apiKey: maskKey(await readKeychainKey(p.name)), ...p.settings } });
    } catch (err) {
      if (!(err instanceof FinosError)) throw err;
      listed.push({ ...p, apiKeyError: err.message });
    }
  }
  return listed;
}
