import type { ImageFacts, Preparation } from '../api/image.js';
import { terminalSafe } from './safe-text.js';

const size = (n: number): string => (n < 1024 * 1024 ? `${Math.round(n / 1024)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);
const facts = (f: ImageFacts): string => `${f.format.toUpperCase()}${f.width && f.height ? ` ${f.width}×${f.height}` : ''} ${size(f.bytes)}`;

/**
 * `prepared: HEIC 4032×3024 5.1 MB → JPEG 2048×1536 480 KB`, one line per changed image (a pair names its field).
 * Taken from a record (`unknown`), so escaped like every other line that reaches a terminal.
 */
export function preparedLines(prepared: unknown): string {
  const list = (Array.isArray(prepared) ? prepared : prepared ? [prepared] : []) as (Preparation & { field?: string })[];
  return list.map((p) => `${terminalSafe(`prepared${p.field ? ` (${p.field})` : ''}: ${facts(p.from)} → ${facts(p.to)}`)}\n`).join('');
}
