import { setFlagsFromString } from 'node:v8';
import { run } from './program.js';
import { EXIT } from './exit-codes.js';
import type { CliIO } from './io.js';

const REPEAT_MS = 300;

/**
 * V8 optimises a function once it has run 132 KB of bytecode a few times over: in a batch, the per-call code (undici,
 * zod, ours) then ran unoptimised for its first ~3,000 calls, at half its later speed, and the simulator warmed up
 * as slowly. An 8 KB budget has it optimised within the first seconds (`npm run bench`: 2,000 inputs 4.7 s instead
 * of 5.6 s, 10,000 inputs 14.0 s instead of 17.5 s). Set only when a long run starts: from the first line it made a
 * single call 20 % slower, by optimising start-up code that never runs again. Only on the engine this was measured
 * on (Node 20's V8 11); an engine that lacks the flag would print an error.
 */
function tuneJitForLongRun(): void {
  if (process.versions.v8.startsWith('11.')) setFlagsFromString('--interrupt-budget=8192');
}

/** The process entry: real streams, Ctrl-C handling, and the exit code. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const interrupt = new AbortController();
  let firstAt = 0;
  // First Ctrl-C: stop starting calls, let those in flight finish and be recorded. Second: leave at once.
  // conf's file writer (atomically → when-exit) re-raises the first SIGINT to itself a moment later; a repeat
  // within REPEAT_MS is that echo, not a person pressing again.
  process.on('SIGINT', () => {
    const now = performance.now();
    if (firstAt && now - firstAt > REPEAT_MS) process.exit(EXIT.interrupted);
    if (firstAt) return;
    firstAt = now;
    process.stderr.write('\ninterrupting: finishing the calls in flight (Ctrl-C again to quit now)\n');
    interrupt.abort();
  });
  const io: CliIO = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    interrupt: interrupt.signal,
    longRunStarting: tuneJitForLongRun,
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
