import { stat } from 'node:fs/promises';
import type { CallOptions } from '../../api/client.js';
import type { Session } from '../session.js';
import type { ImageInput } from '../../api/image.js';
import type { ApiResponse } from '../../api/types.js';
import { expandInputs } from '../../batch/inputs.js';
import { readManifest, type IndexRow, type PairRow } from '../../batch/manifest.js';
import { parseShard } from '../../batch/shard.js';
import type { Presenter } from '../presenters.js';
import { inputOf, type Job, type Plan } from '../run/plan.js';
import type { Flags } from '../context.js';
import type { BatchFlags } from './batch-options.js';
import type { CliIO } from '../io.js';

/**
 * A command whose inputs are images, folders of images, or `-` (paths on stdin): one paid call per image.
 * It is a single call, printed plainly, when exactly one file is named and no batch option is set.
 */
export async function imagePlan<T>(
  args: string[],
  flags: Flags<BatchFlags>,
  io: CliIO,
  title: string,
  presenter: Presenter<T>,
  call: (session: Session, image: ImageInput, o: CallOptions) => Promise<ApiResponse<T>>,
): Promise<Plan<T>> {
  const skipped: string[] = [];
  const single = args.length === 1 && args[0] !== '-' && !flags.out && !flags.shard && !(await isDirectory(args[0] as string));
  async function* jobs(): AsyncGenerator<Job<T>> {
    for await (const file of expandInputs(args, { stdin: io.stdin, onSkip: (p) => skipped.push(p) })) {
      yield { file, files: [file], call: (session, o, loaded) => call(session, inputOf(file, loaded), o) };
    }
  }
  return {
    title,
    presenter,
    jobs: jobs(),
    single,
    batch: batchOptions(flags),
    emptyMessage: `no image found in ${args.join(' ')}`,
    skippedInputs: () => skipped,
    ...(args.includes('-') ? {} : { countInputs: () => countImages(args, io) }),
  };
}

/** The rows of each kind of manifest (src/batch/manifest.ts). */
export interface ManifestRows {
  pair: PairRow;
  index: IndexRow;
}

/**
 * A command whose inputs are the rows of a CSV manifest (face compare pairs, faces to index): one paid call per
 * row, always run as a batch. `call` gets the row's files as inputs, already read when the batch read them.
 */
export function manifestPlan<T, K extends keyof ManifestRows>(
  manifest: string,
  kind: K,
  flags: Flags<BatchFlags>,
  spec: Pick<Plan<T>, 'title' | 'presenter' | 'showUrls' | 'threshold'>,
  call: (session: Session, row: ManifestRows[K], images: ImageInput[], o: CallOptions) => Promise<ApiResponse<T>>,
): Plan<T> {
  async function* jobs(): AsyncGenerator<Job<T>> {
    for await (const row of readManifest(manifest, kind) as AsyncGenerator<ManifestRows[K]>) {
      const files: string[] = row.files;
      yield { file: files[0]!, files, call: (session, o, loaded) => call(session, row, files.map((f) => inputOf(f, loaded)), o) };
    }
  }
  return { ...spec, jobs: jobs(), single: false, batch: batchOptions(flags), emptyMessage: `no row in ${manifest}` };
}

/** A command that makes exactly one call (mrc, compare, index, search, history): always printed plainly. */
export function singleCall<T>(title: string, presenter: Presenter<T>, job: Job<T>, view: Pick<Plan<T>, 'showUrls' | 'threshold'> = {}): Plan<T> {
  return { title, presenter, jobs: [job], single: true, batch: { concurrency: 1 }, ...view };
}

export function batchOptions(flags: BatchFlags): Plan<unknown>['batch'] {
  return {
    concurrency: flags.concurrency,
    ...(flags.rate ? { ratePerMinute: flags.rate } : {}),
    ...(flags.out ? { out: flags.out } : {}),
    ...(flags.shard ? { shard: parseShard(flags.shard) } : {}),
  };
}

async function countImages(args: string[], io: CliIO): Promise<number> {
  let n = 0;
  for await (const _ of expandInputs(args, { stdin: io.stdin })) n++;
  return n;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false; // the client's own checks say what is wrong with it
  }
}
