import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskKey } from '../src/config/mask.js';
import { runCli } from './helpers/cli.js';
import { missingCommands, startSecretService, writeProfiles, type SecretService } from './helpers/keychain.js';
import { useSimulator } from './helpers/sim.js';

// A real Secret Service (gnome-keyring) on a private D-Bus session, for this file's process only: libdbus reads
// the bus address once per process, which is why the no-keychain cases live in keychain-fallback.test.ts.
const KEY = 'fk_live_keychain_0123456789';
const KEY_2 = 'fk_live_keychain_second_98765';
const CARD = join(import.meta.dirname, '..', 'examples', 'images', 'cccd-front.png');
const missing = missingCommands(['dbus-run-session', 'gnome-keyring-daemon', 'dbus-send']);

describe.skipIf(missing)(`keys in the OS keychain: gnome-keyring under dbus-run-session${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let bus: SecretService;
  beforeAll(async () => {
    bus = await startSecretService();
    process.env.DBUS_SESSION_BUS_ADDRESS = bus.address;
  });
  afterAll(() => bus?.close());
  const simulator = useSimulator({ apiKey: KEY });
  const dir = mkdtempSync(join(tmpdir(), 'finos-keychain-'));
  const env = { FINOS_CONFIG_DIR: dir };
  const fileText = () => readFileSync(join(dir, 'config.json'), 'utf8');
  const profileInFile = (name: string): unknown => JSON.parse(fileText()).profiles[name];
  const ocr = (profile: string) => runCli(['--profile', profile, 'ocr', 'id', CARD], { env });

  it('login keeps the key in the Secret Service and only a mark in the file; calls use it; config list says keychain', async () => {
    const login = await runCli(['login', '--with-key', '--profile', 'work'], { env, stdin: `${KEY}\n` });
    expect(login.code).toBe(0);
    expect(login.stdout).toBe('');
    expect(login.stderr).toBe(`saved key ${maskKey(KEY)} for profile "work" in the OS keychain (service finos-ekyc, account work); ${join(dir, 'config.json')} refers to it\n`);
    expect(bus.lookup('work')).toBe(KEY);
    expect(profileInFile('work')).toEqual({ keyStore: 'keychain' });
    expect(fileText()).not.toContain(KEY);

    await runCli(['config', 'set', 'host', simulator().url, '--profile', 'work'], { env });
    const call = await ocr('work');
    expect(call.stderr).toBe('');
    expect(call.code).toBe(0); // the simulator answers 401 to any other key

    const list = await runCli(['config', 'list'], { env });
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(`    apiKey = ${maskKey(KEY)} (keychain)\n`);
    expect(list.stdout).not.toContain(KEY);
    const json = JSON.parse((await runCli(['config', 'list', '--json'], { env })).stdout);
    expect(json).toContainEqual({ name: 'work', current: false, apiKeyIn: 'keychain', settings: { apiKey: maskKey(KEY), host: simulator().url } });
    expect((await runCli(['config', 'get', 'apiKey', '--profile', 'work'], { env })).stdout).toBe(`${maskKey(KEY)}\n`);
  });

  it('keeps one entry per profile, so profiles never collide', async () => {
    expect((await runCli(['login', '--with-key', '--profile', 'other'], { env, stdin: KEY_2 })).code).toBe(0);
    expect(bus.lookup('other')).toBe(KEY_2);
    expect(bus.lookup('work')).toBe(KEY);
  });

  it('logout removes the key from the Secret Service and the mark from the file', async () => {
    const logout = await runCli(['logout', '--profile', 'work'], { env });
    expect(logout.code).toBe(0);
    expect(logout.stderr).toBe('removed the key of profile "work" from the OS keychain\n');
    expect(bus.lookup('work')).toBeNull();
    expect(profileInFile('work')).toEqual({ host: simulator().url });
    const call = await ocr('work');
    expect(call.code).toBe(3);
    expect(call.stderr).toMatch(/^finos-ekyc: no API key for profile "work"/);
    expect(bus.lookup('other')).toBe(KEY_2);
  });

  it('login --insecure-storage moves a key from the keychain to the file and deletes the keychain copy', async () => {
    const r = await runCli(['login', '--with-key', '--insecure-storage', '--profile', 'other'], { env, stdin: KEY });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`saved key ${maskKey(KEY)} to profile "other" in ${join(dir, 'config.json')} (mode 0600)\n`);
    expect(bus.lookup('other')).toBeNull();
    expect(profileInFile('other')).toEqual({ apiKey: KEY });
    expect((await runCli(['config', 'list'], { env })).stdout).toContain(`  other\n    apiKey = ${maskKey(KEY)} (file)\n`);
  });

  it('a mark whose keychain entry is gone is exit 3 and one line saying to log in again', async () => {
    writeProfiles(dir, { profiles: { gone: { keyStore: 'keychain', host: simulator().url } } });
    const call = await ocr('gone');
    expect(call.code).toBe(3);
    expect(call.stdout).toBe('');
    expect(call.stderr.split('\n')[0]).toBe('finos-ekyc: the OS keychain holds no key for profile "gone": run `finos-ekyc login --profile gone`');
  });

  // Last: the keychain stays locked.
  it('a locked keychain is exit 3 and one line saying what to do; config list still lists; logout keeps the mark', async () => {
    expect((await runCli(['login', '--with-key', '--profile', 'locked'], { env, stdin: KEY })).code).toBe(0);
    await runCli(['config', 'set', 'host', simulator().url, '--profile', 'locked'], { env });
    bus.lock();
    const call = await ocr('locked');
    expect(call.code).toBe(3);
    expect(call.stderr.split('\n')[0]).toMatch(
      /^finos-ekyc: cannot read the key of profile "locked" from the OS keychain \([^\n]*prompt[^\n]*\): unlock the keychain, or run `finos-ekyc login --profile locked`$/,
    );
    const list = await runCli(['config', 'list'], { env });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/ {2}locked\n {4}apiKey = \? \(keychain: cannot read the key of profile "locked"[^\n]*\)\n/);
    const logout = await runCli(['logout', '--profile', 'locked'], { env });
    expect(logout.code).toBe(3);
    expect(logout.stderr.split('\n')[0]).toMatch(/^finos-ekyc: cannot remove the key of profile "locked" from the OS keychain \(.*\): unlock the keychain and run `finos-ekyc logout --profile locked` again$/);
    expect(profileInFile('locked')).toEqual({ keyStore: 'keychain', host: simulator().url });
  });
});
