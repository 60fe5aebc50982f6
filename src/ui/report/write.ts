/**
 * Writing the report: a new file of mode 0600 (it holds personal data) renamed over the target, so a reader never
 * sees half a report and a symbolic link at the target is replaced, never followed. Only a report this tool wrote
 * may be replaced: `--out results.jsonl` must not destroy the results it was made from.
 */
import { randomBytes } from 'node:crypto';
import { lstat, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../../api/errors.js';

/** The first bytes of every report: how a previous report is told from any other file. */
export const REPORT_SIGNATURE = '<!DOCTYPE html>\n<!-- finos-ekyc report';

export class ReportOutputError extends InputError {
  readonly code = 'report_output';
}

/** Refuses a target that exists and is not a previous report (or is a link, a folder, a device). */
export async function assertReplaceable(path: string): Promise<void> {
  let isFile: boolean;
  try {
    const st = await lstat(path);
    if (st.isSymbolicLink()) throw new ReportOutputError(path, `${path} is a symbolic link: the report is not written through it; choose another --out`);
    isFile = st.isFile();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw asOutputError(path, err);
  }
  if (!isFile || !(await startsWithSignature(path))) {
    throw new ReportOutputError(path, `${path} exists and is not a finos-ekyc report: choose another --out, or move that file away`);
  }
}

async function startsWithSignature(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(REPORT_SIGNATURE.length);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    return head.subarray(0, bytesRead).toString('utf8') === REPORT_SIGNATURE;
  } catch {
    return false;
  } finally {
    await fh.close();
  }
}

export async function writeReport(path: string, html: string): Promise<void> {
  await assertReplaceable(path);
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    // 'wx': a fresh file of our own, never one that someone placed there.
    const fh = await open(temp, 'wx', 0o600);
    try {
      await fh.writeFile(html, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw asOutputError(path, err);
  }
}

function asOutputError(path: string, err: unknown): InputError {
  if (err instanceof InputError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'its folder does not exist' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : (err as Error).message;
  return new ReportOutputError(path, `cannot write the report to ${path}: ${why}`, err);
}
