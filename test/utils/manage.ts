import { existsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import type { DynamicModule, INestApplicationContext, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { CommandRunner } from 'nest-commander';
import pg from 'pg';
import { REPO_ROOT } from '#porch/core';
import { Terminal } from '../../apps/manage/src/commands/terminal.js';
import { ManageModule } from '../../apps/manage/src/manage.module.js';
import { createTestDatabase } from './database.js';

export interface ManageApp {
  app: INestApplicationContext;
  orm: MikroORM;
  databaseUrl: string;
  /** Runs a command in-process as the CLI would after parsing; returns what it printed. */
  run<O extends object>(
    command: Type<CommandRunner>,
    args?: string[],
    options?: O,
  ): Promise<string>;
  /** One SQL query on this database. */
  query<R extends pg.QueryResultRow = Record<string, unknown>>(
    sql: string,
    values?: unknown[],
  ): Promise<R[]>;
  close(): Promise<void>;
}

/** Collects what `fn` writes to stdout (commands write there directly, not through console). */
export async function captureStdout(fn: () => Promise<void>): Promise<string> {
  const original = process.stdout.write.bind(process.stdout);
  let text = '';
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const done = rest.find((r): r is () => void => typeof r === 'function');
    done?.();
    return true;
  }) as typeof process.stdout.write;
  try {
    await fn();
    return text;
  } finally {
    process.stdout.write = original;
  }
}

export async function query<R extends pg.QueryResultRow>(
  url: string,
  sql: string,
  values: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

/**
 * The manage CLI's module on a database of its own (a migrated clone unless a URL is given),
 * started like the CLI starts it, minus argument parsing.
 */
export async function createManageApp(
  options: {
    databaseUrl?: string;
    env?: Record<string, string>;
    /** Extra modules beside the real ones (e.g. a probe seeder). */
    modules?: Array<Type<unknown> | DynamicModule>;
  } = {},
): Promise<ManageApp> {
  const db = options.databaseUrl ? undefined : await createTestDatabase();
  const url = options.databaseUrl ?? db!.url;
  const saved = { ...process.env };
  Object.assign(process.env, { DATABASE_URL: url, MIGRATE_ON_START: 'false' }, options.env);
  try {
    // nest-commander provides InquirerService only when it runs the CLI: no prompts in tests.
    const moduleRef = await Test.createTestingModule({
      imports: [ManageModule, ...(options.modules ?? [])],
    })
      .overrideProvider(Terminal)
      .useValue({ interactive: false })
      .compile();
    const app = await moduleRef.init();
    return {
      app,
      orm: app.get(MikroORM),
      databaseUrl: url,
      run: (command, args = [], opts = {} as never) =>
        captureStdout(() => app.get(command).run(args, opts as Record<string, unknown>)),
      query: (sql, values) => query(url, sql, values),
      close: async () => {
        await app.close();
        await db?.drop();
      },
    };
  } finally {
    process.env = saved;
  }
}

export const CLI = join(REPO_ROOT, 'dist/apps/manage/src/main.js');
/** The built CLI exists (`npm run build`, which CI runs before the tests). */
export const cliBuilt = existsSync(CLI);

/** Runs the built CLI as a user would: `node dist/apps/manage/src/main.js …`. */
export function spawnCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, LOG_LEVEL: 'silent', DEMO_DATA: 'false', ...env },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 120_000,
      },
      (error, stdout, stderr) =>
        done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}
