import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ERD_PATH,
  GraphModelsCommand,
} from '../../apps/manage/src/commands/graph-models.command.js';
import { createManageApp, type ManageApp } from '../utils/manage.js';

describe('manage graph-models', () => {
  let m: ManageApp;
  const dir = mkdtempSync(join(tmpdir(), 'porch-erd-'));
  beforeAll(async () => {
    m = await createManageApp();
  });
  afterAll(() => m.close());

  it('draws every entity MikroORM knows, with its columns and relations, as Mermaid', async () => {
    const output = join(dir, 'erd.md');
    await m.run(GraphModelsCommand, [], { output });
    const doc = readFileSync(output, 'utf8');
    expect(doc).toMatch(/^# .*\n[\s\S]*```mermaid\nerDiagram\n[\s\S]*```\n$/);
    const entities = Object.values(m.orm.getMetadata().getAll()).filter(
      (meta) => !meta.abstract && !meta.embeddable && !meta.virtual && meta.tableName,
    );
    expect(entities.length).toBeGreaterThanOrEqual(2);
    for (const meta of entities) {
      expect(doc).toContain(`  ${meta.className} {\n`);
      for (const prop of meta.props) {
        for (const column of prop.fieldNames ?? []) {
          if (prop.persist !== false) expect(doc).toMatch(new RegExp(`\\n    \\S+ ${column}\\b`));
        }
        if (prop.kind === 'm:1') {
          expect(doc).toContain(
            `${prop.type} ${prop.nullable ? '|o' : '||'}--o{ ${meta.className} : "${prop.name}"`,
          );
        }
      }
    }
    expect(doc).toMatch(/uuid id PK/);
    expect(doc).toMatch(/varchar\(254\) email UK/);
    expect(doc).toMatch(/uuid user_id FK/);
  });

  it('--check passes on a current file and fails on a stale one', async () => {
    const output = join(dir, 'check.md');
    await m.run(GraphModelsCommand, [], { output });
    await expect(m.run(GraphModelsCommand, [], { output, check: true })).resolves.toContain(
      'is current',
    );
    writeFileSync(
      output,
      readFileSync(output, 'utf8').replace('erDiagram', 'erDiagram\n  Stale {}'),
    );
    await expect(m.run(GraphModelsCommand, [], { output, check: true })).rejects.toThrow(
      /is stale: run `npm run manage -- graph-models`/,
    );
  });

  it('the committed docs/erd.md is current (regenerate it when entities change)', async () => {
    await expect(m.run(GraphModelsCommand, [], { check: true })).resolves.toContain('is current');
    expect(ERD_PATH).toMatch(/docs[/\\]erd\.md$/);
  });
});
