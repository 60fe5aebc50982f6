import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from './helpers/cli.js';
import { failingDisk } from './helpers/disk.js';
import { makePng } from './helpers/png.js';
import { useSimulator } from './helpers/sim.js';

const KEY = 'disk-test-key-0123456789';
const INPUTS = 40;
const CONCURRENCY = 4;
const root = mkdtempSync(join(tmpdir(), 'finos-disk-'));
// Some latency, so that several calls really are in flight when the disk fails.
const simulator = useSimulator({ apiKey: KEY, latencyMs: 15 });

/** ~40 small distinct card images. */
const cards = join(root, 'cards');
mkdirSync(cards);
for (let i = 0; i < INPUTS; i++) {
  writeFileSync(join(cards, `card-${String(i).padStart(2, '0')}.png`), makePng({ width: 96, height: 64, seed: i + 1, marker: 'doc=cccd_chip_front' }));
}

afterAll(() => rmSync(root, { recursive: true, force: true }));

let runs = 0;
/** An `ocr id` batch of the folder into `out`, each run with transaction ids of its own. */
function batch(out: string): Promise<CliResult> {
  return runCli(['--host', simulator().url, '-q', '--preflight', 'off', '--transaction-id', `run${++runs}`, 'ocr', 'id', cards, '--concurrency', String(CONCURRENCY), '--out', out], {
    env: { FINOS_API_KEY: KEY },
  });
}

interface Lost {
  file: string;
  outcome: string;
  requestId: string;
  transactionId: string;
}

/**
 * The promise a disk failure must keep: the file is whole JSONL, and every call the simulator answered during
 * this run is either a record in it or named on stderr, never both. Returns what stderr named.
 */
function expectNothingLostSilently(r: CliResult, out: string, recordedBefore = 0): { recorded: number; lost: Lost[] } {
  const text = readFileSync(out, 'utf8');
  if (text) expect(text.endsWith('\n')).toBe(true);
  const records = text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { transactionId: string; ok: boolean });
  const lost = [...r.stderr.matchAll(/^not recorded: (\S+) \((\w+), requestId ([0-9a-f-]{36}), transactionId (\S+)\)$/gm)].map(
    ([, file, outcome, requestId, transactionId]) => ({ file: file!, outcome: outcome!, requestId: requestId!, transactionId: transactionId! }),
  );
  const sim = simulator();
  const answered = sim.requests.slice(-sim.stats().total).map((req) => req.headers.transactionid);
  const inFile = records.slice(recordedBefore).map((x) => x.transactionId);
  expect([...inFile, ...lost.map((x) => x.transactionId)].sort()).toEqual([...answered].sort());
  expect(records.every((x) => x.ok)).toBe(true);
  return { recorded: inFile.length, lost };
}

describe('a results file that cannot be written', () => {
  it('a write that fails midway (ENOSPC): the torn line is cut, the answers in flight are named, no call starts after', async () => {
    const out = join(root, 'torn.jsonl');
    let answeredAtFault = 0;
    failingDisk({ code: 'ENOSPC', tearLine: 10, onFault: () => (answeredAtFault = simulator().stats().total) });
    const r = await batch(out);
    expect(r.code).toBe(1);
    const { recorded, lost } = expectNothingLostSilently(r, out);
    expect(recorded).toBe(9);
    expect(lost.length).toBeGreaterThanOrEqual(1);
    expect(simulator().stats().total).toBeLessThanOrEqual(answeredAtFault + CONCURRENCY - 1);
    expect(r.stderr).toMatch(/cannot record answers \(ENOSPC: no space left on device, write\); \d+ input\(s\) named above are not in it\. Free some space, then re-run with --out .*torn\.jsonl to finish/);
    expect(r.stderr.trimEnd().split('\n').at(-1)).toContain(`the ${lost.length} paid answer(s) among them are paid for again`);
  });

  it('a sync that fails mid-batch (EIO): every line it covered is cut and named, and the batch stops', async () => {
    const out = join(root, 'sync.jsonl');
    let answeredAtFault = 0;
    const disk = failingDisk({ code: 'EIO', syncFailsFromLine: 12, onFault: () => (answeredAtFault = simulator().stats().total) });
    const r = await batch(out);
    expect(r.code).toBe(1);
    const { recorded, lost } = expectNothingLostSilently(r, out);
    expect(recorded).toBeLessThan(12);
    expect(recorded + lost.length).toBeLessThan(INPUTS);
    expect(simulator().stats().total).toBeLessThanOrEqual(answeredAtFault + CONCURRENCY);
    // No sync after the failed one: it could claim pages the kernel already dropped.
    expect(disk.faults).toBe(1);
    expect(r.stderr).toMatch(/EIO: i\/o error, fdatasync.*Check the disk, then re-run/);
  });

  it('the last sync, at close, fails: the batch answered everything, and names what the file lost', async () => {
    const out = join(root, 'close.jsonl');
    failingDisk({ code: 'EIO', syncFailsFromLine: INPUTS });
    const r = await batch(out);
    expect(r.code).toBe(1);
    expect(simulator().stats().total).toBe(INPUTS);
    const { recorded, lost } = expectNothingLostSilently(r, out);
    expect(lost.length).toBeGreaterThanOrEqual(1);
    expect(recorded + lost.length).toBe(INPUTS);
  });
});

describe('on a real full disk (a 16 KiB tmpfs: about 14 records)', () => {
  let disk: string | undefined;
  let why = 'not root';
  beforeAll(() => {
    if (process.getuid?.() !== 0) return;
    const dir = mkdtempSync(join(tmpdir(), 'finos-tmpfs-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', dir], { stdio: 'pipe' });
      disk = dir;
    } catch (err) {
      why = `mount failed: ${String((err as { stderr?: Buffer }).stderr ?? err).trim()}`;
      rmdirSync(dir);
    }
  });
  afterAll(() => {
    if (!disk) return;
    execFileSync('umount', [disk]);
    rmdirSync(disk);
  });

  it('stops, leaves whole JSONL and names every answer it could not keep; after making room, a re-run finishes the rest', async (ctx) => {
    if (!disk) ctx.skip(`needs root and a tmpfs mount (${why})`);
    const out = join(disk!, 'results.jsonl');
    const r = await batch(out);
    expect(r.code).toBe(1);
    const { recorded, lost } = expectNothingLostSilently(r, out);
    expect(recorded).toBeLessThan(INPUTS);
    expect(lost.length).toBeGreaterThanOrEqual(1);
    expect(lost.length).toBeLessThanOrEqual(CONCURRENCY);
    expect(r.stderr).toContain('ENOSPC');

    execFileSync('mount', ['-o', 'remount,size=1m', disk!]);
    simulator().resetStats();
    const again = await batch(out);
    expect(again.code).toBe(0);
    // Only what the file lacked was sent: the named answers were paid again, nothing recorded was.
    expect(simulator().stats().total).toBe(INPUTS - recorded);
    const all = readFileSync(out, 'utf8').trimEnd().split('\n').map((line) => (JSON.parse(line) as { file: string }).file);
    expect(new Set(all).size).toBe(INPUTS);
    expect(all).toHaveLength(INPUTS);
  });
});
