import { afterAll, beforeAll, beforeEach } from 'vitest';
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
