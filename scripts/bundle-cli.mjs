// Build step: the command line as a few bundled ES modules in dist/bundle/, which bin/finos-ekyc.js imports.
//
// Why: Node resolves, reads and compiles every module file on its own, and a call loaded ~300 of them (undici,
// zod, commander and ours): ~100 ms of a single call's start-up went there (`npm run bench`, and the README's
// Performance section). The library (dist/index.js) stays the plain tsc output, so programs that import it bundle
// it their own way. Imports made on demand (conf for `login`, the tables, the simulator) stay separate chunks,
// loaded only by the commands that need them.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

const outdir = new URL('../dist/bundle/', import.meta.url).pathname;
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [new URL('../src/cli/main.ts', import.meta.url).pathname],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Several dependencies are CommonJS and require() Node's own modules: give the bundle a real require.
  banner: { js: "import { createRequire as __finosCreateRequire } from 'node:module'; const require = __finosCreateRequire(import.meta.url);" },
  // The dependencies' licence comments are kept, at the end of each file.
  legalComments: 'eof',
  logLevel: 'warning',
  // Native addons (sharp, the OS keychain binding) and a 2 MB WebAssembly build (libheif): loaded from node_modules
  // by the code that needs them, never bundled into the start-up path. (`open`, bundled, runs the system's xdg-open.)
  external: ['sharp', 'heic-decode', '@napi-rs/keyring'],
});
