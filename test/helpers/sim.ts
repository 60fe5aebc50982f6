import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { fingerprint } from '../../src/mock/images.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/mock/index.js';

/**
 * One simulator for a test file, with faults and counters cleared before each test, so every assertion about
 * what the simulator received starts from zero. Returns a getter: the simulator exists only once beforeAll ran.
 */
export function useSimulator(opts: SimulatorOptions = {}): () => Simulator {
  let sim: Simulator | undefined;
  beforeAll(async () => {
    sim = await startSimulator(opts);
  });
  afterAll(() => sim?.close());
  beforeEach(() => {
    sim?.clearFaults();
    sim?.resetStats();
  });
  return () => {
    if (!sim) throw new Error('the simulator is not started yet (use it inside a test)');
    return sim;
  };
}

/** A simulator of its own for one test, closed however the test ends. */
export async function withSim<T>(opts: SimulatorOptions, fn: (s: Simulator) => Promise<T>): Promise<T> {
  const s = await startSimulator(opts);
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

/** What the simulator's request log records of an upload's bytes: CRC-32 (8 hex digits), then the size in hex. */
export function fingerprintOf(...parts: Uint8Array[]): string {
  let crc = 0;
  let size = 0;
  for (const p of parts) {
    crc = crc32(p, crc);
    size += p.length;
  }
  return fingerprint(crc, size);
}
