import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * graphql-js and graphql-query-complexity as CommonJS, the build Nest's and Apollo's (CommonJS)
 * code loads: graphql-js refuses a schema "from another module or realm", and where ESM and
 * CommonJS instances are kept apart (Jest's ESM mode) an `import` would be such a realm.
 */
export const graphqlCjs = require('graphql') as typeof import('graphql');
export const complexityCjs =
  require('graphql-query-complexity') as typeof import('graphql-query-complexity');

/**
 * Apollo's "disabled" plugins, from the CommonJS build Nest's driver runs. Porch sets no
 * `@cacheControl` hints, so the cache-control plugin is off: installed (Apollo's default), it
 * wraps every field's resolver in a `willResolveField` hook, a cost on every field of every answer.
 */
export const apolloDisabledPlugins = require('@apollo/server/plugin/disabled') as typeof import(
  '@apollo/server/plugin/disabled',
  { with: { 'resolution-mode': 'require' } }
);
