import type { IdeExample } from './examples';

/** What the page hands to the boot script, as a JSON data block (never executed). */
export interface IdePageConfig {
  /** Same-origin path of the GraphQL endpoint (HTTP and graphql-ws). */
  endpoint: string;
  tabs: Array<{ query: string; variables: string | null; headers: string | null }>;
  /** Headers editor contents for tabs the user opens. */
  defaultHeaders: string;
}

export interface IdePageAssets {
  css: string;
  scripts: string[];
}

/** Runs in the browser after React, ReactDOM and GraphiQL (UMD globals) have loaded. */
export const BOOT_SCRIPT = `(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('ide-config').textContent);
  var wsScheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  // GraphiQL 4.1.2 opens graphql-ws with connectionParams = { ...wsConnectionParams, ...headers }:
  // header names are lower-cased so the headers editor's "Authorization" reaches the server's
  // onConnect as connectionParams.authorization (HTTP header names are case-insensitive anyway).
  var base = GraphiQL.createFetcher({
    url: config.endpoint,
    subscriptionUrl: wsScheme + '//' + location.host + config.endpoint,
    wsConnectionParams: {},
  });
  function fetcher(params, opts) {
    var given = (opts && opts.headers) || {};
    var headers = {};
    Object.keys(given).forEach(function (name) {
      headers[name.toLowerCase()] = given[name];
    });
    return base(params, Object.assign({}, opts, { headers: headers }));
  }
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultTabs: config.tabs,
      defaultHeaders: config.defaultHeaders,
      defaultEditorToolsVisibility: 'headers',
      shouldPersistHeaders: false,
    }),
  );
})();
`;

/** JSON that is safe inside a <script> element: no `<`, so no `</script>` or `<!--`. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function ideConfig(
  endpoint: string,
  examples: readonly IdeExample[],
  token: string | null,
): IdePageConfig {
  const headers = token ? JSON.stringify({ Authorization: `Bearer ${token}` }, null, 2) : '{}';
  return {
    endpoint,
    tabs: examples.map((e) => ({ query: e.query, variables: e.variables ?? null, headers })),
    defaultHeaders: headers,
  };
}

export function renderIdePage(config: IdePageConfig, assets: IdePageAssets): string {
  const scripts = assets.scripts.map((src) => `    <script src="${src}"></script>`).join('\n');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="referrer" content="no-referrer" />
    <title>Countersign GraphQL IDE</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="${assets.css}" />
    <style>
      html, body, #graphiql { height: 100%; margin: 0; }
    </style>
  </head>
  <body>
    <div id="graphiql">Loading the GraphQL IDE…</div>
    <script type="application/json" id="ide-config">${scriptSafeJson(config)}</script>
${scripts}
  </body>
</html>
`;
}
