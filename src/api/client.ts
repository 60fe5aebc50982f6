import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { AbortedError, FinosError, InvalidArgumentError, InvalidResponseError, RateLimitError, errorForStatus } from './errors.js';
import { TRIAL_HOST, apiBaseText, checkApiBase } from './hosts.js';
import { HttpTransport, type ClientEvent, type RawResponse } from './http.js';
import { multipart, type MultipartBody } from './multipart.js';
import { prepareImage, type ImageInput, type PrepareOptions, type PreparedImage } from './image.js';
import { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS, backoffMs, isRetryable, parseRetryAfter, type Effect } from './retry.js';
import type {
  ApiResponse,
  FaceCompareResult,
  HistoryResult,
  IndexedFace,
  LivenessResult,
  OcrResult,
  SearchResult,
} from './types.js';

const USER_AGENT = 'finos-ekyc (+https://www.npmjs.com/package/finos-ekyc)';

/**
 * Shared flow control for many calls (a batch): `acquire` before each attempt waits for a free slot and for any
 * pause the API asked for; `release` reports how the attempt went, so one 429 slows every worker, not just one.
 */
export interface RequestGate {
  acquire(signal?: AbortSignal): Promise<void>;
  release(outcome: AttemptOutcome): void;
}
export interface AttemptOutcome {
  /** The HTTP status, when a response arrived. */
  status?: number;
  retryAfterMs?: number;
}

export interface FinosClientOptions {
  /** Base URL; defaults to the reference's Trial host. */
  host?: string;
  apiKey?: string;
  /** Headers and body timeout of one attempt. */
  timeoutMs?: number;
  maxRetries?: number;
  /** An undici Dispatcher (Agent, ProxyAgent, MockAgent…); by default a keep-alive agent that honours HTTPS_PROXY/NO_PROXY. */
  dispatcher?: Dispatcher;
  /** Never through a proxy, whatever HTTP(S)_PROXY say: for a server on this machine, such as the simulator. */
  direct?: boolean;
  /** How images are readied for upload: converted, turned upright, shrunk (image.ts says when); each call may override. */
  prepare?: PrepareOptions['prepare'];
  /** The long side an image may have, in pixels (default 4096; 2048 with prepare: 'always'). */
  maxSide?: number;
  /** The largest upload, in bytes (default 10 MB). */
  maxUploadBytes?: number;
  gate?: RequestGate;
  /** Debug hook: every attempt, response, failure and retry, with secrets redacted. */
  onEvent?: (event: ClientEvent) => void;
}

export interface CallOptions extends PrepareOptions {
  /** Sent as the `transactionId` header and reused by every retry of the call. */
  transactionId?: string;
  signal?: AbortSignal;
}

export type YesNoOptions<K extends string> = Partial<Record<K, boolean>>;
export type NationalIdOptions = YesNoOptions<'addressSplit' | 'qualityCheck' | 'fraudCheck' | 'faceCheck' | 'forgeryCheck'> & CallOptions;
export interface CompareOptions extends CallOptions {
  /** 1–99: the score from which the API answers match = yes. */
  threshold?: number;
}
export interface CompareWithIdOptions extends CompareOptions {
  fraudCheckLiveness?: boolean;
}

type Normalizers = (typeof import('./schemas.js'))['normalize'];

interface Operation<T> {
  path: string;
  effect: Effect;
  /**
   * Whether to ask for a compressed answer. The reference's curl examples always do, but an answer about one image is
   * 1-4 KB of JSON: gzip saves ~2 KB of download next to a 300 KB upload, and costs CPU at both ends (~0.2 ms a
   * call, about 5 % of a batch's; `npm run bench`). History answers grow with the ids asked for: those are compressed.
   */
  compressed?: boolean;
  /** Which of the response schemas reads the answer. */
  normalizer: (n: Normalizers) => (body: unknown) => T;
}

let schemas: Promise<Normalizers> | undefined;
/**
 * The response schemas (zod, ~100 ms to load) load while the first request is on the wire instead of before it
 * is sent: the API's own latency hides them. The rejection is also caught here so that a call failing before it
 * looks at the schemas leaves no unhandled promise behind; a call that needs them still sees it.
 */
function loadSchemas(): Promise<Normalizers> {
  if (!schemas) {
    schemas = import('./schemas.js').then((m) => m.normalize);
    schemas.catch(() => {});
  }
  return schemas;
}

// Field names follow the reference's curl examples where its tables disagree: readDL's curl sends the file
// without a field name (`--form '"/dl.jpeg"'`) and search's table says `inage`; both are `image`.
const OPERATIONS = {
  nationalId: { path: '/ekyc/ocr/v2/nationalID', effect: 'read', normalizer: (n) => n.nationalId },
  driverLicense: { path: '/ekyc/ocr/v1/readDL', effect: 'read', normalizer: (n) => n.documentList },
  passport: { path: '/ekyc/ocr/v1/readVNPassport', effect: 'read', normalizer: (n) => n.documentList },
  mrc: { path: '/ekyc/ocr/v1/readMRC', effect: 'read', normalizer: (n) => n.documentList },
  verifyPair: { path: '/ekyc/face/v1/photo/verifyPair', effect: 'read', normalizer: (n) => n.compare },
  liveness: { path: '/ekyc/face/v2/photo/liveness', effect: 'read', normalizer: (n) => n.liveness },
  index: { path: '/ekyc/recognition/face/indexing_face', effect: 'write', normalizer: (n) => n.indexed },
  search: { path: '/ekyc/recognition/face/search', effect: 'read', normalizer: (n) => n.search },
  history: { path: '/ekyc/transaction/history', effect: 'read', compressed: true, normalizer: (n) => n.history },
} satisfies Record<string, Operation<unknown>>;

export type OperationName = keyof typeof OPERATIONS;

type Part = readonly [name: string, value: string | ImageInput];
interface CallSpec {
  images: Part[];
  fields?: [string, string][];
  headers?: Record<string, string>;
}

const yes = (flag: boolean | undefined): string | undefined => (flag === undefined ? undefined : flag ? 'yes' : 'no');

export class FinosClient {
  readonly host: string;
  private readonly apiKey: string | undefined;
  private readonly maxRetries: number;
  private readonly prepareOptions: PrepareOptions;
  private readonly gate: RequestGate | undefined;
  private readonly transport: HttpTransport;

  constructor(opts: FinosClientOptions = {}) {
    const base = checkApiBase(opts.host ?? TRIAL_HOST, opts.apiKey);
    const maxRetries = opts.maxRetries ?? DEFAULT_MAX_RETRIES;
    if (!Number.isInteger(maxRetries) || maxRetries < 0) throw new InvalidArgumentError(`maxRetries must be a whole number ≥ 0, got ${maxRetries}`);
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!(timeoutMs > 0)) throw new InvalidArgumentError(`timeoutMs must be > 0, got ${timeoutMs}`);
    this.host = apiBaseText(base);
    this.apiKey = opts.apiKey || undefined;
    this.maxRetries = maxRetries;
    this.prepareOptions = {
      ...(opts.prepare ? { prepare: opts.prepare } : {}),
      ...(opts.maxSide ? { maxSide: opts.maxSide } : {}),
      ...(opts.maxUploadBytes ? { maxUploadBytes: opts.maxUploadBytes } : {}),
    };
    this.gate = opts.gate;
    this.transport = new HttpTransport({ base, timeoutMs, dispatcher: opts.dispatcher, direct: opts.direct, onEvent: opts.onEvent });
  }

  readonly ocr = {
    nationalId: (image: ImageInput, o: NationalIdOptions = {}): Promise<ApiResponse<OcrResult>> =>
      this.call(OPERATIONS.nationalId, o, () => ({
        images: [['image', image]],
        fields: present([
          ['enableAddressSplit', yes(o.addressSplit)],
          ['qualityCheck', yes(o.qualityCheck)],
          ['fraudCheck', yes(o.fraudCheck)],
          ['faceCheck', yes(o.faceCheck)],
          ['forgeryCheck', yes(o.forgeryCheck)],
        ]),
      })),
    driverLicense: (image: ImageInput, o: CallOptions = {}): Promise<ApiResponse<OcrResult>> =>
      this.call(OPERATIONS.driverLicense, o, () => ({ images: [['image', image]] })),
    passport: (image: ImageInput, o: CallOptions = {}): Promise<ApiResponse<OcrResult>> =>
      this.call(OPERATIONS.passport, o, () => ({ images: [['image', image]] })),
    /** A motorbike registration certificate: one side, or both. */
    mrc: (image1: ImageInput, image2?: ImageInput, o: CallOptions = {}): Promise<ApiResponse<OcrResult>> =>
      this.call(OPERATIONS.mrc, o, () => ({ images: image2 === undefined ? [['image1', image1]] : [['image1', image1], ['image2', image2]] })),
  };

  readonly face = {
    /** Two selfies. */
    compare: (image1: ImageInput, image2: ImageInput, o: CompareOptions = {}): Promise<ApiResponse<FaceCompareResult>> =>
      this.call(OPERATIONS.verifyPair, o, () => ({
        images: [['image1', image1], ['image2', image2]],
        fields: [['type', 'selfie']],
        headers: thresholdHeader(o.threshold),
      })),
    /** A selfie against the portrait on an ID card. */
    compareWithId: (selfie: ImageInput, idCard: ImageInput, o: CompareWithIdOptions = {}): Promise<ApiResponse<FaceCompareResult>> =>
      this.call(OPERATIONS.verifyPair, o, () => ({
        images: [['selfie', selfie], ['id', idCard]],
        fields: present([['fraudCheckLiveness', yes(o.fraudCheckLiveness)]]),
        headers: thresholdHeader(o.threshold),
      })),
    liveness: (image: ImageInput, o: CallOptions = {}): Promise<ApiResponse<LivenessResult>> =>
      this.call(OPERATIONS.liveness, o, () => ({ images: [['image', image]] })),
  };

  readonly recognition = {
    /** Changes state at FinOS: never re-sent after a failure that may have indexed the face (see retry.ts). */
    index: (image: ImageInput, o: { numberId: string; partition: string } & CallOptions): Promise<ApiResponse<IndexedFace>> =>
      this.call(OPERATIONS.index, o, () => ({
        images: [['image', image]],
        fields: [
          ['numberId', required(o.numberId, 'numberId')],
          ['partition', required(o.partition, 'partition')],
        ],
      })),
    search: (image: ImageInput, o: { partition: string } & CallOptions): Promise<ApiResponse<SearchResult>> =>
      this.call(OPERATIONS.search, o, () => ({ images: [['image', image]], fields: [['partition', required(o.partition, 'partition')]] })),
  };

  readonly transactions = {
    history: (requestIds: readonly string[], o: CallOptions = {}): Promise<ApiResponse<HistoryResult>> =>
      this.call(OPERATIONS.history, o, () => ({ images: [], fields: [['requestIds', joinRequestIds(requestIds)]] })),
  };

  /** Closes the keep-alive connections (not those of a dispatcher passed in). */
  close(): Promise<void> {
    return this.transport.close();
  }

  private async call<T>(op: Operation<T>, o: CallOptions, buildSpec: () => CallSpec): Promise<ApiResponse<T>> {
    const spec = buildSpec();
    const prepare: PrepareOptions = {
      ...this.prepareOptions,
      ...(o.prepare ? { prepare: o.prepare } : {}),
      ...(o.maxSide ? { maxSide: o.maxSide } : {}),
      ...(o.maxUploadBytes ? { maxUploadBytes: o.maxUploadBytes } : {}),
    };
    const images: [string, PreparedImage][] = [];
    for (const [name, input] of spec.images) images.push([name, await prepareImage(input, { ...prepare, label: name })]);
    const prepared = images.flatMap(([field, img]) => (img.preparation ? [{ field, ...img.preparation }] : []));
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...(op.compressed ? { 'accept-encoding': 'gzip, deflate, br' } : {}),
      'user-agent': USER_AGENT,
      ...(this.apiKey ? { 'X-FinOS-Api-Key': this.apiKey } : {}),
      ...(o.transactionId ? { transactionId: o.transactionId } : {}),
      ...spec.headers,
    };
    // A fresh body for every attempt: a multipart stream can be consumed once; the file-backed Blobs re-read.
    const form = (): MultipartBody => multipart(images, spec.fields ?? []);
    for (let retry = 0; ; retry++) {
      if (o.signal?.aborted) throw new AbortedError('request aborted');
      await this.gate?.acquire(o.signal);
      let outcome: AttemptOutcome = {};
      let failure: FinosError;
      try {
        const normalizers = loadSchemas();
        const raw = await this.transport.post(op.path, headers, form(), retry + 1, o.signal);
        outcome = { status: raw.status, retryAfterMs: parseRetryAfter(raw.headers['retry-after']) };
        const res = interpret(raw, op.normalizer(await normalizers), o.transactionId);
        return prepared.length ? { ...res, prepared } : res;
      } catch (err) {
        if (!(err instanceof FinosError) || retry >= this.maxRetries || !isRetryable(err, op.effect) || o.signal?.aborted) throw err;
        failure = err;
      } finally {
        // Before any backoff: a shared gate must hear of a 429 now, so the other calls pause with this one.
        this.gate?.release(outcome);
      }
      const delayMs = backoffMs(retry, failure instanceof RateLimitError ? failure.retryAfterMs : undefined);
      this.transport.emit(() => ({ type: 'retry', url: this.transport.urlFor(op.path), attempt: retry + 1, delayMs, reason: failure.status ? `HTTP ${failure.status}` : failure.code }));
      try {
        await sleep(delayMs, undefined, { signal: o.signal });
      } catch {
        throw new AbortedError('request aborted while waiting to retry', { cause: failure });
      }
    }
  }
}

function interpret<T>(raw: RawResponse, normalize: (body: unknown) => T, sentTransactionId: string | undefined): ApiResponse<T> {
  let body: unknown = raw.text;
  let isJson = false;
  if (raw.text.trim()) {
    try {
      body = JSON.parse(raw.text);
      isJson = true;
    } catch {
      // kept as text: an HTML error page from a gateway, or a truncated answer
    }
  }
  const ids = idsOf(body, sentTransactionId);
  if (raw.status >= 400) {
    throw errorForStatus(raw.status, body, { ...ids, retryAfterMs: parseRetryAfter(raw.headers['retry-after']) });
  }
  if (raw.status < 200 || raw.status >= 300) throw errorForStatus(raw.status, body, ids);
  if (!isJson) {
    const what = raw.text.trim() ? `${raw.contentType || 'unknown content type'}, not JSON` : 'an empty body';
    throw new InvalidResponseError(`HTTP ${raw.status} with ${what}`, { status: raw.status, body });
  }
  // Some gateways answer 200 with a failure inside; the body's own statusCode is the truth then.
  const said = fieldsOf(body).statusCode;
  // Only a number or a string: Number() of an array nested thousands deep overflows the stack.
  const inner = typeof said === 'number' || typeof said === 'string' ? Number(said) : NaN;
  if (Number.isInteger(inner) && inner >= 400) throw errorForStatus(inner, body, ids);
  let data: T;
  try {
    data = normalize(body);
  } catch (err) {
    if (err instanceof InvalidResponseError) throw new InvalidResponseError(err.message, { ...ids, status: raw.status, body, cause: err });
    throw err;
  }
  return { httpStatus: raw.status, requestId: ids.requestId, transactionId: ids.transactionId, body, data };
}

/** A body's top-level fields; none when it is not an object (JSON can be `null`, a number, a string or an array). */
function fieldsOf(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
}

function idsOf(body: unknown, sent: string | undefined): { requestId: string; transactionId: string } {
  const b = fieldsOf(body);
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  return { requestId: str(b.requestId), transactionId: str(b.transactionId) || sent || '' };
}

/** One form field, comma-joined, as the reference's example shows. */
function joinRequestIds(requestIds: readonly string[]): string {
  const ids = requestIds.map((id) => id.trim()).filter(Boolean);
  if (!ids.length) throw new InvalidArgumentError('history needs at least one requestId');
  const bad = ids.find((id) => id.includes(','));
  if (bad) throw new InvalidArgumentError(`a requestId cannot contain a comma: ${bad}`);
  return ids.join(',');
}

function thresholdHeader(threshold: number | undefined): Record<string, string> {
  if (threshold === undefined) return {};
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > 99) {
    throw new InvalidArgumentError(`threshold must be a whole number from 1 to 99, got ${threshold}`);
  }
  return { threshold: String(threshold) };
}

function required(value: string, name: string): string {
  if (typeof value !== 'string' || !value.trim()) throw new InvalidArgumentError(`${name} is required`);
  return value.trim();
}

function present(pairs: [string, string | undefined][]): [string, string][] {
  return pairs.filter((p): p is [string, string] => p[1] !== undefined);
}
