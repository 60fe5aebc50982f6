/**
 * The FinOS eKYC simulator: a real HTTP server on loopback that answers like the vendor's reference (bodies,
 * statuses, headers), with deterministic synthetic data, fault injection and request recording. Used by the
 * tests, by `finos-ekyc mock-server` and by `--mock`.
 */
export { startSimulator } from './server.js';
export type { FaultSpec, RecordedFile, RecordedRequest, Simulator, SimulatorOptions, SimulatorStats } from './types.js';
