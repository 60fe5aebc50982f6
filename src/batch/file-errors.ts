import { FileNotFoundError, NotAFileError, UnreadableFileError, type InputError } from '../api/errors.js';

/** The typed input error for a failed read, so a batch records `file_not_found` rather than a raw ENOENT. */
export function fileError(path: string, err: unknown): InputError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new FileNotFoundError(path);
  if (code === 'EISDIR') return new NotAFileError(path);
  return new UnreadableFileError(path, err);
}
