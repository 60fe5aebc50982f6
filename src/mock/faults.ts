import * as z from 'zod';
import type { FaultSpec } from './types.js';

/** Validates faults posted to /__simulator/faults by out-of-process scripts. */
export const faultSpecSchema = z
  .object({
    count: z.number().int().positive().optional(),
    path: z.string().startsWith('/').optional(),
    status: z.number().int().min(100).max(599).optional(),
    retryAfter: z.union([z.number().nonnegative(), z.string().min(1)]).optional(),
    body: z.string().optional(),
    contentType: z.string().min(1).optional(),
    delayMs: z.number().nonnegative().optional(),
    reset: z.enum(['before-processing', 'after-processing']).optional(),
    truncate: z.boolean().optional(),
  })
  .strict();

/** Faults wait in arrival order; each matching request takes the first one that applies to its path. */
export class FaultQueue {
  private queue: { spec: FaultSpec; remaining: number }[] = [];

  add(spec: FaultSpec): void {
    const remaining = spec.count ?? 1;
    if (remaining > 0) this.queue.push({ spec, remaining });
  }

  clear(): void {
    this.queue = [];
  }

  get pending(): number {
    return this.queue.reduce((n, f) => n + f.remaining, 0);
  }

  take(path: string): FaultSpec | undefined {
    const i = this.queue.findIndex((f) => f.spec.path === undefined || f.spec.path === path);
    const fault = this.queue[i];
    if (fault === undefined) return undefined;
    if (--fault.remaining <= 0) this.queue.splice(i, 1);
    return fault.spec;
  }
}
