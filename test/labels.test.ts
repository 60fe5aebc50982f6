import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProgressMeter } from '../src/batch/progress.js';
import { resolveLang } from '../src/config/resolve.js';
import { FIELD_NAMES, fieldName, labelsFor } from '../src/ui/labels.js';
import { runCli } from './helpers/cli.js';

const CARD = join(import.meta.dirname, '..', 'examples', 'images', 'cccd-front.png');
const BLURRY = join(import.meta.dirname, '..', 'examples', 'images', 'cccd-blurry.png');

/** The first table line whose first cell is `label`, so a label is checked where it labels a value. */
const rowOf = (table: string, label: string): string | undefined => table.split('\n').find((l) => l.split('│')[1]?.trim() === label);

describe('--lang', () => {
  it('labels the fields of a table in Vietnamese with vi, in English with en', async () => {
    const vi = await runCli(['--mock', '--lang', 'vi', 'ocr', 'id', CARD]);
    expect(vi.code).toBe(0);
    expect(rowOf(vi.stdout, 'Số định danh')).toMatch(/│ \d{12} /);
    expect(rowOf(vi.stdout, 'Họ và tên')).toBeDefined();
    expect(vi.stdout).toContain('Kết luận: ĐẠT');
    expect(vi.stdout).not.toContain('ID number');

    const en = await runCli(['--mock', '--lang', 'en', 'ocr', 'id', CARD]);
    expect(rowOf(en.stdout, 'ID number')).toMatch(/│ \d{12} /);
    expect(rowOf(en.stdout, 'Date of expiry')).toBeDefined();
    expect(en.stdout).toContain('Summary: PASS');
    expect(en.stdout).not.toContain('Số định danh');
  });

  it('takes Vietnamese from a vi locale, English from any other, and FINOS_LANG over both', async () => {
    const table = async (env: NodeJS.ProcessEnv) => (await runCli(['--mock', 'ocr', 'id', CARD], { env })).stdout;
    expect(rowOf(await table({ LANG: 'vi_VN.UTF-8' }), 'Số định danh')).toBeDefined();
    expect(rowOf(await table({ LANG: 'en_US.UTF-8' }), 'ID number')).toBeDefined();
    expect(rowOf(await table({}), 'ID number')).toBeDefined();
    // LC_ALL outranks LANG, as POSIX says.
    expect(rowOf(await table({ LC_ALL: 'C.UTF-8', LANG: 'vi_VN.UTF-8' }), 'ID number')).toBeDefined();
    expect(rowOf(await table({ FINOS_LANG: 'vi', LANG: 'en_US.UTF-8' }), 'Số định danh')).toBeDefined();
    expect(rowOf((await runCli(['--mock', '--lang', 'en', 'ocr', 'id', CARD], { env: { FINOS_LANG: 'vi' } })).stdout, 'ID number')).toBeDefined();
  });

  it('takes the profile setting `lang`, below FINOS_LANG', async () => {
    const env = { FINOS_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'finos-lang-config-')) };
    expect((await runCli(['config', 'set', 'lang', 'vi'], { env })).code).toBe(0);
    expect(rowOf((await runCli(['--mock', 'ocr', 'id', CARD], { env })).stdout, 'Số định danh')).toBeDefined();
    expect(rowOf((await runCli(['--mock', 'ocr', 'id', CARD], { env: { ...env, FINOS_LANG: 'en' } })).stdout, 'ID number')).toBeDefined();
    expect((await runCli(['config', 'set', 'lang', 'fr'], { env })).code).toBe(2);
  });

  it('refuses a language it does not have, from the flag or the environment (exit 2)', async () => {
    const flag = await runCli(['--mock', '--lang', 'fr', 'ocr', 'id', CARD]);
    expect(flag.code).toBe(2);
    const env = await runCli(['--mock', 'ocr', 'id', CARD], { env: { FINOS_LANG: 'fr' } });
    expect(env.code).toBe(2);
    expect(env.stderr).toMatch(/FINOS_LANG must be one of vi, en/);
    expect(env.stdout).toBe('');
  });

  it('never changes JSON, NDJSON or CSV', async () => {
    // requestId and transactionId are new for every call; everything else of the answer is the image's.
    const stable = (text: string) => text.replace(/"(requestId|transactionId)": ?"[^"]*"/g, '"$1":""').replace(/"durationMs":\d+/g, '"durationMs":0');
    for (const format of [['--json'], ['-o', 'ndjson'], ['-o', 'csv']]) {
      const vi = await runCli(['--mock', '--lang', 'vi', ...format, 'ocr', 'id', BLURRY, '--quality-check']);
      const en = await runCli(['--mock', '--lang', 'en', ...format, 'ocr', 'id', BLURRY, '--quality-check']);
      expect(vi.stdout.length).toBeGreaterThan(0);
      expect(stable(vi.stdout)).toBe(stable(en.stdout));
    }
  });

  it('labels the batch summary, the results summary and the progress line', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'finos-lang-batch-')), 'r.jsonl');
    const batch = await runCli(['--mock', '--lang', 'vi', '--preflight', 'off', 'ocr', 'id', CARD, BLURRY, '--quality-check', '--out', out]);
    expect(rowOf(batch.stderr, 'Đạt')).toMatch(/│ 1 /);
    expect(rowOf(batch.stderr, 'Cần kiểm tra thủ công')).toMatch(/│ 1 /);
    expect(rowOf(batch.stderr, 'Tổng')).toMatch(/│ 2 /);

    const summary = await runCli(['--lang', 'vi', 'results', 'summary', out]);
    expect(rowOf(summary.stdout, 'Bản ghi')).toMatch(/│ 2 /);
    expect(rowOf(summary.stdout, 'Xem lại: mã 048 (CMND/CCCD bị mờ)')).toMatch(/│ 1 /);
    const json = (lang: string) => runCli(['--lang', lang, 'results', 'summary', out, '--json']);
    expect((await json('vi')).stdout).toBe((await json('en')).stdout);

    const writes: string[] = [];
    new ProgressMeter({ write: (s: string) => writes.push(s) }, { now: () => 0, lang: 'vi' }).update({ done: 1, total: 2, ok: 1, review: 0, failed: 0 });
    expect(writes[0]).toBe('\r1/2 · đạt 1 · xem lại 0 · lỗi 0 · – yêu cầu/giây · còn --:--\x1b[K');
  });
});

describe('labels', () => {
  it('name every field and check the simulator answers with, in both languages', async () => {
    const names = new Set<string>();
    const collect = (v: unknown, parent?: string): void => {
      if (Array.isArray(v)) return v.forEach((x) => collect(x, parent));
      if (typeof v !== 'object' || v === null) return;
      for (const [k, x] of Object.entries(v)) {
        // Fields and checks sit under these keys; anything shaped like {value, to-be-reviewed} is one.
        if (parent && ['fieldsExtracted', 'qualityChecks', 'ruleChecks', 'tamperChecks', 'details', 'fraudCheck'].includes(parent) && typeof x === 'object' && x !== null && 'value' in x) names.add(k);
        collect(x, k);
      }
    };
    const images = ['cccd-front.png', 'cccd-back.png', 'cmnd-old-front.png', 'driver-license.png', 'passport.png', 'mrc-front.png', 'selfie.png'];
    const commands: Record<string, string[]> = { 'driver-license.png': ['ocr', 'dl'], 'passport.png': ['ocr', 'passport'], 'mrc-front.png': ['ocr', 'mrc'], 'selfie.png': ['face', 'liveness'] };
    for (const image of images) {
      const r = await runCli(['--mock', '--json', ...(commands[image] ?? ['ocr', 'id', '--quality-check', '--forgery-check', '--address-split']), join(import.meta.dirname, '..', 'examples', 'images', image)]);
      collect(JSON.parse(r.stdout));
    }
    expect(names.size).toBeGreaterThan(30);
    expect([...names].filter((n) => !FIELD_NAMES.has(n))).toEqual([]);
  });

  it('keep the API name for a field they do not know, and English without a language', () => {
    expect(fieldName('somethingNew', 'vi')).toBe('somethingNew');
    expect(labelsFor().fieldName('idNumber')).toBe('ID number');
    expect(labelsFor('vi').fieldName('doe')).toBe('Có giá trị đến');
  });

  it('resolve flag > FINOS_LANG > profile > locale, and read the profile only when needed', () => {
    let reads = 0;
    const store = () => {
      reads++;
      return { currentProfile: 'p', profile: () => ({ lang: 'vi' as const }) };
    };
    expect(resolveLang({ flag: 'en', env: { FINOS_LANG: 'vi' }, store })).toBe('en');
    expect(resolveLang({ env: { FINOS_LANG: 'vi' }, store })).toBe('vi');
    expect(reads).toBe(0);
    expect(resolveLang({ env: { LANG: 'en_GB.UTF-8' }, store })).toBe('vi');
    expect(reads).toBe(1);
    expect(resolveLang({ env: { LANG: 'vi' } })).toBe('vi');
    expect(resolveLang({ env: { LANG: 'vim' } })).toBe('en');
  });
});
