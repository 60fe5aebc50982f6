/**
 * Characters a terminal acts on instead of showing: C0 controls (ESC starts CSI and OSC sequences, OSC 8 links
 * and OSC 52 clipboard writes among them; CR and backspace overwrite what is on screen), DEL, C1 controls (U+009B
 * is a one-byte CSI) and the bidi embeddings, overrides and isolates that reorder what is shown (Trojan Source).
 * CSV cells drop the same characters (src/ui/records.ts).
 */
// eslint-disable-next-line no-control-regex
export const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b' };

function escaped(c: string): string {
  const code = c.charCodeAt(0);
  return SHORT[c] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/**
 * Any text from outside (API answers, OCR'd fields, file names, manifests) made safe to print: each unsafe
 * character is shown as its escape (`\x1b`, `\r`, `\u202e`) and never interpreted. Printable text, Vietnamese
 * included, is untouched. `multiline` keeps line feeds, for text rendered on several lines on purpose (a stack).
 */
export function terminalSafe(text: string, { multiline = false }: { multiline?: boolean } = {}): string {
  return text.replace(UNSAFE_CHARS, (c) => (multiline && c === '\n' ? c : escaped(c)));
}
