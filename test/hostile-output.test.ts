/**
 * Every command and output format against a hostile answer (the simulator's `hostile` flag: a clear-screen CSI,
 * an OSC 8 link, an OSC 52 clipboard write, CR, backspace, C1 CSI and U+202E in names, dates, addresses, summary
 * codes and messages) and hostile file names (ESC and U+202E in the name): nothing a terminal would act on reaches
 * stdout or stderr, JSON and NDJSON still carry the exact values, and CSV cells never start a formula.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { FORMULA, TERMINAL_ATTACK } from '../src/mock/hostile.js';
import { runCli, type CliResult } from './helpers/cli.js';
import { makePng } from './helpers/png.js';
import { useSimulator } from './helpers/sim.js';

const KEY = 'hostile-output-test-key-0123';
const simulator = useSimulator({ apiKey: KEY });
const api = (argv: string[]): Promise<CliResult> => runCli(['--host', simulator().url, ...argv], { env: { FINOS_API_KEY: KEY } });

/** Raw characters a terminal acts on; a line feed is allowed (tables and JSON have lines), nothing else. */
// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;
const rawIn = (text: string): string[] => [...new Set(text.match(RAW) ?? [])].map((c) => `U+${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * Hostile paths: ESC (a clear-screen CSI, an OSC 8 link) in the folders' names, U+202E (which would show
 * `…exe.png` reversed) and a C1 CSI in the files' own names. ESC stays out of an uploaded file's own name: the
 * client sends that name raw in the multipart header, where the simulator (busboy) refuses it (see the report).
 */
const dir = join(mkdtempSync(join(tmpdir(), 'finos-hostile-')), 'in\u001b[2J\u001b]8;;evil\u0007');
mkdirSync(dir);
const hostileFile = (stem: string, marker: string, seed: number, folder = dir): string => {
  const path = join(folder, `${stem}-\u202egnp.exe\u009b.png`);
  writeFileSync(path, makePng({ width: 320, height: 320, marker, seed }));
  return path;
};
const files = {
  id: hostileFile('id', 'doc=cccd_chip_front,hostile', 1),
  dl: hostileFile('dl', 'doc=dl_new_front,hostile', 2),
  passport: hostileFile('passport', 'doc=vn_passport_front,hostile', 3),
  mrcFront: hostileFile('mrc1', 'doc=old_register_card_back,hostile', 4),
  mrcBack: hostileFile('mrc2', 'doc=new_register_card_back,hostile', 5),
  selfie: hostileFile('selfie', 'person=eve,hostile', 6),
  selfie2: hostileFile('selfie2', 'person=eve', 7),
  notDetected: hostileFile('nothing', 'doc=cccd_chip_front,not-detected', 8),
};
/** A folder for batches: a hostile answer, a failure, and a non-image file, all under hostile names. */
const folder = join(dir, 'batch\u001b]8;;evil\u0007');
mkdirSync(folder);
hostileFile('a', 'doc=cccd_chip_front,hostile', 9, folder);
hostileFile('b', 'doc=cccd_chip_front,not-detected', 10, folder);
writeFileSync(join(folder, 'notes-\u001b[31m\u202etxt.exe'), 'not an image');
const pairs = join(dir, 'pairs.csv');
writeFileSync(pairs, `image1,image2\n"${files.selfie}","${files.selfie2}"\n"${files.selfie2}","${files.selfie}"\n`);

const PARTITION = 'hostile';
/** A customer id the API echoes back in index and search answers. */
const hostileId = (n: number): string => `\u001b[2J\u202e0301870035${n}\u009b`;

const FORMATS = [
  { name: 'table', flags: [] },
  { name: 'json', flags: ['--json'] },
  { name: 'ndjson', flags: ['-o', 'ndjson'] },
  { name: 'csv', flags: ['-o', 'csv'] },
] as const;

type Format = (typeof FORMATS)[number]['name'];
/** Text of the hostile answer that every rendering keeps (escaped or not): proof the attack reached the output. */
const ATTACK_URL = 'https://evil.example/';
const ECHOED_ID = '0301870035';

let runs = 0;
/**
 * Each case's argv for the n-th run (face indexing is not idempotent: each run indexes a new id), and what of the
 * hostile answer its output carries (face compare answers with numbers only; history's CSV is a count).
 */
const CASES: { name: string; argv: (n: number) => string[]; code: number; carries?: string; notIn?: Format }[] = [
  { name: 'ocr id', argv: () => ['ocr', 'id', files.id, '--address-split', '--quality-check'], code: 0, carries: ATTACK_URL },
  { name: 'ocr dl', argv: () => ['ocr', 'dl', files.dl], code: 0, carries: ATTACK_URL },
  { name: 'ocr passport', argv: () => ['ocr', 'passport', files.passport], code: 0, carries: ATTACK_URL },
  { name: 'ocr mrc', argv: () => ['ocr', 'mrc', files.mrcFront, files.mrcBack], code: 0, carries: ATTACK_URL },
  { name: 'face compare', argv: () => ['face', 'compare', files.selfie, files.selfie2], code: 0 },
  { name: 'face compare --id', argv: () => ['face', 'compare', files.selfie, '--id', files.id], code: 0 },
  { name: 'face liveness', argv: () => ['face', 'liveness', files.selfie], code: 0, carries: ATTACK_URL },
  { name: 'index', argv: (n) => ['index', files.selfie, '--number-id', hostileId(n), '--partition', PARTITION], code: 0, carries: ECHOED_ID },
  { name: 'search', argv: () => ['search', files.selfie, '--partition', PARTITION, '--show-urls'], code: 0, carries: ECHOED_ID },
  { name: 'history', argv: () => ['history', historyId], code: 0, carries: ATTACK_URL, notIn: 'csv' },
  { name: 'ocr id <folder> (batch)', argv: () => ['ocr', 'id', folder], code: 1, carries: ATTACK_URL },
  { name: 'face compare --manifest (batch)', argv: () => ['face', 'compare', '--manifest', pairs], code: 0 },
  {
    name: 'index --manifest (batch)',
    argv: (n) => {
      const people = join(dir, `people-${n}.csv`);
      writeFileSync(people, `image,numberId\n"${files.selfie2}","${hostileId(100 + n)}"\n`);
      return ['index', '--manifest', people, '--partition', PARTITION];
    },
    code: 0,
    carries: ECHOED_ID,
  },
];

let historyId = '';
beforeAll(async () => {
  const r = await api(['ocr', 'id', files.id, '--json']);
  if (r.code !== 0) throw new Error(`ocr id failed: ${r.stderr}`);
  historyId = (JSON.parse(r.stdout) as { requestId: string }).requestId;
});

/** The values the hostile answer must carry exactly where output is JSON. */
function expectExactHostileValues(json: unknown): void {
  const text = JSON.stringify(json);
  expect(text).toContain(JSON.stringify(TERMINAL_ATTACK).slice(1, -1));
}

describe.each(FORMATS)('every command, $name output', ({ name: format, flags }) => {
  it.each(CASES)('$name: no raw control, escape or bidi character reaches stdout or stderr', async ({ argv, code, carries, notIn }) => {
    const r = await api([...argv(++runs), ...flags]);
    expect(r.code, r.stderr).toBe(code);
    if (carries && notIn !== format) expect(r.stdout).toContain(carries);
    expect(rawIn(r.stdout), 'stdout').toEqual([]);
    expect(rawIn(r.stderr), 'stderr').toEqual([]);
  });

  it('the hostile text is there, shown inert or kept exact', async () => {
    const r = await api(['ocr', 'id', files.id, ...flags]);
    if (format === 'table') {
      expect(r.stdout).toContain('\\x1b[2J\\x1b]8;;https://evil.example/\\x07click');
      expect(r.stdout).toContain('\\x1b]52;c;');
      expect(r.stdout).toContain('\\rOK\\b\\x9b31m\\u202egnp.exe');
      // The local checks quote the date of birth the API sent.
      expect(r.stdout).toMatch(/Local checks[^]*\\x1b\[2J/);
    } else if (format === 'json') {
      const body = JSON.parse(r.stdout) as { result: { details: { fieldsExtracted: Record<string, { value: string }> }[] } };
      expect(body.result.details[0]!.fieldsExtracted.name!.value.startsWith(FORMULA)).toBe(true);
      expect(body.result.details[0]!.fieldsExtracted.name!.value.endsWith(TERMINAL_ATTACK)).toBe(true);
    } else if (format === 'ndjson') {
      const record = JSON.parse(r.stdout) as { file: string; response: unknown };
      expect(record.file).toBe(files.id);
      expectExactHostileValues(record.response);
    } else {
      const [header, row] = parse(r.stdout) as string[][];
      const cell = row![header!.indexOf('name')]!;
      expect(cell.startsWith(`'${FORMULA}`)).toBe(true);
      expect(row![0]).toBe(files.id.replace(RAW, ''));
    }
  });
});

describe('CSV for spreadsheets', () => {
  it('-o csv starts no formula anywhere; --csv-raw keeps every value as the API sent it', async () => {
    const safe = parse((await api(['ocr', 'id', folder, '-o', 'csv'])).stdout) as string[][];
    for (const cell of safe.flat()) expect(cell, cell).not.toMatch(/^\s*[=+\-@\t\r]/);
    const [header, row] = parse((await api(['ocr', 'id', files.id, '-o', 'csv', '--csv-raw'])).stdout) as string[][];
    const json = JSON.parse((await api(['ocr', 'id', files.id, '--json'])).stdout) as { result: { details: { fieldsExtracted: Record<string, { value: string }> }[] } };
    expect(row![header!.indexOf('name')]).toBe(json.result.details[0]!.fieldsExtracted.name!.value);
    expect(row![0]).toBe(files.id);
  });
});

describe('errors and traces', () => {
  const clean = (r: CliResult): void => {
    expect(rawIn(r.stdout), 'stdout').toEqual([]);
    expect(rawIn(r.stderr), 'stderr').toEqual([]);
  };

  it('a failed call on a hostile file name: the error line names it escaped', async () => {
    const single = await api(['ocr', 'id', files.notDetected]);
    expect(single.code).toBe(4);
    clean(single);
    const missing = await api(['ocr', 'id', join(dir, 'gone-\u001b[2J\u202e.png')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('gone-\\x1b[2J\\u202e.png');
    clean(missing);
    const batch = await api(['ocr', 'id', folder]);
    expect(batch.stderr).toContain(`finos-ekyc: ${dir.replaceAll('\u001b', '\\x1b').replaceAll('\u0007', '\\x07')}/batch\\x1b]8;;evil\\x07/b-\\u202egnp.exe\\x9b.png: `);
    expect(batch.stderr).toContain('notes-\\x1b[31m\\u202etxt.exe');
    clean(batch);
  });

  it('a hostile API error message, and a hostile body with --debug', async () => {
    simulator().injectFaults({ status: 400, body: JSON.stringify({ status: 'failure', statusCode: '400', error: TERMINAL_ATTACK }) });
    const message = await api(['ocr', 'id', files.id]);
    expect(message.code).toBe(1);
    expect(message.stderr).toContain('\\x1b[2J');
    clean(message);
    simulator().injectFaults({ status: 200, body: `<html>${TERMINAL_ATTACK}</html>`, contentType: 'text/html' });
    const traced = await api(['ocr', 'id', files.id, '--debug']);
    expect(traced.stderr).toMatch(/debug: response body: <html>\\x1b\[2J/);
    expect(traced.stderr).toMatch(/debug: → POST /);
    clean(traced);
  });
});
