import { Chalk } from 'chalk';
import type { ChalkInstance, ColorSupportLevel } from 'chalk';

export type Colors = ChalkInstance;

/**
 * The colour level for one output stream. Decided here rather than by chalk's own detection, because chalk looks
 * at process.stdout and ignores NO_COLOR, while we render for stdout and stderr separately and must honour it.
 * Order: `--no-color` > NO_COLOR > FORCE_COLOR > whether the stream is a terminal. FORCE_COLOR only overrides the
 * terminal test (CI logs, `| less -R`); it never beats an explicit request for no colour.
 */
function colorLevel(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, flag?: boolean): ColorSupportLevel {
  if (flag === false || env.NO_COLOR) return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '' || force === 'true') return 1;
    if (force === '0' || force === 'false') return 0;
    if (force === '1' || force === '2' || force === '3') return Number(force) as ColorSupportLevel;
  }
  if (!stream.isTTY || env.TERM === 'dumb') return 0;
  if (env.COLORTERM === 'truecolor' || env.COLORTERM === '24bit') return 3;
  return env.TERM?.includes('256') ? 2 : 1;
}

export function colorsFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, flag?: boolean): Colors {
  return new Chalk({ level: colorLevel(stream, env, flag) });
}
