import { InvalidArgumentError as CommanderArgumentError, Option, type Command } from 'commander';
import { PREPARE_MODES, type PrepareMode } from '../api/image.js';
import { LANGS, parseByteSize, type Lang } from '../config/settings.js';

export type OutputFormat = 'table' | 'json' | 'ndjson' | 'csv';

/** Options every command accepts, before or after the subcommand name. */
export interface GlobalOptions {
  profile?: string;
  host?: string;
  apiKey?: string;
  mock?: boolean;
  json?: boolean;
  output?: OutputFormat;
  transactionId?: string;
  timeout?: number;
  retries?: number;
  debug?: boolean;
  color: boolean;
  quiet?: boolean;
  strict?: boolean;
  prepare?: PrepareMode;
  maxSide?: number;
  /** Bytes. */
  maxUpload?: number;
  preflight: PreflightMode;
  /** --redact / --no-redact; undefined: FINOS_REDACT, then the profile decide. */
  redact?: boolean;
  /** CSV cells exactly as they are, not made safe for spreadsheets. */
  csvRaw?: boolean;
  /** Language of labels for people; set before every action (program.ts) from --lang, FINOS_LANG, profile, locale. */
  lang?: Lang;
}

/** `warn`: say what the local checks found and send anyway; `skip`: do not send (nothing paid); `off`: no checks. */
export type PreflightMode = 'warn' | 'skip' | 'off';

export function parsePositiveNumber(what: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new CommanderArgumentError(`${what} must be a number > 0`);
    return n;
  };
}

export function parseWholeNumber(what: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new CommanderArgumentError(`${what} must be a whole number from ${min} to ${max}`);
    return n;
  };
}

/** A parser's InvalidArgumentError as commander's, so a bad value is a usage error with commander's message. */
function usageError<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new CommanderArgumentError((err as Error).message);
  }
}

export function addGlobalOptions(program: Command): Command {
  return program
    .option('--profile <name>', 'settings profile to use (env FINOS_PROFILE)')
    .option('--host <url>', 'API host: a URL, or "sandbox" / "production" (env FINOS_HOST)')
    .option('--api-key <key>', 'API key (env FINOS_API_KEY; prefer it or `login`: a flag shows in the process list)')
    .option('--mock', 'run against the built-in simulator in this process: no key, no network')
    .option('--json', 'print the API response as JSON (several inputs: one NDJSON record each)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json', 'ndjson', 'csv']))
    .option('--transaction-id <id>', 'transactionId header for the call (batches: a prefix, one id per input)')
    .option('--timeout <seconds>', 'time limit for each HTTP attempt (default 60)', parsePositiveNumber('--timeout'))
    .option('--retries <n>', 'retries after a transient failure (default 2)', parseWholeNumber('--retries', 0, 10))
    .option('--debug', 'trace HTTP calls on stderr (keys redacted) and show stack traces')
    .option('--no-color', 'no colours (also NO_COLOR=1)')
    .option('-q, --quiet', 'no spinner, progress or summary on stderr')
    .option('--strict', 'exit 10 when a call succeeds but its verdict needs review')
    .addOption(new Option('--prepare <mode>', 'ready photos for upload: auto converts, turns upright and shrinks only what needs it (env FINOS_PREPARE)').choices(PREPARE_MODES))
    .option('--max-side <px>', 'longest side an upload may have (default 4096; 2048 with --prepare always)', parseWholeNumber('--max-side', 64, 65_535))
    .option('--max-upload <size>', 'largest upload, e.g. 10MB (the default) or 800KB', (v) => usageError(() => parseByteSize(v, '--max-upload')))
    .addOption(new Option('--preflight <mode>', 'local checks before paying: too small, blurred, too dark or burnt out').choices(['warn', 'skip', 'off']).default('warn'))
    .option('--redact', 'mask personal data (ID numbers, names, birth dates, addresses, photo URLs) in all output but --out (env FINOS_REDACT=1)')
    .option('--no-redact', 'show personal data in full, whatever FINOS_REDACT or the profile says')
    .option('--csv-raw', 'CSV values exactly as received: no leading \' against spreadsheet formulas, control characters kept')
    .addOption(new Option('--lang <lang>', 'language of tables, summaries and progress: vi or en (env FINOS_LANG; default from LANG)').choices(LANGS));
}

/** --json is shorthand for -o json; an explicit -o wins. */
export function outputFormat(g: GlobalOptions): OutputFormat {
  return g.output ?? (g.json ? 'json' : 'table');
}
