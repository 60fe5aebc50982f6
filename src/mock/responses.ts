/**
 * Failure bodies, shaped per endpoint family as the reference's samples are (their key order included).
 * Gateway statuses (401, 413, 429, 502–504) come from the API gateway, before the service: the national-ID
 * route sits behind a gateway that answers `{"message", "http_status_code"}`, every other route behind one
 * that answers `{"requestId": "", "status", "statusCode", "error"}`; the reference documents only their 401,
 * so 413/429/5xx reuse that shape with the status table's messages.
 */
import { STATUS_CODES } from 'node:http';

export interface Ids {
  requestId: string;
  transactionId: string | undefined;
}

export type Gateway = 'kong' | 'finos';

/**
 * ocr: national ID, driver licence, passport · mrc: registration card · compare: verifyPair ·
 * liveness · recognition: indexing and search · history.
 */
export type ErrorStyle = 'ocr' | 'mrc' | 'compare' | 'liveness' | 'recognition' | 'history';

export const MESSAGES = {
  invalidImage: 'Invalid image file uploaded',
  oneImage: 'API call requires one input image',
  imageRequired: 'image is required',
  wrongCombination:
    'Missing / Wrong combination of parameters. Valid Parameter combinations - (image1, image2, type) or (selfie, id) or (selfie, idFaceString)',
  livenessFraud: 'Fraud check liveness failed',
  duplicated: 'Id number has been duplicated',
  invalidRequest: 'Invalid request.',
  requestIdsEmpty: 'Param [RequestIds] cannot empty',
  serverError: 'Internal Server Error',
  unauthorized: 'API Key is not valid or is expired / revoked.',
  tooLarge: 'The request is larger than the server is willing or able to process',
  rateLimited: 'Rate limit exceeded',
  gatewayTimeout: 'Gateway timeout',
} as const;

export const GATEWAY_STATUSES: ReadonlySet<number> = new Set([401, 413, 429, 502, 503, 504]);

const GATEWAY_MESSAGES: Record<number, string> = { 401: MESSAGES.unauthorized, 413: MESSAGES.tooLarge, 429: MESSAGES.rateLimited, 504: MESSAGES.gatewayTimeout };

export function statusText(status: number): string {
  return STATUS_CODES[status] ?? `HTTP ${status}`;
}

export function gatewayFailure(gateway: Gateway, status: number): object {
  const message = GATEWAY_MESSAGES[status] ?? statusText(status);
  if (gateway === 'kong') return { message: status === 401 ? 'Unauthorized' : message, http_status_code: status };
  return { requestId: '', status: 'failure', statusCode: String(status), error: message };
}

/** Adds `transactionId` when the caller sent one: the reference echoes it, and has nothing to echo otherwise. */
export function echo<T extends object>(body: T, transactionId: string | undefined): T & { transactionId?: string } {
  return transactionId === undefined ? body : { ...body, transactionId };
}

const LAYOUT: Record<Exclude<ErrorStyle, 'recognition'>, { idsFirst: boolean; echo: boolean; idsOn5xx: boolean }> = {
  ocr: { idsFirst: false, echo: true, idsOn5xx: false },
  mrc: { idsFirst: false, echo: true, idsOn5xx: true },
  compare: { idsFirst: true, echo: false, idsOn5xx: false },
  liveness: { idsFirst: true, echo: true, idsOn5xx: false },
  history: { idsFirst: true, echo: false, idsOn5xx: true },
};

export function failure(style: ErrorStyle, status: number, message: string, ids: Ids): object {
  if (style === 'recognition') {
    // The reference's recognition 500 body really has a key with a leading space, and an object, not a list.
    if (status >= 500) return { ' messages': { code: 'E9999', message }, data: null };
    const code = status === 400 ? 'BAD_REQUEST' : statusText(status).toUpperCase().replace(/\W+/g, '_');
    return { messages: [{ code, message }], data: null };
  }
  const layout = LAYOUT[style];
  const core = { status: 'failure', statusCode: String(status), error: message };
  if (status >= 500 && !layout.idsOn5xx) return core;
  const body = layout.idsFirst ? { requestId: ids.requestId, ...core } : { ...core, requestId: ids.requestId };
  return layout.echo ? echo(body, ids.transactionId) : body;
}
