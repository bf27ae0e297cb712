import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type express from 'express';
import { ideExamples } from './ide/examples';
import type { SeededIds } from './ide/seeded-ids';
import { BOOT_SCRIPT, ideConfig, renderIdePage } from './ide/page';

export interface GraphiqlOptions {
  /** Dev token prefilled in the Authorization header (never in production). */
  defaultToken: string | null;
  /** Examples opened as tabs, given the seller's ids; defaults to ./ide/examples. */
  examples?: typeof ideExamples;
  /** The IDE seller's ids, read when the page is served (none: the tabs say where to get them). */
  seededIds?: () => Promise<SeededIds>;
}

const ENDPOINT = '/graphql';
const ASSET_ROOT = '/graphql/ide';
const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

interface Asset {
  type: string;
  /** Absolute file path under node_modules, or the body itself. */
  file?: string;
  body?: string;
}

/** Package root from its package.json: `exports` blocks deep require.resolve of the UMD files. */
function packageDir(name: string): { dir: string; version: string } {
  const manifest = require.resolve(`${name}/package.json`);
  const { version } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string };
  return { dir: path.dirname(manifest), version };
}

/** Asset URLs carry the package version (or a content hash), so they can be cached for a year. */
function buildAssets(): { byPath: Map<string, Asset>; css: string; scripts: string[] } {
  const react = packageDir('react');
  const reactDom = packageDir('react-dom');
  const graphiql = packageDir('graphiql');
  const bootHash = createHash('sha256').update(BOOT_SCRIPT).digest('hex').slice(0, 12);
  const entries: Array<[string, Asset]> = [
    [
      `/react@${react.version}/react.production.min.js`,
      { type: JS, file: path.join(react.dir, 'umd', 'react.production.min.js') },
    ],
    [
      `/react-dom@${reactDom.version}/react-dom.production.min.js`,
      { type: JS, file: path.join(reactDom.dir, 'umd', 'react-dom.production.min.js') },
    ],
    [
      `/graphiql@${graphiql.version}/graphiql.min.js`,
      { type: JS, file: path.join(graphiql.dir, 'graphiql.min.js') },
    ],
    [
      `/graphiql@${graphiql.version}/graphiql.min.css`,
      { type: CSS, file: path.join(graphiql.dir, 'graphiql.min.css') },
    ],
    [`/boot.${bootHash}.js`, { type: JS, body: BOOT_SCRIPT }],
  ];
  for (const [, asset] of entries) {
    if (asset.file && !fs.existsSync(asset.file))
      throw new Error(`IDE asset missing: ${asset.file}`);
  }
  const urls = entries.map(([p]) => ASSET_ROOT + p);
  return {
    byPath: new Map(entries),
    css: urls.find((u) => u.endsWith('.css')) as string,
    scripts: urls.filter((u) => u.endsWith('.js')),
  };
}

/** Same-host WebSocket origins for connect-src, when the Host header is a plain host[:port]. */
function wsSources(host: string | undefined): string {
  if (!host || !/^([a-z0-9.-]+|\[[0-9a-f:.]+\])(:\d{1,5})?$/i.test(host)) return '';
  return ` ws://${host} wss://${host}`;
}

function contentSecurityPolicy(host: string | undefined): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // GraphiQL and CodeMirror set inline styles; fonts and icons are data: URIs in graphiql.min.css.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self'${wsSources(host)}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Serves GraphiQL (from node_modules only: no CDN) on browser GETs of /graphql; any other GET of
 * /graphql goes on to Apollo. Mount before the GraphQL middleware, and outside production only.
 */
export function mountGraphiql(app: express.Express, options: GraphiqlOptions): void {
  const assets = buildAssets();

  app.use(ASSET_ROOT, (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const asset = assets.byPath.get(req.path);
    if (!asset) {
      res.status(404).type('text/plain').send('Not found');
      return;
    }
    res.setHeader('Content-Type', asset.type);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (asset.body !== undefined) {
      res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
      res.send(asset.body);
      return;
    }
    res.sendFile(asset.file as string, { maxAge: '365d', immutable: true }, (error) => {
      if (error && !res.headersSent) next(error);
    });
  });

  app.get(ENDPOINT, async (req, res, next) => {
    res.vary('Accept');
    const wanted = req.accepts([
      'application/graphql-response+json',
      'application/json',
      'text/html',
    ]);
    if (wanted !== 'text/html') return next();
    const ids = (await options.seededIds?.().catch(() => ({}))) ?? {};
    const examples = (options.examples ?? ideExamples)(ids);
    const config = ideConfig(ENDPOINT, examples, options.defaultToken);
    res
      .status(200)
      .set({
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': contentSecurityPolicy(req.headers.host),
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        'X-Frame-Options': 'DENY',
        'Referrer-Policy': 'no-referrer',
      })
      .send(renderIdePage(config, { css: assets.css, scripts: assets.scripts }));
  });
}
