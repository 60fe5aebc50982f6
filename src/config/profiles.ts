import { chmodSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type Conf from 'conf';
import envPaths from 'env-paths';
import { InvalidArgumentError } from '../api/errors.js';
import { maskKey } from './mask.js';
import { assertSettingKey, parseSetting, type ProfileSettings, type SettingKey } from './settings.js';

export const DEFAULT_PROFILE = 'default';

/** What settings resolution reads; ProfileStore is one, a test can pass a plain object. */
export interface ProfileSource {
  readonly currentProfile: string | undefined;
  profile(name: string): StoredProfile | undefined;
}

/** Where a profile's key is kept: in the profiles file itself, or in the OS keychain (src/config/keychain.ts). */
export type KeyPlace = 'file' | 'keychain';

/**
 * A profile as the file holds it: its settings, and for a key kept in the OS keychain only the mark
 * `keyStore: "keychain"`, never the key. The writers below keep a profile's key in one place.
 */
export type StoredProfile = ProfileSettings & { keyStore?: 'keychain' };

/** Where the profile's key is, if it has one. A key in the file wins over a mark beside it (a hand edit). */
export function keyPlace(profile: StoredProfile | undefined, name: string): KeyPlace | undefined {
  if (profile?.apiKey !== undefined) return 'file';
  if (profile?.keyStore === undefined) return undefined;
  if (profile.keyStore !== 'keychain') throw new InvalidArgumentError(`profile "${name}" keyStore must be "keychain", got ${JSON.stringify(profile.keyStore)}: run \`finos-ekyc login --profile ${name}\``);
  return 'keychain';
}

export interface ProfileListing {
  name: string;
  current: boolean;
  /** Where the profile's key is kept, when it has one. */
  apiKeyIn?: KeyPlace;
  /** Why a key in the keychain could not be read to be shown. */
  apiKeyError?: string;
  /** The profile's settings, the API key masked (a key in the keychain is filled in by src/config/keys.ts). */
  settings: Record<string, string | number>;
}

type StoreData = { currentProfile?: string; profiles?: Record<string, StoredProfile> };

const FILE_MODE = 0o600;
const PROJECT = 'finos-ekyc';

/**
 * The profiles file: conf's own rule (env-paths' config folder for the project, `config.json`), so a plain read
 * finds exactly the file conf writes. A test holds the two together.
 */
export function profilesPath(dir: string | undefined = process.env.FINOS_CONFIG_DIR || undefined): string {
  return resolve(dir ?? envPaths(PROJECT, { suffix: '' }).config, 'config.json');
}

const corrupt = (path: string, err: Error): InvalidArgumentError => new InvalidArgumentError(`${path} is not valid JSON (${err.message}): fix or delete it`, { cause: err });

function profilesIn(data: StoreData, path: string): Record<string, StoredProfile> {
  const all = data.profiles;
  if (all === undefined) return {};
  if (typeof all !== 'object' || all === null || Array.isArray(all)) throw new InvalidArgumentError(`${path}: "profiles" must be an object`);
  return all;
}

function profileIn(data: StoreData, path: string, name: string): StoredProfile | undefined {
  const all = profilesIn(data, path);
  return Object.hasOwn(all, name) ? all[name] : undefined;
}

/**
 * The profiles as they are on disk, for a command that only reads them (every API call): a plain JSON read, where
 * opening conf would load it and ajv under it, ~130 ms of a single call's start-up. Writers use ProfileStore.
 */
export function readProfiles(dir?: string): ProfileSource {
  const path = profilesPath(dir);
  let data: StoreData = {};
  let text: string | undefined;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new InvalidArgumentError(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err });
  }
  if (text !== undefined) {
    try {
      data = JSON.parse(text) as StoreData;
    } catch (err) {
      throw corrupt(path, err as Error);
    }
  }
  return { currentProfile: data.currentProfile, profile: (name) => profileIn(data, path, name) };
}

/** Profile names are also the keychain's account names and appear in messages: a short, plain set of characters. */
export function assertProfileName(name: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) {
    throw new InvalidArgumentError(`profile name "${name}" must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit`);
  }
}

/**
 * Profiles in one JSON file (mode 0600: it holds the API keys not kept in the OS keychain), by default in the OS
 * config directory (~/.config/finos-ekyc on Linux); FINOS_CONFIG_DIR or `dir` moves it. Every read goes to the
 * file, so two processes never act on a stale copy.
 */
export class ProfileStore implements ProfileSource {
  private constructor(private readonly conf: Conf<StoreData>) {}

  /** conf is loaded only here: commands that never touch profiles (--mock, flags + env) do not pay for it. */
  static async open({ dir = process.env.FINOS_CONFIG_DIR || undefined }: { dir?: string } = {}): Promise<ProfileStore> {
    const { default: ConfClass } = await import('conf');
    // conf reads the file in its constructor, before its path is known to us: a parse error there is held
    // until the constructor returns, so the message can name the file. Later reads fail at once.
    const read: { openedPath?: string; invalid?: Error } = {};
    const conf = new ConfClass<StoreData>({
      projectName: PROJECT,
      projectSuffix: '',
      configFileMode: FILE_MODE,
      // Profile names may contain dots.
      accessPropertiesByDotNotation: false,
      deserialize: (text) => {
        try {
          return JSON.parse(text) as StoreData;
        } catch (err) {
          if (read.openedPath) throw corrupt(read.openedPath, err as Error);
          read.invalid = err as Error;
          return {};
        }
      },
      ...(dir ? { cwd: dir } : {}),
    });
    if (read.invalid) throw corrupt(conf.path, read.invalid);
    read.openedPath = conf.path;
    return new ProfileStore(conf);
  }

  get path(): string {
    return this.conf.path;
  }

  get currentProfile(): string | undefined {
    return this.conf.get('currentProfile');
  }

  setCurrentProfile(name: string): void {
    assertProfileName(name);
    this.conf.set('currentProfile', name);
    this.secure();
  }

  profile(name: string): StoredProfile | undefined {
    return profileIn(this.conf.store, this.path, name);
  }

  get<K extends SettingKey>(profile: string, key: K): ProfileSettings[K] | undefined {
    return this.profile(profile)?.[key];
  }

  /** `value` as typed on the command line or already typed; validated either way. A key set here is in the file. */
  set(profile: string, key: string, value: string | number): void {
    assertProfileName(profile);
    assertSettingKey(key);
    const parsed = parseSetting(key, value);
    this.update(profile, (s) => (key === 'apiKey' ? { ...withoutKey(s), apiKey: parsed as string } : { ...s, [key]: parsed }));
  }

  setApiKey(profile: string, apiKey: string): void {
    this.set(profile, 'apiKey', apiKey);
  }

  /** The profile's key is now in the OS keychain: the file keeps only the mark. */
  markKeyInKeychain(profile: string): void {
    assertProfileName(profile);
    this.update(profile, (s) => ({ ...withoutKey(s), keyStore: 'keychain' }));
  }

  /** Drops the key, or the keychain mark, from the file; says where the key was. */
  forgetKey(profile: string): KeyPlace | undefined {
    const place = keyPlace(this.profile(profile), profile);
    if (place) this.update(profile, withoutKey);
    return place;
  }

  /** True when the key was set. */
  unset(profile: string, key: string): boolean {
    assertSettingKey(key);
    if (this.get(profile, key) === undefined) return false;
    this.update(profile, ({ [key]: _removed, ...rest }) => rest);
    return true;
  }

  /** True when the profile existed. Removing the current profile also clears the choice of current profile. */
  removeProfile(profile: string): boolean {
    const all = this.profiles();
    if (!Object.hasOwn(all, profile)) return false;
    delete all[profile];
    this.conf.set('profiles', all);
    if (this.currentProfile === profile) this.conf.delete('currentProfile');
    this.secure();
    return true;
  }

  list(): ProfileListing[] {
    const current = this.currentProfile ?? DEFAULT_PROFILE;
    return Object.entries(this.profiles()).map(([name, s]) => {
      const place = keyPlace(s, name);
      return {
        name,
        current: name === current,
        ...(place ? { apiKeyIn: place } : {}),
        settings: Object.fromEntries([
          ...(place === 'file' ? [['apiKey', maskKey(String(s.apiKey))]] : []),
          ...Object.entries(withoutKey(s)).filter(([, v]) => v !== undefined),
        ]),
      };
    });
  }

  private profiles(): Record<string, StoredProfile> {
    return profilesIn(this.conf.store, this.path);
  }

  private update(profile: string, change: (s: StoredProfile) => StoredProfile): void {
    const all = this.profiles();
    all[profile] = change((Object.hasOwn(all, profile) ? all[profile] : undefined) ?? {});
    this.conf.set('profiles', all);
    this.secure();
  }

  /**
   * conf's atomic write creates the file 0600, but its in-place fallback (Snap, cross-device rename) keeps the mode
   * an existing file already had, e.g. one a user copied in: set it every time rather than depend on the path taken.
   */
  private secure(): void {
    chmodSync(this.path, FILE_MODE);
  }
}

function withoutKey({ apiKey: _key, keyStore: _mark, ...rest }: StoredProfile): StoredProfile {
  return rest;
}
