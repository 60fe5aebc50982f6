import { once } from 'node:events';
import { connect, createServer, type AddressInfo } from 'node:net';
import { FormData, request } from 'undici';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../src/api/errors.js';
import { startSimulator } from '../src/mock/index.js';
import { runCli } from './helpers/cli.js';
import { makePng } from './helpers/png.js';
import { withSim } from './helpers/sim.js';

const LIVENESS = '/ekyc/face/v2/photo/liveness';
const MB = 1024 * 1024;

/** 256 KB: a real selfie, padded after its end, so the simulator reads it and answers 200. */
const selfie = ((): Buffer => {
  const png = makePng({ width: 120, height: 160 });
  return Buffer.concat([png, Buffer.alloc(256 * 1024 - png.length)]);
})();

async function upload(url: string): Promise<number> {
  const form = new FormData();
  form.append('image', new Blob([selfie], { type: 'image/png' }), 'selfie.png');
  const res = await request(`${url}${LIVENESS}`, { method: 'POST', body: form });
  await res.body.dump();
  return res.statusCode;
}

/** Seconds `fn` took, and what it returned. */
async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const result = await fn();
  return [(performance.now() - started) / 1000, result];
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('upload bandwidth', () => {
  it('shares bandwidthMbps among all uploads: two 256 KB at 8 Mbit/s take about 0.5 s together', async () => {
    const [alone, status] = await withSim({}, (s) => timed(() => upload(s.url)));
    expect(status).toBe(200);
    expect(alone).toBeLessThan(0.2);

    await withSim({ bandwidthMbps: 8 }, async (s) => {
      // 1 MB/s for 2 × 256 KB, less the 64 KB burst: 0.46 s at least. Per-connection budgets would take half that.
      const [together, statuses] = await timed(() => Promise.all([upload(s.url), upload(s.url)]));
      expect(statuses).toEqual([200, 200]);
      expect(together).toBeGreaterThanOrEqual(0.4);
      expect(s.stats().bytesReceived).toBeGreaterThan(2 * selfie.length);
    });
  });

  it('holds back reading instead of buffering: the rest of a big upload waits at the sender', async () => {
    await withSim({ bandwidthMbps: 8, maxUploadBytes: 64 * MB }, async (s) => {
      const socket = connect(s.port, '127.0.0.1');
      await once(socket, 'connect');
      socket.write(`POST ${LIVENESS} HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: ${16 * MB}\r\n\r\n`);
      const block = Buffer.alloc(MB);
      for (let i = 0; i < 16; i++) socket.write(block);
      await pause(300);
      // Read unshaped, the 16 MB would be gone in a moment; kernel buffers hold a few MB at most.
      expect(s.stats().bytesReceived).toBeLessThan(MB);
      expect(socket.writableLength).toBeGreaterThan(8 * MB);
      socket.destroy();
    });
  });

  it('counts the request-body bytes the API reads in stats, over HTTP too, but not control calls', async () => {
    await withSim({}, async (s) => {
      const body = Buffer.alloc(100_000, 1);
      await (await request(`${s.url}${LIVENESS}`, { method: 'POST', body, headers: { 'content-type': 'application/octet-stream' } })).body.dump();
      await (await request(`${s.url}/__simulator/faults`, { method: 'POST', body: JSON.stringify({ delayMs: 1 }) })).body.dump();
      const stats = (await (await request(`${s.url}/__simulator/stats`)).body.json()) as { bytesReceived: number };
      expect(stats.bytesReceived).toBe(body.length);
      s.resetStats();
      expect(s.stats().bytesReceived).toBe(0);
    });
  });

  it('refuses a bandwidth that is not a number above 0', async () => {
    for (const bandwidthMbps of [0, -8, Number.NaN, Number.POSITIVE_INFINITY]) {
      const started = startSimulator({ bandwidthMbps });
      await expect(started, String(bandwidthMbps)).rejects.toThrow(InvalidArgumentError);
      await expect(started, String(bandwidthMbps)).rejects.toThrow(/bandwidthMbps must be a number of Mbit\/s above 0/);
    }
    for (const value of ['0', '-8', 'NaN', 'fast']) {
      // Already interrupted: a simulator started by mistake stops at once, and the test fails instead of hanging.
      const r = await runCli(['mock-server', '--port', '0', `--bandwidth=${value}`], { interrupt: AbortSignal.abort() });
      expect(r.code, value).toBe(2);
      expect(r.stderr, value).toContain('--bandwidth must be a number > 0');
    }
  });

  it('mock-server --bandwidth shapes uploads', async () => {
    const port = await freePort();
    const stop = new AbortController();
    const running = runCli(['mock-server', '--port', String(port), '--bandwidth', '4'], { interrupt: stop.signal });
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100 && !(await listening(url)); i++) await pause(20);
    // 0.5 MB/s for 256 KB, less the 64 KB burst: 0.39 s at least.
    const [took, status] = await timed(() => upload(url));
    expect(status).toBe(200);
    expect(took).toBeGreaterThanOrEqual(0.3);
    stop.abort();
    const r = await running;
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('uploads at 4 Mbit/s in all');
  });
});

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function listening(url: string): Promise<boolean> {
  try {
    await (await request(`${url}/__simulator/stats`)).body.dump();
    return true;
  } catch {
    return false;
  }
}
