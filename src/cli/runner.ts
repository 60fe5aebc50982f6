import type { ExitCode } from './exit-codes.js';
import type { GlobalOptions } from './globals.js';
import type { CliIO } from './io.js';
import { runBatch } from './run/batch.js';
import type { Plan } from './run/plan.js';
import { runSingle } from './run/single.js';

/** Runs a command's plan: one input named plainly, anything else as a batch of records. */
export function execute<T>(plan: Plan<T>, g: GlobalOptions, io: CliIO): Promise<ExitCode> {
  return plan.single ? runSingle(plan, g, io) : runBatch(plan, g, io);
}
