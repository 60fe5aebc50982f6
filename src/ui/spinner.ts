import type { Ora } from 'ora';

export interface Spinner {
  update(text: string): void;
  /** The finishing calls resolve once the final line is written: await them before the process exits. */
  succeed(text?: string): Promise<void>;
  fail(text?: string): Promise<void>;
  stop(): Promise<void>;
}

export interface SpinnerOptions {
  /** Always stderr: stdout carries the result, which may be piped into another program. */
  stream: NodeJS.WritableStream;
  /** False for --quiet, --json, no colour, or a stream that is not a terminal. */
  enabled: boolean;
}

const DONE = Promise.resolve();
const NO_SPINNER: Spinner = { update() {}, succeed: () => DONE, fail: () => DONE, stop: () => DONE };

/**
 * Returns at once, so a command can start its request without waiting for ora (a heavy import) to load.
 * Calls made before it loads are applied when it does; if the work finished first, the spinner never starts
 * and only the final line (if any) is written.
 */
export function startSpinner(text: string, { stream, enabled }: SpinnerOptions): Spinner {
  if (!enabled) return NO_SPINNER;
  let current = text;
  let finished = false;
  let instance: Ora | undefined;
  const loaded: Promise<Ora | undefined> = import('ora').then(
    ({ default: ora }) => {
      // discardStdin would put stdin in raw mode, and an image may be arriving on stdin.
      instance = ora({ text: current, stream, discardStdin: false });
      return finished ? instance : instance.start();
    },
    () => undefined, // no spinner is better than a failed command
  );
  const finish = (action: (s: Ora) => void): Promise<void> => {
    if (finished) return DONE;
    finished = true;
    return loaded.then((s) => {
      if (s) action(s);
    });
  };
  return {
    update(next) {
      current = next;
      if (instance) instance.text = next;
    },
    succeed: (final) => finish((s) => s.succeed(final ?? current)),
    fail: (final) => finish((s) => s.fail(final ?? current)),
    stop: () => finish((s) => s.stop()),
  };
}
