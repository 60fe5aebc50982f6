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
  import('../dist/bundle/main.js').then((m) => m.main());
}
