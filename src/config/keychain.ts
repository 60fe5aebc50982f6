import type { AsyncEntry } from '@napi-rs/keyring';
import { AuthenticationError } from '../api/errors.js';
import { parseSetting } from './settings.js';

/** The keychain entry of a profile's key: this service, the profile's name as the account, so profiles never collide. */
export const KEYCHAIN_SERVICE = 'finos-ekyc';

/**
 * The OS credential store (macOS Keychain, Windows Credential Manager, a Linux Secret Service) could not be used:
 * not there, locked, or refusing. `reason` is the store's own words on one line. An authentication error (exit 3):
 * a call cannot go out without its key.
 */
export class KeychainError extends AuthenticationError {
  constructor(
    message: string,
    readonly reason: string,
    cause?: unknown,
  ) {
    super(message, { cause });
  }
}

/**
 * Runs one operation on the profile's entry; any failure of the binding, from loading it to the store's answer,
 * becomes a KeychainError whose message `failure` words. The binding (a native addon) is loaded only here.
 */
async function withEntry<T>(profile: string, failure: (reason: string) => string, use: (entry: AsyncEntry) => Promise<T>): Promise<T> {
  try {
    const { AsyncEntry } = await import('@napi-rs/keyring');
    // Pinned to the Secret Service: without a store the binding would fall back to the kernel keyring, which
    // forgets every key at reboot. Ignored on macOS and Windows.
    return await use(new AsyncEntry(KEYCHAIN_SERVICE, profile, { linux: { store: 'secret-service' } }));
  } catch (err) {
    const reason = oneLine(err);
    throw new KeychainError(failure(reason), reason, err);
  }
}

function oneLine(err: unknown): string {
  const text = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').trim() || 'unknown failure';
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

const loginAgain = (profile: string): string => `run \`finos-ekyc login --profile ${profile}\``;

/** The profile's key, for a call to the API. */
export async function readKeychainKey(profile: string): Promise<string> {
  const key = await withEntry(
    profile,
    (reason) => `cannot read the key of profile "${profile}" from the OS keychain (${reason}): unlock the keychain, or ${loginAgain(profile)}`,
    (entry) => entry.getPassword(),
  );
  if (key === null) throw new KeychainError(`the OS keychain holds no key for profile "${profile}": ${loginAgain(profile)}`, 'no entry');
  return parseSetting('apiKey', key, `the key of profile "${profile}" in the OS keychain`);
}

export function writeKeychainKey(profile: string, key: string): Promise<void> {
  return withEntry(profile, (reason) => `cannot save the key of profile "${profile}" in the OS keychain (${reason})`, (entry) => entry.setPassword(key));
}

/** True when there was an entry to delete. */
export function deleteKeychainKey(profile: string): Promise<boolean> {
  return withEntry(
    profile,
    (reason) => `cannot remove the key of profile "${profile}" from the OS keychain (${reason}): unlock the keychain and run \`finos-ekyc logout --profile ${profile}\` again`,
    (entry) => entry.deletePassword(),
  );
}
