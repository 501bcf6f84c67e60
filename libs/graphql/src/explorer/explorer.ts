import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/** Where the page's assets come from: files of the installed (pinned) packages, no CDN. */
const ASSETS: Record<string, { file: string; type: string }> = {
  'react.js': {
    file: join(packageDir('react'), 'umd/react.production.min.js'),
    type: 'text/javascript',
  },
  'react-dom.js': {
    file: join(packageDir('react-dom'), 'umd/react-dom.production.min.js'),
    type: 'text/javascript',
  },
  'graphiql.js': { file: join(packageDir('graphiql'), 'graphiql.min.js'), type: 'text/javascript' },
  'graphiql.css': { file: join(packageDir('graphiql'), 'graphiql.min.css'), type: 'text/css' },
};

/** Where the assets are served, under the GraphQL path. */
export const EXPLORER_ASSETS = '/explorer/';

/**
 * Starts GraphiQL against this endpoint. A file rather than an inline script, so the page runs
 * under the API's strict Content-Security-Policy (script-src 'self') unchanged.
 */
const BOOT = `(function () {
  var url = location.pathname.replace(/\\/+$/, '') || '/graphql';
  var fetcher = GraphiQL.createFetcher({ url: url });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultHeaders: JSON.stringify({ Authorization: 'Bearer <access token>' }, null, 2),
      defaultEditorToolsVisibility: true,
    }),
  );
})();
`;

const page = (base: string) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Porch GraphQL explorer</title>
    <link rel="stylesheet" href="${base}${EXPLORER_ASSETS}graphiql.css" />
    <link rel="stylesheet" href="${base}${EXPLORER_ASSETS}page.css" />
  </head>
  <body>
    <div id="graphiql">Loading the GraphQL explorer…</div>
    <script src="${base}${EXPLORER_ASSETS}react.js"></script>
    <script src="${base}${EXPLORER_ASSETS}react-dom.js"></script>
    <script src="${base}${EXPLORER_ASSETS}graphiql.js"></script>
    <script src="${base}${EXPLORER_ASSETS}boot.js"></script>
  </body>
</html>
`;
const PAGE_CSS = 'html, body, #graphiql { height: 100%; margin: 0; }\n';

/** A browser asking for a page (Accept prefers text/html), not a GET query. */
function wantsPage(req: Request): boolean {
  if (req.query.query !== undefined || req.query.extensions !== undefined) return false;
  return req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) ===
    'text/html'
    ? true
    : false;
}

/**
 * GraphiQL at `GET <path>` for a browser (GRAPHQL_EXPLORER; on by default outside production),
 * mounted on the GraphQL path in front of Apollo: every other request (queries by GET or POST)
 * passes on. It works offline: React, ReactDOM and GraphiQL are read from node_modules.
 */
export function graphqlExplorer(path: string): Router {
  const router = express.Router();
  router.get('/', (req: Request, res: Response, next: NextFunction) => {
    if (!wantsPage(req)) return next();
    res.type('html').set('Cache-Control', 'no-cache').send(page(path));
  });
  router.get(`${EXPLORER_ASSETS}:name`, (req: Request, res: Response, next: NextFunction) => {
    const name = req.params.name as string;
    res.set('Cache-Control', 'public, max-age=3600');
    if (name === 'boot.js') return void res.type('text/javascript').send(BOOT);
    if (name === 'page.css') return void res.type('text/css').send(PAGE_CSS);
    const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    if (!asset) return next();
    res.type(asset.type).sendFile(asset.file, (error) => error && next(error));
  });
  return router;
}
