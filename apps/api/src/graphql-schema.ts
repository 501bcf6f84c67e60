import './preload.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { REPO_ROOT } from '#porch/core';
import { SCHEMA_RESOLVERS } from '#porch/graphql';

/**
 * Writes the GraphQL schema (code-first, from the resolvers) to `schema.graphql`, or with
 * --check fails when the committed one differs, as `npm run openapi` does for REST. No database.
 */
async function main(): Promise<void> {
  const app = await NestFactory.create(GraphQLSchemaBuilderModule, { logger: false });
  await app.init();
  const schema = await app.get(GraphQLSchemaFactory).create(SCHEMA_RESOLVERS);
  const text = printSchema(lexicographicSortSchema(schema)) + '\n';
  await app.close();
  const file = join(REPO_ROOT, 'schema.graphql');
  if (process.argv.includes('--check')) {
    let committed = '';
    try {
      committed = readFileSync(file, 'utf8');
    } catch {
      /* missing counts as stale */
    }
    if (committed !== text) {
      console.error(
        'schema.graphql is stale: run `npm run build && npm run graphql:schema` and commit it.',
      );
      process.exit(1);
    }
    console.log('schema.graphql is current.');
  } else {
    writeFileSync(file, text);
    console.log(`wrote ${file}`);
  }
  process.exit(0);
}

void main();
