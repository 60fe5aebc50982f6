import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportData } from '../src/ui/report/model.js';
import { hasChromium, launchBrowser, NO_CHROMIUM, openReport, SCREENSHOTS, type Browser } from './helpers/browser.js';
import { runCli } from './helpers/cli.js';
import { makePng } from './helpers/png.js';
import { useSimulator } from './helpers/sim.js';

const KEY = 'report-test-key-abcdefgh';
const ROOT = join(import.meta.dirname, '..');
const EXAMPLES = join(ROOT, 'examples', 'images');
const work = mkdtempSync(join(tmpdir(), 'finos-report-'));
const photos = join(work, 'photos');
const simulator = useSimulator({ apiKey: KEY });
const api = (argv: string[]) => runCli(['--host', simulator().url, '-q', '--preflight', 'off', ...argv], { env: { FINOS_API_KEY: KEY } });
const report = (argv: string[], env: NodeJS.ProcessEnv = {}) => runCli(['report', ...argv], { env });

const HOSTILE_NAME = '<img src=x onerror=alert(1)>';
const HOSTILE_DIR = 'x</script><script>alert(2)</script>/';
const HOSTILE_BASE = 'evil<img src=y onerror=alert(6)>.png';
/** A card whose name the API flags to be reviewed: the flag the list and the detail view must show. */
const FLAGGED = join(photos, 'flagged-name.png');
const EXPIRED = join(photos, 'expired.png');

const results = { ocr: join(work, 'ocr.jsonl'), compare: join(work, 'compare.jsonl'), liveness: join(work, 'liveness.jsonl') };
let ocrRecords: Record<string, unknown>[] = [];

/** The data block of a report, as the page's script reads it. */
function dataOf(file: string): ReportData {
  const html = readFileSync(file, 'utf8');
  const block = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  if (!block) throw new Error(`${file}: no data block`);
  return JSON.parse(block[1]!) as ReportData;
}

/** What the tests read of an <img> in the page (the project compiles without the DOM's types). */
interface Photo {
  naturalWidth: number;
  loading: string;
  decode(): Promise<void>;
  getAttribute(name: string): string | null;
}

const readRecords = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => {
  mkdirSync(photos);
  for (const name of ['cccd-front.png', 'cccd-back.png', 'selfie.png', 'selfie-2.png', 'selfie-other.png', 'selfie-screen.png', 'tiny.png']) copyFileSync(join(EXAMPLES, name), join(photos, name));
  writeFileSync(FLAGGED, makePng({ width: 480, height: 300, seed: 1, marker: 'doc=cccd_chip_front,review=name,person=f' }));
  writeFileSync(EXPIRED, makePng({ width: 480, height: 300, seed: 2, marker: 'doc=cccd_chip_front,expired,glare,person=e' }));
  await api(['ocr', 'id', photos, '--quality-check', '--address-split', '--out', results.ocr]);
  const pairs = join(work, 'pairs.csv');
  const p = (n: string) => join(photos, n);
  writeFileSync(pairs, `image1,image2\n${p('selfie.png')},${p('selfie-2.png')}\n${p('selfie.png')},${p('selfie-other.png')}\n${p('selfie-2.png')},${p('selfie-other.png')}\n`);
  await api(['face', 'compare', '--manifest', pairs, '--out', results.compare]);
  await api(['face', 'liveness', p('selfie.png'), p('selfie-screen.png'), p('selfie-other.png'), '--out', results.liveness]);
  ocrRecords = readRecords(results.ocr);
  expect(ocrRecords).toHaveLength(9);
});

describe('finos-ekyc report: the file', () => {
  it('is one self-contained page of mode 0600 with a personal-data banner, a strict CSP and its path on stdout', async () => {
    const out = join(work, 'all.html');
    const r = await report([results.ocr, results.compare, results.liveness, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${out}\n`);
    expect(r.stderr).toMatch(/report: 15 inputs \(6 ok, 4 review, 5 not detected\).*personal data/s);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; img-src data: file: &#39;self&#39;; style-src &#39;sha256-[^"]+&#39;; script-src &#39;sha256-/);
    expect(html).toContain('This file holds personal data');
    // Nothing to fetch: no external script, style sheet, font or link; the only URL is the SVG namespace name.
    expect(html).not.toMatch(/<link|<script[^>]+src=|@import|url\(/i);
    expect(html.match(/https?:\/\/[^\s"')]+/g) ?? []).toEqual(['http://www.w3.org/2000/svg']);
    const data = dataOf(out);
    expect(data.totals).toEqual({ ok: 6, review: 4, not_detected: 5, failed: 0, skipped: 0 });
    expect(data.rows).toHaveLength(15);
  });

  it('reads each record with the typed readers: key fields, review flags, local findings, codes in Vietnamese and English', async () => {
    const out = join(work, 'ocr.html');
    expect((await report([results.ocr, '--out', out])).code).toBe(0);
    const data = dataOf(out);
    const flagged = data.rows.find((r) => r.file === FLAGGED)!;
    // The summary passed it: the flag is the API's only word on it.
    expect(flagged.outcome).toBe('ok');
    expect(flagged.reviewFlags).toEqual(['name']);
    expect(flagged.keyMarks).toEqual({ name: 1 });
    const expired = data.rows.find((r) => r.file === EXPIRED)!;
    expect(expired.findings?.map((f) => f.code)).toContain('expired');
    expect(expired.summary?.codes.map(([code]) => code)).toEqual(expect.arrayContaining(['049', '061']));
    expect(data.codes['049']).toEqual({ vi: 'CMND/CCCD bị chói sáng', en: 'ID card image has glare', check: 'Quality Check' });
    const tiny = data.rows.find((r) => r.file.endsWith('tiny.png'))!;
    expect(tiny).toMatchObject({ outcome: 'not_detected', error: { code: 'not_detected', status: 422 } });
    const front = data.rows.find((r) => r.file.endsWith('cccd-front.png'))!;
    const record = ocrRecords.find((r) => r.file === front.file) as { response: { result: { details: { fieldsExtracted: Record<string, { value: string }> }[] } } };
    const fields = record.response.result.details[0]!.fieldsExtracted;
    expect(front.key).toEqual({ idNumber: fields.idNumber!.value, name: fields.name!.value, dob: fields.dob!.value, expiry: fields.doe!.value });
    // Photos link to the originals, relative to the report's folder.
    expect(data.images[front.images[0]!]).toEqual({ state: 'link', src: 'photos/cccd-front.png' });
  });

  it('draws face-compare scores and liveness verdicts from the answers', async () => {
    const out = join(work, 'faces.html');
    expect((await report([results.compare, results.liveness, '--out', out, '--threshold', '80'])).code).toBe(0);
    const data = dataOf(out);
    const scores = readRecords(results.compare).map((r) => (r.response as { result: { match_score: number } }).result.match_score);
    expect(data.compare?.threshold).toBe(80);
    expect(data.compare?.bins.reduce((n, b) => n + b.match + b.noMatch, 0)).toBe(scores.length);
    for (const s of scores) {
      const bin = data.compare!.bins.find((b) => b.from === Math.floor(s / 5) * 5)!;
      expect(bin.match + bin.noMatch).toBeGreaterThan(0);
    }
    expect(data.liveness).toEqual({ live: 2, liveReview: 0, notLive: 1 });
    const pair = data.rows.find((r) => r.compare)!;
    expect(pair.images).toHaveLength(2);

    // Without a threshold, the API's own answers bound it: above the best no-match, at most the worst match.
    const unknown = join(work, 'faces-band.html');
    expect((await report([results.compare, '--out', unknown])).code).toBe(0);
    const matched = readRecords(results.compare).map((r) => (r.response as { result: { match: string; match_score: number } }).result);
    const band = dataOf(unknown).compare!;
    expect(band.threshold).toBeUndefined();
    expect(band.band).toEqual({
      low: Math.max(...matched.filter((m) => m.match === 'no').map((m) => m.match_score)),
      high: Math.min(...matched.filter((m) => m.match === 'yes').map((m) => m.match_score)),
    });

    // The profile's threshold is the one its calls used.
    const config = mkdtempSync(join(tmpdir(), 'finos-report-config-'));
    expect((await runCli(['config', 'set', 'threshold', '85'], { env: { FINOS_CONFIG_DIR: config } })).code).toBe(0);
    const fromProfile = join(work, 'faces-profile.html');
    expect((await report([results.compare, '--out', fromProfile], { FINOS_CONFIG_DIR: config })).code).toBe(0);
    expect(dataOf(fromProfile).compare!.threshold).toBe(85);
  });

  it('keeps the latest answer for an input within a file, and counts lines that are not records', async () => {
    const mixed = join(work, 'resumed.jsonl');
    const ok = ocrRecords.find((r) => String(r.file).endsWith('cccd-front.png'))!;
    const failed = { file: ok.file, ok: false, outcome: 'failed', durationMs: 3, error: { code: 'server_error', status: 503, message: 'Service Unavailable' } };
    writeFileSync(mixed, [JSON.stringify(failed), 'not json', JSON.stringify({ some: 'object' }), JSON.stringify(ok), '{"file":"torn'].join('\n'));
    const out = join(work, 'resumed.html');
    const r = await report([mixed, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/3 lines were not results records/);
    const data = dataOf(out);
    expect(data.rows).toHaveLength(1);
    expect(data.rows[0]).toMatchObject({ outcome: 'ok', line: 4 });
    expect(data.sources[0]).toMatchObject({ records: 2, replaced: 1, unreadable: [2, 3, 5], unreadableCount: 3 });
  });

  it('replaces only an earlier report: never a results file, never through a symbolic link', async () => {
    const before = readFileSync(results.ocr, 'utf8');
    const intoResults = await report([results.ocr, '--out', results.ocr]);
    expect(intoResults.code).toBe(2);
    expect(intoResults.stderr).toMatch(/ocr\.jsonl exists and is not a finos-ekyc report: choose another --out/);
    expect(readFileSync(results.ocr, 'utf8')).toBe(before);

    const target = join(work, 'elsewhere.txt');
    writeFileSync(target, 'keep me');
    const link = join(work, 'link.html');
    symlinkSync(target, link);
    const viaLink = await report([results.ocr, '--out', link]);
    expect(viaLink.code).toBe(2);
    expect(viaLink.stderr).toMatch(/link\.html is a symbolic link/);
    expect(readFileSync(target, 'utf8')).toBe('keep me');

    const again = join(work, 'again.html');
    expect((await report([results.compare, '--out', again])).code).toBe(0);
    chmodSync(again, 0o644);
    expect((await report([results.liveness, '--out', again])).code).toBe(0);
    expect(dataOf(again).rows).toHaveLength(3);
    expect(statSync(again).mode & 0o777).toBe(0o600);
  });

  it('a missing results file or another kind of file is one line and exit 2', async () => {
    const missing = await report([join(work, 'nope.jsonl'), '--out', join(work, 'x.html')]);
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(missing.stderr).toMatch(/^finos-ekyc: .*nope\.jsonl: no such file\n$/);
    const csv = join(work, 'pairs.csv');
    const notResults = await report([csv, '--out', join(work, 'x.html')]);
    expect(notResults.code).toBe(2);
    expect(notResults.stderr).toMatch(/pairs\.csv: not a results file/);
    expect(existsSync(join(work, 'x.html'))).toBe(false);
    const noFolder = await report([results.ocr, '--out', join(work, 'no', 'such', 'x.html')]);
    expect(noFolder.code).toBe(2);
    expect(noFolder.stderr).toMatch(/^finos-ekyc: cannot write the report to .*x\.html: its folder does not exist\n$/);
  });

  it('values can never close the data block: <, >, & and U+2028/9 are escaped', async () => {
    const hostile = join(work, 'hostile-escape.jsonl');
    const record = structuredClone(ocrRecords.find((r) => String(r.file).endsWith('cccd-front.png'))!) as { file: string; response: { result: { details: { fieldsExtracted: { name: { value: string } } }[] } } };
    record.response.result.details[0]!.fieldsExtracted.name.value = `</script><!--${HOSTILE_NAME}\u2028&amp;\u2029x`;
    record.file = HOSTILE_DIR + HOSTILE_BASE;
    writeFileSync(hostile, JSON.stringify(record));
    const out = join(work, 'hostile-escape.html');
    expect((await report([hostile, '--out', out])).code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html.match(/<\/script/gi)).toHaveLength(2);
    expect(html).not.toContain('<!--<img');
    expect(html).not.toMatch(/[\u2028\u2029]/);
    expect(dataOf(out).rows[0]!.key.name).toBe(`</script><!--${HOSTILE_NAME}\u2028&amp;\u2029x`);
  });

  it('--redact masks personal values and leaves the photos out', async () => {
    const out = join(work, 'redacted.html');
    expect((await report([results.ocr, '--out', out, '--redact'])).code).toBe(0);
    const html = readFileSync(out, 'utf8');
    const front = ocrRecords.find((r) => String(r.file).endsWith('cccd-front.png')) as { response: { result: { details: { fieldsExtracted: Record<string, { value: string }> }[] } } };
    const { idNumber, name } = front.response.result.details[0]!.fieldsExtracted;
    expect(html).not.toContain(idNumber!.value);
    expect(html).not.toContain(name!.value);
    const data = dataOf(out);
    expect(data.redacted).toBe(true);
    expect(data.rows.find((r) => r.file.endsWith('cccd-front.png'))!.key.idNumber).toBe(`${idNumber!.value.slice(0, 3)}*******${idNumber!.value.slice(-2)}`);
    expect(data.images.every((i) => i.state === 'unviewable')).toBe(true);
  });

  it('--lang vi: the page speaks Vietnamese; codes keep both languages', async () => {
    const out = join(work, 'vi.html');
    expect((await report([results.ocr, '--out', out, '--lang', 'vi'])).code).toBe(0);
    const data = dataOf(out);
    expect(readFileSync(out, 'utf8')).toContain('<html lang="vi">');
    expect(data.labels.personalData).toMatch(/^Tệp này chứa dữ liệu cá nhân/);
    expect(data.fieldLabels.idNumber).toBe('Số định danh');
    expect(data.codes['061']).toMatchObject({ vi: 'CMND/CCCD không hợp lệ', en: expect.stringMatching(/expiry/) });
  });

  it('a HEIC photo gets an embedded thumbnail (browsers cannot show HEIC); --embed-images embeds every photo at most 320 px', async () => {
    const heic = join(work, 'heic.jsonl');
    const record = { ...ocrRecords.find((r) => String(r.file).endsWith('cccd-front.png'))!, file: join(EXAMPLES, 'phone.heic') };
    writeFileSync(heic, `${JSON.stringify(record)}\n`);
    const out = join(work, 'heic.html');
    const r = await report([heic, results.compare, '--out', out]);
    expect(r.code).toBe(0);
    const data = dataOf(out);
    const heicView = data.images[data.rows[0]!.images[0]!]!;
    expect(heicView.state).toBe('embedded');
    expect(data.images.filter((i) => i.state === 'link')).toHaveLength(3);

    const embedded = join(work, 'embedded.html');
    const e = await report([results.compare, '--out', embedded, '--embed-images']);
    expect(e.stderr).toMatch(/3 thumbnails/);
    const views = dataOf(embedded).images;
    expect(views).toHaveLength(3);
    for (const v of [...views, heicView]) {
      expect(v.state).toBe('embedded');
      const src = (v as { src: string }).src;
      expect(src).toMatch(/^data:image\/jpeg;base64,/);
      const meta = await sharp(Buffer.from(src.split(',')[1]!, 'base64')).metadata();
      expect(meta.format).toBe('jpeg');
      expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(320);
    }
  });
});

describe('finos-ekyc report --open (the built command line, as users run it)', () => {
  const cli = join(ROOT, 'bin', 'finos-ekyc.js');
  const openWith = (path: string, out: string) =>
    spawnSync(process.execPath, [cli, 'report', results.liveness, '--out', out, '--open'], { encoding: 'utf8', env: { PATH: path, HOME: process.env.HOME, FINOS_CONFIG_DIR: work } });

  it('hands the written page to the desktop opener (xdg-open on Linux)', async () => {
    const bin = join(work, 'bin');
    mkdirSync(bin, { recursive: true });
    const opened = join(work, 'opened.txt');
    writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`, { mode: 0o755 });
    const out = join(work, 'open.html');
    const r = openWith(`${bin}:/usr/bin:/bin`, out);
    expect(r.stderr).not.toMatch(/could not open/);
    expect(r.status).toBe(0);
    for (let i = 0; i < 50 && !existsSync(opened); i++) await new Promise((ok) => setTimeout(ok, 50));
    expect(readFileSync(opened, 'utf8')).toBe(out);
  });

  it('without an opener says so on stderr, and the page is still written', () => {
    const out = join(work, 'open-none.html');
    const r = openWith(join(work, 'empty-path'), out);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/report: could not open a browser \(.*\): open .*open-none\.html yourself/);
    expect(existsSync(out)).toBe(true);
  });
});

const inBrowser = it.skipIf(!hasChromium);

describe(hasChromium ? 'the report in Chromium (offline, every request intercepted)' : NO_CHROMIUM, () => {
  let browser: Browser;
  const allPage = join(work, 'browser.html');
  /** The page itself and the photos it links to, nothing else. */
  const ownPhotos = (url: string) => url.startsWith(`file://${photos}/`) || url.startsWith(`file://${EXAMPLES}/`);

  beforeAll(async () => {
    if (!hasChromium) return;
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchBrowser();
    // One input by a path relative to the current folder, as a batch run from the project would record it.
    const relativeOne = join(work, 'relative.jsonl');
    const rel = relative(process.cwd(), join(EXAMPLES, 'cccd-back.png'));
    const failed = { file: join(photos, 'gone.jpg'), ok: false, outcome: 'failed', durationMs: 12, error: { code: 'server_error', status: 503, message: 'Service Unavailable' }, response: { status: 'failure', error: 'Service Unavailable' } };
    const skipped = { file: join(photos, 'tiny.png'), ok: false, outcome: 'skipped', durationMs: 4, preflight: [{ code: 'too-small', message: 'only 32 px on the short side (at least 300)' }] };
    const back = { ...ocrRecords.find((r) => String(r.file).endsWith('cccd-back.png'))!, file: rel };
    writeFileSync(relativeOne, [back, failed, skipped].map((r) => `${JSON.stringify(r)}\n`).join(''));
    const r = await report([results.ocr, results.compare, results.liveness, relativeOne, '--out', allPage]);
    expect(r.code).toBe(0);
  }, 60_000);
  afterAll(() => browser?.close());

  inBrowser('shows the counts, filters and searches the list, makes no request and logs no error', async () => {
    const opened = await openReport(browser, allPage, ownPhotos);
    const { page } = opened;
    const rows = page.locator('tr.row');
    expect(await rows.count()).toBe(18);
    const total = async (outcome: string) => page.locator(`.total[data-outcome="${outcome}"] strong`).textContent();
    expect(await total('ok')).toBe('7');
    expect(await total('review')).toBe('4');
    expect(await total('not_detected')).toBe('5');
    expect(await total('failed')).toBe('1');
    expect(await total('skipped')).toBe('1');
    await page.screenshot({ path: join(SCREENSHOTS, 'report-list.png'), fullPage: true });

    await page.getByLabel('has review flags').check();
    expect(await rows.count()).toBe(1);
    expect(await rows.first().locator('.file').textContent()).toBe('flagged-name.png');
    await page.getByLabel('has review flags').uncheck();
    await page.click('.total[data-outcome="not_detected"]');
    expect(await rows.count()).toBe(5);
    await page.click('.total[data-outcome="not_detected"]');
    await page.getByLabel('has local findings').check();
    const withFindings = await rows.count();
    expect(withFindings).toBeGreaterThan(0);
    expect(withFindings).toBeLessThan(18);
    await page.getByLabel('has local findings').uncheck();
    // Search ignores Vietnamese diacritics: a name typed without them still finds its card.
    const front = dataOf(allPage).rows.find((r) => r.file.endsWith('cccd-front.png'))!;
    const plain = front.key.name!.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase();
    await page.fill('input[type="search"]', plain);
    expect(await rows.count()).toBe(1);
    await page.fill('input[type="search"]', front.key.idNumber!);
    expect(await rows.count()).toBe(1);
    expect(await rows.first().locator('.file').textContent()).toBe('cccd-front.png');
    await page.fill('input[type="search"]', '');
    await page.selectOption('select:has(option[value="score"])', 'score');
    expect(await rows.first().locator('.file').textContent()).toMatch(/^selfie/);

    expect(opened.errors).toEqual([]);
    expect(opened.blocked).toEqual([]);
  });

  inBrowser('opens one input with Enter and shows every field beside a larger photo, the flagged one marked; Esc closes', async () => {
    const { page, errors, blocked } = await openReport(browser, allPage, ownPhotos);
    const data = dataOf(allPage);
    const index = data.rows.findIndex((r) => r.file === FLAGGED);
    await page.keyboard.press('j');
    for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('k');
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    const panel = page.locator('#detail .panel');
    await expect.poll(() => panel.isVisible()).toBe(true);
    expect(await panel.locator('h2').textContent()).toBe(FLAGGED);
    const shown = await panel.locator('tr[data-field]').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-field'), tr.querySelector('.value')?.textContent ?? '', tr.className]));
    const row = data.rows[index]!;
    const expected = row.documents!.flatMap((d) => [...d.fields, ...d.checks.flatMap((c) => c.entries)]).map((e) => [e[0], e[1]]);
    expect(shown.map(([f, v]) => [f, v])).toEqual(expected);
    expect(shown.find(([f]) => f === 'name')![2]).toBe('m-review');
    expect(await panel.locator('tr[data-field="name"] .marker').textContent()).toBe('⚠ review');
    expect(await panel.locator('img.big').evaluate((img: Photo) => img.naturalWidth)).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'report-detail.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => panel.isVisible()).toBe(false);
    expect(await page.locator('tr.row:focus .file').textContent()).toBe('flagged-name.png');
    expect(errors).toEqual([]);
    expect(blocked).toEqual([]);
  });

  inBrowser('loads every photo from its path relative to the report', async () => {
    const { page, errors, blocked } = await openReport(browser, allPage, ownPhotos);
    const imgs = page.locator('img.thumb');
    // The list's thumbnails load lazily: load them all now.
    await imgs.evaluateAll((list: Photo[]) => Promise.all(list.map((i) => ((i.loading = 'eager'), i.decode()))));
    const sizes = await imgs.evaluateAll((list: Photo[]) => list.map((i) => [i.getAttribute('src'), i.naturalWidth] as const));
    expect(sizes.length).toBeGreaterThanOrEqual(19);
    for (const [src, width] of sizes) {
      expect(src).not.toMatch(/^(\/|file:|data:)/);
      expect(width).toBeGreaterThan(0);
    }
    expect(sizes.map(([src]) => src)).toContain(relative(work, join(EXAMPLES, 'cccd-back.png')));
    expect(errors).toEqual([]);
    expect(blocked).toEqual([]);
  });

  inBrowser('prints the list without its controls, and an open input alone', async () => {
    const { page } = await openReport(browser, allPage, ownPhotos);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#controls').isVisible()).toBe(false);
    expect(await page.locator('.banner').isVisible()).toBe(true);
    await page.locator('tr.row').nth(2).click();
    expect(await page.locator('table.list').isVisible()).toBe(false);
    expect(await page.locator('#detail .panel').isVisible()).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'report-print-detail.png'), fullPage: true });
  });

  inBrowser('shows hostile values as text and runs none of them', async () => {
    const hostile = join(work, 'hostile.jsonl');
    const record = structuredClone(ocrRecords.find((r) => String(r.file).endsWith('cccd-front.png'))!) as { file: string; response: { result: { details: { fieldsExtracted: Record<string, { value: string }> }[]; summary: { details: { code: string; message: string }[] } } } };
    const fields = record.response.result.details[0]!.fieldsExtracted;
    fields.name!.value = HOSTILE_NAME;
    fields.homeTown!.value = '</script><script>alert(3)</script>';
    record.response.result.summary.details.push({ code: '<b onmouseover=alert(4)>', message: '<svg onload=alert(5)>' });
    record.file = HOSTILE_DIR + HOSTILE_BASE;
    writeFileSync(hostile, `${JSON.stringify(record)}\n`);
    const out = join(work, 'hostile.html');
    expect((await report([hostile, '--out', out])).code).toBe(0);
    const { page, errors, blocked, dialogs } = await openReport(browser, out);
    const row = page.locator('tr.row');
    expect(await row.locator('td').nth(3).textContent()).toBe(HOSTILE_NAME);
    expect(await row.locator('.file').textContent()).toBe(HOSTILE_BASE);
    expect(await row.locator('.dir').textContent()).toBe(HOSTILE_DIR);
    await row.click();
    expect(await page.locator('#detail tr[data-field="homeTown"] .value').textContent()).toBe('</script><script>alert(3)</script>');
    await page.hover('#detail .code b');
    // Only the page's own elements: nothing a value named was created.
    expect(await page.locator('img[src="x"], img[src="y"], svg[onload], b[onmouseover]').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(2);
    await page.screenshot({ path: join(SCREENSHOTS, 'report-hostile.png') });
    expect(dialogs).toEqual([]);
    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
  });

  inBrowser('10,000 records: generated, under 15 MB, and usable in the browser (figures in .cache/screenshots/report-10k.json)', async () => {
    // Real answers from the simulator, repeated under 10,000 names (hard links to the photos, so each loads).
    const many = join(work, 'many');
    mkdirSync(many);
    const answers = [...ocrRecords, ...readRecords(results.compare), ...readRecords(results.liveness)];
    const lines: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      const base = answers[i % answers.length]!;
      const name = join(many, `input-${String(i).padStart(5, '0')}.png`);
      linkSync(String(base.file), name);
      lines.push(JSON.stringify({ ...base, file: name, ...(base.files ? { files: [name, (base.files as string[])[1]] } : {}) }));
    }
    const big = join(work, 'big.jsonl');
    writeFileSync(big, `${lines.join('\n')}\n`);
    const out = join(work, 'big.html');
    const start = Date.now();
    const r = await report([big, '--out', out]);
    const generateMs = Date.now() - start;
    expect(r.code).toBe(0);
    const bytes = statSync(out).size;
    expect(bytes).toBeLessThan(15 * 1024 * 1024);
    const { page, readyMs, errors, blocked } = await openReport(browser, out, (url) => url.startsWith(`file://${many}/`) || ownPhotos(url));
    expect(await page.locator('.count').first().textContent()).toBe('10000 of 10000 inputs shown');
    const filterStart = Date.now();
    await page.click('.total[data-outcome="review"]');
    await expect.poll(() => page.locator('.count').first().textContent()).toMatch(/^\d+ of 10000 inputs shown$/);
    const filterMs = Date.now() - filterStart;
    await page.keyboard.press('End');
    await page.screenshot({ path: join(SCREENSHOTS, 'report-10k.png') });
    expect(errors).toEqual([]);
    expect(blocked).toEqual([]);
    const figures = { records: 10_000, generateMs, bytes, megabytes: +(bytes / 1024 / 1024).toFixed(2), pageReadyMs: readyMs, filterMs };
    writeFileSync(join(SCREENSHOTS, 'report-10k.json'), `${JSON.stringify(figures, null, 2)}\n`);
    console.info(`report, 10,000 records: ${JSON.stringify(figures)}`);
  }, 180_000);
});
