import { execFile } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, type Duplex } from 'node:stream';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FinosClient } from '../src/index.js';
import { run } from '../src/cli/program.js';
import type { Simulator } from '../src/mock/index.js';
import { useSimulator } from './helpers/sim.js';
import { runCli } from './helpers/cli.js';
import { makePng } from './helpers/png.js';

const KEY = 'cli-test-key-abcdefghij';
const img = (name: string) => join(import.meta.dirname, '..', 'examples', 'images', name);
const CARD = img('cccd-front.png');
const BLURRY = img('cccd-blurry.png');
const SELFIE = img('selfie.png');
const SELFIE_2 = img('selfie-2.png');
const OTHER = img('selfie-other.png');
const TINY = img('tiny.png');
const work = mkdtempSync(join(tmpdir(), 'finos-cli-'));

const simulator = useSimulator({ apiKey: KEY });
let sim: Simulator;
beforeEach(() => {
  sim = simulator();
});
/** Against the shared simulator, with the key in the environment as a script would have it. */
const api = (argv: string[], env: NodeJS.ProcessEnv = {}) => runCli(['--host', sim.url, ...argv], { env: { FINOS_API_KEY: KEY, ...env } });
const last = () => sim.requests[sim.requests.length - 1]!;

describe('help and usage', () => {
  it('--help lists the commands, the exit codes and the environment', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const word of ['ocr', 'face', 'index', 'search', 'history', 'mock-server', 'login', 'config', 'Exit codes', 'FINOS_API_KEY', '130']) {
      expect(r.stdout).toContain(word);
    }
    expect(r.stdout).toMatch(/process list/);
  });

  it('--version prints the package version', async () => {
    const r = await runCli(['--version']);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(r.code).toBe(0);
  });

  it('an unknown command or option is a one-line usage error, exit 2, nothing on stdout', async () => {
    for (const argv of [['ocr', 'nope'], ['ocr', 'id', CARD, '--bogus'], ['frobnicate']]) {
      const r = await runCli(argv);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^finos-ekyc: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('a bad option value is exit 2', async () => {
    const r = await runCli(['--mock', 'face', 'compare', SELFIE, OTHER, '--threshold', '100']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/threshold/);
  });
});

describe('ocr', () => {
  it('--mock prints a readable table with Vietnamese text intact and the summary explained', async () => {
    const r = await runCli(['--mock', 'ocr', 'id', CARD]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ID number\s*│?\s*\d{12}/);
    expect(r.stdout).toMatch(/[ĐđƯưƠơÀ-ỹ]/);
    expect(r.stdout).toMatch(/PASS/i);
    expect(r.stdout).not.toContain('\u001b['); // no colour when not a terminal
  });

  it('sends the fields the options ask for, the key header, and the transaction id', async () => {
    const r = await api(['ocr', 'id', CARD, '--address-split', '--quality-check', '--transaction-id', 'tx-cli']);
    expect(r.code).toBe(0);
    const req = last();
    expect(req.path).toBe('/ekyc/ocr/v2/nationalID');
    expect(req.fields).toMatchObject({ enableAddressSplit: 'yes', qualityCheck: 'yes' });
    expect(req.apiKeyPresent).toBe(true);
    expect(req.headers.transactionid).toBe('tx-cli');
  });

  it('--json prints the body as received; global options work after the subcommand too', async () => {
    const r = await runCli(['ocr', 'id', CARD, '--mock', '--json']);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body.status).toBe('success');
    expect(body.result.details[0].fieldsExtracted.idNumber['to-be-reviewed']).toBeDefined();
  });

  it('several inputs give one NDJSON record per input', async () => {
    const r = await api(['--json', 'ocr', 'id', CARD, BLURRY, TINY]);
    const records = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(records.map((x) => x.file).sort()).toEqual([BLURRY, CARD, TINY].sort());
    const tiny = records.find((x) => x.file === TINY);
    expect(tiny).toMatchObject({ ok: false, httpStatus: 422, error: { code: 'not_detected' } });
    const card = records.find((x) => x.file === CARD);
    expect(card).toMatchObject({ ok: true, httpStatus: 200 });
    expect(card.requestId).toBeTruthy();
    expect(card.transactionId).toBeTruthy();
    expect(card.durationMs).toBeTypeOf('number');
    expect(card.response.status).toBe('success');
    expect(r.code).toBe(1); // one input failed
  });

  it('-o csv: one row per input, file first, quoted by a CSV library', async () => {
    const r = await api(['-o', 'csv', 'ocr', 'id', CARD, BLURRY]);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]!.startsWith('file,')).toBe(true);
    expect(lines[0]).toContain('idNumber');
    expect(lines).toHaveLength(3);
    expect(r.code).toBe(0);
  });

  it('dl, passport and mrc reach their endpoints', async () => {
    expect((await api(['ocr', 'dl', img('driver-license.png')])).code).toBe(0);
    expect(last().path).toBe('/ekyc/ocr/v1/readDL');
    expect((await api(['ocr', 'passport', img('passport.png')])).code).toBe(0);
    expect(last().path).toBe('/ekyc/ocr/v1/readVNPassport');
    const mrc = await api(['ocr', 'mrc', img('mrc-front.png'), img('mrc-back.png')]);
    expect(mrc.code).toBe(0);
    expect(last().files.map((f) => f.field).sort()).toEqual(['image1', 'image2']);
  });
});

describe('exit codes', () => {
  it('2: a missing, empty or non-image file; nothing is sent', async () => {
    const empty = join(work, 'empty.png');
    writeFileSync(empty, '');
    const text = join(work, 'notes.jpg');
    writeFileSync(text, 'not an image');
    for (const f of [join(work, 'missing.png'), empty, text]) {
      const r = await api(['ocr', 'id', f]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(f);
      expect(r.stdout).toBe('');
    }
    expect(sim.stats().total).toBe(0);
  });

  it('3: a wrong key, with a hint to log in; the key never appears', async () => {
    const r = await runCli(['--host', sim.url, '--api-key', 'wrong-key-xyz-123456', 'ocr', 'id', CARD]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/login/);
    expect(r.stderr + r.stdout).not.toContain('wrong-key-xyz-123456');
  });

  it('3: no key at all, before anything is sent', async () => {
    const r = await runCli(['--host', sim.url, 'ocr', 'id', CARD]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/no API key/);
    expect(sim.stats().total).toBe(0);
  });

  it('4: not detected', async () => {
    const r = await api(['ocr', 'id', TINY]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/not detected/i);
  });

  it('5: rate limited after retries', async () => {
    sim.injectFaults({ status: 429, retryAfter: 0, count: 3 });
    const r = await api(['--retries', '2', 'face', 'liveness', SELFIE]);
    expect(r.code).toBe(5);
    expect(sim.stats().total).toBe(3);
  });

  it('1: a server failure after retries', async () => {
    sim.injectFaults({ status: 503, count: 2 });
    const r = await api(['--retries', '1', 'ocr', 'id', CARD]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/HTTP 503/);
  });

  it('10: --strict and a verdict that needs review; 0 without --strict', async () => {
    // blur is only looked for when the quality check is asked for, as the reference describes
    expect((await api(['ocr', 'id', BLURRY, '--quality-check'])).code).toBe(0);
    const strict = await api(['--strict', 'ocr', 'id', BLURRY, '--quality-check']);
    expect(strict.code).toBe(10);
    expect(strict.stdout).toMatch(/048/);
    expect(strict.stdout).toMatch(/CMND\/CCCD bị mờ/);
    expect((await api(['--strict', 'ocr', 'id', CARD, '--quality-check'])).code).toBe(0);
  });

  it('2: a key is never sent over plain http to a remote host', async () => {
    const r = await runCli(['--host', 'http://api.example.com', '--api-key', KEY, 'ocr', 'id', CARD]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/plain http/);
  });

  it('2: nor to a host that only looks like loopback, and nothing is sent, even through a proxy', async () => {
    // A proxy in the environment would carry any request the command made (these hosts resolve nowhere here): it
    // notes and refuses each one at once.
    const asked: string[] = [];
    const proxy = createServer((req, res) => {
      asked.push(req.url ?? '');
      res.writeHead(403).end();
    });
    proxy.on('connect', (req: IncomingMessage, socket: Duplex) => {
      asked.push(req.url ?? '');
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    vi.stubEnv('HTTP_PROXY', `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`);
    try {
      for (const host of ['127.evil.com', '127.0.0.1.nip.io', 'localhost.evil.com', '127.1.evil']) {
        const r = await runCli(['--host', `http://${host}`, '--api-key', KEY, '--retries', '0', 'ocr', 'id', CARD]);
        expect(r.code, host).toBe(2);
        expect(r.stderr).toBe(`finos-ekyc: refusing to send the API key over plain http to ${host}: use https (only loopback hosts may use http)\n`);
      }
      const unparsable = await runCli(['--host', 'http://[::1].evil', '--api-key', KEY, 'ocr', 'id', CARD]);
      expect(unparsable.code).toBe(2);
      expect(unparsable.stderr).toMatch(/^finos-ekyc: --host: host "http:\/\/\[::1\]\.evil" is not a URL/);
      expect(asked).toEqual([]);
    } finally {
      vi.unstubAllEnvs();
      proxy.close();
    }
  });

  it('0: 127.0.0.1 spelled as one number or in hex is loopback (the URL parser reads it so), and gets the key', async () => {
    for (const spelled of ['2130706433', '0x7f000001']) {
      const r = await runCli(['--host', `http://${spelled}:${sim.port}`, '--api-key', KEY, 'ocr', 'id', CARD]);
      expect(r.code, spelled).toBe(0);
      expect(last().apiKeyPresent).toBe(true);
    }
  });
});

describe('an unreadable file', () => {
  const BIN = join(import.meta.dirname, '..', 'bin', 'finos-ekyc.js');
  /** Root reads any file whatever its mode (and tests run as root here and in CI): the built CLI then runs as nobody. */
  function unprivileged(): { uid?: number; gid?: number } {
    if (process.getuid?.() !== 0) return {};
    const nobody = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('nobody:'))?.split(':') ?? [];
    return { uid: Number(nobody[2] ?? 65534), gid: Number(nobody[3] ?? 65534) };
  }

  it('is one line on stderr, exit 2, and nothing sent; the same command on a readable copy works', async () => {
    const user = unprivileged();
    const dir = mkdtempSync(join(tmpdir(), 'finos-unreadable-'));
    chmodSync(dir, 0o755);
    const config = join(dir, 'config');
    mkdirSync(config);
    if (user.uid !== undefined) chownSync(config, user.uid, user.gid!);
    const readable = join(dir, 'card.png');
    const locked = join(dir, 'locked.png');
    copyFileSync(CARD, readable);
    copyFileSync(CARD, locked);
    chmodSync(locked, 0o000);
    const cli = (file: string) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        const env = { PATH: process.env.PATH, HOME: dir, NO_COLOR: '1', FINOS_API_KEY: KEY, FINOS_CONFIG_DIR: config };
        execFile(process.execPath, [BIN, '--host', sim.url, 'ocr', 'id', file], { env, cwd: dir, ...user }, (err, stdout, stderr) =>
          resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
        );
      });
    const ok = await cli(readable);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(sim.stats().total).toBe(1);
    const r = await cli(locked);
    expect(r.stderr).toBe(`finos-ekyc: ${locked}: cannot be read (EACCES)\n`);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(sim.stats().total).toBe(1);
  });
});

describe('face, index, search, history', () => {
  it('compare: selfies, the threshold header, and --strict on no match', async () => {
    const same = await api(['face', 'compare', SELFIE, SELFIE_2, '--threshold', '70']);
    expect(same.code).toBe(0);
    expect(last().headers.threshold).toBe('70');
    expect(last().fields.type).toBe('selfie');
    expect(same.stdout).toMatch(/match/i);
    expect((await api(['--strict', 'face', 'compare', SELFIE, OTHER])).code).toBe(10);
  });

  it('compare --id sends selfie and id', async () => {
    const r = await api(['face', 'compare', SELFIE, '--id', CARD]);
    expect(r.code).toBe(0);
    expect(last().files.map((f) => f.field).sort()).toEqual(['id', 'selfie']);
  });

  it('compare with a wrong number of images is a usage error', async () => {
    expect((await api(['face', 'compare', SELFIE])).code).toBe(2);
    expect(sim.stats().total).toBe(0);
  });

  it('liveness: a screen capture is not live', async () => {
    const r = await api(['--strict', 'face', 'liveness', img('selfie-screen.png')]);
    expect(r.code).toBe(10);
    expect(r.stdout).toMatch(/not live|no/i);
  });

  it('index then search: ranked ids, face URLs hidden unless asked', async () => {
    const partition = `cli-${Date.now()}`;
    expect((await api(['index', SELFIE, '--number-id', 'c-1', '--partition', partition])).code).toBe(0);
    expect((await api(['index', OTHER, '--number-id', 'c-2', '--partition', partition])).code).toBe(0);
    const r = await api(['search', SELFIE_2, '--partition', partition]);
    expect(r.code).toBe(0);
    expect(r.stdout.indexOf('c-1')).toBeLessThan(r.stdout.indexOf('c-2'));
    expect(r.stdout).not.toMatch(/X-Amz-Signature/);
    const shown = await api(['search', SELFIE_2, '--partition', partition, '--show-urls']);
    expect(shown.stdout).toMatch(/X-Amz-Signature/);
    const dup = await api(['index', OTHER, '--number-id', 'c-1', '--partition', partition]);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/duplicated/);
  });

  it('history shows earlier calls by requestId', async () => {
    const ocr = JSON.parse((await api(['--json', 'ocr', 'id', CARD])).stdout);
    const r = await api(['history', ocr.requestId]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('OCR_NATIONALID');
    expect(last().fields.requestIds).toBe(ocr.requestId);
  });
});

describe('profiles and keys', () => {
  const env = { FINOS_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'finos-profile-')) };

  // --insecure-storage: the OS keychain is tested in keychain.test.ts on a private Secret Service, never the developer's.
  it('login --with-key --insecure-storage stores the key (0600), config list masks it, calls use it, logout removes it', async () => {
    const login = await runCli(['login', '--with-key', '--insecure-storage', '--profile', 'work'], { env, stdin: `${KEY}\n` });
    expect(login.code).toBe(0);
    expect(login.stderr + login.stdout).not.toContain(KEY);
    const path = (await runCli(['config', 'path'], { env })).stdout.trim();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const list = await runCli(['config', 'list'], { env });
    expect(list.stdout).toContain('work');
    expect(list.stdout).not.toContain(KEY);
    expect(list.stdout).toContain('    apiKey = cli-…ghij (file)\n');
    expect((await runCli(['config', 'get', 'apiKey', '--profile', 'work'], { env })).stdout).toBe('cli-…ghij\n');
    await runCli(['config', 'set', 'host', sim.url, '--profile', 'work'], { env });
    const call = await runCli(['--profile', 'work', 'ocr', 'id', CARD], { env });
    expect(call.code).toBe(0);
    expect(last().apiKeyPresent).toBe(true);
    const logout = await runCli(['logout', '--profile', 'work'], { env });
    expect(logout.code).toBe(0);
    expect(logout.stderr).toBe(`removed the key of profile "work" from ${path}\n`);
    expect((await runCli(['--profile', 'work', 'ocr', 'id', CARD], { env })).code).toBe(3);
    expect((await runCli(['logout', '--profile', 'work'], { env })).stderr).toBe('profile "work" has no stored key\n');
  });

  it('config list shows profile names and values from a hand-edited file escaped, never as terminal controls', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'finos-profile-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ profiles: { 'evil\u001b]52;c;aGk=\u0007': { host: 'x\u202ey' } } }));
    const r = await runCli(['config', 'list'], { env: { FINOS_CONFIG_DIR: dir } });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('  evil\\x1b]52;c;aGk=\\x07\n    host = x\\u202ey\n');
  });

  it('flag beats environment beats profile', async () => {
    await runCli(['config', 'set', 'host', 'http://127.0.0.1:9', '--profile', 'p2'], { env });
    const viaEnv = await runCli(['--profile', 'p2', 'ocr', 'id', CARD], { env: { ...env, FINOS_HOST: sim.url, FINOS_API_KEY: KEY } });
    expect(viaEnv.code).toBe(0);
    const viaFlag = await runCli(['--profile', 'p2', '--host', sim.url, 'ocr', 'id', CARD], { env: { ...env, FINOS_HOST: 'http://127.0.0.1:9', FINOS_API_KEY: KEY } });
    expect(viaFlag.code).toBe(0);
  });

  it('config set rejects an unknown key or a bad value with exit 2', async () => {
    expect((await runCli(['config', 'set', 'colour', 'red'], { env })).code).toBe(2);
    expect((await runCli(['config', 'set', 'threshold', '500'], { env })).code).toBe(2);
  });

  it('--debug traces the HTTP calls on stderr with the key redacted', async () => {
    const r = await api(['--debug', 'face', 'liveness', SELFIE]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/debug: → POST .*liveness/);
    expect(r.stderr).toMatch(/debug: ← 200/);
    expect(r.stderr).not.toContain(KEY);
    expect(r.stderr).toContain('[redacted]');
  });
});

describe('mock-server', () => {
  it('prints its URL on stdout, serves the API with the key it was given, and stops on Ctrl-C', async () => {
    const stop = new AbortController();
    const out = { text: '', write(s: string) { this.text += s; return true; } };
    const err = { text: '', write(s: string) { this.text += s; return true; } };
    const running = run(['mock-server', '--port', '0', '--api-key', 'srv-key-1234567890'], {
      stdout: out,
      stderr: err,
      stdin: Readable.from([]),
      env: { NO_COLOR: '1' },
      interrupt: stop.signal,
    });
    for (let i = 0; i < 100 && !out.text.includes('\n'); i++) await new Promise((r) => setTimeout(r, 20));
    const url = out.text.trim();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const client = new FinosClient({ host: url, apiKey: 'srv-key-1234567890' });
    expect((await client.face.liveness(SELFIE)).httpStatus).toBe(200);
    await expect(new FinosClient({ host: url, apiKey: 'other-key-1234567' }).face.liveness(SELFIE)).rejects.toThrow();
    await client.close();
    stop.abort();
    expect(await running).toBe(0);
    expect(err.text).toMatch(/listening/);
  });
});

describe('a file given as bytes the simulator has never seen', () => {
  it('is handled deterministically', async () => {
    const p = join(work, 'fresh.png');
    writeFileSync(p, makePng({ width: 300, height: 200, seed: 42 }));
    const a = JSON.parse((await api(['--json', 'ocr', 'id', p])).stdout);
    const b = JSON.parse((await api(['--json', 'ocr', 'id', p])).stdout);
    expect(a.result.details[0].fieldsExtracted).toEqual(b.result.details[0].fieldsExtracted);
  });
});

