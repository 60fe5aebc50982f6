import { InvalidArgumentError } from './errors.js';

/** The reference's environments. The Trial host is the default: nobody pays for a mistaken first run. */
export const TRIAL_HOST = 'https://api-gw.sandbox.finos.asia';
export const PRODUCTION_HOST = 'https://apigw.finos.asia';

export function isLoopbackHostname(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/**
 * The one check of where requests may go, for the client and for settings alike: an http(s) URL without
 * credentials (they would be stored and listed in clear), query or fragment (lost when paths are appended), and
 * never a key over plain http, where anyone on the path can read it, except to loopback (the simulator, a local
 * gateway). Returns the URL; its path is a prefix for the API's paths, for gateways.
 */
export function checkApiBase(value: string, apiKey?: string): URL {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new InvalidArgumentError(`host "${value}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError(`host "${value}" must use http:// or https://`);
  // The message names the host only: repeating the value would print the credentials.
  if (url.username || url.password) throw new InvalidArgumentError(`host ${url.host} must not contain credentials`);
  if (url.search || url.hash) throw new InvalidArgumentError(`host "${value}" must not contain a query or a fragment`);
  if (apiKey && url.protocol === 'http:' && !isLoopbackHostname(url.hostname)) {
    throw new InvalidArgumentError(`refusing to send the API key over plain http to ${url.host}: use https (only loopback hosts may use http)`);
  }
  return url;
}

/** A checked base URL as text: origin and path prefix, without a trailing slash. */
export function apiBaseText(url: URL): string {
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}
