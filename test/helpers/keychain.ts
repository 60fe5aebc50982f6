import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

/** The commands of `needed` not on PATH, as text for a skip message; undefined when all are there. */
export function missingCommands(needed: readonly string[]): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  const missing = needed.filter((c) => spawnSync('sh', ['-c', 'command -v "$1"', 'sh', c]).status !== 0);
  return missing.length ? `${missing.join(', ')} not installed` : undefined;
}

/** True once the keychain's native binding was loaded into this process. */
export function keyringLoaded(): boolean {
  return Object.keys(require.cache).some((path) => path.includes('@napi-rs/keyring'));
}

/** Writes a profiles file by hand, as an older version or a user would have left it. */
export function writeProfiles(dir: string, data: unknown): void {
  writeFileSync(join(dir, 'config.json'), JSON.stringify(data), { mode: 0o600 });
}

export interface SecretService {
  /** The private session bus: point DBUS_SESSION_BUS_ADDRESS here. */
  address: string;
  /** The secret stored for a profile, read by another process straight from this Secret Service; null when none. */
  lookup(profile: string): string | null;
  /** Locks the default collection: reading it then needs an unlock prompt, which nobody can answer here. */
  lock(): void;
  close(): Promise<void>;
}

/**
 * A Secret Service of its own: gnome-keyring under dbus-run-session, with HOME and the XDG folders in a temporary
 * folder, so the developer's own keyring is never touched. The login keyring is created unlocked with a throwaway
 * password (an empty one creates no keyring at all). The session lives until close() ends the shell holding it.
 */
export async function startSecretService(): Promise<SecretService> {
  const home = mkdtempSync(join(tmpdir(), 'finos-keyring-'));
  mkdirSync(join(home, 'run'), { mode: 0o700 });
  // No DISPLAY or WAYLAND_DISPLAY: an unlock prompt must fail at once, never open a window on a developer's screen.
  const env = { PATH: process.env.PATH, HOME: home, XDG_DATA_HOME: join(home, 'data'), XDG_CONFIG_HOME: join(home, 'config'), XDG_RUNTIME_DIR: join(home, 'run') };
  const script = 'printf finos-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && echo "$DBUS_SESSION_BUS_ADDRESS" && exec cat >/dev/null';
  const session = spawn('dbus-run-session', ['--', 'sh', '-c', script], { env, stdio: ['pipe', 'pipe', 'ignore'] });
  const exited = new Promise<void>((resolve) => session.once('exit', () => resolve()));
  const address = await new Promise<string>((resolve, reject) => {
    let out = '';
    session.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.trim());
    });
    session.once('exit', (code) => reject(new Error(`dbus-run-session ended (exit ${code}) before gnome-keyring started`)));
  });
  const busEnv = { PATH: process.env.PATH, DBUS_SESSION_BUS_ADDRESS: address };
  const lookupScript = `const { Entry } = require(${JSON.stringify(require.resolve('@napi-rs/keyring'))});
    process.stdout.write(JSON.stringify(new Entry('finos-ekyc', process.argv[1], { linux: { store: 'secret-service' } }).getPassword()));`;
  return {
    address,
    lookup(profile) {
      const r = spawnSync(process.execPath, ['-e', lookupScript, profile], { env: busEnv, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`keyring lookup failed: ${r.stderr}`);
      return JSON.parse(r.stdout) as string | null;
    },
    lock() {
      const args = ['--session', '--print-reply', '--dest=org.freedesktop.secrets', '/org/freedesktop/secrets', 'org.freedesktop.Secret.Service.Lock', 'array:objpath:/org/freedesktop/secrets/aliases/default'];
      const r = spawnSync('dbus-send', args, { env: busEnv, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`dbus-send Lock failed: ${r.stderr}`);
    },
    async close() {
      session.stdin.end();
      await exited;
      rmSync(home, { recursive: true, force: true });
    },
  };
}
