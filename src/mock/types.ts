/** The simulator's public types, re-exported by `src/mock/index.ts`. */

export interface SimulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** When set, a request whose X-FinOS-Api-Key differs (or is missing) gets 401. */
  apiKey?: string;
  /** Added before each response. */
  latencyMs?: number;
  /** Sliding one-minute window per API key; over it: 429 with Retry-After in seconds. */
  rateLimitPerMinute?: number;
  /** Default 10 MiB, measured while streaming; over it: 413 and the connection is closed. */
  maxUploadBytes?: number;
  /** Default true: honour Accept-Encoding gzip / br / deflate. */
  compress?: boolean;
  /** Default 1000: how many requests `requests` keeps (a ring buffer). */
  requestLogSize?: number;
  /**
   * Mbit/s (fractions allowed, above 0) shared by all uploads together, like a branch office's uplink: request
   * bodies are read no faster, so TCP backpressure slows the senders. Unset: bodies are read as they come.
   */
  bandwidthMbps?: number;
}

export interface Simulator {
  /** e.g. http://127.0.0.1:PORT */
  url: string;
  port: number;
  close(): Promise<void>;
  injectFaults(f: FaultSpec): void;
  clearFaults(): void;
  /** Oldest first. */
  requests: readonly RecordedRequest[];
  stats(): SimulatorStats;
  resetStats(): void;
}

export interface SimulatorStats {
  total: number;
  inFlight: number;
  maxInFlight: number;
  byPath: Record<string, number>;
  /** Request-body bytes read by the API endpoints (control calls not counted). */
  bytesReceived: number;
}

export interface FaultSpec {
  /** The next N matching requests; default 1. */
  count?: number;
  /** Only requests to this path. */
  path?: string;
  /** Respond with this status and the endpoint's documented body for it (200 alone changes nothing). */
  status?: number;
  /** Seconds or an HTTP date, sent as Retry-After. */
  retryAfter?: number | string;
  /** Raw body to send instead of the documented one. */
  body?: string;
  contentType?: string;
  /** Respond this late (for client timeouts). */
  delayMs?: number;
  /**
   * Destroy the socket. `after-processing` means the operation took effect first (the face got indexed,
   * the call entered the history) and then the connection dropped.
   */
  reset?: 'before-processing' | 'after-processing';
  /** Announce the full Content-Length, send half of the body, then cut the connection. */
  truncate?: boolean;
}

export interface RecordedFile {
  field: string;
  filename: string;
  size: number;
  /** CRC-32 of the bytes received (8 hex digits), then their size in hex: enough to check an upload arrived whole. */
  fingerprint: string;
  contentType: string;
  /** What the bytes are, by content (JPEG or PNG; undefined for anything else), and their size in pixels as stored. */
  format: 'jpeg' | 'png' | undefined;
  width: number | undefined;
  height: number | undefined;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** Lower-case names; x-finos-api-key is replaced by '[redacted]'. */
  headers: Record<string, string>;
  apiKeyPresent: boolean;
  /** Text fields of the form. */
  fields: Record<string, string>;
  files: RecordedFile[];
  /** 0 when the simulator dropped the connection instead of answering. */
  status: number;
  receivedAt: number;
}
