import { InvalidArgumentError } from '../api/errors.js';

export interface PoolOptions {
  concurrency: number;
  /** Stops pulling new items; items already started finish. */
  signal?: AbortSignal;
}

export interface PoolResult {
  started: number;
  /** The signal aborted before the source was exhausted. */
  stopped: boolean;
}

/**
 * Runs `worker` over a source with at most `concurrency` items pulled but unfinished, so 100k inputs cost the
 * memory of `concurrency`. The worker is expected to record its own failures, and to abort `signal` when the
 * batch must stop (a results file that cannot take records); if one throws anyway (a bug), no new item starts,
 * the others finish, and the error is rethrown, as is an error of the source (a bad manifest row) once in-flight
 * work is done.
 */
export async function runPool<T>(source: AsyncIterable<T>, opts: PoolOptions, worker: (item: T) => Promise<void>): Promise<PoolResult> {
  const { concurrency, signal } = opts;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new InvalidArgumentError(`concurrency must be a whole number ≥ 1, got ${concurrency}`);
  const items = source[Symbol.asyncIterator]();
  const running = new Set<Promise<void>>();
  let started = 0;
  let exhausted = false;
  let pending: Promise<IteratorResult<T>> | undefined;
  let failure: { error: unknown } | undefined;
  // A pull can wait indefinitely (a path list typed on stdin): abort must not wait for it.
  try {
    while (!signal?.aborted && !failure) {
      if (running.size >= concurrency) {
        await Promise.race(running);
        continue;
      }
      pending = items.next();
      const next = signal ? await nextOrAbort(pending, signal) : await pending;
      if (next === 'aborted') break;
      pending = undefined;
      if (next.done) {
        exhausted = true;
        break;
      }
      started++;
      const task: Promise<void> = (async () => worker(next.value))()
        .catch((error: unknown) => void (failure ??= { error }))
        .finally(() => running.delete(task));
      running.add(task);
    }
  } catch (error) {
    exhausted = true;
    failure = { error };
  }
  await Promise.all(running);
  if (!exhausted) {
    // Lets a generator close what it holds (a directory handle, a file). With a pull still pending (stdin) it
    // finishes that pull first, so it is told without being waited for.
    const closing = items.return?.();
    if (pending) closing?.catch(() => {});
    else await closing;
  }
  if (failure) throw failure.error;
  return { started, stopped: !exhausted };
}

/**
 * The next item, or 'aborted' as soon as the signal aborts. A fresh promise per pull: racing every pull against
 * one long-lived "aborted" promise would leave a reaction on it per item (a leak that grows with the batch).
 */
function nextOrAbort<T>(pending: Promise<IteratorResult<T>>, signal: AbortSignal): Promise<IteratorResult<T> | 'aborted'> {
  if (signal.aborted) return Promise.resolve('aborted');
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
