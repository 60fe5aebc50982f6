import type { Command } from 'commander';
import { parseWholeNumber } from '../globals.js';

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
