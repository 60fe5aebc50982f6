import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../src/mock/index.js';
import { runCli } from './helpers/cli.js';
import { makePng } from './helpers/png.js';
import { useSimulator } from './helpers/sim.js';

const KEY = 'results-test-key-0123456789';
const root = mkdtempSync(join(tmpdir(), 'finos-results-'));
const simulator = useSimulator({ apiKey: KEY });
let sim: Simulator;
beforeEach(() => {
  sim = simulator();
});
const api = (argv: string[]) => runCli(['--host', sim.url, '--preflight', 'off', ...argv], { env: { FINOS_API_KEY: KEY } });
const cli = (argv: string[], env: NodeJS.ProcessEnv = {}) => runCli(argv, { env });

interface Rec {
  file: string;
  sha256?: string;
  ok: boolean;
  outcome: string;
  error?: { code: string };
}
const readRecords = (path: string): Rec[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Rec);

/** A folder with answers of every kind: `ok` clean cards, `review` expired cards with the name flagged, and one not detected. */
function makeFolder(name: string, { ok, review }: { ok: number; review: number }): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  let seed = 0;
  for (let i = 0; i < ok; i++) writeFileSync(join(dir, `ok-${i}.png`), makePng({ width: 200, height: 120, seed: ++seed, marker: 'doc=cccd_chip_front' }));
  for (let i = 0; i < review; i++) writeFileSync(join(dir, `review-${i}.png`), makePng({ width: 200, height: 120, seed: ++seed, marker: 'doc=cccd_chip_front,expired,review=name' }));
  writeFileSync(join(dir, 'not-detected.png'), makePng({ width: 200, height: 120, seed: ++seed, marker: 'not-detected' }));
  return dir;
}

/** The count on the row of a key-value table whose label is `label`. */
function row(table: string, label: string): number {
  const line = table.split('\n').find((l) => l.startsWith('│') && l.split('│')[1]?.trim() === label);
  if (!line) throw new Error(`no row ${label} in:\n${table}`);
  return Number(line.split('│')[2]?.trim());
}

describe('results summary', () => {
  it("counts what the batch's own summary counted, by outcome, failure code and review reason", async () => {
    const dir = makeFolder('summary', { ok: 6, review: 3 });
    const out = join(root, 'summary.jsonl');
    sim.injectFaults({ status: 500, count: 2 });
    const batch = await api(['--retries', '0', 'ocr', 'id', dir, '--out', out, '--concurrency', '1']);
    expect(batch.code).toBe(1);

    const r = await cli(['results', 'summary', out, '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const s = JSON.parse(r.stdout);
    expect(s.records).toBe(10);
    expect(s.outcomes).toEqual({
      ok: row(batch.stderr, 'OK'),
      review: row(batch.stderr, 'Manual review'),
      not_detected: row(batch.stderr, 'Not detected'),
      failed: row(batch.stderr, 'Failed (server_error)'),
      skipped: 0,
    });
    expect(s.outcomes.failed).toBe(2);
    expect(s.failedByCode).toEqual({ server_error: 2 });
    const reviewed = s.outcomes.review;
    expect(reviewed).toBeGreaterThan(0);
    // Each expired card needing review carries code 061 and its flagged name.
    expect(s.reviewReasons).toEqual({ summaryCodes: { '061': reviewed }, fields: { name: reviewed } });
    const records = readRecords(out);
    const callTime = records.reduce((t, x) => t + (x as Rec & { durationMs: number }).durationMs, 0);
    expect(s.callTimeMs).toBe(callTime);

    const table = await cli(['results', 'summary', out]);
    expect(row(table.stdout, 'Records')).toBe(10);
    expect(row(table.stdout, 'OK')).toBe(s.outcomes.ok);
    expect(row(table.stdout, 'Review: code 061 (ID card not valid: date of expiry check failed)')).toBe(reviewed);
    expect(row(table.stdout, 'Review: flagged Full name')).toBe(reviewed);
  });

  it('skips a torn last line and a damaged one with a warning naming file:line, and still counts the rest', async () => {
    const dir = makeFolder('torn', { ok: 2, review: 0 });
    const out = join(root, 'torn.jsonl');
    await api(['ocr', 'id', dir, '--out', out, '--concurrency', '1']);
    const [first, ...rest] = readFileSync(out, 'utf8').split('\n');
    writeFileSync(out, [first, '{"file": "damaged', '[1, 2]', ...rest].join('\n'));
    appendFileSync(out, '{"file":"torn.png","ok":tr');

    const r = await cli(['results', 'summary', out, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ records: 3, skippedLines: 3 });
    expect(r.stderr).toContain(`warning ${out}:2: not valid JSON (a torn or damaged line): skipped`);
    expect(r.stderr).toContain(`warning ${out}:3: not a results record: skipped`);
    expect(r.stderr).toContain(`warning ${out}:6: not valid JSON (a torn or damaged line): skipped`);
  });

  it('exits 2 for a missing input or a folder, and names it', async () => {
    const missing = await cli(['results', 'summary', join(root, 'nope.jsonl')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.jsonl');
    expect((await cli(['results', 'summary', root])).code).toBe(2);
    expect((await cli(['results', 'summary', '-o', 'csv', join(root, 'nope.jsonl')])).code).toBe(2);
  });
});

describe('results merge', () => {
  it('joins the outputs of --shard runs into the set one unsharded run records', async () => {
    const dir = makeFolder('shards', { ok: 8, review: 3 });
    const [one, two, all, merged] = ['shard-1.jsonl', 'shard-2.jsonl', 'all.jsonl', 'merged.jsonl'].map((n) => join(root, n)) as [string, string, string, string];
    await api(['ocr', 'id', dir, '--shard', '1/2', '--out', one]);
    await api(['ocr', 'id', dir, '--shard', '2/2', '--out', two]);
    await api(['ocr', 'id', dir, '--out', all]);
    expect(readRecords(one).length).toBeGreaterThan(0);
    expect(readRecords(two).length).toBeGreaterThan(0);

    // The first shard twice: its records are duplicates, counted, and each key is written once.
    const r = await cli(['results', 'merge', one, two, one, '--out', merged]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const duplicates = readRecords(one).length;
    expect(r.stderr).toContain(`: ${duplicates} duplicates`);
    const key = (x: Rec) => `${x.file} ${x.sha256} ${x.outcome}`;
    expect(readRecords(merged).map(key).sort()).toEqual(readRecords(all).map(key).sort());
    expect(statSync(merged).mode & 0o777).toBe(0o600);
  });

  it('never replaces a success with a later failure, and lets a later success replace a failure', async () => {
    const dir = makeFolder('latest', { ok: 2, review: 0 });
    const first = join(root, 'latest-1.jsonl');
    const second = join(root, 'latest-2.jsonl');
    const merged = join(root, 'latest-merged.jsonl');
    sim.injectFaults({ status: 500, count: 1 });
    await api(['--retries', '0', 'ocr', 'id', dir, '--out', first, '--concurrency', '1']);
    const firstRun = readRecords(first);
    const failed = firstRun.find((x) => !x.ok)!;
    const succeeded = firstRun.find((x) => x.ok)!;
    expect(failed.error?.code).toBe('server_error');
    // A later run: the failed input now succeeds; the one that had succeeded now fails.
    const later = [
      { ...failed, ok: true, outcome: 'ok', error: undefined },
      { ...succeeded, ok: false, outcome: 'failed', error: { code: 'timeout', message: 'no answer' } },
    ];
    writeFileSync(second, later.map((x) => JSON.stringify(x)).join('\n') + '\n');

    const r = await cli(['results', 'merge', first, second, '--out', merged]);
    expect(r.code).toBe(0);
    const kept = readRecords(merged);
    expect(kept).toHaveLength(firstRun.length);
    expect(kept.every((x) => x.ok)).toBe(true);
    expect(r.stderr).toContain('(1 replaced by a later answer, 1 later failures left out)');
  });

  it('refuses to write over one of its inputs, under any name, and needs --out', async () => {
    const input = join(root, 'input.jsonl');
    writeFileSync(input, '');
    const before = readFileSync(input, 'utf8');
    const r = await cli(['results', 'merge', input, '--out', join(root, '.', 'input.jsonl')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/one of the inputs/);
    expect(readFileSync(input, 'utf8')).toBe(before);
    expect((await cli(['results', 'merge', input])).code).toBe(2);
  });
});

describe('results export', () => {
  it('-o csv has the rows and columns of -o csv, and a file starts with a UTF-8 BOM unless --no-bom', async () => {
    const dir = makeFolder('export', { ok: 3, review: 2 });
    const out = join(root, 'export.jsonl');
    const csv = join(root, 'export.csv');
    const plainCsv = join(root, 'export-no-bom.csv');
    await api(['ocr', 'id', dir, '--out', out]);
    const direct = await api(['-o', 'csv', 'ocr', 'id', dir]);

    const toStdout = await cli(['results', 'export', out, '-o', 'csv']);
    expect(toStdout.code).toBe(0);
    const lines = (text: string) => text.trim().split('\n');
    const [header, ...rows] = lines(toStdout.stdout);
    const [directHeader, ...directRows] = lines(direct.stdout);
    expect(header).toBe(directHeader);
    expect(header!.startsWith('file,documentType,idNumber,name')).toBe(true);
    expect(rows.sort()).toEqual(directRows.sort());
    expect(rows).toHaveLength(5); // the not-detected card has no row
    expect(toStdout.stdout.startsWith('\uFEFF')).toBe(false);
    expect(toStdout.stderr).toContain('exported 5 rows (1 records without an answer have no row)');

    expect((await cli(['results', 'export', out, '-o', 'csv', '--out', csv])).code).toBe(0);
    const bytes = readFileSync(csv);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8')).toBe(toStdout.stdout);
    expect(statSync(csv).mode & 0o777).toBe(0o600);

    expect((await cli(['results', 'export', out, '-o', 'csv', '--out', plainCsv, '--no-bom'])).code).toBe(0);
    expect(readFileSync(plainCsv, 'utf8')).toBe(toStdout.stdout);
  });

  it('-o ndjson gives every record, damaged lines left out', async () => {
    const dir = makeFolder('ndjson', { ok: 2, review: 1 });
    const out = join(root, 'ndjson.jsonl');
    await api(['ocr', 'id', dir, '--out', out]);
    const records = readRecords(out);
    appendFileSync(out, '{"torn');
    const r = await cli(['results', 'export', out, '-o', 'ndjson']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`${out}:5: not valid JSON`);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual(records);
  });

  it('an answer of no known shape is a warning and no row, never a crash', async () => {
    const input = join(root, 'odd.jsonl');
    const odd = { file: 'odd.png', ok: true, outcome: 'review', durationMs: 5, response: { something: 'else' } };
    writeFileSync(input, `${JSON.stringify(odd)}\n`);
    const csv = await cli(['results', 'export', input, '-o', 'csv']);
    expect(csv.code).toBe(0);
    expect(csv.stdout).toBe('');
    expect(csv.stderr).toContain(`${input}:1: an answer of no known shape: no row`);
    const summary = await cli(['results', 'summary', input, '--json']);
    expect(JSON.parse(summary.stdout)).toMatchObject({ records: 1, skippedLines: 0, outcomes: { review: 1 }, reviewReasons: { summaryCodes: {}, fields: {} } });
    expect(summary.stderr).toContain('its review reasons are not counted');
  });

  it('needs -o csv or -o ndjson, and never writes over an input', async () => {
    const input = join(root, 'export-input.jsonl');
    writeFileSync(input, '');
    expect((await cli(['results', 'export', input])).code).toBe(2);
    expect((await cli(['results', 'export', input, '--json'])).code).toBe(2);
    const r = await cli(['results', 'export', input, '-o', 'ndjson', '--out', input]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/one of the inputs/);
  });
});
