import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { run } from '../src/cli/program.js';

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
    expect(r.stdout).toMatch(/idNumber/);
    expect(r.stdout).not.toContain('\u001b[');
    expect(r.stderr).toBe('');
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
});
