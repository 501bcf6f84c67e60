// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.adminjs/**', 'coverage/**', '.data/**', 'libs/core/src/database/migrations/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', fetch: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
      // Libraries through their public entry points only (issue 16): a deep path is an internal
      // file that may move or change in any release.
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'knex', message: 'Reach the database through MikroORM or the `pg` pool of the database module (rawQuery).' }],
          patterns: [
            { group: ['@nestjs/*/**'], message: 'Import NestJS from its package entry point, not an internal file.' },
            { group: ['@mikro-orm/*/**'], message: 'Import MikroORM from its package entry point, not an internal file.' },
            { group: ['knex/**'], message: 'Reach the database through MikroORM or the `pg` pool of the database module (rawQuery).' },
            { group: ['pg/**', 'express/lib/**', 'class-validator/*/**', 'class-transformer/*/**'], message: 'Import the package entry point, not an internal file.' },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'RequestContext', property: 'storage', message: "MikroORM's private storage: use RequestContext.create / RequestContext.getEntityManager." },
        { object: 'TransactionContext', property: 'storage', message: "MikroORM's private storage: use TransactionContext.getEntityManager." },
      ],
      'no-restricted-syntax': [
        'error',
        {
          // also through a cast: `(RequestContext as unknown as { storage: … }).storage`
          selector: "MemberExpression[property.name='storage'][object.type='TSAsExpression']:has(Identifier[name=/^(RequestContext|TransactionContext)$/])",
          message: "MikroORM's private storage: use RequestContext.create / RequestContext.getEntityManager.",
        },
        {
          // `em.getConnection().getKnex().client` (knex's private client and pool)
          selector: "MemberExpression[property.name='client'][object.type='CallExpression'][object.callee.property.name='getKnex']",
          message: "knex's client is private: use em.getConnection().execute() or the database module's pg pool (rawQuery).",
        },
        {
          selector: "MemberExpression[property.name='client'][object.type='Identifier'][object.name=/^knex$/i]",
          message: "knex's client is private: use em.getConnection().execute() or the database module's pg pool (rawQuery).",
        },
      ],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
