import { createWriteStream, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { MikroORM } from '@mikro-orm/postgresql';
import { Inject } from '@nestjs/common';
import { Command, CommandRunner, Option } from 'nest-commander';
import { DatabaseServer } from '#porch/core';
import { entityTables, selectTables } from '../model/entity-tables.js';
import { dumpRecords } from '../model/fixtures-dump.js';
import { loadRecords } from '../model/fixtures-load.js';
import { connect } from '../model/fixtures.js';
import { say } from '../output.js';
import { parseNonNegativeInt } from './options.js';

interface DumpDataOptions {
  includeSecrets?: boolean;
  natural?: boolean;
  indent?: number;
  output?: string;
}

async function write(stream: Writable, chunk: string): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}

@Command({
  name: 'dumpdata',
  arguments: '[entities...]',
  description:
    'Write rows as a JSON fixture ({ model, pk, fields }, Django style) to stdout: all entities, or those named (class or table name)',
})
export class DumpDataCommand extends CommandRunner {
  constructor(
    private readonly orm: MikroORM,
    @Inject(DatabaseServer) private readonly server: DatabaseServer,
  ) {
    super();
  }

  async run(names: string[], options: DumpDataOptions): Promise<void> {
    const all = entityTables(this.orm.getMetadata());
    const chosen = selectTables(all, names);
    const secret = chosen.filter((t) => t.secret).map((t) => t.name);
    if (names.length && secret.length && !options.includeSecrets) {
      throw new Error(`${secret.join(', ')} hold(s) secrets: add --include-secrets to dump them.`);
    }
    const tables = options.includeSecrets ? chosen : chosen.filter((t) => !t.secret);
    const indent = options.indent ?? 0;
    // Opened synchronously, so a bad path fails here with its message.
    const out = options.output
      ? createWriteStream('', { fd: openSync(options.output, 'w') })
      : process.stdout;
    // `dumpdata | head`: the reader left; that is not an error.
    const onError = (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(0);
    };
    if (out === process.stdout) out.on('error', onError);
    const client = await connect(this.server.url);
    try {
      let first = true;
      await write(out, '[');
      for await (const record of dumpRecords(client, tables, all, {
        includeSecrets: !!options.includeSecrets,
        natural: !!options.natural,
      })) {
        // One record per line by default: diffable, streamable, still one JSON document.
        const json = indent
          ? JSON.stringify(record, null, indent).replaceAll('\n', `\n${' '.repeat(indent)}`)
          : JSON.stringify(record);
        await write(out, `${first ? '' : ','}\n${' '.repeat(indent)}${json}`);
        first = false;
      }
      await write(out, first ? ']\n' : '\n]\n');
    } finally {
      await client.end();
      out.off('error', onError);
      if (out !== process.stdout) {
        out.end();
        await once(out, 'finish');
      }
    }
  }

  @Option({
    flags: '--include-secrets',
    description:
      'Also dump secrets: password hashes, group join codes and the secret tables (auth tokens, password-reset codes)',
  })
  parseIncludeSecrets(): boolean {
    return true;
  }

  @Option({
    flags: '--natural',
    description: 'Write references to entities with a natural key (users: email) as that key',
  })
  parseNatural(): boolean {
    return true;
  }

  @Option({ flags: '--indent <n>', description: 'Pretty-print each record with n spaces' })
  parseIndent(value: string): number {
    return parseNonNegativeInt(value, '--indent');
  }

  @Option({ flags: '-o, --output <file>', description: 'Write to a file instead of stdout' })
  parseOutput(value: string): string {
    return value;
  }
}

@Command({
  name: 'loaddata',
  arguments: '<file>',
  description:
    'Load a JSON fixture (from dumpdata; "-" reads stdin) in one transaction, upserting by primary key',
})
export class LoadDataCommand extends CommandRunner {
  constructor(
    private readonly orm: MikroORM,
    @Inject(DatabaseServer) private readonly server: DatabaseServer,
  ) {
    super();
  }

  async run([file]: string[]): Promise<void> {
    const text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw new Error(`${file} is not JSON: ${(e as Error).message}`);
    }
    const all = entityTables(this.orm.getMetadata());
    const client = await connect(this.server.url);
    try {
      await client.query('begin');
      // Deferrable constraints (if any) are checked at commit, once every row is in.
      await client.query('set constraints all deferred');
      const count = await loadRecords(client, data, all);
      await client.query('commit');
      say(`Installed ${count} object(s) from ${file === '-' ? 'stdin' : file}.`);
    } catch (e) {
      await client.query('rollback').catch(() => undefined);
      throw e;
    } finally {
      await client.end();
    }
  }
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new Error('loaddata -: pipe a fixture into stdin.');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
