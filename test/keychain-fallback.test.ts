import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { maskKey } from '../src/config/mask.js';
import { runCli } from './helpers/cli.js';
import { keyringLoaded, writeProfiles } from './helpers/keychain.js';
import { useSimulator } from './helpers/sim.js';

const LINUX = process.platform === 'linux';
// No Secret Service: a session bus address that leads nowhere, set before anything in this process opens D-Bus
// (libdbus reads it once per process). Linux only: elsewhere the binding would reach the real OS keychain.
if (LINUX) process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/finos-ekyc-test-bus';

const KEY = 'fk_live_fallback_0123456789';
const CARD = join(import.meta.dirname, '..', 'examples', 'images', 'cccd-front.png');
const simulator = useSimulator({ apiKey: KEY });

function profiles() {
  const dir = mkdtempSync(join(tmpdir(), 'finos-keyfile-'));
  const path = join(dir, 'config.json');
  return { env: { FINOS_CONFIG_DIR: dir }, path, inFile: (name: string): unknown => JSON.parse(readFileSync(path, 'utf8')).profiles[name] };
}

// First in this file: the binding, once loaded, stays loaded.
describe('reading a key stays cheap: the keychain binding loads only for a profile whose key is in it', () => {
  it('--mock, --api-key, FINOS_API_KEY, a key in the file and login --insecure-storage never load it', async () => {
    const { env, path, inFile } = profiles();
    const host = simulator().url;
    writeProfiles(env.FINOS_CONFIG_DIR, { profiles: { kc: { keyStore: 'keychain', host }, legacy: { apiKey: KEY, host } } });
    const calls = [
      ['--mock', '--profile', 'kc'],
      ['--profile', 'kc', '--api-key', KEY],
      ['--profile', 'legacy'],
    ];
    for (const flags of calls) expect((await runCli([...flags, 'ocr', 'id', CARD], { env })).code, flags.join(' ')).toBe(0);
    expect((await runCli(['--profile', 'kc', 'ocr', 'id', CARD], { env: { ...env, FINOS_API_KEY: KEY } })).code).toBe(0);

    const login = await runCli(['login', '--with-key', '--insecure-storage', '--profile', 'ci'], { env, stdin: KEY });
    expect(login.code).toBe(0);
    expect(login.stderr).toBe(`saved key ${maskKey(KEY)} to profile "ci" in ${path} (mode 0600)\n`);
    expect(inFile('ci')).toEqual({ apiKey: KEY });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(keyringLoaded()).toBe(false);
  });

  it('a profile that already holds its key in the file keeps working: calls, config list says file, logout removes it', async () => {
    const { env, inFile } = profiles();
    writeProfiles(env.FINOS_CONFIG_DIR, { currentProfile: 'old', profiles: { old: { apiKey: KEY, host: simulator().url } } });
    expect((await runCli(['ocr', 'id', CARD], { env })).code).toBe(0);
    const list = await runCli(['config', 'list'], { env: { ...env, FINOS_API_KEY: 'env-key-0000000000' } });
    expect(list.stdout).toBe(`* old\n    apiKey = ${maskKey(KEY)} (file)\n    host = ${simulator().url}\n`);
    expect(list.stderr).toBe("FINOS_API_KEY is set (env-…0000, env): calls use it instead of these profiles' keys\n");
    const logout = await runCli(['logout'], { env });
    expect(logout.code).toBe(0);
    expect(logout.stderr).toBe(`removed the key of profile "old" from ${join(env.FINOS_CONFIG_DIR, 'config.json')}\n`);
    expect(inFile('old')).toEqual({ host: simulator().url });
    expect(keyringLoaded()).toBe(false);
  });
});

describe.runIf(LINUX)('no OS keychain (nothing on the session D-Bus)', () => {
  it('login falls back to the 0600 file and says so once, in one line saying how to get the keychain', async () => {
    const { env, path, inFile } = profiles();
    const login = await runCli(['login', '--with-key', '--profile', 'ci'], { env, stdin: `${KEY}\n` });
    expect(login.code).toBe(0);
    const lines = login.stderr.split('\n');
    expect(lines).toHaveLength(3); // two lines and the final newline
    expect(lines[0]).toMatch(
      /^note: no OS keychain \([^)]*\/nonexistent\/finos-ekyc-test-bus[^)]*\), so the key goes to the profiles file: to use one, start a Secret Service \(gnome-keyring, KWallet or KeePassXC\) on the session D-Bus and run `finos-ekyc login` again; `login --insecure-storage` chooses the file without trying$/,
    );
    expect(lines[1]).toBe(`saved key ${maskKey(KEY)} to profile "ci" in ${path} (mode 0600)`);
    expect(keyringLoaded()).toBe(true); // it did try
    expect(inFile('ci')).toEqual({ apiKey: KEY });
    expect(statSync(path).mode & 0o777).toBe(0o600);

    await runCli(['config', 'set', 'host', simulator().url, '--profile', 'ci'], { env });
    const call = await runCli(['--profile', 'ci', 'ocr', 'id', CARD], { env });
    expect(call.code).toBe(0);
    expect(call.stderr).toBe('');
    expect((await runCli(['config', 'list'], { env })).stdout).toContain(`    apiKey = ${maskKey(KEY)} (file)\n`);
  });

  it('a key marked as in the keychain when there is none is exit 3 and one line saying what to do', async () => {
    const { env } = profiles();
    writeProfiles(env.FINOS_CONFIG_DIR, { profiles: { kc: { keyStore: 'keychain', host: simulator().url } } });
    const call = await runCli(['--profile', 'kc', 'ocr', 'id', CARD], { env });
    expect(call.code).toBe(3);
    expect(call.stdout).toBe('');
    expect(call.stderr.split('\n')[0]).toMatch(
      /^finos-ekyc: cannot read the key of profile "kc" from the OS keychain \([^)]*\/nonexistent\/finos-ekyc-test-bus[^)]*\): unlock the keychain, or run `finos-ekyc login --profile kc`$/,
    );
  });
});
