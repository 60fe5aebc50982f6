/** The reference's environments. The Trial host is the default: nobody pays for a mistaken first run. */
export const TRIAL_HOST = 'https://api-gw.sandbox.finos.asia';
export const PRODUCTION_HOST = 'https://apigw.finos.asia';

export function isLoopbackHostname(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/**
 * A key sent over plain http can be read by anyone on the path. Loopback is the one exception, because the
 * simulator and local gateways live there. Returns the reason to refuse, or undefined when it is safe.
 */
export function plainHttpKeyRisk(url: URL, hasKey: boolean): string | undefined {
  if (!hasKey || url.protocol !== 'http:' || isLoopbackHostname(url.hostname)) return undefined;
  return `refusing to send the API key over plain http to ${url.host}: use https (only loopback hosts may use http)`;
}
