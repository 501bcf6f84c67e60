import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { MikroORM } from '@mikro-orm/core';
import { Command, CommandRunner, Option } from 'nest-commander';
import { REPO_ROOT } from '#porch/core';
import { entityTables } from '../model/entity-tables.js';
import { renderErdDocument } from '../model/erd.js';
import { say } from '../output.js';

interface GraphModelsOptions {
  check?: boolean;
  output?: string;
}

export const ERD_PATH = join(REPO_ROOT, 'docs', 'erd.md');

@Command({
  name: 'graph-models',
  description:
    'Write a Mermaid ER diagram of every entity to docs/erd.md (--check: exit 1 if stale)',
})
export class GraphModelsCommand extends CommandRunner {
  constructor(private readonly orm: MikroORM) {
    super();
  }

  async run(_args: string[], options: GraphModelsOptions): Promise<void> {
    const file = options.output ?? ERD_PATH;
    const document = renderErdDocument(entityTables(this.orm.getMetadata()));
    const inside = relative(process.cwd(), file);
    const shown = inside && !inside.startsWith('..') ? inside : file;
    if (options.check) {
      const committed = await readFile(file, 'utf8').catch(() => '');
      if (committed !== document) {
        throw new Error(
          `${shown} is stale: run \`npm run manage -- graph-models\` and commit the result.`,
        );
      }
      say(`${shown} is current.`);
      return;
    }
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, document);
    say(`Wrote ${shown}.`);
  }

  @Option({ flags: '--check', description: 'Exit 1 if the file differs from the entities (CI)' })
  parseCheck(): boolean {
    return true;
  }

  @Option({ flags: '-o, --output <file>', description: 'Write elsewhere than docs/erd.md' })
  parseOutput(value: string): string {
    return value;
  }
}
