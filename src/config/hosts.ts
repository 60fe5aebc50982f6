import { InvalidArgumentError } from '../api/errors.js';
import { PRODUCTION_HOST, TRIAL_HOST, apiBaseText, checkApiBase } from '../api/hosts.js';

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
  if (!URL.canParse(v)) throw new InvalidArgumentError(`host "${value}" is not a URL or one of: ${[...BUILT_IN_HOSTS.keys()].join(', ')}`);
  return apiBaseText(checkApiBase(v));
}
