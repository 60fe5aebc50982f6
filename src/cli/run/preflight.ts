import type { PreflightFinding } from '../../api/preflight.js';
import type { Colors } from '../../ui/colors.js';
import { terminalSafe } from '../../ui/safe-text.js';
import { inputOf } from './plan.js';

/** A finding about one of a job's files; `file` is named when the job has several (a pair). */
export type JobFinding = PreflightFinding & { file?: string };

/** The pre-flight findings for every file of a job, from the bytes the batch read when it read them. */
export async function preflightFiles(files: readonly string[], loaded?: ReadonlyMap<string, Uint8Array>): Promise<JobFinding[]> {
  const { preflightImage } = await import('../../api/preflight.js');
  const found: JobFinding[] = [];
  for (const file of files) {
    for (const f of await preflightImage(inputOf(file, loaded))) found.push(files.length > 1 ? { ...f, file } : f);
  }
  return found;
}

/** One stderr line for an input's findings: a warning when it is sent anyway, else why it was not sent. File names are outside text. */
export function findingsLine(file: string, findings: readonly JobFinding[], sent: boolean, colors: Colors): string {
  const what = terminalSafe(findings.map((f) => (f.file ? `${f.file}: ${f.message}` : f.message)).join('; '));
  return sent ? `${colors.yellow('warning')} ${terminalSafe(file)}: ${what}\n` : `${colors.yellow('skipped')} ${terminalSafe(file)}: not sent: ${what}\n`;
}
