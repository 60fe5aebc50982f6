import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../src/api/errors.js';
import { DEFAULT_HOST, resolveHost } from '../src/config/hosts.js';
import { maskKey } from '../src/config/mask.js';
import { keyPlace, ProfileStore, profilesPath, readProfiles, type ProfileSource, type StoredProfile } from '../src/config/profiles.js';
import { resolveSettings } from '../src/config/resolve.js';
import { checkApiBase } from '../src/api/hosts.js';
import type { ProfileSettings } from '../src/config/settings.js';

const KEY = 'fk_live_0123456789abcdefWXYZ';
const posix = process.platform !== 'win32';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'finos-ekyc-config-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const mode = (path: string): number => statSync(path).mode & 0o777;

describe('maskKey', () => {
  it('shows only the ends of a long key, and nothing of a short one', () => {
    expect(maskKey(KEY)).toBe('fk_l…WXYZ');
    expect(maskKey('abcdefghijkl')).toBe('abcd…ijkl');
    expect(maskKey('abcdefghijk')).toBe('••••');
    expect(maskKey('')).toBe('••••');
  });
});

describe('resolveHost', () => {
  it('accepts the built-in names and URLs, without a trailing slash', () => {
    expect(resolveHost('sandbox')).toBe('https://api-gw.sandbox.finos.asia');
    expect(resolveHost('Production')).toBe('https://apigw.finos.asia');
    expect(DEFAULT_HOST).toBe('https://api-gw.sandbox.finos.asia');
    expect(resolveHost('https://gw.example.vn/')).toBe('https://gw.example.vn');
    expect(resolveHost('https://gw.example.vn/finos//')).toBe('https://gw.example.vn/finos');
    expect(resolveHost('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
  });

  it('rejects what cannot be a base URL', () => {
    for (const bad of ['staging', 'ftp://example.com', 'https://user:pw@example.com', 'https://example.com/?a=1', 'constructor']) {
      expect(() => resolveHost(bad), bad).toThrow(InvalidArgumentError);
    }
    expect(() => resolveHost('https://user:s3cret@example.com')).toThrow(/^host example.com must not contain credentials$/);
  });
});

describe('ProfileStore', () => {
  it('keeps profiles in a 0600 file in the given directory', async () => {
    const store = await ProfileStore.open({ dir });
    expect(store.path).toBe(join(dir, 'config.json'));
    store.setApiKey('default', KEY);
    store.set('default', 'threshold', '85');
    store.set('acme.prod', 'host', 'production');
    store.set('acme.prod', 'timeout', 12.5);
    if (posix) expect(mode(store.path)).toBe(0o600);
    const reopened = await ProfileStore.open({ dir });
    expect(reopened.profile('default')).toEqual({ apiKey: KEY, threshold: 85 });
    expect(reopened.get('acme.prod', 'host')).toBe('production');
    expect(reopened.get('acme.prod', 'timeout')).toBe(12.5);
  });

  it.runIf(posix)('tightens an existing file to 0600 on write, even when conf writes in place', async () => {
    const path = join(dir, 'config.json');
    writeFileSync(path, JSON.stringify({ profiles: { default: { retries: 1 } } }));
    chmodSync(path, 0o644);
    // conf writes in place instead of atomically under Snap, and an in-place write keeps the old mode.
    const saved = process.env.SNAP;
    process.env.SNAP = '1';
    try {
      const store = await ProfileStore.open({ dir });
      store.set('default', 'retries', 3);
    } finally {
      if (saved === undefined) delete process.env.SNAP;
      else process.env.SNAP = saved;
    }
    expect(mode(path)).toBe(0o600);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ profiles: { default: { retries: 3 } } });
  });

  it('uses FINOS_CONFIG_DIR when no directory is given', async () => {
    const saved = process.env.FINOS_CONFIG_DIR;
    process.env.FINOS_CONFIG_DIR = dir;
    try {
      expect((await ProfileStore.open()).path).toBe(join(dir, 'config.json'));
    } finally {
      if (saved === undefined) delete process.env.FINOS_CONFIG_DIR;
      else process.env.FINOS_CONFIG_DIR = saved;
    }
  });

  it('validates values, keys and profile names with clear messages', async () => {
    const store = await ProfileStore.open({ dir });
    const cases: Array<[string, string | number, RegExp]> = [
      ['threshold', 0, /threshold must be a whole number from 1 to 99/],
      ['threshold', '100', /from 1 to 99/],
      ['threshold', '85.5', /whole number/],
      ['threshold', 'high', /must be a number/],
      ['timeout', '0', /seconds > 0/],
      ['timeout', '', /must be a number/],
      ['retries', 11, /from 0 to 10/],
      ['host', 'ftp://example.com', /http:\/\/ or https:\/\//],
      ['host', 'staging', /not a URL or one of: sandbox, production/],
      ['apiKey', 'two words', /printable ASCII without spaces/],
      ['colour', 'red', /unknown setting "colour"; valid keys: host, apiKey, threshold, timeout, retries/],
    ];
    for (const [key, value, message] of cases) {
      expect(() => store.set('default', key, value), `${key}=${value}`).toThrow(InvalidArgumentError);
      expect(() => store.set('default', key, value)).toThrow(message);
    }
    expect(() => store.set('../evil', 'retries', 1)).toThrow(/profile name/);
    expect(() => store.set('__proto__', 'retries', 1)).toThrow(/profile name/);
    expect(store.list()).toEqual([]);
  });

  it('lists profiles with the key masked and marks the current one', async () => {
    const store = await ProfileStore.open({ dir });
    store.setApiKey('default', KEY);
    store.setApiKey('short', 'abc123');
    store.set('short', 'host', 'https://gw.example.vn/');
    store.setCurrentProfile('short');
    const listed = store.list();
    expect(JSON.stringify(listed)).not.toContain(KEY);
    expect(listed).toEqual([
      { name: 'default', current: false, apiKeyIn: 'file', settings: { apiKey: 'fk_l…WXYZ' } },
      { name: 'short', current: true, apiKeyIn: 'file', settings: { apiKey: '••••', host: 'https://gw.example.vn' } },
    ]);
  });

  it('keeps a profile\'s key in one place: the file, or only a mark when it is in the keychain', async () => {
    const store = await ProfileStore.open({ dir });
    store.set('p', 'host', 'production');
    store.setApiKey('p', KEY);
    store.markKeyInKeychain('p');
    expect(store.profile('p')).toEqual({ host: 'production', keyStore: 'keychain' });
    expect(readFileSync(store.path, 'utf8')).not.toContain(KEY);
    expect(readProfiles(dir).profile('p')).toEqual({ host: 'production', keyStore: 'keychain' });
    expect(store.list()).toEqual([{ name: 'p', current: false, apiKeyIn: 'keychain', settings: { host: 'production' } }]);
    store.set('p', 'apiKey', KEY);
    expect(store.profile('p')).toEqual({ host: 'production', apiKey: KEY });
    store.markKeyInKeychain('p');
    expect(store.forgetKey('p')).toBe('keychain');
    expect(store.forgetKey('p')).toBeUndefined();
    store.setApiKey('p', KEY);
    expect(store.forgetKey('p')).toBe('file');
    expect(store.profile('p')).toEqual({ host: 'production' });
    expect(() => store.markKeyInKeychain('../p')).toThrow(/profile name/);
  });

  it('unsets keys and removes profiles, clearing the current choice', async () => {
    const store = await ProfileStore.open({ dir });
    store.set('work', 'retries', 4);
    store.set('work', 'threshold', 90);
    store.setCurrentProfile('work');
    expect(store.unset('work', 'retries')).toBe(true);
    expect(store.unset('work', 'retries')).toBe(false);
    expect(store.profile('work')).toEqual({ threshold: 90 });
    expect(() => store.unset('work', 'nope')).toThrow(/valid keys/);
    expect(store.removeProfile('work')).toBe(true);
    expect(store.removeProfile('work')).toBe(false);
    expect(store.currentProfile).toBeUndefined();
    expect(store.profile('constructor')).toBeUndefined();
  });

  it('is read without conf at the very path conf writes, with or without a folder given', async () => {
    const store = await ProfileStore.open({ dir });
    store.set('bank-a', 'host', 'https://ekyc.example.vn');
    store.setCurrentProfile('bank-a');
    expect(profilesPath(dir)).toBe(store.path);
    const snapshot = readProfiles(dir);
    expect(snapshot.currentProfile).toBe('bank-a');
    expect(snapshot.profile('bank-a')).toEqual({ host: 'https://ekyc.example.vn' });
    expect(snapshot.profile('toString')).toBeUndefined();
    expect(readProfiles(join(dir, 'nothing-here')).currentProfile).toBeUndefined();
  });

  // Linux only: elsewhere the OS folder cannot be moved to a temporary one, and the test would open the real one.
  it.runIf(process.platform === 'linux')('finds the same OS config folder as conf when no folder is given', async () => {
    const home = mkdtempSync(join(tmpdir(), 'finos-xdg-'));
    const saved = { xdg: process.env.XDG_CONFIG_HOME, dir: process.env.FINOS_CONFIG_DIR };
    process.env.XDG_CONFIG_HOME = home;
    delete process.env.FINOS_CONFIG_DIR;
    try {
      expect(profilesPath()).toBe((await ProfileStore.open()).path);
      expect(profilesPath()).toBe(join(home, 'finos-ekyc', 'config.json'));
    } finally {
      process.env.XDG_CONFIG_HOME = saved.xdg;
      if (saved.xdg === undefined) delete process.env.XDG_CONFIG_HOME;
      if (saved.dir !== undefined) process.env.FINOS_CONFIG_DIR = saved.dir;
    }
  });

  it('reports a corrupt file as a usage error naming the way out', async () => {
    writeFileSync(join(dir, 'config.json'), '{ "profiles": ');
    await expect(ProfileStore.open({ dir })).rejects.toThrow(`${join(dir, 'config.json')} is not valid JSON`);
    await expect(ProfileStore.open({ dir })).rejects.toThrow(InvalidArgumentError);
    expect(() => readProfiles(dir)).toThrow(`${join(dir, 'config.json')} is not valid JSON`);
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe('{ "profiles": '); // left for the user to inspect
  });

  it('refuses to overwrite a file that became corrupt after opening', async () => {
    const store = await ProfileStore.open({ dir });
    store.set('default', 'retries', 1);
    writeFileSync(store.path, 'not json');
    expect(() => store.set('default', 'retries', 2)).toThrow(/is not valid JSON/);
    expect(readFileSync(store.path, 'utf8')).toBe('not json');
  });
});

describe('keyPlace', () => {
  it('says where a profile keeps its key; a key in the file wins over a mark beside it', () => {
    expect(keyPlace(undefined, 'p')).toBeUndefined();
    expect(keyPlace({ host: 'sandbox' }, 'p')).toBeUndefined();
    expect(keyPlace({ apiKey: KEY }, 'p')).toBe('file');
    expect(keyPlace({ keyStore: 'keychain' }, 'p')).toBe('keychain');
    expect(keyPlace({ apiKey: KEY, keyStore: 'keychain' }, 'p')).toBe('file');
  });

  it('refuses a hand-edited mark it does not know, naming the profile and the way out', () => {
    const edited = { keyStore: 'vault' } as unknown as StoredProfile;
    expect(() => keyPlace(edited, 'p')).toThrow(InvalidArgumentError);
    expect(() => keyPlace(edited, 'p')).toThrow('profile "p" keyStore must be "keychain", got "vault": run `finos-ekyc login --profile p`');
  });
});

describe('resolveSettings', () => {
  const source = (profiles: Record<string, ProfileSettings>, currentProfile?: string): ProfileSource => ({
    currentProfile,
    profile: (name) => profiles[name],
  });
  const store = source(
    {
      default: { host: 'production', apiKey: 'profile-key-0000000', timeout: 20, retries: 5, threshold: 80 },
      other: { apiKey: 'other-key-00000000' },
    },
    undefined,
  );

  it('uses defaults when nothing is set', () => {
    expect(resolveSettings({ env: {} })).toEqual({
      profile: 'default',
      host: DEFAULT_HOST,
      apiKeySource: undefined,
      timeoutMs: 60_000,
      retries: 2,
    });
  });

  it('takes the profile over the defaults', () => {
    expect(resolveSettings({ env: {}, store })).toEqual({
      profile: 'default',
      host: 'https://apigw.finos.asia',
      apiKey: 'profile-key-0000000',
      apiKeySource: 'profile',
      timeoutMs: 20_000,
      retries: 5,
      threshold: 80,
    });
  });

  it('takes the environment over the profile, and flags over both', () => {
    const env = { FINOS_HOST: 'http://localhost:9000/', FINOS_API_KEY: 'env-key-000000000', FINOS_TIMEOUT: '7' };
    const fromEnv = resolveSettings({ env, store });
    expect(fromEnv).toMatchObject({ host: 'http://localhost:9000', apiKey: 'env-key-000000000', apiKeySource: 'env', timeoutMs: 7000, retries: 5 });
    const fromFlags = resolveSettings({ env, store, flags: { host: 'sandbox', apiKey: 'flag-key-00000000', timeout: 3, retries: '0', threshold: 95 } });
    expect(fromFlags).toMatchObject({ host: DEFAULT_HOST, apiKey: 'flag-key-00000000', apiKeySource: 'flag', timeoutMs: 3000, retries: 0, threshold: 95 });
  });

  it('treats an empty environment variable as unset', () => {
    expect(resolveSettings({ env: { FINOS_API_KEY: '', FINOS_HOST: '' }, store })).toMatchObject({ apiKeySource: 'profile', host: 'https://apigw.finos.asia' });
  });

  it('picks the profile: --profile > FINOS_PROFILE > current profile > "default"', () => {
    const withCurrent = source({ other: { apiKey: 'other-key-00000000' }, third: {} }, 'other');
    expect(resolveSettings({ env: {}, store: withCurrent }).profile).toBe('other');
    expect(resolveSettings({ env: {}, store: withCurrent }).apiKey).toBe('other-key-00000000');
    expect(resolveSettings({ env: { FINOS_PROFILE: 'third' }, store: withCurrent }).profile).toBe('third');
    expect(resolveSettings({ env: { FINOS_PROFILE: 'third' }, store: withCurrent, profileName: 'default' }).profile).toBe('default');
  });

  it('validates every source and names it in the error', () => {
    expect(() => resolveSettings({ env: { FINOS_TIMEOUT: 'soon' } })).toThrow(/FINOS_TIMEOUT must be a number/);
    expect(() => resolveSettings({ env: {}, flags: { threshold: 150 } })).toThrow(/--threshold must be a whole number from 1 to 99/);
    expect(() => resolveSettings({ env: {}, flags: { apiKey: 'a b' } })).toThrow(/--api-key/);
    const edited = source({ default: { threshold: 150 } });
    expect(() => resolveSettings({ env: {}, store: edited })).toThrow(/profile "default" threshold must be a whole number/);
  });

  it('works with a real store', async () => {
    const real = await ProfileStore.open({ dir });
    real.set('ci', 'host', 'https://gw.example.vn');
    real.setApiKey('ci', KEY);
    real.setCurrentProfile('ci');
    expect(resolveSettings({ env: {}, store: real })).toMatchObject({ profile: 'ci', host: 'https://gw.example.vn', apiKey: KEY, apiKeySource: 'profile' });
  });
});

describe('checkApiBase', () => {
  it('refuses a key over plain http to anything but loopback', () => {
    for (const host of ['http://api.example.vn', 'http://10.0.0.5:8080', 'http://localhost.evil.com', 'http://127.evil.com', 'http://127.0.0.1.nip.io']) {
      expect(() => checkApiBase(host, KEY), host).toThrow(/^refusing to send the API key over plain http/);
    }
  });

  it('allows https, loopback, and http without a key', () => {
    for (const host of ['https://apigw.finos.asia', 'http://127.0.0.1:4010', 'http://127.8.9.10', 'http://localhost:3000', 'http://[::1]:3000']) {
      expect(() => checkApiBase(host, KEY), host).not.toThrow();
    }
    expect(() => checkApiBase('http://api.example.vn')).not.toThrow();
  });

  it('refuses what is not an http(s) URL, credentials, a query or a fragment, whether or not there is a key', () => {
    for (const host of ['ftp://example.com', 'not a url', 'https://gw.example.vn/?a=1', 'https://gw.example.vn/#x']) {
      expect(() => checkApiBase(host), host).toThrow(InvalidArgumentError);
    }
    expect(() => checkApiBase('https://user:s3cret@example.com')).toThrow(/^host example.com must not contain credentials$/);
  });
});
