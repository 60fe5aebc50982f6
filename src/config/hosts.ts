import { InvalidArgumentError } from '../api/errors.js';
import { PRODUCTION_HOST, TRIAL_HOST } from '../api/hosts.js';

/** Names a user can type instead of a URL (`--host production`). The reference calls the sandbox "Trial". */
export const BUILT_IN_HOSTS: ReadonlyMap<string, string> = new Map([
  ['sandbox', TRIAL_HOST],
  ['production', PRODUCTION_HOST],
]);

export const DEFAULT_HOST = TRIAL_HOST;

/** A built-in name or an http(s) URL, as a base URL without a trailing slash (a path prefix is kept, for gateways). */
export function resolveHost(value: string): string {
  const v = value.trim();
  const builtIn = BUILT_IN_HOSTS.get(v.toLowerCase());
  if (builtIn) return builtIn;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new InvalidArgumentError(`host "${value}" is not a URL or one of: ${[...BUILT_IN_HOSTS.keys()].join(', ')}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError(`host "${value}" must use http:// or https://`);
  // Credentials would be stored and listed in clear (so the message does not repeat the value); a query or
  // fragment would be lost when paths are appended.
  if (url.username || url.password) throw new InvalidArgumentError(`host ${url.host} must not contain credentials`);
  if (url.search || url.hash) throw new InvalidArgumentError(`host "${value}" must not contain a query or a fragment`);
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}
