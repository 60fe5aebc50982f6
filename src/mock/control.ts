/**
 * /__simulator/: the same controls as the Simulator object, over HTTP, for a `mock-server` in another
 * process (scripts, benchmarks). No API key, no latency, not counted in stats or rate limits.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as z from 'zod';
import { faultSpecSchema, type FaultQueue } from './faults.js';
import type { Recorder } from './recorder.js';

const MAX_CONTROL_BODY = 1024 * 1024;

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_CONTROL_BODY) throw new Error(`control body over ${MAX_CONTROL_BODY} bytes`);
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/** One fault or a list of them. */
const faultsBody = z.union([faultSpecSchema, z.array(faultSpecSchema)]);

type Route = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export async function handleControl(target: { faults: FaultQueue; recorder: Recorder }, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const { faults, recorder } = target;
  const routes: Record<string, Partial<Record<string, Route>>> = {
    '/__simulator/faults': {
      POST: async () => {
        let parsed;
        try {
          parsed = faultsBody.safeParse(await readJson(req));
        } catch (error) {
          reply(res, 400, { error: `not JSON: ${(error as Error).message}` });
          return;
        }
        if (!parsed.success) {
          reply(res, 400, { error: z.prettifyError(parsed.error) });
          return;
        }
        for (const spec of Array.isArray(parsed.data) ? parsed.data : [parsed.data]) faults.add(spec);
        reply(res, 200, { pending: faults.pending });
      },
      DELETE: () => {
        faults.clear();
        reply(res, 200, { pending: 0 });
      },
    },
    '/__simulator/stats': { GET: () => reply(res, 200, recorder.stats()) },
    '/__simulator/stats/reset': {
      POST: () => {
        recorder.resetStats();
        reply(res, 200, recorder.stats());
      },
    },
    '/__simulator/requests': { GET: () => reply(res, 200, recorder.requests) },
  };
  const methods = routes[path];
  if (methods === undefined) return reply(res, 404, { error: `no simulator control at ${path}` });
  const route = methods[req.method ?? ''];
  if (route === undefined) return reply(res, 405, { error: `${req.method} not allowed on ${path}` }, { allow: Object.keys(methods).join(', ') });
  await route(req, res);
}
