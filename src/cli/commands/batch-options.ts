import type { Command } from 'commander';
import type { GlobalOptions } from '../globals.js';
import { parseWholeNumber } from '../globals.js';
import type { CliIO } from '../io.js';

export interface BatchFlags {
  concurrency: number;
  rate?: number;
  out?: string;
  shard?: string;
}

/** What every command that takes many inputs accepts (folders, `-`, manifests). */
export function addBatchOptions(cmd: Command): Command {
  return cmd
    .option('--concurrency <n>', 'requests in flight at once', parseWholeNumber('--concurrency', 1, 64), 4)
    .option('--rate <n>', 'at most N requests per minute (client-side limit)', parseWholeNumber('--rate', 1, 100_000))
    .option('--out <file>', 'append one JSON record per input to FILE; a re-run skips inputs already done')
    .option('--shard <k/n>', 'process only the k-th of n deterministic slices of the inputs');
}

/** What a command's action receives: its own flags merged with the global ones, and the outside world. */
export interface CommandContext {
  io: CliIO;
  /** Runs a handler and records its exit code for the program. */
  run(handler: () => Promise<number>): Promise<void>;
}

export type Flags<T> = T & GlobalOptions;

/** Commander hands the action its own options object; the globals live on the parent chain. */
export function flagsOf<T>(cmd: Command): Flags<T> {
  return cmd.optsWithGlobals() as Flags<T>;
}
