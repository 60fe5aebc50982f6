#!/usr/bin/env node
'use strict';
// CommonJS (bin/package.json): starting the ES module loader alone costs ~5-8 % over `node -e 0`, so --version
// and --help answer from files (help.txt is written by the build from the program itself and checked by a test);
// everything else imports the CLI bundled by the build (dist/bundle: scripts/bundle-cli.mjs says why).
const args = process.argv.slice(2);
const only = args.length === 1 ? args[0] : undefined;

/**
 * One write to fd 1: process.stdout is built on first use, and building it loads Node's stream modules, a good
 * part of what --version cost over `node -e 0`. A non-blocking pipe that will not take it all at once gets the rest
 * the usual way; a closed one (`| head`) is nobody's problem; any other failure is one line and exit code 1.
 */
function print(text) {
  const bytes = Buffer.from(text);
  let at = 0;
  try {
    while (at < bytes.length) at += require('node:fs').writeSync(1, bytes, at);
  } catch (err) {
    if (err.code === 'EAGAIN') {
      process.stdout.on('error', () => {});
      process.stdout.write(bytes.subarray(at));
    } else if (err.code !== 'EPIPE') {
      process.stderr.write(`finos-ekyc: cannot write to stdout: ${err.message}\n`);
      process.exitCode = 1;
    }
  }
}

if (only === '--version' || only === '-V') {
  print(require('../package.json').version + '\n');
} else if (only === '--help' || only === '-h') {
  print(require('node:fs').readFileSync(require('node:path').join(__dirname, '..', 'dist', 'cli', 'help.txt'), 'utf8'));
} else {
  // V8 tuning for this process only (never for a program using the library), on the engine it was measured on
  // (Node 20's V8 11; an engine that lacks a flag would print an error), set before any module loads:
  // - A batch allocates a steady stream of short-lived garbage, and V8 doubles its young generation each time
  //   enough of it has survived, up to 16 MB a semi-space: peak RSS grew with the length of a batch (1.2-1.5x from
  //   1,000 to 10,000 inputs). Pinned at its first size, memory stays flat at no measurable CPU cost.
  // - What survives that young generation is promoted, and V8 lets the old one reach up to 4x its live size before
  //   collecting it: 19 MB live grew to 31 MB in a long batch. Collecting at 1.5x keeps 10,000 inputs within
  //   1.1x of 1,000 (90 MB against 83 MB), again at no measurable CPU cost.
  // - undici parses HTTP in WebAssembly, which V8 recompiles with its optimising tier in the background; Node
  //   waits for that before it exits: ~250 ms added to every single call. The baseline tier alone costs a batch
  //   nothing measurable (`npm run bench`).
  // The JIT's tuning for batches waits for a batch to start (main.ts).
  if (process.versions.v8.startsWith('11.')) require('node:v8').setFlagsFromString('--semi-space-growth-factor=1 --heap-growing-percent=50 --liftoff-only');
  import('../dist/bundle/main.js').then((m) => m.main());
}
