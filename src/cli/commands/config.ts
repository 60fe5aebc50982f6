import type { Command } from 'commander';
import type { ProfileStore } from '../../config/profiles.js';
import { flagsOf, type CommandContext } from '../context.js';

/** Profiles live in conf: loaded only by these commands and by calls that need a key. */
async function openStore(ctx: CommandContext) {
  const profiles = await import('../../config/profiles.js');
  const store = await profiles.ProfileStore.open({ dir: ctx.io.env.FINOS_CONFIG_DIR || undefined });
  const profileOf = (cmd: Command): string => flagsOf<object>(cmd).profile || ctx.io.env.FINOS_PROFILE || store.currentProfile || profiles.DEFAULT_PROFILE;
  return { store, profileOf };
}

export function registerConfig(program: Command, ctx: CommandContext): void {
  program
    .command('login')
    .description('store an API key for a profile in the OS keychain (asks without echo; --with-key reads it from stdin)')
    .option('--with-key', 'read the key from standard input, e.g. `pass show finos | finos-ekyc login --with-key`')
    .option('--insecure-storage', 'keep the key in the profiles file (mode 0600) instead of the OS keychain')
    .action((_o, cmd: Command) =>
      ctx.run(async () => {
        const f = flagsOf<{ withKey?: boolean; insecureStorage?: boolean }>(cmd);
        const { store, profileOf } = await openStore(ctx);
        const profile = profileOf(cmd);
        const key = f.withKey ? await readAll(ctx.io.stdin) : await askForKey(ctx, profile);
        if (!key) {
          const { InvalidArgumentError } = await import('../../api/errors.js');
          throw new InvalidArgumentError('no key given');
        }
        await saveAndSay(ctx, store, profile, key, { insecure: Boolean(f.insecureStorage) });
        if (f.host) store.set(profile, 'host', f.host);
        return 0;
      }),
    );

  program
    .command('logout')
    .description('remove the API key of a profile, from the OS keychain or the profiles file')
    .action((_o, cmd: Command) =>
      ctx.run(async () => {
        const { store, profileOf } = await openStore(ctx);
        const profile = profileOf(cmd);
        const { removeKey } = await import('../../config/keys.js');
        const removedFrom = await removeKey(store, profile);
        ctx.io.stderr.write(
          removedFrom === undefined
            ? `profile "${profile}" has no stored key\n`
            : `removed the key of profile "${profile}" from ${removedFrom === 'keychain' ? 'the OS keychain' : store.path}\n`,
        );
        return 0;
      }),
    );

  const config = program
    .command('config')
    .description('profiles: host, key and defaults (keys: host, apiKey, threshold, timeout, retries)');

  config
    .command('list')
    .description('every profile, keys masked, and where each key is kept (keychain, file)')
    .action((_o, cmd: Command) =>
      ctx.run(async () => {
        const { store } = await openStore(ctx);
        const { listProfiles } = await import('../../config/keys.js');
        const profiles = await listProfiles(store);
        const envKey = ctx.io.env.FINOS_API_KEY;
        if (envKey) {
          const { maskKey } = await import('../../config/mask.js');
          ctx.io.stderr.write(`FINOS_API_KEY is set (${maskKey(envKey)}, env): calls use it instead of these profiles' keys\n`);
        }
        if (flagsOf<object>(cmd).json || flagsOf<object>(cmd).output === 'json') {
          ctx.io.stdout.write(JSON.stringify(profiles, null, 2) + '\n');
          return 0;
        }
        if (!profiles.length) ctx.io.stderr.write('no profiles yet: run `finos-ekyc login`\n');
        // A hand-edited file can hold any text: nothing from it reaches the terminal unescaped.
        const { terminalSafe } = await import('../../ui/safe-text.js');
        for (const p of profiles) {
          ctx.io.stdout.write(`${p.current ? '*' : ' '} ${terminalSafe(p.name)}\n`);
          if (p.apiKeyError) ctx.io.stdout.write(`    apiKey = ? (keychain: ${terminalSafe(p.apiKeyError)})\n`);
          for (const [k, v] of Object.entries(p.settings)) {
            const where = k === 'apiKey' ? ` (${p.apiKeyIn})` : '';
            ctx.io.stdout.write(`    ${terminalSafe(k)} = ${terminalSafe(String(v))}${where}\n`);
          }
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
        const profile = profileOf(cmd);
        if (key !== 'apiKey') {
          const value = store.get(profile, key);
          if (value === undefined) return 1;
          ctx.io.stdout.write(`${String(value)}\n`);
          return 0;
        }
        const { storedKey } = await import('../../config/keys.js');
        const apiKey = await storedKey(store, profile);
        if (apiKey === undefined) return 1;
        const { maskKey } = await import('../../config/mask.js');
        ctx.io.stdout.write(`${maskKey(apiKey)}\n`);
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
        if (key === 'apiKey') {
          await saveAndSay(ctx, store, profile, value);
          return 0;
        }
        store.set(profile, key, value);
        ctx.io.stderr.write(`set ${key} in profile "${profile}"\n`);
        return 0;
      }),
    );

  config
    .command('unset')
    .description('remove one setting from the profile (apiKey: as `logout`)')
    .argument('<key>')
    .action((key: string, _o, cmd: Command) =>
      ctx.run(async () => {
        const { store, profileOf } = await openStore(ctx);
        const profile = profileOf(cmd);
        if (key === 'apiKey') {
          const { removeKey } = await import('../../config/keys.js');
          await removeKey(store, profile);
        } else {
          store.unset(profile, key);
        }
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

/** Saves the key (keychain first) and says where it went; when no keychain could take it, says so once and how to get one. */
async function saveAndSay(ctx: CommandContext, store: ProfileStore, profile: string, key: string, opts: { insecure?: boolean } = {}): Promise<void> {
  const [{ saveKey }, { maskKey }, { KEYCHAIN_SERVICE }] = await Promise.all([
    import('../../config/keys.js'),
    import('../../config/mask.js'),
    import('../../config/keychain.js'),
  ]);
  const saved = await saveKey(store, profile, key, opts);
  const masked = maskKey(key.trim());
  if (saved.place === 'keychain') {
    ctx.io.stderr.write(`saved key ${masked} for profile "${profile}" in the OS keychain (service ${KEYCHAIN_SERVICE}, account ${profile}); ${store.path} refers to it\n`);
    return;
  }
  if (saved.why === 'no-keychain') {
    ctx.io.stderr.write(
      `note: no OS keychain (${saved.keychainError.reason}), so the key goes to the profiles file: to use one, ${keychainHelp()} and run \`finos-ekyc login\` again; \`login --insecure-storage\` chooses the file without trying\n`,
    );
  } else if (saved.oldKeyLeft) {
    ctx.io.stderr.write(`note: the previous key stays in the OS keychain (${saved.oldKeyLeft.reason}): delete service ${KEYCHAIN_SERVICE}, account ${profile} there\n`);
  }
  ctx.io.stderr.write(`saved key ${masked} to profile "${profile}" in ${store.path} (mode 0600)\n`);
}

/** What gives this machine a keychain, for the note when none could take a key. */
function keychainHelp(): string {
  if (process.platform === 'linux') return 'start a Secret Service (gnome-keyring, KWallet or KeePassXC) on the session D-Bus';
  return 'unlock the OS keychain';
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
