'use strict';
// What the command line takes from undici, in place of its index.js (scripts/bundle-cli.mjs maps 'undici' here):
// its dispatchers; src/api/http.ts calls dispatch() itself. index.js loads all of undici on start-up: fetch,
// WebSocket, EventSource, cookies, caches, mocks and their Node modules, ~140 ms of every call's start that our HTTP
// layer never uses. The paths below are resolved when we build, and the bundle carries the code: an undici upgrade
// that moves them fails `npm run build`.
module.exports = {
  Agent: require('undici/lib/dispatcher/agent'),
  // Only loaded when a proxy variable is set (src/api/http.ts).
  get EnvHttpProxyAgent() {
    // As index.js does: the proxy agent opens its tunnel with connect(), one of the calls it puts on dispatchers.
    Object.assign(require('undici/lib/dispatcher/dispatcher').prototype, require('undici/lib/api'));
    return require('undici/lib/dispatcher/env-http-proxy-agent');
  },
};
