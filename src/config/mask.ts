/**
 * `abcd…wxyz` for keys of 12 characters or more. A shorter key would be mostly revealed by its ends, so it
 * is shown only as `••••`.
 */
export function maskKey(key: string): string {
  return key.length >= 12 ? `${key.slice(0, 4)}…${key.slice(-4)}` : '••••';
}
