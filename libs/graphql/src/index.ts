export * from './context.js';
export * from './errors.js';
export * from './graphql.module.js';
export * from './graphql.options.js';
export * from './loaders.js';
