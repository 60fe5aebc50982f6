import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../src/mock/index.js';
import { useSimulator, withSim } from './helpers/sim.js';
import { runCli } from './helpers/cli.js';
import { makePng } from './helpers/png.js';

const KEY = 'batch-test-key-0123456789';
const root = mkdtempSync(join(tmpdir(), 'finos-batch-'));
const BIN = join(import.meta.dirname, '..', 'bin', 'finos-ekyc.js');

/** A folder of distinct synthetic card images. */
function makeFolder(name: string, count: number, extra: Record<string, string | Buffer> = {}): { dir: string; files: string[] } {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const file = join(dir, `card-${String(i).padStart(3, '0')}.png`);
    writeFileSync(file, makePng({ width: 200, height: 120, seed: i + 1, marker: 'doc=cccd_chip_front' }));
    files.push(file);
  }
  for (const [n, content] of Object.entries(extra)) writeFileSync(join(dir, n), content);
  return { dir, files };
}

const readRecords = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { file: string; ok: boolean; outcome: string; error?: { code: string } });

const simulator = useSimulator({ apiKey: KEY });
let sim: Simulator;
beforeEach(() => {
  sim = simulator();
});
const api = (argv: string[], opts: { stdin?: string } = {}) => runCli(['--host', sim.url, '-q', ...argv], { env: { FINOS_API_KEY: KEY }, ...opts });

describe('every input ends in the output exactly once', () => {
  it('with server failures injected mid-batch (NDJSON on stdout)', async () => {
    const { dir, files } = makeFolder('faults', 20);
    sim.injectFaults({ status: 500, count: 3 });
    sim.injectFaults({ reset: 'before-processing', count: 1 });
    const r = await api(['--retries', '0', '--json', 'ocr', 'id', dir, '--concurrency', '4']);
    const records = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(records.map((x) => x.file).sort()).toEqual(files);
    expect(records.filter((x) => !x.ok)).toHaveLength(4);
    expect(records.filter((x) => !x.ok).every((x) => x.error.code && x.durationMs >= 0)).toBe(true);
    expect(r.code).toBe(1);
  });

  it('a re-run with the same --out sends only what is missing, and skips a 422 (the same bytes get the same answer)', async () => {
    const { dir, files } = makeFolder('resume', 12, { 'tiny.png': makePng({ width: 20, height: 20 }) });
    const out = join(root, 'resume.jsonl');
    sim.injectFaults({ status: 503, count: 3 });
    const first = await api(['--retries', '0', 'ocr', 'id', dir, '--out', out]);
    expect(first.code).toBe(1);
    expect(first.stdout).toBe(''); // records go to the file
    const firstRecords = readRecords(out);
    expect(firstRecords).toHaveLength(13);
    expect(firstRecords.filter((x) => x.error?.code === 'server_error')).toHaveLength(3);
    expect(firstRecords.filter((x) => x.outcome === 'not_detected')).toHaveLength(1);

    sim.resetStats();
    const second = await api(['ocr', 'id', dir, '--out', out]);
    expect(sim.stats().total).toBe(3);
    expect(second.code).toBe(0);
    const done = new Set(readRecords(out).filter((x) => x.ok).map((x) => x.file));
    expect([...done].sort()).toEqual(files);

    sim.resetStats();
    await api(['ocr', 'id', dir, '--out', out]);
    expect(sim.stats().total).toBe(0);

    // a changed file is sent again
    writeFileSync(files[0]!, makePng({ width: 200, height: 120, seed: 999 }));
    await api(['ocr', 'id', dir, '--out', out]);
    expect(sim.stats().total).toBe(1);
  });

  it('a 429 storm slows the batch down and every input still succeeds', async () => {
    const { dir, files } = makeFolder('storm', 10);
    sim.injectFaults({ status: 429, retryAfter: 1, count: 4 });
    const r = await api(['--retries', '4', '--json', 'ocr', 'id', dir, '--concurrency', '4']);
    const records = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(records.map((x) => x.file).sort()).toEqual(files);
    expect(records.every((x) => x.ok)).toBe(true);
    expect(sim.stats().total).toBe(14);
    expect(r.code).toBe(0);
  });

  it('a wrong key stops the batch instead of spending it', async () => {
    const { dir } = makeFolder('auth', 15);
    const r = await runCli(['--host', sim.url, '--api-key', 'wrong-key-000000000', '-q', 'ocr', 'id', dir, '--concurrency', '1', '--json']);
    expect(r.code).toBe(3);
    expect(sim.stats().total).toBeLessThan(3);
  });
});

describe('flow control', () => {
  it('--concurrency 2 never has more than 2 requests in flight at the simulator', async () => {
    const slow = await startSimulator({ apiKey: KEY, latencyMs: 40 });
    const { dir } = makeFolder('conc', 12);
    const r = await runCli(['--host', slow.url, '-q', 'ocr', 'id', dir, '--concurrency', '2', '--json'], { env: { FINOS_API_KEY: KEY } });
    const stats = slow.stats();
    await slow.close();
    expect(r.code).toBe(0);
    expect(stats.total).toBe(12);
    expect(stats.maxInFlight).toBe(2);
  });

  it('--rate spaces requests evenly', async () => {
    const { dir } = makeFolder('rate', 5);
    const r = await api(['ocr', 'id', dir, '--rate', '300', '--concurrency', '4', '--json']); // one per 200 ms
    expect(r.code).toBe(0);
    const times = sim.requests.slice(-5).map((x) => x.receivedAt);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(150);
  });
});

describe('the shared 429 gate', () => {
  it('after a 429 the whole batch waits out Retry-After, then runs fewer calls at once than --concurrency', async () => {
    const latencyMs = 200;
    await withSim({ apiKey: KEY, latencyMs }, async (slow) => {
      const { dir, files } = makeFolder('gate', 8);
      // The first call gets the 429; the three started with it answer later, so no slot is free when it arrives and
      // only the gate can hold back the calls that follow them.
      slow.injectFaults({ status: 429, retryAfter: 1, count: 1 });
      slow.injectFaults({ delayMs: 300, count: 3 });
      const r = await runCli(['--host', slow.url, '-q', '--json', 'ocr', 'id', dir, '--concurrency', '4'], { env: { FINOS_API_KEY: KEY } });
      expect(r.code).toBe(0);
      const log = [...slow.requests].sort((a, b) => a.receivedAt - b.receivedAt);
      expect(log).toHaveLength(files.length + 1);
      const throttled = log.find((x) => x.status === 429)!;
      expect(log.slice(0, 4)).toContain(throttled);
      const later = log.slice(4);
      // No call started while the batch was paused: Retry-After (1 s) from when the 429 was answered, after the latency.
      expect(later[0]!.receivedAt - throttled.receivedAt).toBeGreaterThanOrEqual(latencyMs + 1000 - 2);
      // The calls that start together when the pause ends are fewer than --concurrency: the limit was halved.
      const together = later.filter((x) => x.receivedAt < later[0]!.receivedAt + latencyMs / 2);
      expect(together.length).toBeGreaterThan(1);
      expect(together.length).toBeLessThan(4);
    });
  });
});

describe('inputs', () => {
  it('a file over 1 MB that is no image is refused by its content, and nothing is sent (a 2 MB PDF named .jpg)', async () => {
    const big = (head: string) => Buffer.concat([Buffer.from(head, 'latin1'), Buffer.alloc(2 * 1024 * 1024, 0x20)]);
    const { dir } = makeFolder('big-non-images', 0, { 'scan.jpg': big('%PDF-1.7\n'), 'archive.png': big('PK\u0003\u0004') });
    const r = await api(['--json', 'ocr', 'id', dir]);
    const records = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { file: string; error?: { code: string } });
    expect(records.map((x) => [x.file, x.error?.code]).sort()).toEqual([
      [join(dir, 'archive.png'), 'not_an_image'],
      [join(dir, 'scan.jpg'), 'not_an_image'],
    ]);
    expect(r.code).toBe(1);
    expect(sim.stats().total).toBe(0);
  });

  it('a folder with non-image files sends only the images and says what it skipped', async () => {
    const { dir } = makeFolder('mixed', 3, { 'notes.txt': 'hello', 'scan.pdf': '%PDF-1.4' });
    const r = await api(['ocr', 'id', dir, '--json']);
    expect(r.code).toBe(0);
    expect(sim.stats().total).toBe(3);
    expect(r.stdout.trim().split('\n')).toHaveLength(3);
    const loud = await runCli(['--host', sim.url, 'ocr', 'id', dir, '--json'], { env: { FINOS_API_KEY: KEY } });
    expect(loud.stderr).toMatch(/skipped 2 non-image/);
    expect(loud.stderr).toContain('notes.txt');
  });

  it('a folder with no image at all is an input error (exit 2) and sends nothing', async () => {
    const dir = join(root, 'empty-ish');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'readme.txt'), 'nothing here');
    const r = await api(['ocr', 'id', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no image found/);
    expect(sim.stats().total).toBe(0);
  });

  it('- reads paths from stdin', async () => {
    const { files } = makeFolder('stdin', 3);
    const r = await api(['ocr', 'id', '-', '--json'], { stdin: `${files.join('\n')}\n# a comment\n` });
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l).file).sort()).toEqual(files);
  });

  it('--shard k/n slices are disjoint and cover the whole', async () => {
    const { dir, files } = makeFolder('shard', 30);
    const slices: string[][] = [];
    for (const k of [1, 2, 3]) {
      const r = await api(['ocr', 'id', dir, '--shard', `${k}/3`, '--json']);
      slices.push(r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l).file));
    }
    expect(slices.flat().sort()).toEqual(files);
    expect(new Set(slices.flat()).size).toBe(files.length);
    expect(slices.every((s) => s.length > 0)).toBe(true);
    expect((await api(['ocr', 'id', dir, '--shard', '4/3'])).code).toBe(2);
  });

  it('face compare --manifest and index --manifest', async () => {
    const { files } = makeFolder('manifest', 4);
    const pairs = join(root, 'pairs.csv');
    writeFileSync(pairs, `selfie,id\n${files[0]},${files[1]}\n${files[2]},${files[3]}\n`);
    const compared = await api(['face', 'compare', '--manifest', pairs, '--json']);
    expect(compared.code).toBe(0);
    const recs = compared.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(recs).toHaveLength(2);
    expect(recs[0].files).toHaveLength(2);
    expect(sim.requests.slice(-2).every((x) => x.files.map((f) => f.field).sort().join() === 'id,selfie')).toBe(true);

    const people = join(root, 'people.csv');
    writeFileSync(people, `image,numberId\n${files[0]},id-1\n${files[1]},id-2\n`);
    const partition = `m-${Date.now()}`;
    const indexed = await api(['index', '--manifest', people, '--partition', partition, '--json']);
    expect(indexed.code).toBe(0);
    expect(sim.requests.slice(-2).map((x) => x.fields.numberId).sort()).toEqual(['id-1', 'id-2']);

    const bad = join(root, 'bad.csv');
    writeFileSync(bad, 'photo,who\na.png,1\n');
    const r = await api(['index', '--manifest', bad, '--partition', partition]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/numberId/);
  });
});

describe('Ctrl-C', () => {
  it('stops starting calls, records the ones in flight, exits 130 with valid JSONL; a re-run finishes', async () => {
    const slow = await startSimulator({ apiKey: KEY, latencyMs: 150 });
    const { dir, files } = makeFolder('sigint', 40);
    const out = join(root, 'sigint.jsonl');
    const args = [BIN, '--host', slow.url, '-q', 'ocr', 'id', dir, '--out', out, '--concurrency', '2'];
    const child = spawn(process.execPath, args, { env: { ...process.env, FINOS_API_KEY: KEY, FINOS_CONFIG_DIR: root }, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    for (let i = 0; i < 200 && slow.stats().total < 4; i++) await new Promise((r) => setTimeout(r, 25));
    child.kill('SIGINT');
    const code = await exited;
    const before = slow.stats().total;
    expect(code).toBe(130);
    const text = readFileSync(out, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const partial = readRecords(out);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(files.length);
    expect(partial.length).toBe(before); // every call that was made is recorded

    const rerun = await runCli(['--host', slow.url, '-q', 'ocr', 'id', dir, '--out', out], { env: { FINOS_API_KEY: KEY } });
    expect(rerun.code).toBe(0);
    expect(slow.stats().total).toBe(files.length); // nothing paid for twice
    await slow.close();
    const all = readRecords(out);
    expect(new Set(all.map((x) => x.file)).size).toBe(files.length);
    expect(all).toHaveLength(files.length);
  });
});
