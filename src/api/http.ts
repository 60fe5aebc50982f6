import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate } from 'node:zlib';
import type { IncomingHttpHeaders } from 'node:http';
import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';
import type { MultipartBody } from './multipart.js';
import { AbortedError, ConnectionError, FinosError, InvalidResponseError, TimeoutError } from './errors.js';

/** Everything a debug log may show about one attempt. The API key never reaches it. */
export type ClientEvent =
  | { type: 'request'; method: 'POST'; url: string; attempt: number; headers: Record<string, string> }
  | { type: 'response'; url: string; attempt: number; status: number; durationMs: number }
  | { type: 'error'; url: string; attempt: number; code: string; message: string; durationMs: number }
  | { type: 'retry'; url: string; attempt: number; delayMs: number; reason: string };

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The decoded body text ('' when empty). */
  text: string;
  contentType: string;
}

const SECRET_HEADERS = new Set(['x-finos-api-key', 'authorization', 'proxy-authorization', 'cookie']);
/** A response larger than this is not an eKYC answer; refusing it keeps a broken proxy from exhausting memory. */
const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
/** Connection failures that happen before any byte of the request is written: safe to re-send even a write. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, SECRET_HEADERS.has(k.toLowerCase()) ? '[redacted]' : v]));
}

const decoders: Record<string, (b: Buffer) => Promise<Buffer>> = {
  gzip: promisify(gunzip),
  'x-gzip': promisify(gunzip),
  deflate: promisify(inflate),
  br: promisify(brotliDecompress),
};

/** undici's request() hands back the bytes as sent: Content-Encoding is ours to undo (possibly several, in order). */
async function decode(raw: Buffer, encoding: string | undefined): Promise<Buffer> {
  const codings = (encoding ?? '').split(',').map((c) => c.trim().toLowerCase()).filter((c) => c && c !== 'identity');
  let out = raw;
  for (const coding of codings.reverse()) {
    const decoder = decoders[coding];
    if (!decoder) throw new InvalidResponseError(`response uses an unsupported Content-Encoding: ${coding}`);
    out = await decoder(out);
  }
  return out;
}

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'];

/**
 * A keep-alive pool; through the proxy the environment names (HTTP(S)_PROXY, NO_PROXY) when it names one.
 * EnvHttpProxyAgent works out the proxy on every request, so it is used only when there is a proxy to find.
 */
function defaultDispatcher(connectTimeout: number, direct: boolean): Dispatcher {
  const options = { keepAliveTimeout: 30_000, connectTimeout };
  return !direct && PROXY_VARIABLES.some((v) => process.env[v]) ? new EnvHttpProxyAgent(options) : new Agent(options);
}

export interface TransportOptions {
  /** Where the API lives: its path, if any, is a prefix for every request's path (a gateway's). */
  base: URL;
  timeoutMs: number;
  dispatcher?: Dispatcher;
  /** Ignore the proxy variables. */
  direct?: boolean;
  onEvent?: (event: ClientEvent) => void;
}

/** All HTTP in one place: one keep-alive pool, explicit timeouts, proxy from the environment, decoding, redaction. */
export class HttpTransport {
  private readonly origin: string;
  private readonly host: string;
  private readonly pathPrefix: string;
  private readonly timeoutMs: number;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly onEvent: ((event: ClientEvent) => void) | undefined;

  constructor(opts: TransportOptions) {
    this.origin = opts.base.origin;
    this.host = opts.base.host;
    this.pathPrefix = opts.base.pathname.replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs;
    this.onEvent = opts.onEvent;
    this.ownsDispatcher = !opts.dispatcher;
    this.dispatcher = opts.dispatcher ?? defaultDispatcher(Math.min(opts.timeoutMs, 30_000), opts.direct ?? false);
  }

  /** Built only when someone listens: a batch without --debug should not redact headers 10,000 times for nobody. */
  emit(event: () => ClientEvent): void {
    if (this.onEvent) this.onEvent(event());
  }

  urlFor(path: string): string {
    return `${this.origin}${this.pathPrefix}${path}`;
  }

  async post(path: string, headers: Record<string, string>, form: MultipartBody, attempt: number, signal?: AbortSignal): Promise<RawResponse> {
    const url = this.urlFor(path);
    this.emit(() => ({ type: 'request', method: 'POST', url, attempt, headers: redactHeaders(headers) }));
    const started = performance.now();
    try {
      const res = await exchange(this.dispatcher, {
        origin: this.origin,
        path: `${this.pathPrefix}${path}`,
        method: 'POST',
        headers: { ...headers, 'content-type': form.contentType, 'content-length': String(form.contentLength) },
        // A Buffer, or an async iterable that undici streams (its types list only Readable for that).
        body: form.body as Buffer | Readable,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
        // Aborts the call in flight, and one still queued for a connection before it is sent.
        ...(signal ? { signal } : {}),
      });
      const contentEncoding = res.headers['content-encoding'];
      let text: string;
      try {
        text = (await decode(res.body, Array.isArray(contentEncoding) ? contentEncoding.join(',') : contentEncoding)).toString('utf8');
      } catch (err) {
        // An error status says what happened even when its body is unreadable (a 503 must still be retried).
        if (res.statusCode >= 400) text = '';
        else if (err instanceof FinosError) throw err;
        else throw new InvalidResponseError(`response body could not be decoded (${(err as Error).message})`, { status: res.statusCode, cause: err });
      }
      this.emit(() => ({ type: 'response', url, attempt, status: res.statusCode, durationMs: performance.now() - started }));
      const contentType = res.headers['content-type'];
      return { status: res.statusCode, headers: res.headers, text, contentType: (Array.isArray(contentType) ? contentType[0] : contentType) ?? '' };
    } catch (err) {
      const mapped = toFinosError(err, signal, this.timeoutMs, this.host);
      this.emit(() => ({ type: 'error', url, attempt, code: mapped.code, message: mapped.message, durationMs: performance.now() - started }));
      throw mapped;
    }
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }
}

interface Exchange {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One request and its whole answer through undici's request(), refused past MAX_RESPONSE_BYTES. */
async function exchange(dispatcher: Dispatcher, opts: Dispatcher.RequestOptions): Promise<Exchange> {
  const res = await dispatcher.request(opts);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body) {
    total += (chunk as Buffer).length;
    if (total > MAX_RESPONSE_BYTES) {
      res.body.destroy();
      throw new InvalidResponseError(`response is larger than ${MAX_RESPONSE_BYTES / 1024 / 1024} MB`, { status: res.statusCode });
    }
    chunks.push(chunk as Buffer);
  }
  return { statusCode: res.statusCode, headers: res.headers, body: Buffer.concat(chunks, total) };
}

function toFinosError(err: unknown, signal: AbortSignal | undefined, timeoutMs: number, host: string): FinosError {
  if (err instanceof FinosError) return err;
  if (signal?.aborted) return new AbortedError('request aborted', { cause: err });
  const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = e.code ?? e.cause?.code ?? '';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new TimeoutError(`no complete response from ${host} within ${timeoutMs / 1000} s`, { cause: err });
  }
  if (NOT_SENT_CODES.has(code)) {
    const why = code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'host not found' : code === 'UND_ERR_CONNECT_TIMEOUT' ? 'connect timed out' : 'connection refused';
    return new ConnectionError(`cannot connect to ${host}: ${why}`, { cause: err, requestSent: false });
  }
  // Any other socket failure may have happened after the upload left: the server could have acted on it.
  return new ConnectionError(`connection to ${host} failed: ${e.message || code || 'unknown error'}`, { cause: err, requestSent: true });
}
