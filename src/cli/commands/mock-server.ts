import type { Command } from 'commander';
import { parsePositiveNumber, parseWholeNumber } from '../globals.js';
import { flagsOf, type CommandContext } from '../context.js';

interface MockFlags {
  port: number;
  bind: string;
  latency?: number;
  apiKey?: string;
  rateLimit?: number;
  maxUpload?: number;
  bandwidth?: number;
}

export function registerMockServer(program: Command, ctx: CommandContext): void {
  program
    .command('mock-server')
    .description('run the built-in FinOS simulator until Ctrl-C (for tests, demos and CI)')
    .option('--port <n>', 'port to listen on (0: any free port)', parseWholeNumber('--port', 0, 65535), 8787)
    .option('--bind <address>', 'address to listen on', '127.0.0.1')
    .option('--latency <ms>', 'added to every response', parseWholeNumber('--latency', 0, 600_000))
    .option('--api-key <key>', 'answer 401 unless requests carry this key')
    .option('--rate-limit <n>', 'answer 429 over N requests per minute', parseWholeNumber('--rate-limit', 1, 1_000_000))
    .option('--max-upload <bytes>', 'answer 413 over this request size', parseWholeNumber('--max-upload', 1, Number.MAX_SAFE_INTEGER))
    .option('--bandwidth <Mbit/s>', 'read uploads at most this fast, all connections together (a branch office uplink)', parsePositiveNumber('--bandwidth'))
    .action((_o, cmd: Command) =>
      ctx.run(async () => {
        // The subcommand's own --api-key (the key the simulator demands) shadows the global one here.
        const f = { ...flagsOf<MockFlags>(cmd), ...cmd.opts<MockFlags>() };
        const { startSimulator } = await import('../../mock/index.js');
        const sim = await startSimulator({
          port: f.port,
          host: f.bind,
          ...(f.apiKey ? { apiKey: f.apiKey } : {}),
          ...(f.latency !== undefined ? { latencyMs: f.latency } : {}),
          ...(f.rateLimit ? { rateLimitPerMinute: f.rateLimit } : {}),
          ...(f.maxUpload ? { maxUploadBytes: f.maxUpload } : {}),
          ...(f.bandwidth ? { bandwidthMbps: f.bandwidth } : {}),
        });
        // The URL is the one result: on stdout, so a script can capture it; the rest is for people.
        ctx.io.stdout.write(`${sim.url}\n`);
        const shaped = f.bandwidth ? `, uploads at ${f.bandwidth} Mbit/s in all` : '';
        ctx.io.stderr.write(`FinOS simulator listening on ${sim.url} (Ctrl-C to stop${shaped})\n  try: finos-ekyc --host ${sim.url} --api-key ${f.apiKey ? '<that key>' : 'any'} ocr id <image>\n`);
        await new Promise<void>((resolve) => {
          if (ctx.io.interrupt?.aborted) resolve();
          ctx.io.interrupt?.addEventListener('abort', () => resolve(), { once: true });
        });
        await sim.close();
        return 0;
      }),
    );
}
