export * from './accounts.demo.js';
export * from './accounts.module.js';
export * from './accounts.seeder.js';
export * from './passwords/password-hasher.js';
export * from './tokens/auth-token.entity.js';
export * from './tokens/tokens.service.js';
export * from './users/user.entity.js';
