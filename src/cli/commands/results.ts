import type { Command } from 'commander';
import { flagsOf, type CommandContext } from '../context.js';
import type { ExportFlags } from '../run/results-files.js';

const FILES = 'results files (JSON Lines, as written by --out)';
const work = () => import('../run/results-files.js');

/** Results files read again: nothing here calls the API. */
export function registerResults(program: Command, ctx: CommandContext): void {
  const results = program.command('results').description('results files (--out): counts, export to CSV or NDJSON, merge of --shard runs');

  results
    .command('summary')
    .description('counts by outcome, failure code and review reason; call time and throughput (a table, or --json)')
    .argument('<jsonl...>', FILES)
    .action((files: string[], _o, cmd: Command) => ctx.run(async () => (await work()).summarize(files, flagsOf<object>(cmd), ctx.io)));

  results
    .command('export')
    .description('the answers as CSV (the columns of -o csv, one row per answer) or every record as NDJSON: -o csv|ndjson')
    .argument('<jsonl...>', FILES)
    .option('--out <file>', 'write FILE (mode 0600, replaced whole) instead of stdout; a CSV file starts with a UTF-8 BOM for Excel')
    .option('--no-bom', 'no byte-order mark at the start of a CSV file')
    .action((files: string[], _o, cmd: Command) => ctx.run(async () => (await work()).exportRecords(files, flagsOf<ExportFlags>(cmd), ctx.io)));

  results
    .command('merge')
    .description('join the results files of --shard runs: one record per path and content, the latest answer winning (a success is never replaced by a failure)')
    .argument('<jsonl...>', FILES)
    .requiredOption('--out <file>', 'the merged results file (mode 0600, replaced whole); never one of the inputs')
    .action((files: string[], _o, cmd: Command) => ctx.run(async () => (await work()).mergeRecords(files, flagsOf<{ out: string }>(cmd), ctx.io)));
}
