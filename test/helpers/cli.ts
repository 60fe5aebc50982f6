import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { run } from '../../src/cli/program.js';
import type { CliIO, OutStream } from '../../src/cli/io.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

class Capture implements OutStream {
  text = '';
  constructor(readonly isTTY = false) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

/** A private config folder per test file, so no test reads or writes the developer's real profiles. */
export const configDir = mkdtempSync(join(tmpdir(), 'finos-ekyc-test-config-'));

/** Runs the program in-process with captured streams, colours off, and the given env on top of a clean one. */
export async function runCli(
  argv: string[],
  opts: { env?: NodeJS.ProcessEnv; stdin?: string; interrupt?: AbortSignal; readSecret?: CliIO['readSecret']; tty?: boolean } = {},
): Promise<CliResult> {
  const stdout = new Capture(opts.tty);
  const stderr = new Capture(opts.tty);
  const stdin = Readable.from(opts.stdin === undefined ? [] : [opts.stdin]) as NodeJS.ReadableStream & { isTTY?: boolean };
  const code = await run(argv, {
    stdout,
    stderr,
    stdin,
    env: { NO_COLOR: '1', FINOS_CONFIG_DIR: configDir, ...opts.env },
    ...(opts.interrupt ? { interrupt: opts.interrupt } : {}),
    ...(opts.readSecret ? { readSecret: opts.readSecret } : {}),
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
