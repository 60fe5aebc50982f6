/**
 * The HTTP side: routing, the gateway's checks (faults, size limit, API key, rate limit), latency, compression
 * and the request log. The operations themselves are in endpoints.ts.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, constants as zlibConstants, deflateSync, gzipSync } from 'node:zlib';
import { Uplink } from './bandwidth.js';
import { handleControl } from './control.js';
import { documentedFailure, ENDPOINTS, type Endpoint, type ServiceState } from './endpoints.js';
import { FaceIndex, LivenessLedger } from './faces.js';
import { FaultQueue } from './faults.js';
import { History } from './history.js';
import { readUpload, UploadTooLargeError, type ChunkHook, type Upload } from './multipart.js';
import { RateLimiter } from './ratelimit.js';
import { Recorder } from './recorder.js';
import { gatewayFailure } from './responses.js';
import type { FaultSpec, RecordedRequest, Simulator, SimulatorOptions } from './types.js';

const DEFAULT_MAX_UPLOAD = 10 * 1024 * 1024;

interface Reply {
  status: number;
  body: string;
  contentType?: string;
  headers?: Record<string, string>;
}

interface Context {
  apiKey: string | undefined;
  latencyMs: number;
  maxUploadBytes: number;
  compress: boolean;
  limiter: RateLimiter | undefined;
  faults: FaultQueue;
  recorder: Recorder;
  state: ServiceState;
  sleep(ms: number): Promise<void>;
  onChunk: ChunkHook;
}

const EMPTY_UPLOAD: Upload = { fields: {}, files: [] };

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  const text = Array.isArray(value) ? value.join(', ') : value;
  return text === undefined || text === '' ? undefined : text;
}

function recordOf(req: IncomingMessage, path: string, upload: Upload, status: number, receivedAt: number): RecordedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers[name] = name === 'x-finos-api-key' ? '[redacted]' : Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    method: req.method ?? '',
    path,
    headers,
    apiKeyPresent: header(req, 'x-finos-api-key') !== undefined,
    fields: { ...upload.fields },
    files: upload.files.map((f) => ({
      field: f.field,
      filename: f.filename,
      size: f.image.size,
      fingerprint: f.image.fingerprint,
      contentType: f.contentType,
      format: f.image.format,
      width: f.image.width,
      height: f.image.height,
    })),
    status,
    receivedAt,
  };
}

/** The first of gzip, br and deflate in the client's own order, skipping any it refused with q=0. */
export function pickEncoding(acceptEncoding: string | undefined): 'gzip' | 'br' | 'deflate' | undefined {
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (params.some((p) => /^q=0(\.0*)?$/.test(p))) continue;
    if (name === 'gzip' || name === 'br' || name === 'deflate') return name;
  }
  return undefined;
}

/** Level 1, nginx's default: a 3 KB answer shrinks almost as well as at zlib's 6, for less CPU per response. */
const ZLIB_FAST = { level: 1 };

function encode(body: Buffer, encoding: 'gzip' | 'br' | 'deflate'): Buffer {
  if (encoding === 'gzip') return gzipSync(body, ZLIB_FAST);
  if (encoding === 'deflate') return deflateSync(body, ZLIB_FAST);
  // Brotli's default quality (11) is built for static assets: far too slow per response.
  return brotliCompressSync(body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } });
}

function send(ctx: Context, req: IncomingMessage, res: ServerResponse, reply: Reply, opts: { truncate?: boolean; close?: boolean } = {}): void {
  if (res.destroyed || res.headersSent) return;
  let body: Buffer = Buffer.from(reply.body);
  const headers: Record<string, string | number> = { 'content-type': reply.contentType ?? 'application/json', ...reply.headers };
  if (opts.close) headers.connection = 'close';
  if (ctx.compress) {
    headers.vary = 'Accept-Encoding';
    const encoding = opts.truncate ? undefined : pickEncoding(header(req, 'accept-encoding'));
    if (encoding !== undefined) {
      body = encode(body, encoding);
      headers['content-encoding'] = encoding;
    }
  }
  headers['content-length'] = body.length;
  res.writeHead(reply.status, headers);
  if (!opts.truncate) {
    res.end(body);
    return;
  }
  // Content-Length promised the whole body; half of it arrives, then the connection drops.
  res.write(body.subarray(0, Math.floor(body.length / 2)), () => req.socket.destroy());
}

const json = (status: number, body: object, headers?: Record<string, string>): Reply => ({ status, body: JSON.stringify(body), ...(headers ? { headers } : {}) });

/** A fault that replaces the answer (a status other than 200, or a raw body), rather than delaying or breaking it. */
function replacesAnswer(fault: FaultSpec | undefined): fault is FaultSpec {
  return fault !== undefined && (fault.body !== undefined || (fault.status !== undefined && fault.status !== 200));
}

async function handleApi(ctx: Context, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const receivedAt = Date.now();
  res.once('close', ctx.recorder.begin(path));
  const finish = async (reply: Reply | 'reset', upload: Upload, opts: { delayMs?: number; truncate?: boolean; close?: boolean } = {}): Promise<void> => {
    // Logged when decided rather than when sent, so a delayed answer cannot land in a later test's slice of the log.
    ctx.recorder.record(recordOf(req, path, upload, reply === 'reset' ? 0 : reply.status, receivedAt));
    await ctx.sleep(ctx.latencyMs + (opts.delayMs ?? 0));
    if (reply === 'reset') req.socket.destroy();
    else send(ctx, req, res, reply, opts);
  };

  const endpoint = ENDPOINTS.get(path);
  if (endpoint === undefined) return finish(json(404, gatewayFailure('finos', 404)), EMPTY_UPLOAD);
  if (req.method !== 'POST') return finish(json(405, gatewayFailure('finos', 405), { allow: 'POST' }), EMPTY_UPLOAD);

  const fault = ctx.faults.take(path);
  const delayMs = fault?.delayMs ?? 0;
  if (fault?.reset === 'before-processing') return finish('reset', EMPTY_UPLOAD, { delayMs });

  let upload: Upload;
  try {
    upload = await readUpload(req, ctx.maxUploadBytes, ctx.onChunk);
  } catch (error) {
    if (!(error instanceof UploadTooLargeError)) {
      // The client went away mid-upload: nobody is left to answer.
      ctx.recorder.record(recordOf(req, path, EMPTY_UPLOAD, 0, receivedAt));
      req.socket.destroy();
      return;
    }
    return finish(json(413, gatewayFailure(endpoint.gateway, 413)), EMPTY_UPLOAD, { close: true });
  }

  const reply = answer(ctx, req, endpoint, upload, fault, receivedAt);
  if (fault?.retryAfter !== undefined) reply.headers = { ...reply.headers, 'retry-after': String(fault.retryAfter) };
  return finish(fault?.reset === 'after-processing' ? 'reset' : reply, upload, { delayMs, truncate: fault?.truncate ?? false });
}

function answer(ctx: Context, req: IncomingMessage, endpoint: Endpoint, upload: Upload, fault: FaultSpec | undefined, receivedAt: number): Reply {
  const apiKey = header(req, 'x-finos-api-key') ?? '';
  const requestId = randomUUID();
  const transactionId = header(req, 'transactionid');
  if (replacesAnswer(fault)) {
    const status = fault.status ?? 200;
    return {
      status,
      body: fault.body ?? JSON.stringify(documentedFailure(endpoint, status, { requestId, transactionId })),
      ...(fault.contentType === undefined ? {} : { contentType: fault.contentType }),
    };
  }
  if (ctx.apiKey !== undefined && apiKey !== ctx.apiKey) return json(401, gatewayFailure(endpoint.gateway, 401));
  const retryAfter = ctx.limiter?.take(apiKey, receivedAt);
  if (retryAfter !== undefined) return json(429, gatewayFailure(endpoint.gateway, 429), { 'retry-after': String(retryAfter) });

  const call = { apiKey, transactionId, headers: req.headers, upload, requestId, receivedAt, state: ctx.state };
  let outcome;
  try {
    outcome = endpoint.handle(call);
  } catch {
    outcome = { status: 500, body: documentedFailure(endpoint, 500, { requestId, transactionId }) };
  }
  const body = JSON.stringify(outcome.body);
  if (endpoint.apiCode !== undefined) {
    ctx.state.history.add(apiKey, { requestId, apiCode: endpoint.apiCode, status: outcome.status, at: receivedAt, json: body, images: Math.min(2, upload.files.length) });
  }
  return { status: outcome.status, body };
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const timers = new Set<NodeJS.Timeout>();
  const faults = new FaultQueue();
  const recorder = new Recorder(opts.requestLogSize ?? 1000);
  const sleep = (ms: number): Promise<void> =>
    ms <= 0
      ? Promise.resolve()
      : new Promise((resolve) => {
          const timer = setTimeout(() => {
            timers.delete(timer);
            resolve();
          }, ms);
          timers.add(timer);
        });
  const uplink = opts.bandwidthMbps === undefined ? undefined : new Uplink(opts.bandwidthMbps, sleep);
  const ctx: Context = {
    apiKey: opts.apiKey,
    latencyMs: opts.latencyMs ?? 0,
    maxUploadBytes: opts.maxUploadBytes ?? DEFAULT_MAX_UPLOAD,
    compress: opts.compress ?? true,
    limiter: opts.rateLimitPerMinute === undefined ? undefined : new RateLimiter(opts.rateLimitPerMinute),
    faults,
    recorder,
    state: { faces: new FaceIndex(), liveness: new LivenessLedger(), history: new History() },
    sleep,
    onChunk: (bytes) => {
      recorder.received(bytes);
      return uplink?.take(bytes);
    },
  };

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const handled = path.startsWith('/__simulator/') ? handleControl({ faults, recorder }, req, res, path) : handleApi(ctx, req, res, path);
    handled.catch(() => {
      // Nothing is left to tell a client whose answer could not be written: drop the connection.
      req.socket.destroy();
    });
  });

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        // Delayed answers are abandoned: their sockets are closed below.
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    injectFaults: (f) => faults.add(f),
    clearFaults: () => faults.clear(),
    get requests() {
      return recorder.requests;
    },
    stats: () => recorder.stats(),
    resetStats: () => recorder.resetStats(),
  };
}
