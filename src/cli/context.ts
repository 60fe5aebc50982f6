import type { Command } from 'commander';
import type { GlobalOptions } from './globals.js';
import type { CliIO } from './io.js';

/** The one object every command receives: the outside world, and where its exit code goes. */
export interface CommandContext {
  io: CliIO;
  /** Runs a handler and records its exit code for the program. */
  run(handler: () => Promise<number>): Promise<void>;
}

/** A command's own flags merged with the global ones. */
export type Flags<T> = T & GlobalOptions;

/** Commander hands the action its own options object; the globals live on the parent chain. */
export function flagsOf<T>(cmd: Command): Flags<T> {
  return cmd.optsWithGlobals() as Flags<T>;
}
