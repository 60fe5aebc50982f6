import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { phonePhoto } from '../scripts/photos.mjs';
import { FileTooLargeError, UnreadableImageError, prepareImage } from '../src/index.js';
import { looksComplete, readHeader, sniffFormat } from '../src/api/image-header.js';
import { measureImage, preflightImage } from '../src/api/preflight.js';
import { runCli } from './helpers/cli.js';
import { bmp, bombPng, drawn, zeroHeightTiff } from './helpers/images.js';
import { makePng } from './helpers/png.js';
import { fingerprintOf, useSimulator } from './helpers/sim.js';

const KEY = 'photos-test-key';
const SPECIMENS = join(import.meta.dirname, '..', 'examples', 'images');
const HEIC = join(SPECIMENS, 'phone.heic');
const dir = mkdtempSync(join(tmpdir(), 'finos-photos-'));
const write = (name: string, bytes: Buffer): string => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

/** The test photos: made once for the file (a 12 MP phone photo takes about a second). */
const f: Record<string, string> = {};
beforeAll(async () => {
  f.sideways = write('sideways.jpg', await phonePhoto({ seed: 3 }));
  f.upright = write('upright.jpg', await drawn(1200, 800, 'jpeg'));
  f.webp = write('chat.webp', await drawn(1000, 700, 'webp'));
  f.scan = write('scan.png', await drawn(5000, 7000, 'png'));
  f.dark = write('dark.jpg', await drawn(1200, 800, 'jpeg', { brightness: 0.12 }));
  f.burnt = write('burnt.png', await drawn(1200, 800, 'png', { brightness: 1.3 }));
  f.bmp = write('old.bmp', bmp(800, 600));
  f.gif = write('anim.gif', await drawn(600, 400, 'gif'));
  f.tiff = write('scan.tif', await drawn(800, 600, 'tiff'));
  f.avif = write('photo.avif', await drawn(800, 600, 'avif'));
  const whole = readFileSync(f.upright);
  f.truncated = write('truncated.jpg', whole.subarray(0, Math.floor(whole.length / 2)));
  f.corruptHeic = write('corrupt.heic', Buffer.concat([readFileSync(HEIC).subarray(0, 600), Buffer.alloc(4000, 0x5a)]));
  f.bomb = write('bomb.png', bombPng(30_000));
  f.zeroTiff = write('zero.tif', zeroHeightTiff());
}, 60_000);

const meta = (bytes: Uint8Array) => sharp(bytes).metadata();

describe('image headers, read without an image library', () => {
  it('name the format by content, with a JPEG\'s size and EXIF orientation', () => {
    const sideways = readHeader(readFileSync(f.sideways!));
    expect(sideways).toEqual({ format: 'jpeg', width: 4032, height: 3024, orientation: 6 });
    expect(readHeader(readFileSync(f.upright!))).toEqual({ format: 'jpeg', width: 1200, height: 800, orientation: 1 });
    expect(readHeader(makePng({ width: 30, height: 20 }))).toEqual({ format: 'png', width: 30, height: 20, orientation: 1 });
    expect(sniffFormat(readFileSync(HEIC))).toBe('heic');
    expect(sniffFormat(readFileSync(f.avif!))).toBe('avif');
    expect(sniffFormat(readFileSync(f.webp!))).toBe('webp');
  });

  it('tell a whole JPEG or PNG from one cut short', () => {
    expect(looksComplete('jpeg', readFileSync(f.upright!), true)).toBe(true);
    expect(looksComplete('jpeg', readFileSync(f.truncated!), true)).toBe(false);
    const png = makePng({ width: 30, height: 20 });
    expect(looksComplete('png', png, true)).toBe(true);
    expect(looksComplete('png', png.subarray(0, png.length - 20), true)).toBe(false);
  });
});

describe('prepareImage', () => {
  it('auto: an upright JPEG within the limits goes byte for byte, without preparation', async () => {
    const prepared = await prepareImage(f.upright!);
    expect(prepared.preparation).toBeUndefined();
    expect('bytes' in prepared && Buffer.compare(Buffer.from(prepared.bytes), readFileSync(f.upright!))).toBe(0);
  });

  it('auto: a 12 MP photo shot sideways becomes an upright JPEG without metadata', async () => {
    const prepared = await prepareImage(f.sideways!);
    if (!('bytes' in prepared)) throw new Error('expected bytes');
    const m = await meta(prepared.bytes);
    expect(m).toMatchObject({ format: 'jpeg', width: 3024, height: 4032 });
    expect(m.orientation).toBeUndefined();
    expect(m.exif).toBeUndefined();
    expect(prepared.preparation).toEqual({
      from: { format: 'jpeg', width: 3024, height: 4032, bytes: statSync(f.sideways!).size },
      to: { format: 'jpeg', width: 3024, height: 4032, bytes: prepared.bytes.length },
      steps: ['reencode', 'orient'],
    });
    expect(prepared.filename).toBe('sideways.jpg');
  });

  it('auto: WebP, HEIC, AVIF, TIFF, BMP and GIF become JPEG; a scan over 4096 px is shrunk', async () => {
    for (const [name, from, width, height] of [
      ['webp', 'webp', 1000, 700],
      ['tiff', 'tiff', 800, 600],
      ['bmp', 'bmp', 800, 600],
      ['gif', 'gif', 600, 400],
      ['avif', 'avif', 800, 600],
    ] as const) {
      const prepared = await prepareImage(f[name]!);
      expect(prepared.mime, name).toBe('image/jpeg');
      expect(prepared.preparation, name).toMatchObject({ from: { format: from, width, height }, to: { format: 'jpeg', width, height }, steps: ['convert'] });
    }
    const heic = await prepareImage(HEIC);
    expect(heic).toMatchObject({ mime: 'image/jpeg', filename: 'phone.jpg', preparation: { from: { format: 'heic' }, to: { format: 'jpeg' }, steps: ['convert'] } });
    const scan = await prepareImage(f.scan!);
    expect(scan.preparation).toMatchObject({ from: { format: 'png', width: 5000, height: 7000 }, to: { format: 'jpeg', width: 2926, height: 4096 }, steps: ['convert', 'resize'] });
  });

  it('auto: an image over the byte limit is brought under it', async () => {
    const prepared = await prepareImage(f.sideways!, { maxUploadBytes: 400 * 1024 });
    expect(prepared.size).toBeLessThanOrEqual(400 * 1024);
    expect(prepared.preparation?.steps).toContain('resize');
  });

  it('always: every image upright, JPEG and at most 2048 px; off: the bytes as they are', async () => {
    const always = await prepareImage(f.upright!, { prepare: 'always' });
    expect(always.preparation).toMatchObject({ to: { format: 'jpeg', width: 1200, height: 800 }, steps: ['reencode'] });
    const small = await prepareImage(f.sideways!, { prepare: 'always' });
    expect(small.preparation?.to).toMatchObject({ width: 1536, height: 2048 });
    const off = await prepareImage(f.webp!, { prepare: 'off' });
    expect(off).toMatchObject({ mime: 'image/webp', size: statSync(f.webp!).size });
    expect(off.preparation).toBeUndefined();
    await expect(prepareImage(f.scan!, { prepare: 'off', maxUploadBytes: 1024 })).rejects.toBeInstanceOf(FileTooLargeError);
  });

  it('bad images fail alone with one clear error, never a crash', async () => {
    const cases: [string, RegExp][] = [
      [f.truncated!, /cut short/],
      [f.corruptHeic!, /not a readable HEIC image/],
      [f.bomb!, /over the 100 MP limit/],
      [f.zeroTiff!, /cannot be decoded/],
    ];
    for (const [path, message] of cases) {
      const err = await prepareImage(path).catch((e: unknown) => e);
      expect(err, path).toBeInstanceOf(UnreadableImageError);
      expect((err as Error).message, path).toMatch(message);
      expect((err as Error).message.split('\n')).toHaveLength(1);
    }
  });
});

describe('pre-flight checks', () => {
  it('flag the blurry specimen and pass every sharp one', async () => {
    const sharpOnes = readdirSync(SPECIMENS).filter((n) => n.endsWith('.png') && n !== 'cccd-blurry.png' && n !== 'tiny.png');
    expect(sharpOnes.length).toBeGreaterThan(8);
    for (const name of sharpOnes) expect(await preflightImage(join(SPECIMENS, name)), name).toEqual([]);
    expect((await preflightImage(join(SPECIMENS, 'cccd-blurry.png'))).map((x) => x.code)).toEqual(['blurred']);
  });

  it('flag a tiny, a dark and a burnt-out image, and a phone photo passes', async () => {
    expect((await preflightImage(join(SPECIMENS, 'tiny.png'))).map((x) => x.code)).toContain('too-small');
    expect((await preflightImage(f.dark!)).map((x) => x.code)).toEqual(['too-dark']);
    expect((await preflightImage(f.burnt!)).map((x) => x.code)).toEqual(['overexposed']);
    expect(await preflightImage(f.sideways!)).toEqual([]);
    // Measured upright: the sideways photo's short side is its stored height.
    expect((await measureImage(f.sideways!)).shortSide).toBe(3024);
  });
});

describe('finos-ekyc with real photos', () => {
  const simulator = useSimulator({ apiKey: KEY });
  const cli = (argv: string[]) => runCli(['--host', simulator().url, ...argv], { env: { FINOS_API_KEY: KEY } });

  it('an iPhone HEIC, a sideways phone JPEG, a chat-app WebP and an oversize scan reach the API upright, as JPEG, within the limits', async () => {
    const sim = simulator();
    for (const path of [HEIC, f.sideways!, f.webp!, f.scan!]) {
      const r = await cli(['ocr', 'id', path, '--json']);
      expect(r.code, `${path}: ${r.stderr}`).toBe(0);
      const sent = sim.requests.at(-1)!.files[0]!;
      expect(sent, path).toMatchObject({ format: 'jpeg', contentType: 'image/jpeg' });
      expect(sent.size).toBeLessThanOrEqual(10 * 1024 * 1024);
      expect(Math.max(sent.width!, sent.height!)).toBeLessThanOrEqual(4096);
    }
    // The card in the sideways photo is portrait once upright.
    const sideways = sim.requests.at(-3)!.files[0]!;
    expect(sideways.height!).toBeGreaterThan(sideways.width!);
  });

  it('an upright small JPEG reaches the API byte for byte; NDJSON says what was prepared, and only then', async () => {
    const sim = simulator();
    const folder = join(dir, 'mixed');
    mkdirSync(folder);
    writeFileSync(join(folder, 'a-upright.jpg'), readFileSync(f.upright!));
    writeFileSync(join(folder, 'b-chat.webp'), readFileSync(f.webp!));
    const r = await cli(['ocr', 'id', folder, '-o', 'ndjson', '--preflight', 'off']);
    expect(r.code, r.stderr).toBe(0);
    const records = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { file: string; prepared?: { from: { format: string }; to: { format: string }; steps: string[] } });
    const byFile = Object.fromEntries(records.map((x) => [x.file.split('/').at(-1), x]));
    expect(byFile['a-upright.jpg']!.prepared).toBeUndefined();
    expect(byFile['b-chat.webp']!.prepared).toMatchObject({ from: { format: 'webp' }, to: { format: 'jpeg' }, steps: ['convert'] });
    const uploads = sim.requests.slice(-2).flatMap((x) => x.files);
    expect(uploads.map((u) => u.fingerprint)).toContain(fingerprintOf(readFileSync(f.upright!)));
  });

  it('shows what was prepared in the table', async () => {
    const r = await cli(['ocr', 'id', HEIC, '--preflight', 'off']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^prepared: HEIC \d+×\d+ \d+ KB → JPEG \d+×\d+ \d+ KB$/m);
  });

  it('bad images fail alone: one line each, exit 2 for one, the batch goes on and sends only the good', async () => {
    const sim = simulator();
    const single = await cli(['ocr', 'id', f.bomb!]);
    expect(single.code).toBe(2);
    expect(single.stderr.trim().split('\n')).toHaveLength(1);
    const folder = join(dir, 'bad');
    mkdirSync(folder);
    for (const name of ['truncated', 'corruptHeic', 'bomb', 'zeroTiff']) writeFileSync(join(folder, f[name]!.split('/').at(-1)!), readFileSync(f[name]!));
    writeFileSync(join(folder, 'good.jpg'), readFileSync(f.upright!));
    const before = sim.stats().total;
    const r = await cli(['ocr', 'id', folder, '-o', 'ndjson']);
    expect(r.code).toBe(1);
    const records = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { file: string; ok: boolean; error?: { code: string } });
    expect(records).toHaveLength(5);
    expect(records.filter((x) => x.ok).map((x) => x.file.split('/').at(-1))).toEqual(['good.jpg']);
    expect(records.filter((x) => !x.ok).map((x) => x.error?.code)).toEqual(Array(4).fill('unreadable_image'));
    expect(sim.stats().total - before).toBe(1);
  });

  it('--preflight skip sends nothing for the blurry, dark and tiny images; a later run with --preflight off sends them', async () => {
    const sim = simulator();
    const folder = join(dir, 'poor');
    mkdirSync(folder);
    for (const [name, from] of [
      ['blurry.png', join(SPECIMENS, 'cccd-blurry.png')],
      ['dark.jpg', f.dark!],
      ['tiny.png', join(SPECIMENS, 'tiny.png')],
    ] as const) writeFileSync(join(folder, name), readFileSync(from));
    const out = join(dir, 'poor.jsonl');
    const before = sim.stats().total;
    const skipped = await cli(['ocr', 'id', folder, '--preflight', 'skip', '--out', out]);
    expect(skipped.code).toBe(1);
    expect(sim.stats().total - before).toBe(0);
    expect(skipped.stderr.match(/not sent/g)).toHaveLength(3);
    const records = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { outcome: string; preflight: { code: string }[] });
    expect(records.map((x) => x.outcome)).toEqual(['skipped', 'skipped', 'skipped']);
    expect(records.flatMap((x) => x.preflight.map((p) => p.code)).sort()).toEqual(['blurred', 'too-dark', 'too-small']);
    const sent = await cli(['ocr', 'id', folder, '--preflight', 'off', '--out', out]);
    // tiny.png is under the API's 64 px: sent, and answered "not detected".
    expect(sent.code).toBe(1);
    expect(sim.stats().total - before).toBe(3);
  });

  it('--preflight warn says so on stderr, sends anyway and notes it in the record', async () => {
    const r = await cli(['ocr', 'id', join(SPECIMENS, 'cccd-blurry.png'), '-o', 'ndjson']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^warning .*cccd-blurry\.png: blurred \(sharpness 0\.\d+, at least 0\.1\)/m);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, preflight: [{ code: 'blurred' }] });
  });
});
