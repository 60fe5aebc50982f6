import { run } from './program.js';
import { EXIT } from './exit-codes.js';
import type { CliIO } from './io.js';

/** The process entry: real streams, Ctrl-C handling, and the exit code. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const interrupt = new AbortController();
  // First Ctrl-C: stop starting calls, let those in flight finish and be recorded. Second: leave at once.
  // Only `login` and `config` load conf, whose writer hooks SIGINT and raises it again after cleaning up its
  // temporary file: there that arrives as the second press and quits, which is right for a command that edits a file.
  process.on('SIGINT', () => {
    if (interrupt.signal.aborted) process.exit(EXIT.interrupted);
    process.stderr.write('\ninterrupting: finishing the calls in flight (Ctrl-C again to quit now)\n');
    interrupt.abort();
  });
  const io: CliIO = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    interrupt: interrupt.signal,
    readSecret: async (prompt) => (await import('./secret-prompt.js')).readSecret(prompt),
  };
  // A closed pipe (`| head`) is not an error worth a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  try {
    process.exitCode = await run(argv, io);
  } catch (err) {
    process.stderr.write(`finos-ekyc: internal error: ${err instanceof Error ? (process.env.FINOS_DEBUG ? err.stack : err.message) : String(err)}\n`);
    process.exitCode = EXIT.failure;
  }
}
