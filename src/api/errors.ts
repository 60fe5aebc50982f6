/**
 * Every failure is a value: a class per outcome, each with a stable `code`, the HTTP `status` when there was one,
 * the API's own message, and the ids a support ticket needs. The CLI maps classes to exit codes; a library user
 * can `instanceof` them.
 */

export interface ErrorContext {
  status?: number;
  requestId?: string;
  transactionId?: string;
  /** The response body as received: parsed JSON when it was JSON, else the text. */
  body?: unknown;
  cause?: unknown;
}

export abstract class FinosError extends Error {
  abstract readonly code: string;
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly transactionId: string | undefined;
  readonly body: unknown;

  constructor(message: string, ctx: ErrorContext = {}) {
    super(message, ctx.cause === undefined ? undefined : { cause: ctx.cause });
    this.name = new.target.name;
    this.status = ctx.status;
    this.requestId = ctx.requestId || undefined;
    this.transactionId = ctx.transactionId || undefined;
    this.body = ctx.body;
  }

  /** A plain object for JSON output (no stack, no body: bodies can hold personal data). */
  toJSON(): { name: string; code: string; status?: number; message: string; requestId?: string; transactionId?: string } {
    return {
      name: this.name,
      code: this.code,
      ...(this.status === undefined ? {} : { status: this.status }),
      message: this.message,
      ...(this.requestId ? { requestId: this.requestId } : {}),
      ...(this.transactionId ? { transactionId: this.transactionId } : {}),
    };
  }
}

// ---- the API answered with an error status -------------------------------------------------------------

/** An HTTP error status the reference does not document (403, 404, 405…). */
export class ApiError extends FinosError {
  readonly code: string = 'api_error';
}
export class BadRequestError extends ApiError {
  override readonly code = 'bad_request';
}
export class AuthenticationError extends ApiError {
  override readonly code = 'authentication';
}
export class PayloadTooLargeError extends ApiError {
  override readonly code = 'payload_too_large';
}
/** 422: the service found no document (or face) of the kind asked for in the image. */
export class NotDetectedError extends ApiError {
  override readonly code = 'not_detected';
}
export class RateLimitError extends ApiError {
  override readonly code = 'rate_limited';
  /** What the API's Retry-After asked for, in ms, when it sent one. */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, ctx: ErrorContext & { retryAfterMs?: number } = {}) {
    super(message, ctx);
    this.retryAfterMs = ctx.retryAfterMs;
  }
}
/** 500, 502, 503. */
export class ServerError extends ApiError {
  override readonly code = 'server_error';
}
export class GatewayTimeoutError extends ApiError {
  override readonly code = 'gateway_timeout';
}

// ---- no usable answer ----------------------------------------------------------------------------------

/** Could not reach the API, or the connection broke before a whole response arrived. */
export class ConnectionError extends FinosError {
  readonly code = 'connection';
  /** True when the request body had been handed to the socket: the server may have acted on it. */
  readonly requestSent: boolean;
  constructor(message: string, ctx: ErrorContext & { requestSent?: boolean } = {}) {
    super(message, ctx);
    this.requestSent = ctx.requestSent ?? false;
  }
}
export class TimeoutError extends FinosError {
  readonly code = 'timeout';
}
/** A response we cannot trust: not JSON, truncated, or not the documented shape. */
export class InvalidResponseError extends FinosError {
  readonly code = 'invalid_response';
}
/** The caller's AbortSignal fired. */
export class AbortedError extends FinosError {
  readonly code = 'aborted';
}

// ---- local input, checked before any byte is sent ------------------------------------------------------

export abstract class InputError extends FinosError {
  readonly path: string;
  constructor(path: string, message: string, cause?: unknown) {
    super(message, { cause });
    this.path = path;
  }
}
export class FileNotFoundError extends InputError {
  readonly code = 'file_not_found';
  constructor(path: string) {
    super(path, `${path}: no such file`);
  }
}
export class NotAFileError extends InputError {
  readonly code = 'not_a_file';
  constructor(path: string) {
    super(path, `${path}: not a regular file`);
  }
}
export class UnreadableFileError extends InputError {
  readonly code = 'unreadable_file';
  constructor(path: string, cause?: unknown) {
    super(path, `${path}: cannot be read (${(cause as NodeJS.ErrnoException | undefined)?.code ?? 'permission denied'})`, cause);
  }
}
export class EmptyFileError extends InputError {
  readonly code = 'empty_file';
  constructor(path: string) {
    super(path, `${path}: file is empty`);
  }
}
export class NotAnImageError extends InputError {
  readonly code = 'not_an_image';
  constructor(path: string) {
    super(path, `${path}: not an image (expected JPEG, PNG, WebP, HEIC/HEIF, AVIF, TIFF, BMP or GIF content)`);
  }
}
/** An image by its first bytes that cannot be decoded: truncated, corrupt, empty, or too many pixels to prepare. */
export class UnreadableImageError extends InputError {
  readonly code = 'unreadable_image';
  constructor(path: string, why: string) {
    super(path, `${path}: ${why}`);
  }
}
export class FileTooLargeError extends InputError {
  readonly code = 'file_too_large';
  constructor(path: string, size: number, limit: number) {
    super(path, `${path}: ${formatBytes(size)} is over the ${formatBytes(limit)} limit`);
  }
}
/** The typed input error for a failed file operation, so a caller sees `file_not_found` rather than a raw ENOENT. */
export function fileError(path: string, err: unknown): InputError {
  if (err instanceof InputError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new FileNotFoundError(path);
  if (code === 'EISDIR') return new NotAFileError(path);
  return new UnreadableFileError(path, err);
}

/** A call's own arguments are wrong (threshold out of 1–99, empty requestIds…): caught before sending. */
export class InvalidArgumentError extends FinosError {
  readonly code = 'invalid_argument';
}

/**
 * A results file could not take a record (disk full, quota, read-only or failing disk): `records` are the
 * answers this failure left out of it, which a re-run would pay for again.
 */
export class RecordingFailedError<R = unknown> extends FinosError {
  readonly code = 'results_write_failed';
  constructor(
    readonly path: string,
    readonly records: readonly R[],
    cause: unknown,
  ) {
    super(`${path}: cannot record answers (${cause instanceof Error ? cause.message : String(cause)})`, { cause });
  }
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * The API puts its message in different places per endpoint: `error`, `message`, `messages[].message`, and
 * the reference's 500 body for recognition uses a key with a leading space, `" messages"` (kept as documented).
 */
export function apiMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Record<string, unknown>;
  for (const key of ['error', 'message']) {
    const v = b[key];
    if (typeof v === 'string' && v.trim()) return v.trim();
  }
  for (const key of ['messages', ' messages']) {
    const v = b[key];
    const list = Array.isArray(v) ? v : v && typeof v === 'object' ? [v] : [];
    for (const m of list) {
      const msg = (m as Record<string, unknown>)?.message;
      if (typeof msg === 'string' && msg.trim()) return msg.trim();
    }
  }
  return undefined;
}

const DEFAULT_MESSAGES: Record<number, string> = {
  400: 'Bad request',
  401: 'API key is not valid or is expired / revoked',
  413: 'Image too large for the API',
  422: 'Document not detected in the image',
  429: 'Rate limit exceeded',
  500: 'Internal server error',
  502: 'Bad gateway',
  503: 'Service unavailable',
  504: 'Gateway timeout',
};

/** Builds the error for an HTTP error status. */
export function errorForStatus(status: number, body: unknown, ctx: ErrorContext & { retryAfterMs?: number }): ApiError {
  const message = apiMessage(body) ?? DEFAULT_MESSAGES[status] ?? `HTTP ${status}`;
  const full = { ...ctx, status, body };
  switch (status) {
    case 400:
      return new BadRequestError(message, full);
    case 401:
    case 403:
      return new AuthenticationError(message, full);
    case 413:
      return new PayloadTooLargeError(message, full);
    case 422:
      return new NotDetectedError(message, full);
    case 429:
      return new RateLimitError(message, full);
    case 500:
    case 502:
    case 503:
      return new ServerError(message, full);
    case 504:
      return new GatewayTimeoutError(message, full);
    default:
      return new ApiError(message, full);
  }
}
