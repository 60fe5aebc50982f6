/** Everything a command may touch of the outside world; tests pass fakes, main.ts passes the process's own. */
export interface OutStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface CliIO {
  stdout: OutStream;
  stderr: OutStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** Aborts on the first Ctrl-C: batches stop starting new calls and finish the ones in flight. */
  interrupt?: AbortSignal;
  /** Reads a secret at the terminal without echoing it (login). */
  readSecret?: (prompt: string) => Promise<string>;
}
