// Build step: the top-level help as the program itself prints it (80 columns, no colour), for bin/finos-ekyc.js
// to answer `--help` without loading the program. test/e2e.test.ts checks it is the same text.
import { writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { run } from '../dist/cli/program.js';

let text = '';
const out = { write: (s) => (text += s) };
await run(['--help'], { stdout: out, stderr: out, stdin: Readable.from([]), env: { NO_COLOR: '1' } });
writeFileSync(new URL('../dist/cli/help.txt', import.meta.url), text);
