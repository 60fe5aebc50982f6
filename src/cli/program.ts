import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { registerCompletion } from './commands/completion.js';
import { registerConfig } from './commands/config.js';
import { registerFace } from './commands/face.js';
import { registerMockServer } from './commands/mock-server.js';
import { registerOcr } from './commands/ocr.js';
import { registerRecognition } from './commands/recognition.js';
import { registerReport } from './commands/report.js';
import { registerResults } from './commands/results.js';
import type { CommandContext } from './context.js';
import { terminalSafe } from '../ui/safe-text.js';
import { EXIT, EXIT_CODES_HELP, exitCodeFor } from './exit-codes.js';
import { addGlobalOptions, type GlobalOptions } from './globals.js';
import type { CliIO } from './io.js';

export const VERSION: string = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

const ENVIRONMENT_HELP = `Environment:
  FINOS_API_KEY    API key (safer than --api-key, which other users can see in the process list)
  FINOS_HOST       API host URL, or sandbox / production
  FINOS_PROFILE    settings profile (see \`finos-ekyc config\`)
  FINOS_CONFIG_DIR where profiles are kept (default: the OS config folder)
  FINOS_LANG       language of tables, summaries and progress: vi or en (default: vi when LANG starts with vi)
  NO_COLOR, FORCE_COLOR, HTTPS_PROXY, NO_PROXY are honoured.`;

const EXAMPLES_HELP = `Examples:
  $ finos-ekyc --mock ocr id examples/images/cccd-front.png
  $ finos-ekyc ocr id ./onboarding/ --out results.jsonl --concurrency 8
  $ finos-ekyc face compare selfie.png --id card.png --strict && echo approved
  $ finos-ekyc ocr id card.png --json | jq -r '.result.details[0].fieldsExtracted.name.value'`;

/** The whole program, bound to the given io: tests drive it in-process, main.ts with the real process. */
export function buildProgram(io: CliIO): { program: Command; exitCode: () => number } {
  let code: number = EXIT.ok;
  const program = new Command('finos-ekyc');
  const context: CommandContext = {
    io,
    async run(handler) {
      try {
        code = await handler();
      } catch (err) {
        code = await reportUnexpected(err, program.opts<GlobalOptions>(), io);
      }
    },
  };
  addGlobalOptions(program)
    .description('eKYC checks of local images through the FinOS eKYC API: OCR of Vietnamese ID documents, face compare, liveness, face search')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // commander quotes what was typed (`unknown command 'x…'`): it may hold escape sequences.
      outputError: (s, write) => write(`finos-ekyc: ${terminalSafe(s.replace(/^error: /, '').trimEnd())}\n`),
    })
    .showSuggestionAfterError()
    .configureHelp({ showGlobalOptions: true })
    .addHelpText('after', `\n${EXAMPLES_HELP}\n\n${ENVIRONMENT_HELP}\n\n${EXIT_CODES_HELP}\n`)
    .hook('preAction', (_, action) => resolveLanguage(program, action, io));
  registerOcr(program, context);
  registerFace(program, context);
  registerRecognition(program, context);
  registerConfig(program, context);
  registerMockServer(program, context);
  registerReport(program, context);
  registerCompletion(program, context);
  registerResults(program, context);
  return { program, exitCode: () => code };
}

/** Commands that print nothing labelled: they must work even when the profiles file does not. */
const UNLABELLED = new Set(['completion', 'mock-server']);

/**
 * The language of labels, decided once before a command runs and kept as the global --lang value, so every
 * renderer reads it from the flags. A bad FINOS_LANG or profile value is a usage error, like a bad flag; a profiles
 * file that cannot be read is left to the commands that need it (--mock needs none), and the locale decides.
 */
async function resolveLanguage(program: Command, action: Command, io: CliIO): Promise<void> {
  if (UNLABELLED.has(action.name())) return;
  const [{ resolveLang }, { readProfiles }] = await Promise.all([import('../config/resolve.js'), import('../config/profiles.js')]);
  const g = action.optsWithGlobals<GlobalOptions>();
  const store = () => {
    try {
      return readProfiles(io.env.FINOS_CONFIG_DIR || undefined);
    } catch {
      return undefined;
    }
  };
  try {
    program.setOptionValue('lang', resolveLang({ flag: g.lang, env: io.env, store, profileName: g.profile }));
  } catch (err) {
    program.error((err as Error).message, { exitCode: EXIT.usage });
  }
}

/** Errors a handler throws (usage, local input, configuration) become one line and their exit code. */
async function reportUnexpected(err: unknown, g: GlobalOptions, io: CliIO): Promise<number> {
  const [{ formatError }, { colorsFor }] = await Promise.all([import('../ui/errors.js'), import('../ui/colors.js')]);
  io.stderr.write(formatError(err, { colors: colorsFor(io.stderr, io.env, g.color), debug: Boolean(g.debug) }));
  return exitCodeFor(err);
}

/** Runs argv (without node and the script) and resolves to the exit code; never exits the process itself. */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const { program, exitCode } = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode();
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version "fail" with exit code 0; every other commander error is a usage error.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    throw err;
  }
}
