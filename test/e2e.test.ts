import { execFile, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { run } from '../src/cli/program.js';
import { startSimulator } from '../src/mock/index.js';
import { startConnectProxy } from './helpers/proxy.js';

/** The built program as users run it: `npm test` builds dist/ first. */
const ROOT = join(import.meta.dirname, '..');
const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [join(ROOT, 'bin', 'finos-ekyc.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, FINOS_CONFIG_DIR: join(ROOT, 'node_modules', '.e2e-config'), ...env },
    timeout: 30_000,
  });

describe('the built bin/finos-ekyc.js', () => {
  it('runs as an executable by itself, the way npm links it (shebang, mode)', () => {
    const r = spawnSync(join(ROOT, 'bin', 'finos-ekyc.js'), ['--version'], { encoding: 'utf8' });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('--version answers from package.json', () => {
    const r = cli(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });

  it('--help (answered from the file the build writes) is what the program itself prints', async () => {
    const r = cli(['--help']);
    expect(r.status).toBe(0);
    let live = '';
    const out = { write: (s: string) => (live += s) };
    await run(['--help'], { stdout: out, stderr: out, stdin: Readable.from([]), env: { NO_COLOR: '1' } });
    expect(r.stdout).toBe(live);
    expect(r.stdout).toMatch(/Exit codes:/);
  });

  // /dev/full: a stdout that refuses every write (Linux).
  it.runIf(existsSync('/dev/full'))('--help and --version say so in one line when stdout cannot be written', () => {
    for (const flag of ['--help', '--version']) {
      const full = openSync('/dev/full', 'w');
      try {
        const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'finos-ekyc.js'), flag], { stdio: ['ignore', full, 'pipe'], encoding: 'utf8' });
        expect(r.status).toBe(1);
        expect(r.stderr).toMatch(/^finos-ekyc: cannot write to stdout: ENOSPC.*\n$/);
      } finally {
        closeSync(full);
      }
    }
  });

  it('--mock ocr id prints a table, no colour into a pipe, nothing on stderr', () => {
    const r = cli(['--mock', 'ocr', 'id', 'examples/images/cccd-front.png']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/ID number/);
    expect(r.stdout).not.toContain('\u001b[');
    expect(r.stderr).toBe('');
  });

  it('an upright JPEG needs no image library: with sharp and libheif made unloadable, it is still sent; a HEIC then is not', async () => {
    const jpeg = join(mkdtempSync(join(tmpdir(), 'finos-e2e-')), 'upright.jpg');
    writeFileSync(jpeg, await sharp({ create: { width: 640, height: 400, channels: 3, background: '#c8c0a0' } }).jpeg().toBuffer());
    // A resolve hook (module.register, public since Node 20.6) that refuses both libraries, preloaded with --import.
    const hook = `export async function resolve(s, c, next) { if (s === 'sharp' || s === 'heic-decode') throw new Error('blocked: ' + s); return next(s, c); }`;
    const preload = `import { register } from 'node:module'; register('data:text/javascript;base64,${Buffer.from(hook).toString('base64')}');`;
    const blocked = (args: string[]) =>
      // --no-deprecation: Node 26 warns that module.register() is deprecated; that is this test's hook, not the program.
      spawnSync(process.execPath, ['--no-deprecation', '--import', `data:text/javascript;base64,${Buffer.from(preload).toString('base64')}`, join(ROOT, 'bin', 'finos-ekyc.js'), ...args], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
        timeout: 30_000,
      });
    const upright = blocked(['--mock', '--json', '--preflight', 'off', 'ocr', 'id', jpeg]);
    expect(upright.stderr).toBe('');
    expect(upright.status).toBe(0);
    const heic = blocked(['--mock', '--json', '--preflight', 'off', 'ocr', 'id', 'examples/images/phone.heic']);
    expect(heic.status).not.toBe(0);
    expect(heic.stderr).toMatch(/blocked: (sharp|heic-decode)/);
  });

  it('--mock never goes through a proxy the environment names (its simulator is in the process)', () => {
    const r = cli(['--mock', '--json', 'ocr', 'id', 'examples/images/cccd-front.png'], { HTTP_PROXY: 'http://127.0.0.1:9' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('FORCE_COLOR colours even into a pipe', () => {
    const r = cli(['--mock', 'ocr', 'id', 'examples/images/cccd-front.png'], { FORCE_COLOR: '1' });
    expect(r.stdout).toContain('\u001b[');
  });

  it('--json output parses, and the exit code reaches the shell', () => {
    const ok = cli(['--mock', '--json', 'face', 'compare', 'examples/images/selfie.png', 'examples/images/selfie-2.png']);
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).result.match).toBe('yes');
    const missing = cli(['--mock', 'ocr', 'id', 'examples/images/nope.png']);
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(cli(['--mock', 'ocr', 'id', 'examples/images/tiny.png']).status).toBe(4);
  });

  // The bundle carries only part of undici (scripts/undici-core.cjs), and its proxy agent loads on demand.
  it('goes through the proxy HTTP_PROXY names', async () => {
    const sim = await startSimulator({ apiKey: 'e2e-key' });
    const proxy = await startConnectProxy();
    try {
      // Not spawnSync: the simulator and the proxy answer from this process's event loop.
      const r = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const child = execFile(
          process.execPath,
          [join(ROOT, 'bin', 'finos-ekyc.js'), '--host', sim.url, '--api-key', 'e2e-key', '--json', 'face', 'liveness', 'examples/images/selfie.png'],
          { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME, HTTP_PROXY: proxy.url }, timeout: 30_000 },
          (_err, stdout) => resolve({ code: child.exitCode, stdout }),
        );
      });
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).statusCode).toBe('200');
      expect(proxy.tunnels).toEqual([new URL(sim.url).host]);
    } finally {
      proxy.close();
      await sim.close();
    }
  });
});
