import type { FinosClient, RequestGate } from '../api/client.js';
import type { ClientEvent } from '../api/http.js';
import { terminalSafe } from '../ui/safe-text.js';
import type { GlobalOptions } from './globals.js';
import type { CliIO, OutStream } from './io.js';

/** A ready client and what a command needs to know about where it points. */
export interface Session {
  client: FinosClient;
  host: string;
  /** The profile's default face-compare threshold, when it has one. */
  threshold?: number;
  /** Mask personal data in everything printed (--redact, FINOS_REDACT, the profile's `redact`); never in --out. */
  redact: boolean;
  close(): Promise<void>;
}

/**
 * Resolves settings (flag > environment > profile > default) and builds the client. With --mock it starts the
 * simulator in this process instead, and reads no profile: a first run needs no key and no network.
 */
export async function openSession(g: GlobalOptions, io: CliIO, opts: { gate?: RequestGate } = {}): Promise<Session> {
  const { FinosClient } = await import('../api/client.js');
  const common = {
    ...(g.timeout ? { timeoutMs: g.timeout * 1000 } : {}),
    ...(g.retries !== undefined ? { maxRetries: g.retries } : {}),
    gate: opts.gate,
    onEvent: g.debug ? debugLogger(io.stderr) : undefined,
    ...(g.prepare ? { prepare: g.prepare } : {}),
    ...(g.maxSide ? { maxSide: g.maxSide } : {}),
    ...(g.maxUpload ? { maxUploadBytes: g.maxUpload } : {}),
  };
  if (g.mock) {
    const [{ startSimulator }, { resolveSettings }] = await Promise.all([import('../mock/index.js'), import('../config/resolve.js')]);
    // No profile and no host to check: only the flag and FINOS_REDACT decide.
    const { redact = false } = resolveSettings({ flags: g.redact === undefined ? {} : { redact: g.redact }, env: { FINOS_REDACT: io.env.FINOS_REDACT } });
    const sim = await startSimulator({ port: 0 });
    // The simulator is in this process: a proxy in the environment could only get in the way.
    const client = new FinosClient({ ...common, host: sim.url, apiKey: 'mock-key', direct: true });
    return {
      client,
      host: sim.url,
      redact,
      close: async () => {
        await client.close();
        await sim.close();
      },
    };
  }
  const { loadSettings } = await import('./settings.js');
  const s = await loadSettings(g, io.env);
  // The settings already weigh the flags against environment and profile: they win over `common`.
  const prepare = {
    ...(s.prepare ? { prepare: s.prepare } : {}),
    ...(s.maxSide ? { maxSide: s.maxSide } : {}),
    ...(s.maxUploadBytes ? { maxUploadBytes: s.maxUploadBytes } : {}),
  };
  const client = new FinosClient({ ...common, ...prepare, host: s.host, apiKey: s.apiKey, timeoutMs: s.timeoutMs, maxRetries: s.retries });
  return { client, host: s.host, ...(s.threshold ? { threshold: s.threshold } : {}), redact: Boolean(s.redact), close: () => client.close() };
}

/**
 * --debug: method, URL, status, timing and retries. Headers arrive already redacted from the transport; URLs and
 * messages may carry outside text, so each line is made terminal-safe.
 */
function debugLogger(out: OutStream): (e: ClientEvent) => void {
  return (e) => {
    const line =
      e.type === 'request'
        ? `→ POST ${e.url} (attempt ${e.attempt}) ${JSON.stringify(e.headers)}`
        : e.type === 'response'
          ? `← ${e.status} ${e.url} in ${Math.round(e.durationMs)} ms`
          : e.type === 'error'
            ? `✗ ${e.code} ${e.url} after ${Math.round(e.durationMs)} ms: ${e.message}`
            : `↻ retry ${e.url} in ${e.delayMs} ms (${e.reason})`;
    out.write(`debug: ${terminalSafe(line)}\n`);
  };
}
