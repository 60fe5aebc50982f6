/**
 * Text from the API (or read off an image) goes to a terminal: control characters, which include newlines and
 * the escape that starts a terminal command, become spaces. Printable text, Vietnamese included, is untouched.
 */
export function clean(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
}
