import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import type { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { completionScript } from '../src/cli/commands/completion.js';
import { buildProgram } from '../src/cli/program.js';
import { runCli } from './helpers/cli.js';

const ROOT = join(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'finos-completion-'));
const installed = (shell: string): boolean => spawnSync(shell, ['--version'], { stdio: 'ignore' }).status === 0;

function program(): Command {
  const sink = { write: () => true };
  return buildProgram({ stdout: sink, stderr: sink, stdin: Readable.from([]), env: {} }).program;
}

/** Every command path the program has, with the long options and subcommands `--help` would list. */
function commandPaths(cmd: Command, path: string[] = []): { path: string[]; longs: string[]; subcommands: string[] }[] {
  const help = cmd.createHelp();
  const subcommands = help.visibleCommands(cmd);
  return [
    { path, longs: help.visibleOptions(cmd).flatMap((o) => (o.long ? [o.long] : [])), subcommands: subcommands.map((c) => c.name()) },
    ...subcommands.flatMap((c) => commandPaths(c, [...path, c.name()])),
  ];
}

async function script(shell: string): Promise<string> {
  const r = await runCli(['completion', shell]);
  expect(r.code).toBe(0);
  expect(r.stderr).toBe('');
  return r.stdout;
}

/** A folder of files to complete: a name with a space, a folder, and files that do not match. */
const files = join(work, 'files');
mkdirSync(join(files, 'cards'), { recursive: true });
for (const name of ['card one.png', 'cards/back.png', 'notes.txt']) writeFileSync(join(files, name), '');

/** Profiles written by the CLI itself, plus names a hand edit could add that no shell may see. */
const configDir = join(work, 'config');
const pwned = join(work, 'pwned');
beforeAll(async () => {
  const env = { FINOS_CONFIG_DIR: configDir };
  expect((await runCli(['login', '--with-key'], { env, stdin: 'key-for-default-0123456789' })).code).toBe(0);
  expect((await runCli(['--profile', 'acme.prod', 'config', 'set', 'host', 'production'], { env })).code).toBe(0);
  const file = join(configDir, 'config.json');
  const data = JSON.parse(readFileSync(file, 'utf8')) as { profiles: Record<string, object> };
  for (const odd of [`$(touch ${pwned})`, 'two words', 'line\nbreak', '-rf']) data.profiles[odd] = {};
  writeFileSync(file, JSON.stringify(data));
});

/**
 * A folder for PATH holding `finos-ekyc`: the built CLI, as npm links it. The scripts call it back for profile
 * names, so these tests need `npm run build` first (as `npm test` does).
 */
const bin = join(work, 'bin');
mkdirSync(bin);
symlinkSync(join(ROOT, 'bin', 'finos-ekyc.js'), join(bin, 'finos-ekyc'));
const PATH = [bin, dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':');
const shellEnv = { PATH, HOME: work, FINOS_CONFIG_DIR: configDir, LANG: 'C.UTF-8' };

describe('completion --profiles (what the scripts call at Tab time)', () => {
  it('prints the profile names the CLI wrote, sorted, and leaves out names that could not be typed safely', async () => {
    const r = await runCli(['completion', '--profiles'], { env: { FINOS_CONFIG_DIR: configDir } });
    expect(r).toEqual({ code: 0, stdout: 'acme.prod\ndefault\n', stderr: '' });
  });

  it('prints no name when there is no profiles file or it is not JSON (the scripts drop stderr)', async () => {
    const corrupt = mkdtempSync(join(work, 'corrupt-'));
    writeFileSync(join(corrupt, 'config.json'), '{"profiles": ');
    for (const dir of [join(work, 'nowhere'), corrupt]) {
      const r = await runCli(['completion', '--profiles'], { env: { FINOS_CONFIG_DIR: dir } });
      expect(r.stdout).toBe('');
    }
  });

  it('without a shell, or with one it does not know, is a usage error in one line', async () => {
    const none = await runCli(['completion']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^finos-ekyc: .*completion bash, zsh or fish\n$/);
    const tcsh = await runCli(['completion', 'tcsh']);
    expect(tcsh.code).toBe(2);
    expect(tcsh.stderr).toMatch(/tcsh.*bash, zsh, fish/);
  });
});

describe('completion bash, sourced in a real bash', () => {
  let scriptFile: string;
  beforeAll(async () => {
    scriptFile = join(work, 'finos-ekyc.bash');
    writeFileSync(scriptFile, await script('bash'));
  });

  /** What bash offers for the last word, the way readline calls the function. */
  function complete(words: string[], cwd = work): string[] {
    const r = spawnSync(
      'bash',
      ['--norc', '--noprofile', '-c', 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _finos_ekyc_completions; printf "%s\\n" "${COMPREPLY[@]}"', 'bash', scriptFile, 'finos-ekyc', ...words],
      { cwd, encoding: 'utf8', env: shellEnv },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return r.stdout.split('\n').filter(Boolean);
  }

  it('completes commands and subcommands', () => {
    expect(complete(['oc'])).toEqual(['ocr']);
    expect(complete(['ocr', ''])).toEqual(['id', 'dl', 'passport', 'mrc', 'help']);
    expect(complete(['config', 'u'])).toEqual(['unset', 'use']);
    // A global option's value is not taken for a command name.
    expect(complete(['--host', 'https://gw.example.vn', 'ocr', 'pa'])).toEqual(['passport']);
  });

  it('completes a command\u2019s own options and the global ones after it', () => {
    expect(complete(['ocr', 'id', '--pr'])).toEqual(['--profile', '--prepare', '--preflight']);
    expect(complete(['ocr', 'id', '--fo'])).toEqual(['--forgery-check']);
    expect(complete(['face', 'compare', '--thr'])).toEqual(['--threshold']);
    // mock-server's own --api-key (the key it demands) stands once, where the global one would be.
    expect(complete(['mock-server', '--api'])).toEqual(['--api-key']);
  });

  it('completes the choices of an option or argument, also after --opt= (bash splits at the =)', () => {
    expect(complete(['-o', ''])).toEqual(['table', 'json', 'ndjson', 'csv']);
    expect(complete(['ocr', 'id', '--prepare', 'a'])).toEqual(['auto', 'always']);
    expect(complete(['ocr', 'id', '--preflight', '=', ''])).toEqual(['warn', 'skip', 'off']);
    expect(complete(['ocr', 'id', '--preflight', '=', 's'])).toEqual(['skip']);
    expect(complete(['completion', ''])).toEqual(['bash', 'zsh', 'fish']);
  });

  it('completes file names for images, --out and --manifest, and nothing for a value that is not a file', () => {
    // bash sorts what it shows; compgen lists in directory order.
    expect(complete(['ocr', 'id', 'car'], files).sort()).toEqual(['card one.png', 'cards']);
    expect(complete(['ocr', 'id', 'cards/'], files)).toEqual(['cards/back.png']);
    expect(complete(['ocr', 'mrc', 'card one.png', 'n'], files)).toEqual(['notes.txt']);
    expect(complete(['ocr', 'id', '--out', 'no'], files)).toEqual(['notes.txt']);
    expect(complete(['face', 'compare', '--manifest', '=', 'no'], files)).toEqual(['notes.txt']);
    expect(complete(['--host', ''], files)).toEqual([]);
    expect(complete(['history', ''], files)).toEqual([]);
    expect(complete(['config', 'get', ''], files)).toEqual([]);
  });

  it('completes profile names by asking the CLI, never running what a name holds', () => {
    expect(complete(['--profile', ''])).toEqual(['acme.prod', 'default']);
    expect(complete(['ocr', 'id', '--profile', 'd'])).toEqual(['default']);
    expect(complete(['config', 'use', ''])).toEqual(['acme.prod', 'default']);
    expect(existsSync(pwned)).toBe(false);
  });

  it('takes what the CLI prints as plain words, even if a name held shell code', () => {
    const hostile = join(work, 'hostile');
    mkdirSync(hostile);
    // Names without spaces, so that even word splitting would not defuse them.
    writeFileSync(join(hostile, 'finos-ekyc'), `#!/bin/sh\nprintf '%s\\n' '$(>${pwned})' '\`>${pwned}\`'\n`, { mode: 0o755 });
    const r = spawnSync(
      'bash',
      ['--norc', '--noprofile', '-c', 'source "$1"; COMP_WORDS=(finos-ekyc --profile ""); COMP_CWORD=2; _finos_ekyc_completions; printf "%s\\n" "${COMPREPLY[@]}"', 'bash', scriptFile],
      { encoding: 'utf8', env: { ...shellEnv, PATH: `${hostile}:${PATH}` } },
    );
    expect(r.stdout).toBe(`$(>${pwned})\n\`>${pwned}\`\n`);
    expect(existsSync(pwned)).toBe(false);
  });

  it('covers every command and option the program has, with no list kept by hand', () => {
    for (const { path, longs, subcommands } of commandPaths(program())) {
      const offered = complete([...path, '--']);
      expect(offered, path.join(' ')).toEqual(expect.arrayContaining(longs));
      if (subcommands.length) expect(complete([...path, '']), path.join(' ')).toEqual(subcommands);
    }
  });

  it('picks up a command added to the program', () => {
    const p = program();
    p.command('zz-report')
      .argument('<results...>')
      .option('--zz-format <kind>', 'a new choice')
      .action(() => {});
    const file = join(work, 'added.bash');
    writeFileSync(file, completionScript('bash', p));
    const r = spawnSync('bash', ['--norc', '--noprofile', '-c', 'source "$1"; COMP_WORDS=(finos-ekyc zz-report --zz); COMP_CWORD=2; _finos_ekyc_completions; printf "%s\\n" "${COMPREPLY[@]}"', 'bash', file], {
      encoding: 'utf8',
      env: shellEnv,
    });
    expect(r.stdout).toBe('--zz-format\n');
  });
});

describe('completion zsh', () => {
  it('is a zsh completion function naming every command', async () => {
    const text = await script('zsh');
    expect(text).toMatch(/^#compdef finos-ekyc\n/);
    for (const { path } of commandPaths(program())) {
      const pattern = path.length === 1 ? path[0] : `'${path.join(' ')}'`;
      expect(text).toContain(`\n    (${pattern})\n`);
    }
  });

  // zsh's completion system needs a terminal; with its builtins stood in for, the script's own walk runs for real.
  it.runIf(installed('zsh'))('parses in zsh, and offers what bash offers', async () => {
    const file = join(work, '_finos-ekyc');
    writeFileSync(file, await script('zsh'));
    expect(spawnSync('zsh', ['-n', file]).status).toBe(0);
    const stubs = 'compadd() { [[ $1 == -a ]] && print -rl -- ${(P)2}; }; _describe() { print -rl -- ${${(P)4}%%:*}; }; _files() { print -- "<files>"; }; compset() { :; }; compdef() { :; }';
    const complete = (words: string[]): string[] => {
      const r = spawnSync('zsh', ['-f', '-c', `${stubs}; source "$1"; shift; words=("$@"); CURRENT=$#; _finos_ekyc`, 'zsh', file, 'finos-ekyc', ...words], { encoding: 'utf8', env: shellEnv });
      expect(r.stderr).toBe('');
      return r.stdout.split('\n').filter(Boolean);
    };
    expect(complete(['ocr', ''])).toEqual(['id', 'dl', 'passport', 'mrc', 'help']);
    expect(complete(['--host', 'x', 'ocr', 'id', '-'])).toEqual(expect.arrayContaining(['--prepare', '--out', '--profile']));
    expect(complete(['-o', ''])).toEqual(['table', 'json', 'ndjson', 'csv']);
    expect(complete(['ocr', 'id', '--out', ''])).toEqual(['<files>']);
    expect(complete(['--profile', ''])).toEqual(['acme.prod', 'default']);
  });
});

describe('completion fish', () => {
  it('names every command', async () => {
    const text = await script('fish');
    for (const { path } of commandPaths(program()).slice(1)) expect(text).toContain(`-a ${path.at(-1)} `);
  });

  it.runIf(installed('fish'))('parses in fish, and `complete -C` offers what bash offers', async () => {
    const file = join(work, 'finos-ekyc.fish');
    writeFileSync(file, await script('fish'));
    expect(spawnSync('fish', ['--no-execute', file]).status).toBe(0);
    const complete = (line: string, cwd = work): string[] => {
      const r = spawnSync('fish', ['--no-config', '-c', 'source $argv[1]; complete -C $argv[2]', file, line], { cwd, encoding: 'utf8', env: shellEnv });
      expect(r.stderr).toBe('');
      return r.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.replace(/\t.*/, ''));
    };
    expect(complete('finos-ekyc oc')).toEqual(['ocr']);
    expect(complete('finos-ekyc --host https://gw.example.vn ocr pa')).toEqual(['passport']);
    expect(complete('finos-ekyc ocr ').sort()).toEqual(['dl', 'help', 'id', 'mrc', 'passport']);
    expect(complete('finos-ekyc ocr id --pr').sort()).toEqual(['--preflight', '--prepare', '--profile']);
    expect(complete('finos-ekyc ocr id -o ').sort()).toEqual(['csv', 'json', 'ndjson', 'table']);
    expect(complete('finos-ekyc ocr id car', files)).toEqual(['card one.png', 'cards/']);
    expect(complete('finos-ekyc config use ')).toEqual(['acme.prod', 'default']);
    expect(existsSync(pwned)).toBe(false);
  });
});
