import type { Command } from 'commander';
import { flagsOf, type CommandContext } from '../context.js';

/** Profiles live in conf: loaded only by these commands and by calls that need a key. */
async function openStore(ctx: CommandContext) {
  const { ProfileStore, DEFAULT_PROFILE } = await import('../../config/profiles.js');
  const store = await ProfileStore.open({ dir: ctx.io.env.FINOS_CONFIG_DIR || undefined });
  const profileOf = (cmd: Command): string => flagsOf<object>(cmd).profile || ctx.io.env.FINOS_PROFILE || store.currentProfile || DEFAULT_PROFILE;
  return { store, profileOf };
}

export function registerConfig(program: Command, ctx: CommandContext): void {
  program
    .command('login')
    .description('store an API key in a profile (asks without echo; --with-key reads it from stdin)')
    .option('--with-key', 'read the key from standard input, e.g. `pass show finos | finos-ekyc login --with-key`')
    .action((_o, cmd: Command) =>
      ctx.run(async () => {
        const f = flagsOf<{ withKey?: boolean }>(cmd);
        const { store, profileOf } = await openStore(ctx);
        const profile = profileOf(cmd);
        const key = f.withKey ? await readAll(ctx.io.stdin) : await askForKey(ctx, profile);
        if (!key) {
          const { InvalidArgumentError } = await import('../../api/errors.js');
          throw new InvalidArgumentError('no key given');
        }
        store.setApiKey(profile, key);
        if (f.host) store.set(profile, 'host', f.host);
        const { maskKey } = await import('../../config/mask.js');
        ctx.io.stderr.write(`saved key ${maskKey(key)} to profile "${profile}" (${store.path})\n`);
        return 0;
      }),
    );

  program
    .command('logout')
    .description("remove the stored API key from a profile")
    .action((_o, cmd: Command) =>
      ctx.run(async () => {
        const { store, profileOf } = await openStore(ctx);
        const profile = profileOf(cmd);
        const removed = store.unset(profile, 'apiKey');
        ctx.io.stderr.write(removed ? `removed the key from profile "${profile}"\n` : `profile "${profile}" has no stored key\n`);
        return 0;
      }),
    );

  const config = program
    .command('config')
    .description('profiles: host, key and defaults (keys: host, apiKey, threshold, timeout, retries)');

  config
    .command('list')
    .description('every profile, keys masked')
    .action((_o, cmd: Command) =>
      ctx.run(async () => {
        const { store } = await openStore(ctx);
        const profiles = store.list();
        if (flagsOf<object>(cmd).json || flagsOf<object>(cmd).output === 'json') {
          ctx.io.stdout.write(JSON.stringify(profiles, null, 2) + '\n');
          return 0;
        }
        if (!profiles.length) ctx.io.stderr.write('no profiles yet: run `finos-ekyc login`\n');
        for (const p of profiles) {
          ctx.io.stdout.write(`${p.current ? '*' : ' '} ${p.name}\n`);
          for (const [k, v] of Object.entries(p.settings)) ctx.io.stdout.write(`    ${k} = ${String(v)}\n`);
        }
        return 0;
      }),
    );

  config
    .command('get')
    .description('print one setting of the profile (apiKey is printed masked)')
    .argument('<key>')
    .action((key: string, _o, cmd: Command) =>
      ctx.run(async () => {
        const { store, profileOf } = await openStore(ctx);
        const settings: typeof import('../../config/settings.js') = await import('../../config/settings.js');
        settings.assertSettingKey(key);
        const value = store.get(profileOf(cmd), key);
        if (value === undefined) return 1;
        const { maskKey } = await import('../../config/mask.js');
        ctx.io.stdout.write(`${key === 'apiKey' ? maskKey(String(value)) : String(value)}\n`);
        return 0;
      }),
    );

  config
    .command('set')
    .description('set one setting of the profile (prefer `login` for the key: a key typed here stays in shell history)')
    .argument('<key>')
    .argument('<value>')
    .action((key: string, value: string, _o, cmd: Command) =>
      ctx.run(async () => {
        const { store, profileOf } = await openStore(ctx);
        const profile = profileOf(cmd);
        store.set(profile, key, value);
        ctx.io.stderr.write(`set ${key} in profile "${profile}"\n`);
        return 0;
      }),
    );

  config
    .command('unset')
    .description('remove one setting from the profile')
    .argument('<key>')
    .action((key: string, _o, cmd: Command) =>
      ctx.run(async () => {
        const { store, profileOf } = await openStore(ctx);
        store.unset(profileOf(cmd), key);
        return 0;
      }),
    );

  config
    .command('use')
    .description('make a profile the current one')
    .argument('<profile>')
    .action((profile: string) =>
      ctx.run(async () => {
        const { store } = await openStore(ctx);
        store.setCurrentProfile(profile);
        ctx.io.stderr.write(`current profile: ${profile}\n`);
        return 0;
      }),
    );

  config
    .command('path')
    .description('where profiles are stored')
    .action(() =>
      ctx.run(async () => {
        const { store } = await openStore(ctx);
        ctx.io.stdout.write(`${store.path}\n`);
        return 0;
      }),
    );
}

async function askForKey(ctx: CommandContext, profile: string): Promise<string> {
  if (!ctx.io.stdin.isTTY || !ctx.io.readSecret) {
    const { InvalidArgumentError } = await import('../../api/errors.js');
    throw new InvalidArgumentError('not a terminal: pipe the key in with `finos-ekyc login --with-key`');
  }
  return ctx.io.readSecret(`API key for profile "${profile}": `);
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text.trim();
}
