/**
 * --redact: the masking rules (src/ui/redact.ts), then every output format searched for the simulator's original
 * values, taken from an unredacted --json run: no full ID number, name, date of birth, street or address may
 * appear, and the --out results file keeps them all.
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OcrResult } from '../src/api/types.js';
import { ocrPresenter } from '../src/cli/presenters.js';
import { colorsFor } from '../src/ui/colors.js';
import { birthYearOnly, initials, maskIdNumber, provinceOnly, Redactor } from '../src/ui/redact.js';
import { runCli, type CliResult } from './helpers/cli.js';
import { useSimulator } from './helpers/sim.js';

describe('masking rules', () => {
  it('keeps the first 3 and last 2 characters of an ID number; a short one is hidden whole', () => {
    expect(maskIdNumber('030187003568')).toBe('030*******68');
    expect(maskIdNumber('123456789')).toBe('123****89');
    expect(maskIdNumber('C1234567')).toBe('C12***67');
    expect(maskIdNumber('0123')).toBe('****');
  });

  it('turns names into initials, dates of birth into their year, addresses into their province', () => {
    expect(initials('NGUYỄN VĂN AN')).toBe('N. V. A.');
    expect(initials(' đặng  thị ngọc ')).toBe('Đ. T. N.');
    expect(birthYearOnly('08-08-1987')).toBe('**-**-1987');
    expect(birthYearOnly('1987/08/08')).toBe('1987/**/**');
    expect(birthYearOnly('08/08')).toBe('**/**');
    expect(provinceOnly('P509-K2 Nghĩa Tân, Cầu Giấy, Hà Nội')).toBe('***, Hà Nội');
    expect(provinceOnly('51/45 Chu Văn An')).toBe('***');
    const byKey = { passport_num: 'C1234567', 'number-plate': '29B1-123.45', mrz_line1: 'P<VNMNGUYEN<<VAN<AN', homeTown: 'Xã An Bình, Tỉnh Nam Định', gender: 'Nữ' };
    expect(new Redactor().body(byKey)).toEqual({ passport_num: 'C12***67', 'number-plate': '29B******45', mrz_line1: '***', homeTown: '***, Tỉnh Nam Định', gender: 'Nữ' });
  });

  it('masks a raw body by its keys: field values and the parts under them, numbers too; drops photo URLs', () => {
    const body = {
      result: {
        details: [
          {
            fieldsExtracted: {
              idNumber: { value: '030187003568', 'to-be-reviewed': 'no' },
              name: { value: 'PHẠM THỊ THU THỦY', conf: 0.99, 'to-be-reviewed': 'no' },
              dob: { value: '08-08-1987', 'to-be-reviewed': 'yes' },
              permanentAddress: { value: 'P509-K2 Nghĩa Tân, Cầu Giấy, Hà Nội', province: 'Hà Nội', district: 'Cầu Giấy', ward: 'P509-K2 Nghĩa Tân', street: '' },
              gender: { value: 'Nữ', 'to-be-reviewed': 'no' },
            },
            qualityChecks: { glare: { value: 'yes', 'to-be-reviewed': 'no' } },
          },
        ],
      },
      data: [{ idNumber: 212706786, facePath: 'https://storage.test/face.jpg?X-Amz-Signature=1', similar: 71 }],
    };
    expect(new Redactor().body(body)).toEqual({
      result: {
        details: [
          {
            fieldsExtracted: {
              idNumber: { value: '030*******68', 'to-be-reviewed': 'no' },
              name: { value: 'P. T. T. T.', conf: 0.99, 'to-be-reviewed': 'no' },
              dob: { value: '**-**-1987', 'to-be-reviewed': 'yes' },
              permanentAddress: { value: '***, Hà Nội', province: 'Hà Nội', district: '***', ward: '***', street: '' },
              gender: { value: 'Nữ', 'to-be-reviewed': 'no' },
            },
            qualityChecks: { glare: { value: 'yes', 'to-be-reviewed': 'no' } },
          },
        ],
      },
      data: [{ idNumber: '212****86', similar: 71 }],
    });
  });

  it("masks inside history's JSON string, and drops its image URLs", () => {
    const tx = { requestTime: 't', data: JSON.stringify({ result: { name: { value: 'NGUYỄN THÀNH TÀI' } } }), imagePath1: 'https://x/1.jpg' };
    const out = new Redactor().body({ result: { details: { transactions: [tx] } } }) as { result: { details: { transactions: Record<string, unknown>[] } } };
    expect(out.result.details.transactions[0]).toEqual({ requestTime: 't', data: JSON.stringify({ result: { name: { value: 'N. T. T.' } } }) });
  });

  it('masks free text with what it masked, a date reformatted too, and any 9- or 12-digit number', () => {
    const r = new Redactor();
    r.body({ name: 'PHẠM THỊ THU THỦY', dob: '8/8/1987' });
    expect(r.text('Date of birth 08-08-1987 for PHẠM THỊ THU THỦY')).toBe('Date of birth **-**-1987 for P. T. T. T.');
    expect(r.text('Id number 079090000523 and 212706786 are taken; took 1234 ms, requestId 0663ecf8-3cee')).toBe(
      'Id number 079*******23 and 212****86 are taken; took 1234 ms, requestId 0663ecf8-3cee',
    );
  });

  it('masks the table, and the local checks that quote its values', async () => {
    const result: OcrResult = {
      documents: [
        {
          type: 'cccd_chip_front',
          fields: { idNumber: { value: '030187003568', review: false }, name: { value: 'PHẠM THỊ THU THỦY', review: false }, dob: { value: '08-08-2099', review: false } },
          checks: {},
        },
      ],
    };
    const view = { colors: colorsFor({ isTTY: false }, {}), showUrls: false };
    expect(await ocrPresenter().table(result, view)).toMatch(/08-08-2099 is in the future/);
    const masked = await ocrPresenter().table(result, { ...view, redactor: new Redactor() });
    expect(masked).toMatch(/\*\*-\*\*-2099 is in the future/);
    expect(masked).toContain('030*******68');
    expect(masked).not.toMatch(/08-08-2099|030187003568|PHẠM/);
  });

  it('masks a record: its response and error message, not its file', () => {
    const record = { file: 'a.png', ok: false, response: { idNumber: '030187003568' }, error: { code: 'x', message: 'bad 030187003568' } };
    expect(new Redactor().record(record)).toEqual({ file: 'a.png', ok: false, response: { idNumber: '030*******68' }, error: { code: 'x', message: 'bad 030*******68' } });
  });
});

const KEY = 'redact-test-key-0123456789';
const simulator = useSimulator({ apiKey: KEY });
const api = (argv: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> => runCli(['--host', simulator().url, ...argv], { env: { FINOS_API_KEY: KEY, ...env } });
const img = (name: string): string => join(import.meta.dirname, '..', 'examples', 'images', name);
const CARD = img('cccd-front.png');

type Fields = Record<string, { value: string; street?: string }>;
const fieldsOf = (stdout: string): Fields => (JSON.parse(stdout) as { result: { details: { fieldsExtracted: Fields }[] } }).result.details[0]!.fieldsExtracted;

/** The card's personal values as the simulator answers them, from an unredacted run. */
let original: { idNumber: string; name: string; dob: string; street: string; address: string; homeTown: string; requestId: string };
beforeAll(async () => {
  const r = await api(['ocr', 'id', CARD, '--address-split', '--json']);
  const f = fieldsOf(r.stdout);
  original = {
    idNumber: f.idNumber!.value,
    name: f.name!.value,
    dob: f.dob!.value,
    street: f.permanentAddress!.street!,
    address: f.permanentAddress!.value,
    homeTown: f.homeTown!.value,
    requestId: (JSON.parse(r.stdout) as { requestId: string }).requestId,
  };
});

/** Which original values appear in `text`. */
const leaks = (text: string): string[] => Object.entries(original).filter(([k, v]) => k !== 'requestId' && text.includes(v)).map(([k]) => k);
const both = (r: CliResult): string => r.stdout + r.stderr;

describe('--redact, every output format', () => {
  it('the originals are there without it (so the search below can find them)', async () => {
    expect(leaks(both(await api(['ocr', 'id', CARD, '--address-split'])))).toEqual(['idNumber', 'name', 'dob', 'street', 'address', 'homeTown']);
  });

  it.each([
    ['table', []],
    ['json', ['--json']],
    ['ndjson', ['-o', 'ndjson']],
    ['csv', ['-o', 'csv']],
    ['table with --debug', ['--debug']],
  ])('%s: no full ID number, name, date of birth, street or address', async (_name, flags) => {
    const r = await api(['ocr', 'id', CARD, '--address-split', '--redact', ...flags]);
    expect(r.code).toBe(0);
    expect(leaks(both(r))).toEqual([]);
    expect(r.stdout).toContain(maskIdNumber(original.idNumber));
    expect(r.stdout).toContain(initials(original.name));
    expect(r.stdout).toContain(original.dob.slice(-4));
  });

  it('a batch in NDJSON, and --out: the screen is masked, the results file is complete (0600)', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'finos-redact-')), 'results.jsonl');
    const ndjson = await api(['ocr', 'id', CARD, img('cccd-back.png'), '--address-split', '--redact', '-o', 'ndjson']);
    expect(ndjson.stdout.trim().split('\n')).toHaveLength(2);
    expect(leaks(both(ndjson))).toEqual([]);
    const saved = await api(['ocr', 'id', CARD, '--address-split', '--redact', '--out', out]);
    expect(saved.code).toBe(0);
    expect(leaks(both(saved))).toEqual([]);
    expect(leaks(readFileSync(out, 'utf8'))).toEqual(['idNumber', 'name', 'dob', 'street', 'address', 'homeTown']);
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });

  it('error messages and the --debug response body', async () => {
    simulator().injectFaults({ status: 400, body: JSON.stringify({ status: 'failure', statusCode: '400', error: `Id number ${original.idNumber} has been duplicated` }) });
    const message = await api(['ocr', 'id', CARD, '--redact']);
    expect(message.code).toBe(1);
    expect(message.stderr).toContain(maskIdNumber(original.idNumber));
    expect(leaks(both(message))).toEqual([]);
    // A 200 whose body lacks what the reader needs: --debug shows the body, which holds the card.
    const answer = JSON.parse((await api(['ocr', 'id', CARD, '--address-split', '--json'])).stdout) as { result: { details: Record<string, unknown>[] } };
    delete answer.result.details[0]!.type;
    const broken = { status: 200, body: JSON.stringify(answer), count: 2 };
    simulator().injectFaults(broken);
    const shown = await api(['ocr', 'id', CARD, '--debug']);
    expect(shown.stderr).toContain('debug: response body:');
    expect(leaks(shown.stderr)).toContain('idNumber');
    const masked = await api(['ocr', 'id', CARD, '--debug', '--redact', '-o', 'ndjson']);
    expect(masked.stderr).toContain(`debug: response body: `);
    expect(masked.stderr).toContain(maskIdNumber(original.idNumber));
    expect(leaks(both(masked))).toEqual([]);
  });
});

describe('--redact on every command', () => {
  const url = /https?:\/\/[^\s"]*(X-Amz|\.jpg)/;

  it('driver licence, passport and registration card: names, numbers and addresses', async () => {
    for (const argv of [['ocr', 'dl', img('driver-license.png')], ['ocr', 'passport', img('passport.png')], ['ocr', 'mrc', img('mrc-front.png'), img('mrc-back.png')]]) {
      const full = JSON.stringify(JSON.parse((await api([...argv, '--json'])).stdout));
      const personal = [...full.matchAll(/"(name|address|passport_num|id|dob)":\{"value":"([^"]+)"/g)].map((m) => m[2]!);
      expect(personal.length, argv[1]).toBeGreaterThan(0);
      for (const flags of [[], ['--json'], ['-o', 'csv']]) {
        const text = both(await api([...argv, '--redact', ...flags]));
        expect(personal.filter((v) => text.includes(v)), `${argv[1]} ${flags.join(' ')}`).toEqual([]);
      }
    }
  });

  it('index and search: the customer id masked, face URLs dropped even with --show-urls', async () => {
    const id = '079090000523';
    const indexed = await api(['index', img('selfie.png'), '--number-id', id, '--partition', 'redact', '--redact', '--show-urls']);
    expect(indexed.code).toBe(0);
    expect(indexed.stdout).toContain('079*******23');
    for (const flags of [['--show-urls'], ['--json'], ['-o', 'csv']]) {
      const found = await api(['search', img('selfie.png'), '--partition', 'redact', '--redact', ...flags]);
      expect(found.code).toBe(0);
      expect(found.stdout).toContain('079*******23');
      expect(both(found)).not.toContain(id);
      expect(both(found)).not.toMatch(url);
    }
  });

  it('history: the earlier answer masked inside, image URLs dropped', async () => {
    for (const flags of [['--show-urls'], ['--json']]) {
      const r = await api(['history', original.requestId, '--redact', ...flags]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(maskIdNumber(original.idNumber));
      expect(leaks(both(r))).toEqual([]);
      expect(both(r)).not.toMatch(url);
    }
  });
});

describe('turning it on', () => {
  const masked = (r: CliResult): boolean => r.stdout.includes(maskIdNumber(original.idNumber)) && !r.stdout.includes(original.idNumber);

  it('FINOS_REDACT=1, the profile setting `redact`, and --no-redact over both', async () => {
    expect(masked(await api(['ocr', 'id', CARD], { FINOS_REDACT: '1' }))).toBe(true);
    expect(masked(await runCli(['--mock', 'ocr', 'id', CARD], { env: { FINOS_REDACT: '1' } }))).toBe(true);
    expect((await runCli(['config', 'set', 'redact', 'true', '--profile', 'private'])).code).toBe(0);
    expect(masked(await api(['--profile', 'private', 'ocr', 'id', CARD]))).toBe(true);
    expect(masked(await api(['--profile', 'private', 'ocr', 'id', CARD, '--no-redact']))).toBe(false);
    expect(masked(await api(['--profile', 'private', 'ocr', 'id', CARD], { FINOS_REDACT: '0' }))).toBe(false);
    expect(masked(await api(['ocr', 'id', CARD]))).toBe(false);
    const bad = await api(['ocr', 'id', CARD], { FINOS_REDACT: 'maybe' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('FINOS_REDACT must be true or false');
  });
});
