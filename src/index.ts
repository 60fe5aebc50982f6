/** The finos-ekyc library: a typed client for the FinOS eKYC API. The simulator is at `finos-ekyc/mock`. */
export { FinosClient } from './api/client.js';
export type {
  AttemptOutcome,
  CallOptions,
  CompareOptions,
  CompareWithIdOptions,
  FinosClientOptions,
  NationalIdOptions,
  OperationName,
  RequestGate,
} from './api/client.js';
export * from './api/errors.js';
export type * from './api/types.js';
export type { ClientEvent } from './api/http.js';
export { TRIAL_HOST, PRODUCTION_HOST } from './api/hosts.js';
export {
  prepareImage,
  DEFAULT_MAX_SIDE,
  DEFAULT_MAX_UPLOAD_BYTES,
  PREPARE_MODES,
  type ImageFacts,
  type ImageInput,
  type Preparation,
  type PrepareMode,
  type PrepareOptions,
  type PrepareStep,
  type PreparedImage,
} from './api/image.js';
export { sniffFormat, type ImageFormat } from './api/image-header.js';
export { PREFLIGHT_LIMITS, preflightImage, type PreflightCode, type PreflightFinding, type PreflightLimits } from './api/preflight.js';
export { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS } from './api/retry.js';
