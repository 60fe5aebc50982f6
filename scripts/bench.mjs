#!/usr/bin/env node
// The performance benchmark: `npm run bench` (build, then this script). It starts the simulator in processes of
// its own, generates its inputs, runs the real CLI as a child process and prints one markdown table on stdout
// (progress on stderr): the measured value, the target and PASS/FAIL.
//
//   node scripts/bench.mjs [--quick] [--rounds=N] [--rusage=time|preload]
//
//   --quick            smaller counts, to try the script out (the numbers are then not the ones the targets are for)
//   --rounds=N         repeat runs 1–3 N times, interleaved, and report medians (default 1; 3 on a noisy machine)
//   --rusage=…         how a child's peak RSS and CPU time are read (default: /usr/bin/time when it works, else preload)
//
// What is measured (inputs: ~300 KB PNGs, generated once into os.tmpdir()/finos-ekyc-bench, hard-linked per input):
//   1  `finos-ekyc --host URL --api-key K -q ocr id DIR --concurrency 8 --out FILE`, spawn to exit, against a
//      simulator answering after 50 ms: requests/s as a share of 8 / 0.05 s = 160 req/s. For context, the same
//      batch through a plain undici loop (FormData + openAsBlob, 8 at a time) in a child process.
//   2  the same CLI command at latency 0, against `xargs -P 8 curl -F image=@FILE` on the same simulator: ratio of
//      wall times. Both are checked through /__simulator/stats (all N requests seen, never more than 8 at once).
//      For context, a minimal Node client over the same inputs (read, sha256, one POST, a line per answer, nothing
//      else): the most any Node client could get from this simulator on this machine.
//   3  peak RSS (ru_maxrss) of the CLI process for a folder of 1,000 and of 10,000 inputs.
//   4  peak RSS of a child that only uploads one 200 MB file through the library (it must stream).
//   5  user + sys CPU of the CLI process in run 2 ÷ requests. The simulator is a process of its own: not counted.
//   6  `--help` and `--version` wall time ÷ `node -e 0`, each spawned the same way, rounds interleaved, medians.
//   Rows 1-5 run with --preflight off: they measure the batch itself. 2d is the same batch with the default
//   pre-flight checks; 8 is --prepare auto against off on it (images that need nothing must cost nothing).
//   7  PHOTOS phone photos (12 MP JPEG shot sideways, made by scripts/photos.mjs) through a simulator whose uploads
//      share a 20 Mbit/s budget (--bandwidth): --prepare always against off, bytes sent, peak RSS, CPU; and the CPU
//      of preparing one 12 MP JPEG and the HEIC specimen.
// Each simulator gets unmeasured warm-up passes first (warmUp says how many, and why): it stands in for a server
// that is already running.
//
// Everything is a ratio or a share, not an absolute time: the reference machine has 2 cores and is noisy. The exit
// code is 0 when every measurement was made, even if a target is missed (FAIL in the table); 1 when a measurement
// could not be made at all (ERROR in the table: a child failed, or the simulator did not see the requests expected).
//
// Plain Node, no dependencies beyond the project's own (undici, for the comparison loop).

import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { closeSync, existsSync, linkSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';
import { PNG_SIGNATURE, pngChunk } from './png.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'bin', 'finos-ekyc.js');
const NODE = process.execPath;
const BENCH_DIR = join(tmpdir(), 'finos-ekyc-bench');
const OCR_PATH = '/ekyc/ocr/v2/nationalID';
const API_KEY = 'bench-key';
const MB = 1024 * 1024;
/** USER_HZ, the unit of utime/stime in /proc/PID/stat: 100 on every Linux that Node supports. */
const CLOCK_TICKS = 100;

const args = process.argv.slice(2);
for (const a of args) {
  if (a !== '--quick' && !/^--rusage=(time|preload)$/.test(a) && !/^--rounds=[1-9]$/.test(a)) {
    process.stderr.write(`bench: unknown argument ${a}\nusage: node scripts/bench.mjs [--quick] [--rounds=1..9] [--rusage=time|preload]\n`);
    process.exit(2);
  }
}
const QUICK = args.includes('--quick');
const ROUNDS = Number(args.find((a) => a.startsWith('--rounds='))?.slice('--rounds='.length) ?? 1);
const C = QUICK
  ? { batch: 300, rssSmall: 200, rssLarge: 2000, bigBytes: 200 * MB, startupRuns: 15, warmup: 300, warmupCurl: 50 }
  : { batch: 2000, rssSmall: 1000, rssLarge: 10000, bigBytes: 200 * MB, startupRuns: 31, warmup: 2000, warmupCurl: 300 };
const CONCURRENCY = 8;
const LATENCY_MS = 50;
/** Row 7: phone photos over a branch office's uplink, the simulator's shared upload budget. */
const PHOTOS = QUICK ? 40 : 200;
const PHOTO_BASES = 8;
const UPLINK_MBPS = 20;
/** Distinct generated images; every input path is a hard link to one of them (10,000 inputs without 3 GB of disk). */
const BASE_IMAGES = 16;
/** Bumped when the generated files change, so an old cache in the temp dir is not reused. */
const GENERATOR_VERSION = '1';

const log = (msg) => process.stderr.write(`bench: ${msg}\n`);

// ---- children: every one tracked, in its own process group, killed on any way out --------------------------------

const children = new Set();

function spawnTracked(cmd, argv, opts = {}) {
  // detached: a process group of its own, so xargs' curls (or anything a child starts) die with it.
  const child = spawn(cmd, argv, { detached: true, ...opts });
  children.add(child);
  child.once('exit', () => children.delete(child));
  child.once('error', () => children.delete(child));
  return child;
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

function killAll() {
  for (const child of children) killGroup(child, 'SIGKILL');
  children.clear();
}

process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    log(`${sig}: stopping children`);
    killAll();
    process.exit(130);
  });
}
// The whole run is bounded too: a stuck child cannot keep the script alive.
const WATCHDOG_MS = (QUICK ? 8 : 15 + 5 * ROUNDS) * 60_000;
setTimeout(() => {
  log(`gave up after ${WATCHDOG_MS / 60_000} minutes`);
  killAll();
  if (rows.length) printTable();
  process.exit(1);
}, WATCHDOG_MS).unref();

/** An environment without the user's profile, proxies or colours: the numbers must not depend on the shell. */
function childEnv(extra = {}) {
  const env = { ...process.env };
  for (const k of Object.keys(env)) {
    if (/^(FINOS_|NODE_OPTIONS$|HTTPS?_PROXY$|ALL_PROXY$|NO_PROXY$)/i.test(k)) delete env[k];
  }
  return { ...env, FINOS_CONFIG_DIR: join(BENCH_DIR, 'config'), NO_COLOR: '1', ...extra };
}

/**
 * Runs a command to its exit; wall time is measured from just before spawn to the exit event (the whole process,
 * start-up included). Rejects on timeout (after killing the process group) or on a spawn error.
 */
function run(cmd, argv, { timeoutMs, env = childEnv(), stdinText, captureStdout = false, cwd = ROOT } = {}) {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawnTracked(cmd, argv, { cwd, env, stdio: [stdinText === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      if (captureStdout) stdout += d;
    });
    child.stderr.on('data', (d) => {
      if (stderr.length < 64 * 1024) stderr += d;
    });
    if (stdinText !== undefined) {
      child.stdin.on('error', () => {}); // a child that exits early must not crash the bench with EPIPE
      child.stdin.end(stdinText);
    }
    let wallMs;
    const timer = setTimeout(() => {
      killGroup(child, 'SIGKILL');
      reject(new Error(`${cmd} timed out after ${timeoutMs / 1000} s; stderr: ${stderr.slice(-500)}`));
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', () => {
      wallMs = performance.now() - started;
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, wallMs: wallMs ?? performance.now() - started, stdout, stderr });
    });
  });
}

// ---- peak RSS and CPU time of a child process ----------------------------------------------------------------------
//
// What is asked for is the peak RSS of *the CLI process* (node bin/finos-ekyc.js). Two sound ways:
//  - `/usr/bin/time -f …` (GNU time): it forks the command, waits for it with wait4() and prints the child's own
//    rusage: ru_maxrss (peak RSS, KB) and user/sys CPU. The CLI loads dist/ with import() in that same process, so
//    this is exactly the CLI's peak; time's own few hundred KB are not part of it.
//  - when GNU time is missing: a preload module (`node --import`), in the CLI process itself, that writes
//    process.resourceUsage() (maxRSS = the kernel's ru_maxrss, user/system CPU) to a file on 'exit'. Nothing the
//    CLI allocates after its last 'exit' listener can raise the peak meaningfully.
// Not sound, and so not used: polling /proc/PID/status (misses whatever happens after the last poll, and races the
// exit), or spawnSync() in a wrapper (it returns no rusage), or running main() inside a wrapper (not the CLI process).

const RUSAGE_PRELOAD = join(BENCH_DIR, 'rusage-preload.mjs');

function gnuTimeWorks() {
  if (!existsSync('/usr/bin/time')) return false;
  const probe = join(BENCH_DIR, 'time-probe.txt');
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', '-o', probe, NODE, '-e', 'Buffer.alloc(64 * 1024 * 1024, 1)'], { stdio: 'ignore' });
  if (r.status !== 0) return false;
  const m = parseGnuTime(readFileSync(probe, 'utf8'));
  // A 64 MB buffer touched: a peak under 60 MB, or over 4× that, would be a broken `time` (old GNU time had a 4× bug).
  return m !== undefined && m.maxRssKb > 60 * 1024 && m.maxRssKb < 4 * 64 * 1024;
}

function parseGnuTime(text) {
  const line = text.trim().split('\n').pop() ?? '';
  const m = /^([\d.]+) ([\d.]+) ([\d.]+) (\d+)$/.exec(line.trim());
  if (!m) return undefined;
  return { cpuMs: (Number(m[2]) + Number(m[3])) * 1000, maxRssKb: Number(m[4]) };
}

let rusageMode;

/** Runs `node <argv>` and adds `maxRssKb` and `cpuMs` (user + sys) of that node process to run()'s result. */
async function runNodeWithRusage(nodeArgv, opts) {
  const file = join(BENCH_DIR, `rusage-${process.pid}-${Date.now()}.txt`);
  rmSync(file, { force: true });
  let res;
  if (rusageMode === 'time') {
    res = await run('/usr/bin/time', ['-f', '%e %U %S %M', '-o', file, NODE, ...nodeArgv], opts);
    const m = existsSync(file) ? parseGnuTime(readFileSync(file, 'utf8')) : undefined;
    if (!m) throw new Error(`no usable /usr/bin/time output (exit ${res.code}); stderr: ${res.stderr.slice(-500)}`);
    Object.assign(res, m);
  } else {
    res = await run(NODE, ['--import', pathToFileURL(RUSAGE_PRELOAD).href, ...nodeArgv], { ...opts, env: { ...(opts.env ?? childEnv()), BENCH_RUSAGE_FILE: file } });
    if (!existsSync(file)) throw new Error(`the child wrote no resource usage (exit ${res.code}); stderr: ${res.stderr.slice(-500)}`);
    const u = JSON.parse(readFileSync(file, 'utf8'));
    Object.assign(res, { cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssKb: u.maxRSS });
  }
  rmSync(file, { force: true });
  return res;
}

// ---- generated inputs ------------------------------------------------------------------------------------------------

/** xorshift32: deterministic, fast, good enough for incompressible padding. */
function fillRandom(buf, state) {
  const words = new Uint32Array(buf.buffer, buf.byteOffset, buf.length >>> 2);
  let x = state >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    words[i] = x;
  }
  for (let i = words.length * 4; i < buf.length; i++) buf[i] = i & 0xff;
  return x;
}

/**
 * The start of a valid PNG: signature, IHDR (8-bit RGB, the given size) and a real IDAT (a blank image of that size,
 * which decodes), so the simulator's format and dimension checks see a plausible ID-card photo.
 */
function pngHead(width, height) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const blank = Buffer.alloc((1 + width * 3) * height, 0xf0);
  for (let y = 0; y < height; y++) blank[y * (1 + width * 3)] = 0; // filter byte: none
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(blank))]);
}
const IEND = pngChunk('IEND', Buffer.alloc(0));

/** ~300 KB (280–320 KB): the blank picture, then pseudo-random bytes in a private ancillary chunk (`bnCh`). */
function benchImage(i) {
  const dims = [
    [1200, 800],
    [1280, 806],
    [1024, 646],
    [1600, 1008],
  ][i % 4];
  const head = pngHead(dims[0], dims[1]);
  const padding = Buffer.alloc(280 * 1024 + ((i * 2654435761) >>> 0) % (40 * 1024));
  fillRandom(padding, 0x9e3779b9 ^ (i + 1));
  return Buffer.concat([head, pngChunk('bnCh', padding), IEND]);
}

function ensureDir(path) {
  mkdirSync(path, { recursive: true });
}

/** A folder of `count` distinct paths, each a hard link to one of the base images; reused when already complete. */
function linkFolder(name, count, base, ext = 'png') {
  const dir = join(BENCH_DIR, name);
  const doneMark = `${dir}.complete`;
  if (existsSync(doneMark)) return dir;
  log(`linking ${count} inputs into ${dir}`);
  rmSync(dir, { recursive: true, force: true });
  ensureDir(dir);
  const width = String(count - 1).length;
  for (let i = 0; i < count; i++) {
    const target = base[i % base.length];
    const path = join(dir, `card-${String(i).padStart(width, '0')}.${ext}`);
    try {
      linkSync(target, path);
    } catch {
      symlinkSync(target, path); // a file system without hard links: a link to a file is still walked as a file
    }
  }
  writeFileSync(doneMark, `${count}\n`);
  return dir;
}

/** One large PNG, written in 4 MB steps (never held whole): the head above, then `bytes` of padding in 16 MB chunks. */
function bigImage(path, bytes) {
  if (existsSync(`${path}.complete`) && statSync(path).size >= bytes) return;
  log(`writing a ${Math.round(bytes / MB)} MB image to ${path}`);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, pngHead(1200, 800));
    const step = Buffer.alloc(4 * MB);
    let state = 0x2545f491;
    for (let left = bytes; left > 0; ) {
      const len = Math.min(16 * MB, left);
      const head = Buffer.alloc(8);
      head.writeUInt32BE(len, 0);
      head.write('bnCh', 4, 'latin1');
      writeSync(fd, head);
      let crc = crc32(head.subarray(4));
      for (let done = 0; done < len; ) {
        const part = step.subarray(0, Math.min(step.length, len - done));
        state = fillRandom(part, state);
        crc = crc32(part, crc);
        writeSync(fd, part);
        done += part.length;
      }
      const tail = Buffer.alloc(4);
      tail.writeUInt32BE(crc, 0);
      writeSync(fd, tail);
      left -= len;
    }
    writeSync(fd, IEND);
  } finally {
    closeSync(fd);
  }
  writeFileSync(`${path}.complete`, '');
}

function prepareInputs() {
  const stamp = join(BENCH_DIR, 'VERSION');
  if (existsSync(BENCH_DIR) && (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== GENERATOR_VERSION)) {
    log(`removing an old ${BENCH_DIR}`);
    rmSync(BENCH_DIR, { recursive: true, force: true });
  }
  ensureDir(BENCH_DIR);
  writeFileSync(stamp, GENERATOR_VERSION);
  ensureDir(join(BENCH_DIR, 'config'));
  ensureDir(join(BENCH_DIR, 'out'));
  writeFileSync(
    RUSAGE_PRELOAD,
    [
      '// Preloaded into a measured node process: its own peak RSS and CPU time, written when it exits.',
      "import { writeFileSync } from 'node:fs';",
      "process.on('exit', () => { if (process.env.BENCH_RUSAGE_FILE) writeFileSync(process.env.BENCH_RUSAGE_FILE, JSON.stringify(process.resourceUsage())); });",
      '',
    ].join('\n'),
  );

  const baseDir = join(BENCH_DIR, 'base');
  ensureDir(baseDir);
  const base = [];
  for (let i = 0; i < BASE_IMAGES; i++) {
    const path = join(baseDir, `base-${String(i).padStart(2, '0')}.png`);
    if (!existsSync(path)) writeFileSync(path, benchImage(i));
    base.push(path);
  }
  const big = join(BENCH_DIR, `big-${Math.round(C.bigBytes / MB)}mb.png`);
  bigImage(big, C.bigBytes);
  return {
    base,
    avgBytes: base.reduce((s, p) => s + statSync(p).size, 0) / base.length,
    batch: linkFolder(`batch-${C.batch}`, C.batch, base),
    warmup: linkFolder(`warmup-${C.warmup}`, C.warmup, base),
    rssSmall: linkFolder(`inputs-${C.rssSmall}`, C.rssSmall, base),
    rssLarge: linkFolder(`inputs-${C.rssLarge}`, C.rssLarge, base),
    big,
    bigBytes: statSync(big).size,
  };
}

/** Row 7's inputs: PHOTO_BASES 12 MP phone photos shot sideways (scripts/photos.mjs), hard-linked PHOTOS times. */
async function preparePhotos() {
  const { phonePhoto } = await import('./photos.mjs');
  const baseDir = join(BENCH_DIR, 'photos-base');
  ensureDir(baseDir);
  const base = [];
  for (let i = 0; i < PHOTO_BASES; i++) {
    const path = join(baseDir, `phone-${i}.jpg`);
    if (!existsSync(path)) {
      log(`making phone photo ${i + 1} of ${PHOTO_BASES}`);
      writeFileSync(path, await phonePhoto({ seed: 100 + i, width: 3024, height: 4032, orientation: 6 }));
    }
    base.push(path);
  }
  return { dir: linkFolder(`photos-${PHOTOS}`, PHOTOS, base, 'jpg'), avgBytes: base.reduce((n, p) => n + statSync(p).size, 0) / base.length, sample: base[0] };
}

function inputFiles(dir) {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.png'))
    .sort()
    .map((n) => join(dir, n));
}

// ---- the simulator, in a process of its own (its CPU is never counted as the client's) --------------------------------

async function startSimulator({ latencyMs, maxUploadBytes, bandwidthMbps }) {
  const argv = [CLI, 'mock-server', '--port', '0', '--latency', String(latencyMs), '--api-key', API_KEY];
  if (maxUploadBytes) argv.push('--max-upload', String(maxUploadBytes));
  if (bandwidthMbps) argv.push('--bandwidth', String(bandwidthMbps));
  const child = spawnTracked(NODE, argv, { cwd: ROOT, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => {
    if (stderr.length < 16 * 1024) stderr += d;
  });
  const url = await new Promise((resolvePromise, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the simulator printed no URL within 15 s; stderr: ${stderr}`)), 15_000);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl !== -1) {
        clearTimeout(timer);
        resolvePromise(out.slice(0, nl).trim());
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the simulator exited (${code}) before printing its URL; stderr: ${stderr}`));
    });
  });
  child.stdout.resume();
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(url)) throw new Error(`unexpected simulator URL: ${url}`);
  log(`simulator (latency ${latencyMs} ms) at ${url}, pid ${child.pid}`);
  const control = async (path, method = 'GET') => {
    const res = await fetch(`${url}/__simulator/${path}`, { method, signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`simulator control ${method} ${path}: HTTP ${res.status}`);
    return res.json();
  };
  return {
    url,
    /** The simulator's own CPU time so far (user + sys, ms), from /proc on Linux; undefined elsewhere. */
    cpuMs() {
      try {
        const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
        return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
      } catch {
        return undefined;
      }
    },
    stats: () => control('stats'),
    resetStats: () => control('stats/reset', 'POST'),
    requests: () => control('requests'),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      killGroup(child, 'SIGINT');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The simulator must have seen exactly `expected` OCR calls since the last reset, all finished. */
async function verifyCount(sim, expected, what, maxInFlight = CONCURRENCY) {
  let s = await sim.stats();
  // The last responses may still be draining on the server side when the client exits: allow a moment.
  for (let i = 0; i < 20 && s.inFlight > 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
    s = await sim.stats();
  }
  const got = s.byPath[OCR_PATH] ?? 0;
  if (s.total !== expected || got !== expected) {
    throw new Error(`${what}: the simulator saw ${s.total} requests (${got} to ${OCR_PATH}), expected ${expected}`);
  }
  // More calls at once than asked for would flatter the throughput.
  if (s.maxInFlight > maxInFlight) throw new Error(`${what}: ${s.maxInFlight} requests were in flight at once, more than ${maxInFlight}`);
  return s;
}

// ---- the measured commands ---------------------------------------------------------------------------------------------

/**
 * Unmeasured passes over the simulator: it stands in for a server that is already running, so its JIT warm-up must
 * not be charged to whichever client happens to be measured first. Its CPU per request kept falling for ~6,000
 * requests (per 2,000 at latency 0: 2.9-3.5 s, then 2.2 s, 2.1 s, then 1.8-1.9 s), so the CLI makes `passes` over
 * the warm-up inputs, and curl sends a few hundred on new connections (the path only curl's requests take). At
 * latency 50 ms the simulator is mostly idle and one pass does.
 */
async function warmUp(sim, dir, passes) {
  const out = join(BENCH_DIR, 'out', 'warmup.jsonl');
  log(`warming the simulator up (${passes} × ${C.warmup} requests from the CLI, ${C.warmupCurl} from curl; not measured)`);
  for (let pass = 1; pass <= passes; pass++) {
    rmSync(out, { force: true }); // else the next pass would skip everything as already done
    const res = await run(NODE, [CLI, '--host', sim.url, '--api-key', API_KEY, '-q', 'ocr', 'id', dir, '--concurrency', String(CONCURRENCY), '--out', out, ...MACHINERY], {
      timeoutMs: 120_000,
    });
    if (res.code !== 0) throw new Error(`the warm-up run exited ${res.code ?? res.signal}; stderr: ${res.stderr.slice(-800)}`);
  }
  await xargsCurl(sim, inputFiles(dir).slice(0, C.warmupCurl), 120_000);
}

/**
 * Rows 1-5 measure the batch itself: the pre-flight checks, which decode every image, are left out there and
 * measured on their own (row 2d).
 */
const MACHINERY = ['--preflight', 'off'];

/** `finos-ekyc --host URL --api-key K -q ocr id DIR --concurrency 8 --out FILE [flags]`, with its peak RSS and CPU. */
async function cliBatch(sim, dir, count, label, timeoutMs, flags = MACHINERY, mustSucceed = true) {
  const out = join(BENCH_DIR, 'out', `${label}.jsonl`);
  rmSync(out, { force: true }); // a results file from an earlier run would make this one skip everything
  await sim.resetStats();
  log(`${label}: finos-ekyc ocr id (${count} inputs, concurrency ${CONCURRENCY})`);
  const res = await runNodeWithRusage([CLI, '--host', sim.url, '--api-key', API_KEY, '-q', 'ocr', 'id', dir, '--concurrency', String(CONCURRENCY), '--out', out, ...flags], {
    timeoutMs,
  });
  if (res.code !== 0) throw new Error(`${label}: the CLI exited ${res.code ?? res.signal}; stderr: ${res.stderr.slice(-800)}`);
  await verifyCount(sim, count, label);
  const lines = readFileSync(out, 'utf8').split('\n').filter(Boolean);
  const ok = lines.filter((l) => JSON.parse(l).ok === true).length;
  // A prepared photo loses the simulator's marker with its metadata: the simulator then picks the document itself,
  // sometimes one that `ocr id` does not read (422). Every input must still have its record.
  if (lines.length !== count || (mustSucceed && ok !== count)) throw new Error(`${label}: ${out} has ${lines.length} records, ${ok} ok; expected ${count}`);
  log(`${label}: ${fmtS(res.wallMs)}, ${(count / (res.wallMs / 1000)).toFixed(1)} req/s, CPU ${fmtS(res.cpuMs)}, peak RSS ${fmtMB(res.maxRssKb)}`);
  return res;
}

/** For context: the plainest client undici allows, 8 workers, one FormData + openAsBlob per request, in a child. */
const UNDICI_LOOP = `
import { openAsBlob, readFileSync } from 'node:fs';
import { basename } from 'node:path';
const { request, FormData } = await import(process.env.BENCH_UNDICI);
const files = JSON.parse(readFileSync(process.env.BENCH_FILES, 'utf8'));
const url = process.env.BENCH_URL;
let next = 0, ok = 0;
async function worker() {
  while (next < files.length) {
    const path = files[next++];
    const fd = new FormData();
    fd.append('image', await openAsBlob(path, { type: 'image/png' }), basename(path));
    const res = await request(url, { method: 'POST', headers: { 'X-FinOS-Api-Key': process.env.BENCH_KEY }, body: fd });
    await res.body.text();
    if (res.statusCode === 200) ok++;
  }
}
await Promise.all(Array.from({ length: Number(process.env.BENCH_CONCURRENCY) }, worker));
process.stdout.write(JSON.stringify({ ok }) + '\\n');
`;

/**
 * For context in run 2, the least any Node client must do per input: read the file once, sha256 it, one multipart
 * POST (a single buffer) over keep-alive, a JSON line per answer. No checks, no validation, no resume, no retries.
 */
const MINIMAL_LOOP = `
import { closeSync, fstatSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
const { Agent } = await import(process.env.BENCH_UNDICI);
const files = JSON.parse(readFileSync(process.env.BENCH_FILES, 'utf8'));
const url = new URL(process.env.BENCH_URL);
const agent = new Agent({ keepAliveTimeout: 30000 });
const out = openSync(process.env.BENCH_OUT, 'w');
const B = 'minimal-loop-boundary';
let next = 0, ok = 0;
async function worker() {
  const buf = Buffer.allocUnsafeSlow(1 << 20);
  while (next < files.length) {
    const path = files[next++];
    const head = Buffer.from(\`--\${B}\\r\\nContent-Disposition: form-data; name="image"; filename="x.png"\\r\\nContent-Type: image/png\\r\\n\\r\\n\`);
    const fd = openSync(path, 'r');
    const size = fstatSync(fd).size;
    head.copy(buf, 0);
    const n = readSync(fd, buf, head.length, size, 0);
    closeSync(fd);
    const sha256 = createHash('sha256').update(buf.subarray(head.length, head.length + n)).digest('hex');
    const tail = Buffer.from(\`\\r\\n--\${B}--\\r\\n\`);
    tail.copy(buf, head.length + n);
    const res = await agent.request({ origin: url.origin, path: url.pathname, method: 'POST', body: buf.subarray(0, head.length + n + tail.length), headers: { 'x-finos-api-key': process.env.BENCH_KEY, 'content-type': \`multipart/form-data; boundary=\${B}\` } });
    const body = JSON.parse(await res.body.text());
    writeSync(out, JSON.stringify({ file: path, sha256, status: res.statusCode, body }) + '\\n');
    if (res.statusCode === 200) ok++;
  }
}
await Promise.all(Array.from({ length: Number(process.env.BENCH_CONCURRENCY) }, worker));
await agent.close();
process.stdout.write(JSON.stringify({ ok }) + '\\n');
`;

/** Runs one of the comparison loops above in a child process over `files`, and checks every answer was a 200. */
async function nodeLoop(name, script, sim, files, timeoutMs) {
  const listFile = join(BENCH_DIR, 'out', 'loop-files.json');
  writeFileSync(listFile, JSON.stringify(files));
  await sim.resetStats();
  log(`${name} (${files.length} requests, ${CONCURRENCY} at a time)`);
  const undiciEntry = createRequire(join(ROOT, 'package.json')).resolve('undici');
  const res = await run(NODE, ['--input-type=module', '-e', script], {
    timeoutMs,
    captureStdout: true,
    env: childEnv({
      BENCH_UNDICI: pathToFileURL(undiciEntry).href,
      BENCH_FILES: listFile,
      BENCH_URL: `${sim.url}${OCR_PATH}`,
      BENCH_KEY: API_KEY,
      BENCH_CONCURRENCY: String(CONCURRENCY),
      BENCH_OUT: join(BENCH_DIR, 'out', 'loop.jsonl'),
    }),
  });
  if (res.code !== 0) throw new Error(`the ${name} exited ${res.code ?? res.signal}; stderr: ${res.stderr.slice(-800)}`);
  const { ok } = JSON.parse(res.stdout.trim().split('\n').pop());
  if (ok !== files.length) throw new Error(`the ${name} got ${ok} answers 200 of ${files.length}`);
  await verifyCount(sim, files.length, name);
  log(`${name}: ${fmtS(res.wallMs)}, ${(files.length / (res.wallMs / 1000)).toFixed(1)} req/s`);
  return res;
}

/** `xargs -0 -P 8 -I{} curl -s -o /dev/null -H 'X-FinOS-Api-Key: K' -F image=@{} URL` over the same files. */
async function xargsCurl(sim, files, timeoutMs) {
  await sim.resetStats();
  log(`xargs -P ${CONCURRENCY} curl (${files.length} requests)`);
  const res = await run(
    'xargs',
    ['-0', '-P', String(CONCURRENCY), '-I', '{}', 'curl', '-s', '-o', '/dev/null', '-w', '%{http_code}\\n', '-H', `X-FinOS-Api-Key: ${API_KEY}`, '-F', 'image=@{}', `${sim.url}${OCR_PATH}`],
    { timeoutMs, stdinText: files.join('\0'), captureStdout: true },
  );
  if (res.code !== 0) throw new Error(`xargs curl exited ${res.code ?? res.signal}; stderr: ${res.stderr.slice(-800)}`);
  const codes = res.stdout.split('\n').filter(Boolean);
  const ok = codes.filter((c) => c === '200').length;
  if (ok !== files.length) throw new Error(`curl got ${ok} answers 200 of ${files.length} (${codes.length} answers)`);
  await verifyCount(sim, files.length, 'xargs curl');
  log(`xargs curl: ${fmtS(res.wallMs)}, ${(files.length / (res.wallMs / 1000)).toFixed(1)} req/s`);
  return res;
}

/** The library in a child that does nothing else: one upload of the big file; its own peak RSS at the end. */
const BIG_UPLOAD = `
const { FinosClient } = await import(process.env.BENCH_LIB);
const client = new FinosClient({ host: process.env.BENCH_HOST, apiKey: process.env.BENCH_KEY, maxUploadBytes: Number(process.env.BENCH_MAX), timeoutMs: 300000, maxRetries: 0 });
const started = performance.now();
const res = await client.ocr.nationalId(process.env.BENCH_FILE);
await client.close();
process.stdout.write(JSON.stringify({ status: res.httpStatus, ms: performance.now() - started, maxRssKb: process.resourceUsage().maxRSS }) + '\\n');
`;

async function bigUpload(sim, path, bytes) {
  await sim.resetStats();
  log(`one ${Math.round(bytes / MB)} MB upload through the library`);
  const res = await run(NODE, ['--input-type=module', '-e', BIG_UPLOAD], {
    timeoutMs: 300_000,
    captureStdout: true,
    env: childEnv({
      BENCH_LIB: pathToFileURL(join(ROOT, 'dist', 'index.js')).href,
      BENCH_HOST: sim.url,
      BENCH_KEY: API_KEY,
      BENCH_MAX: String(bytes + MB),
      BENCH_FILE: path,
    }),
  });
  if (res.code !== 0) throw new Error(`the upload child exited ${res.code ?? res.signal}; stderr: ${res.stderr.slice(-800)}`);
  const r = JSON.parse(res.stdout.trim().split('\n').pop());
  if (r.status !== 200) throw new Error(`the big upload got HTTP ${r.status}`);
  await verifyCount(sim, 1, 'big upload');
  const last = (await sim.requests()).at(-1);
  const size = last?.files?.[0]?.size;
  if (size !== bytes) throw new Error(`the simulator received ${size} bytes of the file, expected ${bytes}`);
  log(`big upload: ${fmtS(r.ms)}, peak RSS ${fmtMB(r.maxRssKb)}`);
  return r;
}

/**
 * `--help`, `--version` and `node -e 0`, each spawned the same way, in interleaved rounds. The ratio is taken within
 * each round (to the baseline run next to it), then the median over rounds: a slow spell of the machine lasts
 * longer than a round, so it scales both sides of a ratio instead of skewing one median.
 */
/** Row 7d: CPU of prepareImage alone, per image, in a child: a 12 MP photo shot sideways, and the HEIC specimen. */
const PREPARE_CPU = `
const { prepareImage } = await import(process.env.BENCH_LIB);
const out = {};
for (const [name, path] of Object.entries(JSON.parse(process.env.BENCH_FILES))) {
  await prepareImage(path); // loads sharp and libheif: not counted
  const each = [];
  for (let i = 0; i < 9; i++) {
    const before = process.cpuUsage();
    await prepareImage(path);
    const used = process.cpuUsage(before);
    each.push((used.user + used.system) / 1000);
  }
  out[name] = each.sort((a, b) => a - b)[4];
}
process.stdout.write(JSON.stringify(out) + '\\n');
`;

async function prepareCpu(files) {
  const res = await run(NODE, ['--input-type=module', '-e', PREPARE_CPU], {
    timeoutMs: 300_000,
    captureStdout: true,
    env: childEnv({ BENCH_LIB: pathToFileURL(join(ROOT, 'dist', 'index.js')).href, BENCH_FILES: JSON.stringify(files) }),
  });
  if (res.code !== 0) throw new Error(`prepare CPU child exited ${res.code}; stderr: ${res.stderr.slice(-500)}`);
  return JSON.parse(res.stdout);
}

async function startupTimes(runs) {
  const cases = {
    baseline: [NODE, ['-e', '0']],
    help: [NODE, [CLI, '--help']],
    version: [NODE, [CLI, '--version']],
  };
  const names = Object.keys(cases);
  const times = Object.fromEntries(names.map((n) => [n, []]));
  log(`start-up: ${runs} interleaved rounds of node -e 0, --help, --version`);
  for (let round = -2; round < runs; round++) {
    // The order rotates each round, so no command always runs right after the same other one.
    for (let k = 0; k < names.length; k++) {
      const name = names[(((round % names.length) + names.length) % names.length + k) % names.length];
      const [cmd, argv] = cases[name];
      const res = await run(cmd, argv, { timeoutMs: 30_000, captureStdout: true });
      if (res.code !== 0) throw new Error(`${name} exited ${res.code ?? res.signal}; stderr: ${res.stderr.slice(-500)}`);
      if (name === 'version' && !/^\d+\.\d+\.\d+/.test(res.stdout)) throw new Error(`--version printed ${JSON.stringify(res.stdout)}`);
      if (name === 'help' && !res.stdout.includes('Usage:')) throw new Error('--help printed no usage');
      if (round >= 0) times[name].push(res.wallMs); // two warm-up rounds are not counted
    }
  }
  const med = Object.fromEntries(names.map((n) => [n, median(times[n])]));
  const ratio = (name) => median(times[name].map((t, i) => t / times.baseline[i]));
  log(`start-up medians: node -e 0 ${med.baseline.toFixed(1)} ms, --help ${med.help.toFixed(1)} ms, --version ${med.version.toFixed(1)} ms`);
  const fastest = Object.fromEntries(names.map((n) => [n, Math.min(...times[n])]));
  return { fastest, helpRatio: ratio('help'), versionRatio: ratio('version') };
}

// ---- formatting ---------------------------------------------------------------------------------------------------------

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
const fmtS = (ms) => `${(ms / 1000).toFixed(2)} s`;
const fmtMB = (kb) => `${(kb / 1024).toFixed(1)} MB`;
const fmtN = (n) => n.toLocaleString('en-US');

const rows = [];
let errors = 0;
function row(measure, value, target, pass) {
  rows.push({ measure, value, target, result: pass === undefined ? 'info' : pass ? 'PASS' : 'FAIL' });
}
function errorRow(measure, target, err) {
  errors++;
  log(`ERROR in "${measure}": ${err instanceof Error ? err.message : String(err)}`);
  rows.push({ measure, value: `error: ${String(err instanceof Error ? err.message : err).split('\n')[0].slice(0, 120).replaceAll('|', '/')}`, target, result: 'ERROR' });
}

function printTable() {
  const head = ['Measure', 'Value', 'Target', 'Result'];
  // In the spec's order (5 is measured together with 2), whatever order the measurements ran in.
  const body = [...rows].sort((a, b) => a.measure.localeCompare(b.measure, 'en', { numeric: true })).map((r) => [r.measure, r.value, r.target, r.result]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  const out = [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)];
  process.stdout.write(`${out.join('\n')}\n`);
}

// ---- main ----------------------------------------------------------------------------------------------------------------

async function main() {
  if (!existsSync(join(ROOT, 'dist', 'index.js')) || !existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
    throw new Error('dist/ is missing: run `npm run build` first (or `npm run bench`)');
  }
  const t0 = performance.now();
  log(`node ${process.version}, ${cpus().length} CPU(s), ${QUICK ? 'QUICK mode (small counts)' : 'full counts'}; inputs in ${BENCH_DIR}`);
  const inputs = prepareInputs();
  const forced = args.find((a) => a.startsWith('--rusage='))?.slice('--rusage='.length);
  rusageMode = forced ?? (gnuTimeWorks() ? 'time' : 'preload');
  log(`peak RSS and CPU of the CLI read with ${rusageMode === 'time' ? '/usr/bin/time' : 'a --import preload (process.resourceUsage at exit)'}`);
  const kb = Math.round(inputs.avgBytes / 1024);
  const batchFiles = inputFiles(inputs.batch);
  const n = fmtN(C.batch);

  // 1. Throughput against the bound that latency and concurrency set: 8 / 0.05 s = 160 req/s.
  const bound = CONCURRENCY / (LATENCY_MS / 1000);
  const of = ROUNDS > 1 ? `, median of ${ROUNDS}` : '';
  const m1 = `1. ${n} × ${kb} KB at latency ${LATENCY_MS} ms, concurrency ${CONCURRENCY}: share of ${bound} req/s (whole CLI process${of})`;
  const m1b = `1b. same, plain undici loop (context)`;
  let sim = await startSimulator({ latencyMs: LATENCY_MS });
  try {
    await warmUp(sim, inputs.warmup, 1);
    const timeoutMs = Math.max(60_000, (C.batch / bound) * 1000 * 6);
    // The two clients alternate, so a slow spell of the machine does not land on one of them only.
    const ours = [];
    const plain = [];
    let oursError;
    let plainError;
    for (let round = 1; round <= ROUNDS; round++) {
      if (!oursError) {
        try {
          ours.push((await cliBatch(sim, inputs.batch, C.batch, `latency-${LATENCY_MS}`, timeoutMs)).wallMs);
        } catch (err) {
          oursError = err;
        }
      }
      if (!plainError) {
        try {
          plain.push((await nodeLoop('undici loop', UNDICI_LOOP, sim, batchFiles, timeoutMs)).wallMs);
        } catch (err) {
          plainError = err;
        }
      }
    }
    const shareRow = (measure, walls, target, pass) => {
      const wall = median(walls);
      const rps = C.batch / (wall / 1000);
      row(measure, `${((rps / bound) * 100).toFixed(1)} % (${rps.toFixed(1)} req/s, ${fmtS(wall)})`, target, pass?.(rps / bound));
    };
    if (oursError) errorRow(m1, '≥ 85 %', oursError);
    else shareRow(m1, ours, '≥ 85 %', (share) => share >= 0.85);
    if (plainError) errorRow(m1b, '~75 % expected', plainError);
    else shareRow(m1b, plain, '~75 % expected', undefined);
  } finally {
    await sim.stop();
  }

  // 2, 3, 4, 5 on one simulator without latency; its upload limit raised for the big file.
  sim = await startSimulator({ latencyMs: 0, maxUploadBytes: inputs.bigBytes + 4 * MB });
  try {
    await warmUp(sim, inputs.warmup, 3);
    const m2 = `2. ${n} × ${kb} KB at latency 0: CLI vs xargs -P ${CONCURRENCY} curl (wall-time ratio${of})`;
    const m2b = `2b. simulator CPU per request in run 2, CLI / curl (context: it shares the ${cpus().length} cores)`;
    const m5 = `5. client CPU per request (${kb} KB upload; user+sys of the CLI in run 2 ÷ requests${of})`;
    const m2c = `2c. same inputs, a minimal Node client (read, sha256, one POST, a line per answer; no checks) vs curl (context)`;
    const ours = [];
    const curl = [];
    const minimal = [];
    let error;
    let minimalError;
    for (let round = 1; round <= ROUNDS && !error; round++) {
      try {
        let before = sim.cpuMs();
        const r = await cliBatch(sim, inputs.batch, C.batch, 'latency-0', 180_000);
        ours.push({ wallMs: r.wallMs, cpuMs: r.cpuMs, simCpuMs: before === undefined ? undefined : sim.cpuMs() - before });
        before = sim.cpuMs();
        const c = await xargsCurl(sim, batchFiles, 600_000);
        curl.push({ wallMs: c.wallMs, simCpuMs: before === undefined ? undefined : sim.cpuMs() - before });
      } catch (err) {
        error = err;
      }
      try {
        if (!error) minimal.push((await nodeLoop('minimal Node client', MINIMAL_LOOP, sim, batchFiles, 180_000)).wallMs);
      } catch (err) {
        minimalError = err;
      }
    }
    if (error) {
      errorRow(m2, '≥ 4×', error);
      if (!ours.length) errorRow(m5, '≤ 2.5 ms', error);
    } else {
      const oursWall = median(ours.map((r) => r.wallMs));
      const curlWall = median(curl.map((r) => r.wallMs));
      const ratio = curlWall / oursWall;
      row(m2, `${ratio.toFixed(1)}× faster (${fmtS(oursWall)} vs ${fmtS(curlWall)})`, '≥ 4×', ratio >= 4);
      if (ours[0].simCpuMs !== undefined) {
        const per = (xs) => (median(xs.map((r) => r.simCpuMs)) / C.batch).toFixed(2);
        row(m2b, `${per(ours)} ms / ${per(curl)} ms`, '—', undefined);
      }
      if (minimalError) errorRow(m2c, '—', minimalError);
      else if (minimal.length) row(m2c, `${(curlWall / median(minimal)).toFixed(1)}× faster (${fmtS(median(minimal))})`, '—', undefined);
    }
    if (ours.length) {
      const cpuMs = median(ours.map((r) => r.cpuMs));
      const cpuPer = cpuMs / C.batch;
      row(m5, `${cpuPer.toFixed(2)} ms (${fmtS(cpuMs)} CPU for ${n} requests)`, '≤ 2.5 ms', cpuPer <= 2.5);
    }

    // Peak RSS depends on when V8 chooses to collect, so with --rounds the two sizes alternate and medians are kept.
    const m3a = `3a. peak RSS of the CLI, ${fmtN(C.rssSmall)} inputs${of}`;
    const m3b = `3b. peak RSS of the CLI, ${fmtN(C.rssLarge)} inputs (and ÷ 3a)${of}`;
    const small = [];
    const large = [];
    let error3;
    for (let round = 1; round <= ROUNDS && !error3; round++) {
      try {
        small.push((await cliBatch(sim, inputs.rssSmall, C.rssSmall, `rss-${C.rssSmall}`, 180_000)).maxRssKb);
        large.push((await cliBatch(sim, inputs.rssLarge, C.rssLarge, `rss-${C.rssLarge}`, 600_000)).maxRssKb);
      } catch (err) {
        error3 = err;
      }
    }
    if (small.length) row(m3a, fmtMB(median(small)), '≤ 150 MB', median(small) <= 150 * 1024);
    else errorRow(m3a, '≤ 150 MB', error3);
    if (large.length) {
      const growth = median(large) / median(small);
      row(m3b, `${fmtMB(median(large))} (${growth.toFixed(2)}×)`, '≤ 150 MB and ≤ 1.2×', median(large) <= 150 * 1024 && growth <= 1.2);
    } else errorRow(m3b, '≤ 150 MB and ≤ 1.2×', error3);

    // 2d and 8: what the pre-flight checks and --prepare auto cost on the same batch (images that need no preparing).
    const m2d = `2d. same batch with the default --preflight warn (decodes every image): client CPU per request`;
    try {
      const r = await cliBatch(sim, inputs.batch, C.batch, 'preflight-warn', 180_000, []);
      row(m2d, `${(r.cpuMs / C.batch).toFixed(2)} ms (${fmtS(r.wallMs)})`, '—', undefined);
    } catch (err) {
      errorRow(m2d, '—', err);
    }
    // Two runs differ by up to ~15 % on this machine, more than the 3 % asked for: five alternating pairs, medians.
    const pairs = Math.max(ROUNDS, 5);
    const m8 = `8. --prepare auto vs off on the same batch (--preflight off): throughput ratio (median of ${pairs} alternating pairs)`;
    try {
      const auto = [];
      const off = [];
      const runAuto = async () => auto.push((await cliBatch(sim, inputs.batch, C.batch, 'prepare-auto', 180_000, [...MACHINERY, '--prepare', 'auto'])).wallMs);
      const runOff = async () => off.push((await cliBatch(sim, inputs.batch, C.batch, 'prepare-off', 180_000, [...MACHINERY, '--prepare', 'off'])).wallMs);
      // Each goes first in every other pair: whichever runs first after another row pays for it.
      for (let round = 1; round <= pairs; round++) {
        if (round % 2) await runAuto().then(runOff);
        else await runOff().then(runAuto);
      }
      const ratio = median(off) / median(auto);
      row(m8, `${(ratio * 100).toFixed(1)} % (${fmtS(median(auto))} vs ${fmtS(median(off))})`, '≥ 97 %', ratio >= 0.97);
    } catch (err) {
      errorRow(m8, '≥ 97 %', err);
    }

    const m4 = `4. peak RSS, one ${Math.round(inputs.bigBytes / MB)} MB upload (library, child process)`;
    try {
      const r = await bigUpload(sim, inputs.big, inputs.bigBytes);
      row(m4, `${fmtMB(r.maxRssKb)} (${fmtS(r.ms)})`, '≤ 150 MB', r.maxRssKb <= 150 * 1024);
    } catch (err) {
      errorRow(m4, '≤ 150 MB', err);
    }
  } finally {
    await sim.stop();
  }

  // 7. Phone photos through a branch office's uplink: what --prepare always saves where bytes are the limit.
  const photos = await preparePhotos();
  const pmb = (photos.avgBytes / MB).toFixed(1);
  const m7a = `7a. ${PHOTOS} phone photos (4032×3024 JPEG, EXIF orientation 6, ${pmb} MB each) over ${UPLINK_MBPS} Mbit/s, concurrency ${CONCURRENCY}: --prepare always ÷ off, wall time`;
  const m7b = `7b. peak RSS of the CLI in the --prepare always run`;
  const m7c = `7c. share of a core the --prepare always run uses (CPU ÷ wall; pre-flight checks included)`;
  sim = await startSimulator({ latencyMs: 0, bandwidthMbps: UPLINK_MBPS });
  try {
    const timeoutMs = Math.max(120_000, ((PHOTOS * photos.avgBytes * 8) / (UPLINK_MBPS * 1e6)) * 1000 * 3);
    const always = await cliBatch(sim, photos.dir, PHOTOS, 'photos-always', timeoutMs, ['--prepare', 'always'], false);
    const alwaysBytes = (await sim.stats()).bytesReceived;
    const off = await cliBatch(sim, photos.dir, PHOTOS, 'photos-off', timeoutMs, ['--prepare', 'off'], false);
    const offBytes = (await sim.stats()).bytesReceived;
    const ratio = always.wallMs / off.wallMs;
    row(m7a, `${ratio.toFixed(2)}× (${fmtS(always.wallMs)}, ${fmtN(Math.round(alwaysBytes / MB))} MB sent, vs ${fmtS(off.wallMs)}, ${fmtN(Math.round(offBytes / MB))} MB)`, '≤ 0.3×', ratio <= 0.3);
    row(m7b, fmtMB(always.maxRssKb), '≤ 300 MB', always.maxRssKb <= 300 * 1024);
    row(m7c, `${((always.cpuMs / always.wallMs) * 100).toFixed(0)} % (${fmtS(always.cpuMs)} CPU)`, '—', undefined);
  } catch (err) {
    errorRow(m7a, '≤ 0.3×', err);
  } finally {
    await sim.stop();
  }
  const m7d = `7d. preparation CPU per image (prepareImage, median of 9): 12 MP JPEG shot sideways / HEIC specimen 1134×1512`;
  try {
    const cpu = await prepareCpu({ jpeg: photos.sample, heic: join(ROOT, 'examples', 'images', 'phone.heic') });
    row(m7d, `${cpu.jpeg.toFixed(0)} ms / ${cpu.heic.toFixed(0)} ms`, '—', undefined);
  } catch (err) {
    errorRow(m7d, '—', err);
  }

  // 6. Start-up, with no simulator running.
  const m6a = `6a. finos-ekyc --help wall time ÷ node -e 0 (median ratio of ${C.startupRuns} rounds)`;
  const m6b = `6b. finos-ekyc --version wall time ÷ node -e 0 (median ratio of ${C.startupRuns} rounds)`;
  try {
    const { helpRatio: help, versionRatio: version, fastest: f } = await startupTimes(C.startupRuns);
    row(m6a, `${help.toFixed(2)}× (fastest runs ${f.help.toFixed(0)} ms vs ${f.baseline.toFixed(0)} ms)`, '≤ 1.3×', help <= 1.3);
    row(m6b, `${version.toFixed(2)}× (fastest runs ${f.version.toFixed(0)} ms vs ${f.baseline.toFixed(0)} ms)`, '≤ 1.1×', version <= 1.1);
  } catch (err) {
    errorRow(m6a, '≤ 1.3×', err);
    errorRow(m6b, '≤ 1.1×', err);
  }

  printTable();
  process.stdout.write(`\nnode ${process.version}, ${cpus().length} CPU(s), ${process.platform}${QUICK ? ', --quick (small counts)' : ''}\n`);
  log(`done in ${fmtS(performance.now() - t0)}`);
}

try {
  await main();
  process.exitCode = errors ? 1 : 0;
} catch (err) {
  log(`failed: ${err instanceof Error ? err.stack : String(err)}`);
  if (rows.length) printTable();
  process.exitCode = 1;
} finally {
  killAll();
}
