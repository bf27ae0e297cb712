import Module from 'node:module';
import path from 'node:path';

/**
 * PostGraphile v4 runs on graphql 15; the product on graphql 16. npm nests graphql 15 in two
 * places of PostGraphile's tree and leaves one of its packages on the top-level 16, and graphql
 * refuses types from "another module or realm". So every `graphql` import from inside
 * PostGraphile's packages resolves to the one copy under postgraphile/ (bench only; the product
 * never loads these packages). Import this module before 'postgraphile'.
 */
const root = path.dirname(require.resolve('postgraphile/package.json'));
const modules = path.dirname(root);
const graphql15 = path.join(root, 'node_modules', 'graphql');
const PEER_PACKAGES = ['postgraphile', 'graphile-build-pg', 'graphql-parse-resolve-info'].map(
  (name) => path.join(modules, name) + path.sep,
);

type Resolve = (
  request: string,
  parent: { filename?: string } | null,
  ...rest: unknown[]
) => string;
const internals = Module as unknown as { _resolveFilename: Resolve };
const resolve = internals._resolveFilename;
internals._resolveFilename = (request, parent, ...rest) => {
  const from = parent?.filename ?? '';
  if (
    (request === 'graphql' || request.startsWith('graphql/')) &&
    PEER_PACKAGES.some((dir) => from.startsWith(dir))
  ) {
    return resolve(request.replace(/^graphql/, graphql15), parent, ...rest);
  }
  return resolve(request, parent, ...rest);
};
