#!/usr/bin/env node
'use strict';
// CommonJS (bin/package.json): starting the ES module loader alone costs ~5-8 % over `node -e 0`, so --version
// and --help answer from files (help.txt is written by the build from the program itself and checked by a test);
// everything else imports the compiled CLI.
const args = process.argv.slice(2);
const only = args.length === 1 ? args[0] : undefined;
if (only === '--version' || only === '-V') {
  process.stdout.write(require('../package.json').version + '\n');
} else if (only === '--help' || only === '-h') {
  process.stdout.write(require('node:fs').readFileSync(require('node:path').join(__dirname, '..', 'dist', 'cli', 'help.txt'), 'utf8'));
} else {
  import('../dist/cli/main.js').then((m) => m.main());
}
