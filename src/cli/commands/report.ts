import type { Command } from 'commander';
import { parseWholeNumber } from '../globals.js';
import { flagsOf, type CommandContext } from '../context.js';
import { EXIT } from '../exit-codes.js';

interface ReportFlags {
  out: string;
  open?: boolean;
  embedImages?: boolean;
  threshold?: number;
}

export function registerReport(program: Command, ctx: CommandContext): void {
  program
    .command('report')
    .description('one HTML page to review batch results: totals, photos, fields, flags and filters; works offline (it holds personal data)')
    .argument('<results...>', 'results files written by --out (JSON Lines)')
    .option('--out <file>', 'where to write the page (mode 0600); replaces only an earlier report', 'report.html')
    .option('--open', 'open the page in the default browser')
    .option('--embed-images', 'put thumbnails (at most 320 px) inside the page, for a file that travels alone; by default it links to the photos')
    .option('--threshold <n>', 'the face-compare threshold the calls used, drawn on the score chart (default: the profile\'s)', parseWholeNumber('--threshold', 1, 99))
    .action((inputs: string[], _o, cmd: Command) =>
      ctx.run(async () => {
        const f = flagsOf<ReportFlags>(cmd);
        const [{ buildReport }, { resolveSettings }, { readProfiles }] = await Promise.all([
          import('../../ui/report/index.js'),
          import('../../config/resolve.js'),
          import('../../config/profiles.js'),
        ]);
        // As for every other output: --redact > FINOS_REDACT > the profile; the threshold the profile gives calls.
        const { redact, threshold } = resolveSettings({
          flags: { ...(f.redact === undefined ? {} : { redact: f.redact }), ...(f.threshold ? { threshold: f.threshold } : {}) },
          env: ctx.io.env,
          store: readProfiles(ctx.io.env.FINOS_CONFIG_DIR || undefined),
          ...(f.profile ? { profileName: f.profile } : {}),
        });
        const report = await buildReport({
          inputs,
          out: f.out,
          // Records hold paths as the batch saw them: relative to where it ran, taken to be here.
          cwd: process.cwd(),
          embedImages: Boolean(f.embedImages),
          ...(threshold ? { threshold } : {}),
          redact: Boolean(redact),
          lang: f.lang ?? 'en',
        });
        // The path is the result, for scripts; the rest is for people.
        ctx.io.stdout.write(`${report.path}\n`);
        if (!f.quiet) {
          const counts = Object.entries(report.totals).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k.replace('_', ' ')}`);
          const thumbs = report.thumbnails.embedded + report.thumbnails.failed > 0 ? `, ${report.thumbnails.embedded} thumbnails${report.thumbnails.failed ? ` (${report.thumbnails.failed} photos could not be read)` : ''}` : '';
          const skipped = report.unreadableLines ? `; ${report.unreadableLines} lines were not results records and were left out` : '';
          ctx.io.stderr.write(`report: ${report.rows} inputs (${counts.join(', ') || 'none'}), ${(report.bytes / 1024 / 1024).toFixed(2)} MB${thumbs}${skipped}\n`);
          ctx.io.stderr.write('report: it holds personal data (names, ID numbers, photos): keep it private and delete it after the review\n');
        }
        if (f.open) {
          const { default: open } = await import('open');
          try {
            await open(report.path);
          } catch (err) {
            ctx.io.stderr.write(`report: could not open a browser (${err instanceof Error ? err.message : String(err)}): open ${report.path} yourself\n`);
          }
        }
        return EXIT.ok;
      }),
    );
}
