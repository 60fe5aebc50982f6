'use strict';
// What the command line takes from undici, in place of its index.js (scripts/bundle-cli.mjs maps 'undici' here).
// index.js loads all of undici on start-up: fetch, WebSocket, EventSource, cookies, caches, mocks and their Node
// modules, ~140 ms of every call's start that our HTTP layer (src/api/http.ts) never uses. The paths below are
// resolved when we build, and the bundle carries the code: an undici upgrade that moves them fails `npm run build`.
const Dispatcher = require('undici/lib/dispatcher/dispatcher');
// As index.js does: request() and the other calls live on every dispatcher.
Object.assign(Dispatcher.prototype, require('undici/lib/api'));

module.exports = {
  Agent: require('undici/lib/dispatcher/agent'),
  // Only loaded when a proxy variable is set (src/api/http.ts).
  get EnvHttpProxyAgent() {
    return require('undici/lib/dispatcher/env-http-proxy-agent');
  },
};
