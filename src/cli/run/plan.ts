import type { CallOptions } from '../../api/client.js';
import type { ImageInput } from '../../api/image.js';
import type { ApiResponse } from '../../api/types.js';
import type { Shard } from '../../batch/shard.js';
import type { Presenter } from '../presenters.js';
import type { Session } from '../session.js';

/** One paid call: the files it sends and how to make it. */
export interface Job<T> {
  /** The record's `file`: the input path, or a manifest row's first file. */
  file: string;
  files: string[];
  /** `loaded`: files the batch already read (to hash them), to send without reading them again. */
  call(session: Session, o: CallOptions, loaded?: ReadonlyMap<string, Uint8Array>): Promise<ApiResponse<T>>;
}

export interface BatchOptions {
  concurrency: number;
  ratePerMinute?: number;
  out?: string;
  shard?: Shard;
}

/** What a command asks the runner to do: its calls, how to show their answers, and how to pace them. */
export interface Plan<T> {
  /** `ocr id`, `face liveness`…: for spinners and messages. */
  title: string;
  presenter: Presenter<T>;
  jobs: AsyncIterable<Job<T>> | Iterable<Job<T>>;
  /** One input named directly on the command line, and no batch option: plain output, no records. */
  single: boolean;
  batch: BatchOptions;
  showUrls?: boolean;
  threshold?: number;
  /** Said when the inputs held no job at all (an empty folder): a usage error, nothing was sent. */
  emptyMessage?: string;
  /** Inputs skipped while walking folders (not images), reported once at the end. */
  skippedInputs?: () => string[];
  /** Counts the inputs with a second, name-only walk, so progress can show a total and an ETA. */
  countInputs?: () => Promise<number>;
}

/** A file the batch already read goes as its bytes (the ones it hashed); any other as its path. */
export function inputOf(file: string, loaded: ReadonlyMap<string, Uint8Array> | undefined): ImageInput {
  const bytes = loaded?.get(file);
  return bytes ? { path: file, bytes } : file;
}
