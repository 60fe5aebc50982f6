import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AbortedError, AuthenticationError, FileNotFoundError, InvalidArgumentError, RecordingFailedError } from '../src/api/errors.js';
import { FlowController } from '../src/batch/flow.js';
import { expandInputs } from '../src/batch/inputs.js';
import { ManifestError, readManifest } from '../src/batch/manifest.js';
import { ProgressMeter } from '../src/batch/progress.js';
import { ResultsFileError, contentHash, openResultsFile, type ResultRecord } from '../src/batch/results.js';
import { runPool } from '../src/batch/run.js';
import { inShard, parseShard } from '../src/batch/shard.js';
import { BatchTally } from '../src/batch/summary.js';
import { EXIT } from '../src/cli/exit-codes.js';
import { batchExitCode, type BatchEnd } from '../src/cli/run/exit-policy.js';
import { failingDisk } from './helpers/disk.js';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'finos-batch-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});
afterEach(() => {
  vi.useRealTimers();
});

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** A manually advanced clock for classes that take `now`. */
function manualClock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

describe('expandInputs', () => {
  let root: string;
  beforeAll(async () => {
    root = join(tmp, 'tree');
    await mkdir(join(root, 'sub'), { recursive: true });
    await mkdir(join(root, '.git'));
    // Created out of order, so creation order cannot pass for sorting.
    for (const name of ['é.jpg', 'b.jpg', 'notes.md', '9.jpg', 'a.PNG', 'A.webp', '10.jpg', '.hidden.jpg', '.git/x.jpg', 'sub/z.txt', 'sub/c.jpeg']) {
      await writeFile(join(root, name), 'x');
    }
    await symlink(root, join(root, 'loop'));
    await symlink(join(root, 'b.jpg'), join(root, 'link.jpg'));
  });

  it('walks directories in byte order of names, recursing in place, skipping hidden entries, non-images and linked directories', async () => {
    const skipped: [string, string][] = [];
    const paths = await collect(expandInputs([root], { onSkip: (p, reason) => skipped.push([p, reason]) }));
    expect(paths).toEqual(['10.jpg', '9.jpg', 'A.webp', 'a.PNG', 'b.jpg', 'link.jpg', 'sub/c.jpeg', 'é.jpg'].map((n) => join(root, n)));
    expect(skipped).toEqual([
      [join(root, 'loop'), 'symbolic link to a directory (not followed)'],
      [join(root, 'notes.md'), 'not an image'],
      [join(root, 'sub/z.txt'), 'not an image'],
    ]);
  });

  it('yields file arguments as given, even missing or non-image ones, for the client to report', async () => {
    const args = [join(root, 'notes.md'), join(tmp, 'missing.jpg'), join(root, 'b.jpg')];
    expect(await collect(expandInputs(args))).toEqual(args);
  });

  it('reads `-` as a list of paths, with comments, blank lines and CRLF, expanding directories', async () => {
    const stdin = Readable.from([`# made by find\r\n${join(root, 'b.jpg')}\r\n\r\n   \n`, `${join(root, 'sub')}\n${join(tmp, 'gone.jpg')}`]);
    expect(await collect(expandInputs(['-'], { stdin }))).toEqual([join(root, 'b.jpg'), join(root, 'sub/c.jpeg'), join(tmp, 'gone.jpg')]);
  });

  it('reads `-` one path per line only, whatever a name holds (U+2028 ends a line for readline on Node 24)', async () => {
    const odd = join(tmp, 'odd\u2028name\u2029.jpg');
    await writeFile(odd, 'x');
    // A multi-byte name cut across two chunks still arrives whole.
    const text = Buffer.from(`${odd}\n${join(tmp, 'tail.jpg')}`);
    const stdin = Readable.from([text.subarray(0, odd.length - 3), text.subarray(odd.length - 3)]);
    expect(await collect(expandInputs(['-'], { stdin }))).toEqual([odd, join(tmp, 'tail.jpg')]);
  });

  it('refuses `-` without a stdin', async () => {
    await expect(collect(expandInputs(['-']))).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

describe('readManifest', () => {
  let dir: string;
  beforeAll(async () => {
    dir = join(tmp, 'manifests');
    await mkdir(dir);
  });
  const write = async (name: string, text: string): Promise<string> => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };

  it('reads image1,image2 pairs, BOM and spaces tolerated, paths resolved against the manifest', async () => {
    const path = await write('pairs.csv', '\ufeff image1 , image2 ,note\n\na.jpg, sub/b.jpg ,x\n/abs/c.jpg,d.jpg\n');
    expect(await collect(readManifest(path, 'pair'))).toEqual([
      { line: 3, mode: 'selfies', files: [join(dir, 'a.jpg'), join(dir, 'sub/b.jpg')] },
      { line: 4, mode: 'selfies', files: ['/abs/c.jpg', join(dir, 'd.jpg')] },
    ]);
  });

  it('reads selfie,id pairs, column names in any case and order', async () => {
    const path = await write('selfie-id.csv', 'ID,Selfie\r\ncard.jpg,me.jpg\r\n');
    expect(await collect(readManifest(path, 'pair'))).toEqual([{ line: 2, mode: 'selfie-id', files: [join(dir, 'me.jpg'), join(dir, 'card.jpg')] }]);
  });

  it('reads image,numberId rows without treating the number as a path', async () => {
    const path = await write('index.csv', 'image,numberId\nface.jpg,001099012345\n');
    expect(await collect(readManifest(path, 'index'))).toEqual([{ line: 2, files: [join(dir, 'face.jpg')], numberId: '001099012345' }]);
  });

  it('names the columns found and expected when one is missing', async () => {
    const path = await write('wrong.csv', 'image1,photo\na.jpg,b.jpg\n');
    const err = await collect(readManifest(path, 'pair')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ManifestError);
    expect(err).toMatchObject({ code: 'invalid_manifest', path });
    expect((err as Error).message).toContain('image1,image2 or selfie,id');
    expect((err as Error).message).toContain('found: image1,photo');
  });

  it('names the line and column of an empty cell, after yielding the rows before it', async () => {
    const path = await write('hole.csv', 'image,numberId\na.jpg,1\nb.jpg,\n');
    const rows: unknown[] = [];
    const err = await (async () => {
      for await (const row of readManifest(path, 'index')) rows.push(row);
    })().catch((e: unknown) => e);
    expect(rows).toHaveLength(1);
    expect(err).toBeInstanceOf(ManifestError);
    expect((err as Error).message).toMatch(/line 3: the "numberId" cell is empty/);
  });

  it('reports a missing, empty or malformed manifest as typed errors', async () => {
    await expect(collect(readManifest(join(dir, 'nope.csv'), 'pair'))).rejects.toBeInstanceOf(FileNotFoundError);
    await expect(collect(readManifest(await write('empty.csv', ''), 'pair'))).rejects.toThrow(/empty; expected a header row image1,image2/);
    await expect(collect(readManifest(await write('quote.csv', 'image1,image2\n"a.jpg,b.jpg\n'), 'pair'))).rejects.toBeInstanceOf(ManifestError);
  });
});

describe('shard', () => {
  it('parses k/n and refuses anything else', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '1.5/3', '-1/3', '3', '']) expect(() => parseShard(bad), bad).toThrow(InvalidArgumentError);
  });

  it('splits any key set into disjoint slices that cover it, whatever the order', () => {
    const keys = Array.from({ length: 1000 }, (_, i) => `photos/${i}/IMG_${i * 7919}.jpg`);
    for (const count of [1, 3, 8]) {
      const sizes = new Array<number>(count).fill(0);
      for (const key of keys) {
        const owners = Array.from({ length: count }, (_, i) => i + 1).filter((index) => inShard(key, { index, count }));
        expect(owners).toHaveLength(1);
        sizes[(owners[0] as number) - 1]!++;
      }
      // A uniform hash: no slice is starved or doubled.
      for (const size of sizes) expect(size).toBeGreaterThan((1000 / count) * 0.6);
    }
    const shard = { index: 2, count: 3 };
    const forward = keys.filter((k) => inShard(k, shard));
    const backward = [...keys].reverse().filter((k) => inShard(k, shard));
    expect(backward.reverse()).toEqual(forward);
  });
});

describe('FlowController', () => {
  it('never has more than `concurrency` attempts in flight', async () => {
    const gate = new FlowController({ concurrency: 3 });
    let inFlight = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        await gate.acquire();
        peak = Math.max(peak, ++inFlight);
        await sleep(i % 4);
        inFlight--;
        gate.release({ status: 200 });
      }),
    );
    expect(peak).toBe(3);
    expect(gate.stats()).toMatchObject({ inFlight: 0, maxInFlight: 3, limit: 3, throttled: 0 });
  });

  it('starts waiters first come, first served', async () => {
    const gate = new FlowController({ concurrency: 1 });
    const order: string[] = [];
    await gate.acquire();
    const waiting = ['b', 'c', 'd'].map((name) => gate.acquire().then(() => void order.push(name)));
    for (let i = 0; i < 3; i++) {
      gate.release({ status: 200 });
      await waiting[i];
    }
    expect(order).toEqual(['b', 'c', 'd']);
  });

  it('halves the limit on each 429 down to 1, and climbs back after `limit` successes in a row', async () => {
    const clock = manualClock();
    const gate = new FlowController({ concurrency: 8, now: clock.now });
    const attempt = async (status: number): Promise<void> => {
      await gate.acquire();
      gate.release({ status, retryAfterMs: 0 });
    };
    const limits: number[] = [];
    for (let i = 0; i < 4; i++) {
      await attempt(429);
      limits.push(gate.stats().limit);
    }
    expect(limits).toEqual([4, 2, 1, 1]);
    // 1 → 8 takes 1 + 2 + … + 7 = 28 successes; failures other than 429 neither help nor hurt.
    for (let i = 0; i < 27; i++) await attempt(i % 5 === 0 ? 422 : 200);
    expect(gate.stats().limit).toBeLessThan(8);
    for (let i = 0; i < 10; i++) await attempt(200);
    expect(gate.stats()).toMatchObject({ limit: 8, throttled: 4 });
  });

  it('counts the 429s of attempts already in flight as one signal', async () => {
    const clock = manualClock();
    const gate = new FlowController({ concurrency: 8, now: clock.now });
    for (let i = 0; i < 8; i++) await gate.acquire();
    for (let i = 0; i < 8; i++) gate.release({ status: 429, retryAfterMs: 1000 });
    expect(gate.stats()).toMatchObject({ limit: 4, throttled: 8, paused: true, inFlight: 0 });
    clock.advance(1000);
    expect(gate.stats().paused).toBe(false);
  });

  it('pauses every acquire until Retry-After has passed', async () => {
    vi.useFakeTimers();
    const gate = new FlowController({ concurrency: 4 });
    await gate.acquire();
    gate.release({ status: 429, retryAfterMs: 5000 });
    let started = 0;
    const waiting = [gate.acquire(), gate.acquire()].map((p) => p.then(() => void started++));
    await vi.advanceTimersByTimeAsync(4999);
    expect(started).toBe(0);
    expect(gate.stats().paused).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    await Promise.all(waiting);
    expect(started).toBe(2);
  });

  it('without Retry-After, pauses 1 s, 2 s, 4 s… while 429s continue, capped at 30 s, and resets on success', async () => {
    const clock = manualClock();
    const gate = new FlowController({ concurrency: 1, now: clock.now });
    const pauseAfter = async (status: number): Promise<number> => {
      await gate.acquire();
      gate.release({ status });
      let ms = 0;
      while (gate.stats().paused) {
        clock.advance(100);
        ms += 100;
      }
      return ms;
    };
    const pauses: number[] = [];
    for (let i = 0; i < 7; i++) pauses.push(await pauseAfter(429));
    expect(pauses).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    await pauseAfter(200);
    expect(await pauseAfter(429)).toBe(1000);
  });

  it('spaces starts evenly by the rate, even after idling', async () => {
    vi.useFakeTimers();
    const gate = new FlowController({ concurrency: 5, ratePerMinute: 600 });
    const startedAt: number[] = [];
    const t0 = Date.now();
    const take = (): Promise<void> => gate.acquire().then(() => void startedAt.push(Date.now() - t0));
    const first = [take(), take(), take()];
    await vi.advanceTimersByTimeAsync(250);
    await Promise.all(first);
    expect(startedAt).toEqual([0, 100, 200]);
    await vi.advanceTimersByTimeAsync(10_000);
    const second = [take(), take()];
    await vi.advanceTimersByTimeAsync(100);
    await Promise.all(second);
    expect(startedAt.slice(3)).toEqual([10_250, 10_350]);
  });

  it('rejects a waiter when its signal aborts, leaving the queue and no timer behind', async () => {
    vi.useFakeTimers();
    const gate = new FlowController({ concurrency: 1 });
    await gate.acquire();
    gate.release({ status: 429, retryAfterMs: 60_000 });
    const ac = new AbortController();
    const waiting = gate.acquire(ac.signal);
    expect(vi.getTimerCount()).toBe(1);
    ac.abort();
    await expect(waiting).rejects.toBeInstanceOf(AbortedError);
    expect(vi.getTimerCount()).toBe(0);
    await expect(gate.acquire(ac.signal)).rejects.toBeInstanceOf(AbortedError);
    // The aborted waiter took no slot: the next one starts when the pause ends.
    const next = gate.acquire();
    await vi.advanceTimersByTimeAsync(60_000);
    await next;
    expect(gate.stats().inFlight).toBe(1);
  });

  it('refuses a nonsensical configuration', () => {
    expect(() => new FlowController({ concurrency: 0 })).toThrow(InvalidArgumentError);
    expect(() => new FlowController({ concurrency: 2, ratePerMinute: 0 })).toThrow(InvalidArgumentError);
  });
});

describe('results file', () => {
  let n = 0;
  const fresh = (): string => join(tmp, `results-${n++}.jsonl`);
  const rec = (file: string, sha256: string, ok: boolean): ResultRecord => ({ file, sha256, ok, outcome: ok ? 'ok' : 'failed', durationMs: 5 });

  it('creates the file owner-only, and leaves the mode of an existing file alone', async () => {
    const path = fresh();
    await (await openResultsFile(path)).close();
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const shared = fresh();
    await writeFile(shared, '');
    await chmod(shared, 0o640);
    await (await openResultsFile(shared)).close();
    expect((await stat(shared)).mode & 0o777).toBe(0o640);
  });

  it('remembers successes across runs, by name and content; a success is final', async () => {
    const path = fresh();
    const first = await openResultsFile(path);
    expect(first.previouslyDone).toBe(0);
    first.append(rec('a.jpg', 'aaa', true));
    first.append(rec('b.jpg', 'bbb', false));
    first.append(rec('c.jpg', 'ccc', true));
    first.append(rec('c.jpg', 'ccc', false));
    expect(first.has('a.jpg', 'aaa')).toBe(true);
    await first.close();
    const lines = (await readFile(path, 'utf8')).split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[4]).toBe('');

    const second = await openResultsFile(path);
    expect(second.previouslyDone).toBe(2);
    expect(second.has('a.jpg', 'aaa')).toBe(true);
    expect(second.has('c.jpg', 'ccc')).toBe(true);
    expect(second.has('b.jpg', 'bbb')).toBe(false);
    // The same name with other content is new work.
    expect(second.has('a.jpg', 'ddd')).toBe(false);
    await second.close();
  });

  it('cuts a torn last line, so the next record starts a line of its own', async () => {
    const path = fresh();
    const whole = `${JSON.stringify(rec('a.jpg', 'aaa', true))}\n`;
    await writeFile(path, `${whole}{"file":"b.jpg","sha256":"bbb","ok":tr`);
    const file = await openResultsFile(path);
    expect(file.previouslyDone).toBe(1);
    expect(await readFile(path, 'utf8')).toBe(whole);
    file.append(rec('b.jpg', 'bbb', true));
    await file.close();
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as ResultRecord).file)).toEqual(['a.jpg', 'b.jpg']);
  });

  it('keeps a complete last record that only lost its newline', async () => {
    const path = fresh();
    await writeFile(path, JSON.stringify(rec('a.jpg', 'aaa', true)));
    const file = await openResultsFile(path);
    expect(file.has('a.jpg', 'aaa')).toBe(true);
    file.append(rec('b.jpg', 'bbb', true));
    await file.close();
    expect((await readFile(path, 'utf8')).trimEnd().split('\n')).toHaveLength(2);
  });

  it('refuses a file damaged before its end rather than guess', async () => {
    const path = fresh();
    await writeFile(path, `${JSON.stringify(rec('a.jpg', 'aaa', true))}\nnot json\n${JSON.stringify(rec('b.jpg', 'bbb', true))}\n`);
    await expect(openResultsFile(path)).rejects.toThrow(ResultsFileError);
    await expect(openResultsFile(path)).rejects.toThrow(/line 2/);
  });

  it('closes without waiting out the pause between two syncs', async () => {
    const path = fresh();
    const file = await openResultsFile(path);
    // Only the global timer is frozen: the syncer's pause never ends by itself, the real-time guard below does.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      file.append(rec('a.jpg', 'aaa', true));
      // Written while the first sync is in flight: the syncer pauses before it syncs again.
      file.append(rec('b.jpg', 'bbb', true));
      await sleep(50);
      const closed = await Promise.race([file.close().then(() => 'closed'), sleep(2_000).then(() => 'still waiting')]);
      expect(closed).toBe('closed');
    } finally {
      vi.useRealTimers();
    }
    expect((await readFile(path, 'utf8')).trimEnd().split('\n')).toHaveLength(2);
  });

  /** What `fn` threw, for assertions on its fields. */
  const thrown = (fn: () => void): unknown => {
    try {
      fn();
    } catch (err) {
      return err;
    }
    throw new Error('expected a throw');
  };
  const lineOf = (r: ResultRecord): string => `${JSON.stringify(r)}\n`;

  it('cuts a write that failed midway back to the last whole line; that record and every later one come back in the error', async () => {
    const path = fresh();
    const file = await openResultsFile(path);
    const a = rec('a.jpg', 'aaa', true);
    file.append(a);
    failingDisk({ code: 'ENOSPC', tearLine: 1 });
    const b = rec('b.jpg', 'bbb', true);
    const err = thrown(() => file.append(b));
    expect(err).toBeInstanceOf(RecordingFailedError);
    expect(err).toMatchObject({ code: 'results_write_failed', status: undefined, path, records: [b] });
    expect((err as Error).message).toContain('ENOSPC');
    expect(await readFile(path, 'utf8')).toBe(lineOf(a));
    const c = rec('c.jpg', 'ccc', true);
    expect(thrown(() => file.append(c))).toMatchObject({ records: [c] });
    expect(file.has('b.jpg', 'bbb')).toBe(false);
    // Every loss was reported by an append: closing has nothing more to say.
    await file.close();
    expect(await readFile(path, 'utf8')).toBe(lineOf(a));
  });

  it('after a failed sync, cuts every line it covered and reports them at close; the sync is not retried', async () => {
    const path = fresh();
    const disk = failingDisk({ code: 'EIO', syncFailsFromLine: 2 });
    const file = await openResultsFile(path);
    const [a, b] = [rec('a.jpg', 'aaa', true), rec('b.jpg', 'bbb', true)];
    file.append(a);
    // Written while the first sync is in flight: only the second covers it, and that one fails.
    file.append(b);
    await expect(file.close()).rejects.toMatchObject({ code: 'results_write_failed', records: [b] });
    expect(await readFile(path, 'utf8')).toBe(lineOf(a));
    expect(disk.syncs).toBe(2);
  });

  it('reports the lines a failed sync lost at the next append, with that record, and writes nothing more', async () => {
    const path = fresh();
    const disk = failingDisk({ code: 'EIO', syncFailsFromLine: 1 });
    const file = await openResultsFile(path);
    const [a, b] = [rec('a.jpg', 'aaa', true), rec('b.jpg', 'bbb', true)];
    file.append(a);
    await vi.waitFor(async () => expect(await readFile(path, 'utf8')).toBe(''));
    expect(thrown(() => file.append(b))).toMatchObject({ records: [a, b] });
    await file.close();
    expect(disk).toMatchObject({ lines: 1, syncs: 1 });
  });

  it('fails to open, with a RecordingFailedError and the file untouched, when even the missing last newline cannot be written', async () => {
    const path = fresh();
    const text = JSON.stringify(rec('a.jpg', 'aaa', true));
    await writeFile(path, text);
    failingDisk({ code: 'ENOSPC', tearLine: 1 });
    await expect(openResultsFile(path)).rejects.toMatchObject({ code: 'results_write_failed', records: [] });
    expect(await readFile(path, 'utf8')).toBe(text);
  });

  it('hashes the content of the files, in order', async () => {
    const a = join(tmp, 'hash-a.bin');
    const b = join(tmp, 'hash-b.bin');
    await writeFile(a, Buffer.alloc(200_000, 1));
    await writeFile(b, 'second');
    const expected = createHash('sha256').update(Buffer.alloc(200_000, 1)).update('second').digest('hex');
    expect(await contentHash([a, b])).toBe(expected);
    expect(await contentHash([b, a])).not.toBe(expected);
    await expect(contentHash([join(tmp, 'nothing.jpg')])).rejects.toBeInstanceOf(FileNotFoundError);
  });
});

describe('runPool', () => {
  /** A source that counts how far it has been pulled, and whether it was closed. */
  function counted(count: number): { source: AsyncGenerator<number>; pulls: () => number; closed: () => boolean } {
    let pulls = 0;
    let closed = false;
    const source = (async function* () {
      try {
        for (let i = 0; i < count; i++) {
          pulls++;
          yield i;
        }
      } finally {
        closed = true;
      }
    })();
    return { source, pulls: () => pulls, closed: () => closed };
  }

  it('runs at most N at once and pulls no further ahead than N', async () => {
    const { source, pulls } = counted(100);
    let inFlight = 0;
    let peak = 0;
    let finished = 0;
    let worstLead = 0;
    const result = await runPool(source, { concurrency: 4 }, async (i) => {
      peak = Math.max(peak, ++inFlight);
      worstLead = Math.max(worstLead, pulls() - finished);
      await sleep(i % 3);
      inFlight--;
      finished++;
    });
    expect(result).toEqual({ started: 100, stopped: false });
    expect(peak).toBe(4);
    expect(worstLead).toBeLessThanOrEqual(4);
  });

  it('stops pulling on abort, lets in-flight work finish, and closes the source', async () => {
    const { source, pulls, closed } = counted(1_000_000);
    const ac = new AbortController();
    let finished = 0;
    const result = await runPool(source, { concurrency: 3, signal: ac.signal }, async () => {
      await sleep(1);
      if (++finished === 10) ac.abort();
    });
    expect(result.stopped).toBe(true);
    expect(finished).toBe(result.started);
    expect(pulls()).toBeLessThanOrEqual(10 + 3);
    expect(closed()).toBe(true);
  });

  it('returns on abort even while the source is stuck waiting for input', async () => {
    const ac = new AbortController();
    const stuck: AsyncIterable<number> = { [Symbol.asyncIterator]: () => ({ next: () => new Promise<IteratorResult<number>>(() => {}) }) };
    setTimeout(() => ac.abort(), 10);
    expect(await runPool(stuck, { concurrency: 2, signal: ac.signal }, async () => {})).toEqual({ started: 0, stopped: true });
  });

  it('rethrows a source error once in-flight work has finished', async () => {
    const source = (async function* () {
      yield 1;
      yield 2;
      throw new ManifestError('m.csv', 'm.csv: line 4: the "image2" cell is empty');
    })();
    let finished = 0;
    await expect(
      runPool(source, { concurrency: 4 }, async () => {
        await sleep(20);
        finished++;
      }),
    ).rejects.toBeInstanceOf(ManifestError);
    expect(finished).toBe(2);
  });

  it('stops starting work after a worker throws, drains the rest, then rethrows', async () => {
    const { source } = counted(1000);
    let finished = 0;
    const boom = new Error('disk full');
    await expect(
      runPool(source, { concurrency: 3 }, async (i) => {
        await sleep(i === 0 ? 0 : 20);
        finished++;
        if (i === 0) throw boom;
      }),
    ).rejects.toBe(boom);
    expect(finished).toBeLessThanOrEqual(4);
    expect(finished).toBeGreaterThanOrEqual(3);
  });
});

describe('ProgressMeter', () => {
  it('draws one line, at most ten times a second, with rate and ETA', () => {
    const clock = manualClock();
    const writes: string[] = [];
    const meter = new ProgressMeter({ write: (s: string) => writes.push(s) }, { now: clock.now });
    meter.update({ done: 0, ok: 0, review: 0, failed: 0 });
    clock.advance(50);
    meter.update({ done: 1, ok: 1, review: 0, failed: 0 });
    expect(writes).toEqual(['\r0/? · ok 0 · review 0 · failed 0 · – req/s · ETA --:--\x1b[K']);
    clock.advance(950);
    meter.update({ done: 10, total: 130, ok: 8, review: 1, failed: 1 });
    expect(writes[1]).toBe('\r10/130 · ok 8 · review 1 · failed 1 · 10.0 req/s · ETA 00:12\x1b[K');
    meter.finish();
    expect(writes[2]).toBe('\r\x1b[K');
  });

  it('measures the rate over the last ten seconds, not the whole run', () => {
    const clock = manualClock();
    const writes: string[] = [];
    const meter = new ProgressMeter({ write: (s: string) => writes.push(s) }, { now: clock.now });
    let done = 0;
    // 60 s at 10/s, then 20 s at 1/s.
    for (let s = 1; s <= 80; s++) {
      clock.advance(1000);
      done += s <= 60 ? 10 : 1;
      meter.update({ done, total: done + 3600, ok: done, review: 0, failed: 0 });
    }
    expect(writes.at(-1)).toContain('· 1.0 req/s · ETA 1:00:00');
  });
});

describe('BatchTally', () => {
  it('counts outcomes, failures by code, skips and throughput', () => {
    const clock = manualClock();
    const summary = new BatchTally({ now: clock.now });
    const add = (outcome: ResultRecord['outcome'], code?: string): void =>
      summary.add({ file: 'x.jpg', ok: outcome === 'ok', outcome, durationMs: 1, ...(code ? { error: { code, message: code } } : {}) });
    add('ok');
    add('ok');
    add('review');
    add('not_detected', 'not_detected');
    add('failed', 'rate_limited');
    add('failed', 'rate_limited');
    add('failed', 'file_not_found');
    add('failed');
    summary.skipped(5);
    clock.advance(4000);
    expect(summary.toJSON()).toEqual({
      total: 8,
      ok: 2,
      review: 1,
      notDetected: 1,
      failed: 4,
      skipped: 0,
      failedByCode: { rate_limited: 2, file_not_found: 1, unknown: 1 },
      skippedAlreadyDone: 5,
      durationMs: 4000,
      requestsPerSecond: 2,
    });
  });
});

describe('batchExitCode', () => {
  const clean = { failed: 0, notDetected: 0, skipped: 0, review: 0 };
  const end = (over: Partial<BatchEnd> = {}): BatchEnd => ({ seen: 3, totals: clean, interrupted: false, strict: false, ...over });

  it('is 0 when every input succeeded, and 10 for a review only with --strict', () => {
    expect(batchExitCode(end())).toBe(EXIT.ok);
    expect(batchExitCode(end({ totals: { ...clean, review: 1 } }))).toBe(EXIT.ok);
    expect(batchExitCode(end({ totals: { ...clean, review: 1 }, strict: true }))).toBe(EXIT.review);
  });

  it('is 1 when any input failed, was not detected or was skipped by a pre-flight check, whatever --strict says', () => {
    expect(batchExitCode(end({ totals: { ...clean, failed: 1 } }))).toBe(EXIT.failure);
    expect(batchExitCode(end({ totals: { ...clean, notDetected: 1, review: 2 }, strict: true }))).toBe(EXIT.failure);
    expect(batchExitCode(end({ totals: { ...clean, skipped: 1 } }))).toBe(EXIT.failure);
  });

  it('puts no input first, then the error that stopped the batch, then an interruption', () => {
    const failedToo = { ...clean, failed: 2 };
    expect(batchExitCode(end({ seen: 0, fatal: new AuthenticationError('no', { status: 401 }), interrupted: true }))).toBe(EXIT.usage);
    expect(batchExitCode(end({ totals: failedToo, fatal: new AuthenticationError('no', { status: 401 }), interrupted: true }))).toBe(EXIT.auth);
    expect(batchExitCode(end({ totals: failedToo, interrupted: true }))).toBe(EXIT.interrupted);
  });
});
