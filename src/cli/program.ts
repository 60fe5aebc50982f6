import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { registerConfig } from './commands/config.js';
import { registerFace } from './commands/face.js';
import { registerMockServer } from './commands/mock-server.js';
import { registerOcr } from './commands/ocr.js';
import { registerRecognition } from './commands/recognition.js';
import type { CommandContext } from './context.js';
import { EXIT, EXIT_CODES_HELP, exitCodeFor } from './exit-codes.js';
import { addGlobalOptions, type GlobalOptions } from './globals.js';
import type { CliIO } from './io.js';

export const VERSION: string = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

const ENVIRONMENT_HELP = `Environment:
  FINOS_API_KEY    API key (safer than --api-key, which other users can see in the process list)
  FINOS_HOST       API host URL, or sandbox / production
  FINOS_PROFILE    settings profile (see \`finos-ekyc config\`)
  FINOS_CONFIG_DIR where profiles are kept (default: the OS config folder)
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
      outputError: (s, write) => write(`finos-ekyc: ${s.replace(/^error: /, '')}`),
    })
    .showSuggestionAfterError()
    .configureHelp({ showGlobalOptions: true })
    .addHelpText('after', `\n${EXAMPLES_HELP}\n\n${ENVIRONMENT_HELP}\n\n${EXIT_CODES_HELP}\n`);
  registerOcr(program, context);
  registerFace(program, context);
  registerRecognition(program, context);
  registerConfig(program, context);
  registerMockServer(program, context);
  return { program, exitCode: () => code };
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
