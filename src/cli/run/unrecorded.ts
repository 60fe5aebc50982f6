import { RecordingFailedError } from '../../api/errors.js';
import { isFinal, type ResultRecord } from '../../batch/results.js';
import type { Colors } from '../../ui/colors.js';
import { terminalSafe } from '../../ui/safe-text.js';
import type { OutStream } from '../io.js';

/** What to do about the disk before the re-run, by the error the write or sync got; anything else: check it. */
const FIXES: Record<string, string> = {
  ENOSPC: 'Free some space',
  EDQUOT: 'Free some space or raise the quota',
  EROFS: 'Make the disk writable',
};

/**
 * Answers the results file could not take. Each is named on stderr the moment it is lost rather than at the end,
 * so that not even a second Ctrl-C loses a paid answer without a word.
 */
export class UnrecordedAnswers {
  /** The first failure: the batch stops starting calls at it. */
  private failure: RecordingFailedError<ResultRecord> | undefined;
  private count = 0;
  /** Of those, the answers a re-run would pay for again (see isFinal); the rest it sends again anyway. */
  private paid = 0;

  constructor(
    private readonly stderr: OutStream,
    private readonly colors: Colors,
  ) {}

  /** Takes what writing or closing the results file threw; any other error is not about recording: rethrown. */
  take(err: unknown): void {
    if (!(err instanceof RecordingFailedError)) throw err;
    this.failure ??= err;
    for (const record of err.records as readonly ResultRecord[]) {
      this.count++;
      if (isFinal(record)) this.paid++;
      const ids = [record.requestId && `requestId ${record.requestId}`, record.transactionId && `transactionId ${record.transactionId}`];
      this.stderr.write(`${this.colors.red('not recorded:')} ${terminalSafe(`${record.file} (${[record.outcome, ...ids].filter(Boolean).join(', ')})`)}\n`);
    }
  }

  /** After the batch, if anything was lost: one line saying what happened, what the file lacks, and how to finish. */
  finish(): void {
    if (!this.failure) return;
    const errno = (this.failure.cause as NodeJS.ErrnoException | undefined)?.code ?? '';
    const again = this.paid ? `the ${this.paid} paid answer(s) among them are paid for again (\`finos-ekyc history <requestId…>\` reads them back)` : 'none of them was a paid answer';
    this.stderr.write(
      `${this.colors.red.bold('finos-ekyc:')} ${terminalSafe(this.failure.message)}; ${this.count} input(s) named above are not in it. ` +
        `${FIXES[errno] ?? 'Check the disk'}, then re-run with --out ${terminalSafe(this.failure.path)} to finish: ${again}\n`,
    );
  }
}
